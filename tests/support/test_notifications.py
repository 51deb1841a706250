"""Support is told: an escalation queues an email and a webhook in the outbox, a worker
delivers them, and a mail server or webhook that is down costs retries, not messages."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.support.test_summary import say_no, with_findings
from wizard.sellers.models import Session
from wizard.support.outbox import Outbox, backoff, deliver_due


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Inbox:
    """An aiosmtpd handler keeping what it receives."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


class Webhook(BaseHTTPRequestHandler):
    """Answers 500 while `down`, else 200, and keeps every body it got."""

    down = True
    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if Webhook.down:
            self.send_response(500)
        else:
            Webhook.received.append(body)
            self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[str]:
    Webhook.down, Webhook.received = True, []
    server = HTTPServer(("127.0.0.1", 0), Webhook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()
    server.server_close()


@pytest.fixture
def smtp_port(settings: SettingsWrapper) -> int:
    """The mail server's port; nothing listens there until a test starts one."""
    port = free_port()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    return port


@pytest.fixture
def notified(settings: SettingsWrapper) -> None:
    settings.SUPPORT_INBOX = "team@pesanan.example"
    settings.SUPPORT_WEBHOOK_URL = ""


def escalate(session: Session) -> Any:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    with_findings(session)
    say_no(client, session)
    return client.post(f"/s/{session.token}/summary/")


def test_an_escalation_queues_an_email_to_the_support_inbox(
    session: Session, notified: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate(session).status_code == 200
    message = Outbox.objects.get()
    assert (message.channel, message.recipient) == ("email", "team@pesanan.example")
    assert message.delivered_at is None  # the seller's page did not wait for the mail
    assert deliver_due() is None
    sent = mail.outbox[-1]
    assert sent.to == ["team@pesanan.example"]
    assert f"Kasus {session.code}" in sent.subject  # in the team's language
    assert f"http://testserver/staff/cases/{session.code}/" in sent.body
    assert session.token not in sent.body + sent.subject


def test_escalating_twice_notifies_once(session: Session, notified: None) -> None:
    escalate(session)
    Client().post(f"/s/{session.token}/summary/")
    assert Outbox.objects.count() == 1


def test_mail_is_retried_until_the_mail_server_is_back_and_nothing_is_lost(
    session: Session, notified: None, smtp_port: int
) -> None:
    escalate(session)
    now = timezone.now()
    next_at = deliver_due(now)  # nothing listens on the port: refused
    message = Outbox.objects.get()
    assert (message.attempts, message.delivered_at) == (1, None)
    assert "Connection" in message.last_error or "refused" in message.last_error.lower()
    assert next_at == now + backoff(1)
    assert deliver_due(now + dt.timedelta(seconds=1)) == next_at  # not due yet: untouched
    later = now + dt.timedelta(minutes=1)
    deliver_due(later)  # still down a minute later
    assert Outbox.objects.get().attempts == 2
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    server.start()
    try:
        assert deliver_due(later + backoff(2)) is None
    finally:
        server.stop()
    message.refresh_from_db()
    assert (message.attempts, message.last_error) == (3, "")
    assert message.delivered_at is not None
    [received] = inbox.messages
    assert received["To"] == "team@pesanan.example"
    assert session.code in received["Subject"]
    assert session.token not in received.as_string()


def test_the_webhook_gets_json_with_a_slack_text_and_the_case_and_is_retried(
    session: Session, settings: SettingsWrapper, webhook: str
) -> None:
    settings.SUPPORT_INBOX, settings.SUPPORT_WEBHOOK_URL = "", webhook
    escalate(session)
    now = timezone.now()
    deliver_due(now)
    message = Outbox.objects.get()
    assert (message.channel, message.attempts, message.delivered_at) == ("webhook", 1, None)
    assert "500" in message.last_error
    Webhook.down = False
    assert deliver_due(now + backoff(1)) is None
    [body] = Webhook.received
    assert body["code"] == session.code
    assert body["solution"] == "Judul address"
    assert body["solution_key"] == "address"
    assert body["language"] == "id"
    assert body["staff_url"] == f"http://testserver/staff/cases/{session.code}/"
    assert "deadline" in body
    assert session.code in body["text"]
    assert body["staff_url"] in body["text"]
    assert session.token not in json.dumps(body)
    assert "/share/" not in json.dumps(body)  # nor the share link's token


def test_a_webhook_that_does_not_answer_times_out_and_is_retried(
    session: Session, settings: SettingsWrapper, monkeypatch: pytest.MonkeyPatch
) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()  # accepts, never answers
    settings.SUPPORT_INBOX = ""
    settings.SUPPORT_WEBHOOK_URL = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    monkeypatch.setattr("wizard.support.outbox.WEBHOOK_TIMEOUT", 0.5)
    escalate(session)
    deliver_due()
    listener.close()
    message = Outbox.objects.get()
    assert (message.attempts, message.delivered_at) == (1, None)
    assert "timed out" in message.last_error


def test_retries_back_off_up_to_ten_minutes() -> None:
    waits = [backoff(n).total_seconds() for n in range(1, 10)]
    assert waits == [5, 10, 20, 40, 80, 160, 320, 600, 600]


def test_a_claimed_message_is_not_sent_twice(session: Session, notified: None) -> None:
    escalate(session)
    now = timezone.now()
    message = Outbox.objects.get()
    Outbox.objects.filter(pk=message.pk).update(next_attempt_at=now + dt.timedelta(minutes=5))
    deliver_due(now)  # another worker holds it
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_what_the_escalation_queued(
    session: Session, settings: SettingsWrapper
) -> None:
    settings.SUPPORT_INBOX = "team@pesanan.example"
    escalate(session)
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    assert Outbox.objects.get().delivered_at is not None
    assert [sent.to for sent in mail.outbox] == [["team@pesanan.example"]]


def test_the_safety_net_command_sends_what_is_due_and_hands_the_rest_to_the_worker(
    session: Session, notified: None
) -> None:
    from io import StringIO

    escalate(session)
    out = StringIO()
    call_command("deliver_outbox", stdout=out)
    assert out.getvalue() == "0 message(s) waiting.\n"
    assert Outbox.objects.get().delivered_at is not None
