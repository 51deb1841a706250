"""Deleting a seller's answers, by their own request or on the retention schedule.

The session goes with everything that says what the seller answered (the answer log,
share links and who opened them, the queue's case); staff notes stay, no longer linked
to it. What remains is anonymous: one `DeletedSession` row of counts for insight (which
flow version, which solution, whether it helped) and the hashes of its share links, so
that a link someone still holds says "deleted" instead of "not found".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.utils import timezone


class DeletedSession(models.Model):
    """What insight may still count about a deleted session; nothing of what was typed."""

    class Reason(models.TextChoices):
        SELLER = "seller", "seller"
        RETENTION = "retention", "retention"

    flow_version_id = models.PositiveIntegerField()
    outcome = models.CharField(max_length=64, blank=True)
    helped = models.BooleanField(null=True)
    status = models.CharField(max_length=12)
    language = models.CharField(max_length=8)
    started_on = models.DateField()
    deleted_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=10, choices=Reason.choices)

    def __str__(self) -> str:
        return f"deleted session ({self.reason}, {self.deleted_at:%Y-%m-%d})"


class ErasedLink(models.Model):
    """The hash of a share link whose session was deleted (the token was never stored)."""

    token_hash = models.CharField(max_length=64, unique=True)
    erased_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"erased link {self.token_hash[:8]}…"


def erase(sessions: models.QuerySet[Any] | Iterable[int], reason: str) -> dict[str, int]:
    """Delete these sessions (a queryset or ids) and all their answers, keeping the
    anonymous counts and their links' hashes; returns the rows deleted, per model."""
    from wizard.sellers.models import Session

    from .models import ShareLink

    with transaction.atomic():
        chosen = Session.objects.filter(pk__in=list(_ids(sessions))).select_for_update()
        rows = list(
            chosen.values_list(
                "pk", "flow_version_id", "outcome", "helped", "status", "language", "created_at"
            )
        )
        now = timezone.now()
        DeletedSession.objects.bulk_create(
            DeletedSession(
                flow_version_id=version,
                outcome=outcome,
                helped=helped,
                status=status,
                language=language,
                started_on=created_at.date(),
                deleted_at=now,
                reason=reason,
            )
            for _, version, outcome, helped, status, language, created_at in rows
        )
        hashes = ShareLink.objects.filter(session__in=[row[0] for row in rows])
        ErasedLink.objects.bulk_create(
            (
                ErasedLink(token_hash=value, erased_at=now)
                for value in hashes.values_list("token_hash", flat=True)
            ),
            ignore_conflicts=True,
        )
        _, per_model = Session.objects.filter(pk__in=[row[0] for row in rows]).delete()
    return per_model


def _ids(sessions: models.QuerySet[Any] | Iterable[int]) -> Iterable[int]:
    if isinstance(sessions, models.QuerySet):
        return sessions.values_list("pk", flat=True)
    return sessions
