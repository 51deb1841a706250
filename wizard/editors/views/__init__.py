"""The editors' pages: the workshop (`/staff/flows/`) and insight (`/staff/insight/`)."""
