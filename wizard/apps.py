"""The wizard application."""

from django.apps import AppConfig


class WizardConfig(AppConfig):
    """Pesanan Lancar's one app: flows, sessions and the pages around them."""

    name = "wizard"
    verbose_name = "Pesanan Lancar"
    default_auto_field = "django.db.models.BigAutoField"
