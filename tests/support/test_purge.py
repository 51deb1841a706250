"""`manage.py purge_sessions`: old sessions and long-expired share links go, the rest stays."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.utils import timezone

from tests.conftest import answer
from wizard.sellers.models import Answer, FlowVersion, Session
from wizard.support.models import ShareLink


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_sessions", *args, stdout=out)
    return out.getvalue()


def last_active(session: Session, days_ago: float) -> Session:
    """Make a session look as if its last activity was `days_ago` days ago."""
    when = timezone.now() - dt.timedelta(days=days_ago)
    Session.objects.filter(pk=session.pk).update(created_at=when, updated_at=when)
    return session


@pytest.fixture
def answered(client: Client, version: FlowVersion) -> Session:
    """A session with two answers in its log."""
    session = Session.start(version, language="id")
    answer(client, session, "where", "open")
    answer(client, session, "everyone", "no")
    return session


def test_sessions_inactive_past_the_retention_go_with_their_answers(
    answered: Session, version: FlowVersion
) -> None:
    last_active(answered, days_ago=181)
    recent = last_active(Session.start(version, language="id"), days_ago=179)
    output = purge()
    assert not Session.objects.filter(pk=answered.pk).exists()
    assert not Answer.objects.filter(session_id=answered.pk).exists()
    assert Session.objects.filter(pk=recent.pk).exists()
    assert "Deleted 1 sessions" in output
    assert "2 sellers.Answer" in output


def test_retention_counts_from_the_last_activity_not_the_start(
    client: Client, answered: Session
) -> None:
    last_active(answered, days_ago=400)
    answer(client, answered, "everyone", "yes")  # the seller came back today
    purge()
    assert Session.objects.filter(pk=answered.pk).exists()


@override_settings(SESSION_RETENTION_DAYS=30)
def test_the_retention_comes_from_the_settings(version: FlowVersion) -> None:
    old = last_active(Session.start(version, language="id"), days_ago=31)
    purge()
    assert not Session.objects.filter(pk=old.pk).exists()


def test_days_can_be_given_on_the_command_line(version: FlowVersion) -> None:
    old = last_active(Session.start(version, language="id"), days_ago=8)
    purge("--days", "7")
    assert not Session.objects.filter(pk=old.pk).exists()


def test_a_dry_run_counts_and_deletes_nothing(answered: Session) -> None:
    last_active(answered, days_ago=365)
    output = purge("--dry-run")
    assert "Would delete 1 sessions" in output
    assert Session.objects.filter(pk=answered.pk).exists()
    assert Answer.objects.filter(session=answered).count() == 2


def test_purging_in_small_batches_deletes_them_all(version: FlowVersion) -> None:
    for _ in range(7):
        last_active(Session.start(version, language="id"), days_ago=200)
    output = purge("--batch-size", "2")
    assert Session.objects.count() == 0
    assert "Deleted 7 sessions" in output


def test_a_retention_under_one_day_is_refused(db: None) -> None:
    with pytest.raises(CommandError, match="at least 1"):
        purge("--days", "0")


def test_nothing_to_purge_is_said_plainly(db: None) -> None:
    assert "Deleted 0 sessions." in purge()


def test_long_expired_share_links_go_and_live_ones_stay(session: Session) -> None:
    now = timezone.now()
    live, _ = ShareLink.create(session)
    recently_expired, _ = ShareLink.create(session)
    long_expired, _ = ShareLink.create(session)
    ShareLink.objects.filter(pk=recently_expired.pk).update(expires_at=now - dt.timedelta(days=2))
    ShareLink.objects.filter(pk=long_expired.pk).update(expires_at=now - dt.timedelta(days=31))
    output = purge()
    remaining = set(ShareLink.objects.values_list("pk", flat=True))
    assert remaining == {live.pk, recently_expired.pk}
    assert "Deleted 1 expired share links" in output


def test_a_purged_session_takes_its_share_links_with_it(session: Session) -> None:
    ShareLink.create(session)
    last_active(session, days_ago=181)
    purge()
    assert not ShareLink.objects.exists()
