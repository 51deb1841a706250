"""Support's models in the admin: none registered; staff work cases on the staff pages
(`/staff/`), which log who did what, rather than editing rows here."""
