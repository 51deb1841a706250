"""The editors' own models: none yet. Editors edit sellers' models (incidents) from the
admin; drafts and their review will be stored here."""
