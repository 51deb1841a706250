"""The editors' pages: none of their own yet; they edit incidents in the admin. The
workshop (`/staff/flows/`) and insight (`/staff/insight/`) will live here."""
