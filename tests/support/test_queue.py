"""A queue, not a log: "Needs attention" (escalated, untaken, oldest first, with counts
and ages), taking a case, "Mine", the first-response time, and abandoned sessions left
out of the default views but still found by a search."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.staff import signed_in, solved, staff_user
from wizard.sellers.models import FlowVersion, Session
from wizard.support.models import Case, Note, ShareLink


def escalated(version: FlowVersion, hours_ago: float) -> Session:
    """A seller asked for support `hours_ago`."""
    session = solved(Session.start(version, language="id"))
    ShareLink.for_support(session)
    Case.objects.filter(session=session).update(
        escalated_at=timezone.now() - dt.timedelta(hours=hours_ago)
    )
    return session


def codes(response: object) -> list[str]:
    return re.findall(r'class="case-code">([A-Z0-9]+)<', response.content.decode())  # type: ignore[attr-defined]


def test_staff_land_on_needs_attention_with_the_longest_waiting_first(
    staff: Client, version: FlowVersion
) -> None:
    middle, newest, oldest = (escalated(version, hours) for hours in (5, 1, 30))
    Session.start(version, language="id")  # open, never escalated: not in the queue
    page = staff.get("/staff/")
    assert codes(page) == [oldest.code, middle.code, newest.code]
    text = page.content.decode()
    assert "1\xa0day, 6\xa0hours" in text  # the age of the oldest
    assert "Take it" in text


def test_the_queue_counts_each_status_and_tab(staff: Client, version: FlowVersion) -> None:
    escalated(version, 2)
    escalated(version, 1)
    Session.start(version, language="id")
    text = staff.get("/staff/").content.decode()
    counts = dict(re.findall(r'>([A-Z][\w ]+?) <span class="count">(\d+\+?)</span>', text))
    assert counts == {
        "Needs attention": "2",
        "Mine": "0",
        "Open": "1",
        "Resolved": "0",
        "Escalated": "2",
    }


def test_taking_a_case_moves_it_to_mine_and_starts_the_first_response_clock(
    staff: Client, agent: User, version: FlowVersion
) -> None:
    waiting = escalated(version, 2)
    other = escalated(version, 1)
    response = staff.post(f"/staff/cases/{waiting.code}/take/")
    assert response.status_code == 303
    assert response["Location"] == f"/staff/cases/{waiting.code}/"
    assert codes(staff.get("/staff/")) == [other.code]
    assert codes(staff.get("/staff/mine/")) == [waiting.code]
    case = Case.objects.get(session=waiting)
    assert case.assigned_to == agent
    assert case.first_response is not None
    assert dt.timedelta(hours=2) <= case.first_response < dt.timedelta(hours=2, minutes=1)
    page = staff.get(f"/staff/cases/{waiting.code}/").content.decode()
    assert "taken by agent_rina" in page
    assert "First response after 2\xa0hours" in page
    # Another agent's "Mine" stays theirs.
    assert codes(signed_in(staff_user("support", "agent_budi")).get("/staff/mine/")) == []


def test_a_note_is_a_first_response_too_and_the_first_one_counts(
    agent: User, version: FlowVersion
) -> None:
    session = escalated(version, 3)
    Note.record(session, author=agent, text="Calling the seller", status="")
    first = Case.objects.get(session=session).first_response_at
    assert first is not None
    Note.record(session, author=agent, text="Called again", status="")
    assert Case.objects.get(session=session).first_response_at == first


def test_staff_escalating_a_case_puts_it_in_the_queue(
    staff: Client, agent: User, version: FlowVersion
) -> None:
    session = Session.start(version, language="id")
    Note.record(session, author=agent, text="Needs a supervisor", status="escalated")
    assert codes(staff.get("/staff/")) == [session.code]


def test_a_resolved_case_leaves_the_queue(staff: Client, agent: User, version: FlowVersion) -> None:
    session = escalated(version, 1)
    Note.record(session, author=agent, text="Fixed on the call", status="resolved")
    assert codes(staff.get("/staff/")) == []


def test_abandoned_sessions_are_hidden_from_the_case_list_but_found_by_a_search(
    staff: Client, version: FlowVersion, settings: object
) -> None:
    abandoned = Session.start(version, language="id")
    old_solved = solved(Session.start(version, language="id"))
    recent = Session.start(version, language="id")
    long_ago = timezone.now() - dt.timedelta(days=8)
    Session.objects.filter(pk__in=[abandoned.pk, old_solved.pk]).update(updated_at=long_ago)
    assert codes(staff.get("/staff/cases/")) == [recent.code, old_solved.code]
    assert abandoned.code in codes(staff.get("/staff/cases/?abandoned=on"))
    found = staff.get("/staff/cases/", {"q": abandoned.code})
    assert found["Location"] == f"/staff/cases/{abandoned.code}/"


def test_old_case_list_bookmarks_still_land_on_the_list(staff: Client) -> None:
    response = staff.get("/staff/?status=escalated")
    assert response["Location"] == "/staff/cases/?status=escalated"


@pytest.mark.parametrize("count", [2, 12])
def test_the_queue_costs_the_same_queries_whatever_its_length(
    staff: Client, version: FlowVersion, count: int, django_assert_num_queries: object
) -> None:
    for hours in range(count):
        escalated(version, hours + 1)
    staff.get("/staff/")  # the flow version is parsed once per process
    # Auth session, user, permissions (2), three status counts, the tab counts (escalated,
    # silent "No"s, mine), the rows; "Needs attention" also lists the silent "No"s, and
    # the incidents going on (a suggested one is computed once a minute, cached).
    with django_assert_num_queries(13):
        assert staff.get("/staff/").status_code == 200
    with django_assert_num_queries(11):
        assert staff.get("/staff/mine/").status_code == 200
