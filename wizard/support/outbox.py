"""Messages to the support team (email, a webhook), kept in the database until delivered.

An escalation writes its notifications in the same transaction as the escalation
itself, and a background task (Django's tasks framework, `manage.py db_worker`) sends
them. A mail server or webhook that is down costs a retry, never a message, and the
seller's page never waits for either. Delivery is at least once: a row is claimed for
`LEASE` before sending, so two workers do not send it twice, and a worker that dies
mid-send leaves it to be sent again when the lease runs out.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.tasks import task
from django.utils import timezone

LEASE = dt.timedelta(minutes=5)
FIRST_RETRY = dt.timedelta(seconds=5)
LAST_RETRY = dt.timedelta(minutes=10)
BATCH = 50
WEBHOOK_TIMEOUT = 10  # seconds


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the n-th failed attempt: 5 s, 10 s, 20 s … doubling up to 10 min."""
    wait: dt.timedelta = FIRST_RETRY * 2 ** max(attempts - 1, 0)
    return min(wait, LAST_RETRY)


class Outbox(models.Model):
    """One notification to deliver, with its delivery attempts."""

    class Channel(models.TextChoices):
        EMAIL = "email", "email"
        WEBHOOK = "webhook", "webhook"

    channel = models.CharField(max_length=8, choices=Channel.choices)
    # Where it goes (an address or a URL) and what it says; never a seller's token.
    recipient = models.CharField(max_length=500)
    subject = models.CharField(max_length=200, blank=True)
    body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "outbox message"
        indexes = [
            # The worker's one question: what is undelivered and due, soonest first.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(delivered_at__isnull=True),
                name="outbox_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} to {self.recipient} ({self.attempts} attempts)"

    @classmethod
    def escalation(cls, notice: dict[str, Any]) -> list[Outbox]:
        """Queue the team's notifications of an escalated case; sent once committed."""
        subject = notice.pop("subject")
        rows: list[Outbox] = []
        if inbox := settings.SUPPORT_INBOX:
            rows.append(
                cls(channel=cls.Channel.EMAIL, recipient=inbox, subject=subject, body=notice)
            )
        if url := settings.SUPPORT_WEBHOOK_URL:
            rows.append(cls(channel=cls.Channel.WEBHOOK, recipient=url, body=notice))
        created = Outbox.objects.bulk_create(rows)
        if created:
            transaction.on_commit(lambda: deliver_outbox.enqueue())
        return created

    @classmethod
    def emails(cls, addresses: list[str], subject: str, body: dict[str, Any]) -> list[Outbox]:
        """Queue one email to each address (`body["text"]` is what it says); sent once
        committed."""
        rows = [
            cls(channel=cls.Channel.EMAIL, recipient=address, subject=subject, body=body)
            for address in addresses
        ]
        created = Outbox.objects.bulk_create(rows)
        if created:
            transaction.on_commit(lambda: deliver_outbox.enqueue())
        return created

    def send(self) -> None:
        """Deliver once; raises whatever the mail server or the webhook answered."""
        if self.channel == self.Channel.EMAIL:
            send_mail(
                self.subject,
                self.body["text"],
                settings.DEFAULT_FROM_EMAIL,
                [self.recipient],
                fail_silently=False,
            )
            return
        request = urllib.request.Request(
            self.recipient,
            data=json.dumps(self.body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        # urlopen raises on a non-2xx answer, a refused connection and a timeout alike.
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT):
            pass


def deliver_due(now: dt.datetime | None = None) -> dt.datetime | None:
    """Send every due message once; returns when the next undelivered one is due."""
    now = now or timezone.now()
    due = Outbox.objects.filter(delivered_at__isnull=True, next_attempt_at__lte=now)
    for message in due.order_by("next_attempt_at")[:BATCH]:
        claimed = Outbox.objects.filter(
            pk=message.pk, delivered_at__isnull=True, next_attempt_at=message.next_attempt_at
        ).update(next_attempt_at=now + LEASE)
        if not claimed:  # another worker has it
            continue
        try:
            message.send()
        except Exception as error:
            attempts = message.attempts + 1
            Outbox.objects.filter(pk=message.pk).update(
                attempts=attempts,
                next_attempt_at=now + backoff(attempts),
                last_error=f"{type(error).__name__}: {error}"[:2000],
            )
        else:
            Outbox.objects.filter(pk=message.pk).update(
                attempts=message.attempts + 1, delivered_at=timezone.now(), last_error=""
            )
    pending = Outbox.objects.filter(delivered_at__isnull=True).order_by("next_attempt_at")
    return pending.values_list("next_attempt_at", flat=True).first()


@task
def deliver_outbox() -> None:
    """The worker's task: send what is due, and come back when the next retry is due."""
    if (next_at := deliver_due()) is not None:
        deliver_outbox.using(run_after=max(next_at, timezone.now())).enqueue()
