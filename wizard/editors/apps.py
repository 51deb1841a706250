"""The editors' app."""

from django.apps import AppConfig


class EditorsConfig(AppConfig):
    """What editors (support leads) use: editing incidents and reading flow versions now;
    the workshop (drafts, review, publishing) and insight will live here too."""

    name = "wizard.editors"
    label = "editors"
    verbose_name = "Editors"
    default_auto_field = "django.db.models.BigAutoField"
