"""Nobody who said "it didn't help" is lost: silent "No"s reach the queue, the queue puts
the nearest order deadline first, and a case's outcome tells the seller's side and
support's side apart."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.utils import timezone

from tests.staff import answer_all, solved
from wizard.flows.deadlines import Deadline
from wizard.sellers.models import Session
from wizard.support.models import Note, ShareLink
from wizard.support.queue import Case, by_urgency, not_helped_and_silent


def said_no(session: Session, minutes_ago: float) -> Session:
    """The seller reached a solution, answered "No", and did nothing for `minutes_ago`."""
    solved(session)
    session.record_feedback(False, revision=session.revision)
    back = timezone.now() - dt.timedelta(minutes=minutes_ago)
    Session.objects.filter(pk=session.pk).update(updated_at=back)
    session.refresh_from_db()
    return session


@override_settings(SUPPORT_NOT_HELPED_MINUTES=30)
def test_a_seller_who_said_no_and_left_is_in_needs_attention_after_the_set_time(
    staff: Client, session: Session
) -> None:
    said_no(session, minutes_ago=10)
    assert session.code not in staff.get("/staff/").content.decode()
    Session.objects.filter(pk=session.pk).update(
        updated_at=timezone.now() - dt.timedelta(minutes=31)
    )
    page = staff.get("/staff/").content.decode()
    assert session.code in page
    assert "Said the solution did not help" in page
    assert "nothing since" in page


def test_taking_a_silent_no_makes_it_a_case_that_leaves_needs_attention(
    staff: Client, agent: User, session: Session
) -> None:
    said_no(session, minutes_ago=60)
    assert list(not_helped_and_silent()) == [session]
    staff.post(f"/staff/cases/{session.code}/take/")
    assert Case.objects.get(session=session).assigned_to == agent
    assert list(not_helped_and_silent()) == []
    assert session.code not in staff.get("/staff/").content.decode()
    assert session.code in staff.get("/staff/mine/").content.decode()


def test_a_seller_who_went_on_or_said_yes_is_not_listed(session: Session) -> None:
    solved(session)
    session.record_feedback(True, revision=session.revision)
    Session.objects.filter(pk=session.pk).update(updated_at=timezone.now() - dt.timedelta(hours=2))
    assert list(not_helped_and_silent()) == []


def fake(due_in_hours: float | None, since_minutes: float) -> Any:
    now = timezone.now()
    due = (
        None
        if due_in_hours is None
        else Deadline(
            "ship",
            now + dt.timedelta(hours=due_in_hours),
            dt.timedelta(hours=due_in_hours),
        )
    )
    return SimpleNamespace(
        updated_at=now - dt.timedelta(minutes=since_minutes),
        words=[{"source": "words", "at": "where", "text": "pesanan nyangkut"}],
        walk=lambda now: None,
        deadline=lambda walk, now: due,
    )


def test_the_queue_puts_the_nearest_deadline_first_then_the_longest_wait() -> None:
    no_deadline_long_wait = fake(None, since_minutes=300)
    passed = fake(-2, since_minutes=5)
    tonight = fake(6, since_minutes=50)
    tomorrow = fake(30, since_minutes=200)
    no_deadline_short_wait = fake(None, since_minutes=10)
    rows = by_urgency(
        [], [no_deadline_short_wait, tomorrow, no_deadline_long_wait, tonight, passed]
    )
    assert [row.session for row in rows] == [
        passed,
        tonight,
        tomorrow,
        no_deadline_long_wait,
        no_deadline_short_wait,
    ]
    assert rows[0].words == "pesanan nyangkut"


def test_the_queue_shows_the_sellers_words_and_costs_the_same_queries_for_more_rows(
    staff: Client, version: Any, django_assert_max_num_queries: Any
) -> None:
    first = Session.start(version, language="id")
    Session.objects.filter(pk=first.pk).update(
        words=[{"source": "words", "at": "where", "text": "orderan nyangkut terus"}]
    )
    said_no(Session.objects.get(pk=first.pk), minutes_ago=90)
    staff.get("/staff/")  # suggested incidents are computed once a minute, then cached
    with django_assert_max_num_queries(20) as one:
        page = staff.get("/staff/").content.decode()
    assert "orderan nyangkut terus" in page
    for _ in range(4):
        said_no(Session.start(version, language="id"), minutes_ago=90)
        other = Session.start(version, language="en")
        solved(other)
        ShareLink.for_support(other)
    with django_assert_max_num_queries(20) as many:
        staff.get("/staff/")
    assert len(many.captured_queries) == len(one.captured_queries)


@pytest.fixture
def noted(agent: User, session: Session) -> Session:
    """A seller who said no twice (the solution, then the next cause) and asked for support;
    then support set the case to resolved after a call."""
    answer_all(session, ("where", "open"), ("everyone", "yes"))
    session.record_feedback(False, revision=session.revision)
    ShareLink.for_support(session)
    Note.record(session, author=agent, text="Solved on the phone: re-login", status="resolved")
    return session


def test_a_case_resolved_by_staff_does_not_say_the_seller_was_helped(
    staff: Client, noted: Session
) -> None:
    page = staff.get(f"/staff/cases/{noted.code}/").content.decode()
    assert "Seller: not helped by “Title outage”; asked for support at" in page
    assert "Support: set to “resolved” by agent_rina at" in page
    assert "note: “Solved on the phone: re-login”" in page
    assert "solved by the next" not in page


def test_a_seller_solved_by_the_next_cause_says_so(staff: Client, session: Session) -> None:
    now = timezone.now()
    answer_all(
        session,
        ("where", "ship"),
        ("placed_at", (now - dt.timedelta(days=5)).isoformat()),
        ("ordered", 2),
        ("stock", 5),
        ("settings", []),
    )
    walk = session.walk()
    assert walk.solution is not None
    assert walk.findings
    session.record_feedback(False, revision=session.revision)
    seller = Client()
    seller.post(f"/s/{session.token}/next/", {"helped": "yes", "revision": session.revision})
    session.refresh_from_db()
    assert session.solved_by == walk.findings[0].key
    page = staff.get(f"/staff/cases/{session.code}/").content.decode()
    assert "then solved by the next cause “Title late”" in page
    assert "Support: nothing recorded yet." in page
