"""The editors' pages: the workshop (`/staff/flows/`); insight will live here too."""
