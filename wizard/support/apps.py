"""The support staff's app."""

from django.apps import AppConfig


class SupportConfig(AppConfig):
    """What support staff use: share links and who opened them, notes, the case list and
    case page, agent mode, summaries and exports, contacting support."""

    name = "wizard.support"
    label = "support"
    verbose_name = "Support"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """`/metrics` shows how many escalated cases wait for support, and how many
        notifications wait in the outbox (a growing backlog: mail or webhook is down)."""
        from wizard.sellers.models import Session
        from wizard.web.metrics import register_figure

        from .outbox import Outbox

        register_figure(
            "wizard_escalated_cases",
            "Cases escalated to support and not yet resolved.",
            lambda: Session.objects.filter(status=Session.Status.ESCALATED).count(),
        )
        register_figure(
            "wizard_outbox_backlog",
            "Notifications to support not yet delivered (email and webhook).",
            lambda: Outbox.objects.filter(delivered_at__isnull=True).count(),
        )
