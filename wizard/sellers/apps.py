"""The sellers' app."""

from django.apps import AppConfig


class SellersConfig(AppConfig):
    """What a seller uses: flow versions, sessions, the answer log, incidents as sellers see
    them, and the seller's pages from the landing page to the solution."""

    name = "wizard.sellers"
    label = "sellers"
    verbose_name = "Sellers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """`/readyz` also checks that a flow version is live (sellers could start nothing)."""
        from wizard.web import readiness

        from .models import FlowVersion

        readiness.register(
            "flow", lambda: None if FlowVersion.live() is not None else "no flow version is live"
        )
