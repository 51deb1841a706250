"""The support staff's app."""

from django.apps import AppConfig


class SupportConfig(AppConfig):
    """What support staff use: share links and who opened them, notes, the case list and
    case page, agent mode, summaries and exports, contacting support."""

    name = "wizard.support"
    label = "support"
    verbose_name = "Support"
    default_auto_field = "django.db.models.BigAutoField"
