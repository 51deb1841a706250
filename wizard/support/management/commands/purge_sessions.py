"""Delete seller sessions inactive for longer than the retention, and long-expired share links.

Run it daily from cron (see docs/deploy.md). Deleting in small batches keeps each
transaction short, so sellers answering at the same time never wait on the purge.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.utils import timezone

from wizard.sellers.models import FlowVersion, Session

from ...erasure import DeletedSession, erase
from ...models import ShareLink

# An expired share link still says "this link has expired" for this long; after that
# it is deleted like any other trace of the case.
EXPIRED_LINK_GRACE_DAYS = 30


class Command(BaseCommand):
    help = (
        "Delete sessions (with their answers, links and notes) without activity for "
        "SESSION_RETENTION_DAYS, and share links expired for over "
        f"{EXPIRED_LINK_GRACE_DAYS} days."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=settings.SESSION_RETENTION_DAYS,
            help="Keep sessions active in the last DAYS days (default: %(default)s).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would go; delete nothing."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="Rows deleted per transaction (default: %(default)s).",
        )

    def handle(self, *args: Any, days: int, dry_run: bool, batch_size: int, **options: Any) -> None:
        if days < 1:
            raise CommandError("--days must be at least 1.")
        now = timezone.now()
        grace = dt.timedelta(days=EXPIRED_LINK_GRACE_DAYS)
        day_ago = now - dt.timedelta(days=1)
        targets: list[tuple[str, models.QuerySet[Any]]] = [
            ("sessions", Session.objects.filter(updated_at__lt=now - dt.timedelta(days=days))),
            ("expired share links", ShareLink.objects.filter(expires_at__lt=now - grace)),
            # Editors' walks through a draft: kept a day, then gone with their versions.
            ("preview sessions", Session.objects.filter(is_preview=True, created_at__lt=day_ago)),
            (
                "preview versions",
                FlowVersion.objects.filter(is_preview=True, loaded_at__lt=day_ago).exclude(
                    pk__in=Session.objects.values("flow_version")
                ),
            ),
        ]
        for label, queryset in targets:
            if dry_run:
                self.stdout.write(f"Would delete {queryset.count()} {label}.")
                continue
            deleted = _delete_in_batches(queryset, batch_size)
            count = deleted.pop(queryset.model._meta.label, 0)
            also = ", ".join(f"{number} {name}" for name, number in sorted(deleted.items()))
            self.stdout.write(f"Deleted {count} {label}" + (f" (with {also})." if also else "."))


def _delete_in_batches(queryset: models.QuerySet[Any], size: int) -> Counter[str]:
    deleted: Counter[str] = Counter()
    while True:
        batch = list(queryset.values_list("pk", flat=True)[:size])
        if not batch:
            return deleted
        if queryset.model is Session:
            # As when a seller deletes their answers: anonymous counts and the links'
            # hashes stay. The filter again: a session resumed meanwhile is no target.
            deleted.update(erase(queryset.filter(pk__in=batch), DeletedSession.Reason.RETENTION))
            continue
        with transaction.atomic():
            _, per_model = queryset.filter(pk__in=batch).delete()
        deleted.update(per_model)
