"""`/metrics`: Prometheus's text format, for the operator's monitoring only."""

from __future__ import annotations

from django.test import Client, override_settings

from tests.conftest import answer
from wizard.sellers.models import Session

TOKEN = "a-long-random-metrics-token"


def scrape(**headers: str) -> str:
    response = Client(REMOTE_ADDR="127.0.0.1", **headers).get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return response.content.decode()


def figure(text: str, line_start: str) -> float:
    """The value of the first sample whose line starts so (0 when there is none)."""
    for line in text.splitlines():
        if line.startswith(line_start):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_are_closed_to_the_public(db: None) -> None:
    assert Client(REMOTE_ADDR="203.0.113.9").get("/metrics").status_code == 404


@override_settings(METRICS_TOKEN=TOKEN)
def test_a_scraper_with_the_bearer_token_may_read_from_anywhere(db: None) -> None:
    outsider = Client(REMOTE_ADDR="203.0.113.9")
    assert outsider.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200
    assert outsider.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404


def test_behind_a_local_proxy_a_visitor_does_not_look_local(db: None) -> None:
    through_nginx = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert through_nginx.get("/metrics").status_code == 404


def test_requests_are_counted_per_view_with_their_latency(db: None) -> None:
    before = scrape()
    Client().get("/healthz")
    after = scrape()
    line = 'wizard_requests_total{method="GET",status="200",view="healthz"}'
    assert figure(after, line) == figure(before, line) + 1
    assert 'wizard_request_seconds_bucket{le="0.01",view="healthz"}' in after


def test_answers_and_escalations_are_counted(session: Session) -> None:
    before = figure(scrape(), "wizard_answers_total")
    answer(Client(), session, "where", "open")
    session.set_status(Session.Status.ESCALATED)
    after = scrape()
    assert figure(after, "wizard_answers_total") == before + 1
    assert figure(after, "wizard_escalated_cases") == 1
    assert "wizard_database_errors_total" in after
    assert "wizard_cache_errors_total" in after


def test_the_outbox_backlog_counts_notifications_not_yet_delivered(db: None) -> None:
    from django.utils import timezone

    from wizard.support.outbox import Outbox

    assert figure(scrape(), "wizard_outbox_backlog") == 0
    waiting = Outbox.objects.create(channel="email", recipient="s@example.com", body={})
    Outbox.objects.create(
        channel="email", recipient="s@example.com", body={}, delivered_at=timezone.now()
    )
    assert figure(scrape(), "wizard_outbox_backlog") == 1
    Outbox.objects.filter(pk=waiting.pk).update(delivered_at=timezone.now())
    assert figure(scrape(), "wizard_outbox_backlog") == 0
