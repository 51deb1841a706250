"""Send the support team's due notifications now, and start the retry chain again.

The worker's task re-enqueues itself while messages wait; this command is the safety
net (run it from cron every few minutes) for a task lost with a crashed worker, and a
way to see what waits.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ...outbox import Outbox, deliver_due, deliver_outbox


class Command(BaseCommand):
    help = "Send due outbox messages once, then leave the rest to the worker."

    def handle(self, *args: Any, **options: Any) -> None:
        next_at = deliver_due()
        waiting = Outbox.objects.filter(delivered_at__isnull=True).count()
        if next_at is not None:
            deliver_outbox.using(run_after=next_at).enqueue()
        self.stdout.write(
            f"{waiting} message(s) waiting"
            + (f"; next try {next_at:%H:%M:%S}." if next_at else ".")
        )
