"""The sellers' models in the admin: editors edit them, so they are registered by the
editors' app (wizard/editors/admin.py); sessions are read on the staff pages instead."""
