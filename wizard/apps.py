"""The project package as an app: it holds only the migrations of the days before the apps.

Until the audience apps (sellers, support, editors) existed, every model lived in one
`wizard` app. Its two migrations still create the tables on a new database, and its
third hands the models over to the new apps without touching a row
(docs/architecture.md, "Data survives the move"). It has no models of its own.
"""

from django.apps import AppConfig


class WizardConfig(AppConfig):
    """The tables' first home; kept for its migration history."""

    name = "wizard"
    verbose_name = "Pesanan Lancar (migration history)"
    default_auto_field = "django.db.models.BigAutoField"
