"""The case list and the queue mark cases whose order deadline is today or passed, and
the support message says a passed deadline in capitals."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.conftest import SHIPPED_FLOW
from tests.staff import answer_all, signed_in
from wizard.flows.deadlines import Deadline
from wizard.sellers.models import FlowVersion, Session
from wizard.support.models import ShareLink
from wizard.support.queue import deadline_mark
from wizard.support.summary import case_summary


def courier_no_show(hours_ago: float) -> Session:
    """The shipped flow's courier no-show, its order placed `hours_ago`."""
    version, _ = FlowVersion.load(SHIPPED_FLOW.read_text(encoding="utf-8"))
    session = Session.start(version, language="en")
    placed = (timezone.now() - dt.timedelta(hours=hours_ago)).astimezone(dt.UTC).isoformat()
    answer_all(
        session,
        ("where", "courier"),
        ("placed_at", placed),
        ("service", "regular"),
        ("shipment", "not_picked"),
    )
    assert session.deadline(session.walk()) is not None
    return session


def marks(page: str) -> list[str]:
    return re.findall(r'class="deadline-mark deadline-(\w+)-mark"', page)


def test_a_passed_deadline_is_marked_on_the_case_list_and_in_the_queue(agent: User) -> None:
    late = courier_no_show(hours_ago=24 * 6)
    staff = signed_in(agent, HTTP_ACCEPT_LANGUAGE="en")
    assert marks(staff.get("/staff/cases/").content.decode()) == ["passed"]
    ShareLink.for_support(late)
    queue = staff.get("/staff/").content.decode()
    assert marks(queue) == ["passed"]
    assert "deadline passed" in queue


def test_a_deadline_today_is_marked_and_none_without_a_deadline() -> None:
    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)  # 16:00 WIB

    def case(due_at: dt.datetime | None) -> object:
        due = None if due_at is None else Deadline("ship", due_at, due_at - now)
        return SimpleNamespace(zone="WIB", walk=lambda now: None, deadline=lambda walk, now: due)

    tonight = dt.datetime(2026, 12, 1, 16, 59, tzinfo=dt.UTC)  # 23:59 WIB
    tomorrow = dt.datetime(2026, 12, 1, 17, 30, tzinfo=dt.UTC)  # 00:30 WIB the next day
    assert deadline_mark(case(tonight), now) == "today"
    assert deadline_mark(case(tomorrow), now) == ""
    assert deadline_mark(case(now - dt.timedelta(minutes=1)), now) == "passed"
    assert deadline_mark(case(None), now) == ""


def test_the_support_message_says_a_passed_deadline(db: None) -> None:
    late = courier_no_show(hours_ago=24 * 6)
    text = case_summary(late, late.walk())
    assert re.search(r"DEADLINE PASSED at \d+ \w+ \d{4}, \d\d:\d\d WIB", text)


def test_the_case_list_costs_the_same_queries_with_deadlines(
    agent: User, django_assert_num_queries: object
) -> None:
    courier_no_show(hours_ago=24 * 6)
    staff: Client = signed_in(agent)
    staff.get("/staff/cases/")
    with django_assert_num_queries(6):
        staff.get("/staff/cases/")


def test_a_passed_deadline_is_a_red_banner_on_the_contact_share_and_case_pages(
    agent: User,
) -> None:
    late = courier_no_show(hours_ago=24 * 6)
    seller = Client(HTTP_ACCEPT_LANGUAGE="en")
    banner = r'deadline-banner deadline-banner-passed">\s*<strong>The deadline passed on \d+ \w+ \d{4}, \d\d:\d\d WIB\.'
    assert re.search(banner, seller.get(f"/s/{late.token}/summary/").content.decode())
    _, token = ShareLink.create(late)
    assert re.search(
        banner, Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/share/{token}/").content.decode()
    )
    staff = signed_in(agent, HTTP_ACCEPT_LANGUAGE="en")
    assert re.search(banner, staff.get(f"/staff/cases/{late.code}/").content.decode())
