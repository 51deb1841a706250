"""The sellers' app."""

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save


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

        from .models import Answer, FlowVersion

        post_save.connect(_count_answer, sender=Answer, dispatch_uid="sellers.count_answer")
        readiness.register(
            "flow", lambda: None if FlowVersion.live() is not None else "no flow version is live"
        )


def _count_answer(sender: Any, created: bool = False, **kwargs: Any) -> None:
    """`/metrics` counts the answers given (their rate is answers per minute)."""
    from wizard.web.metrics import ANSWERS

    if created:
        ANSWERS.inc()
