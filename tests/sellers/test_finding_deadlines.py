"""Every page that talks about time shows the computed deadline: a noted cause with a
deadline shows it beside it, and a solution without its own shows the finding's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.documents import SMALL
from wizard.sellers.models import FlowVersion, Session

WIB = dt.timezone(dt.timedelta(hours=7))
CUTOFF = """
[facts.ship_cutoff_hour]
value = 12
unit = "hour_of_day"
source_kind = "id_official"
label = {id = "Jam batas", en = "Cut-off hour"}
source = "manual"
checked = 2026-11-01

[facts.late_hours]"""
TIMED = SMALL.replace("[facts.late_hours]", CUTOFF).replace(
    "[solutions.late]\n", '[solutions.late]\ndeadline = "ship"\n'
)
# Mon 30 Nov 2026 09:00 WIB; two days later the Monday ship-by (23:59) has passed.
PLACED = dt.datetime(2026, 11, 30, 9, 0, tzinfo=WIB)
NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=WIB)
ANSWERS = {"where": "ship", "placed_at": PLACED.isoformat(), "ordered": 2, "stock": 5}


@pytest.fixture
def solved(db: None, monkeypatch: pytest.MonkeyPatch) -> Session:
    monkeypatch.setattr(timezone, "now", lambda: NOW.astimezone(dt.UTC))
    version, _ = FlowVersion.load(TIMED)
    answers = {**ANSWERS, "settings": {"ticked": ["address", "bank"], "unticked": [], "unsure": []}}
    session = Session.start(version, language="en", answers=answers)
    assert session.outcome == "contact"
    return session


def test_a_solution_without_its_own_rule_shows_the_findings_deadline(solved: Session) -> None:
    walk = solved.walk(NOW)
    assert [finding.key for finding in walk.findings] == ["late"]
    due = solved.deadline(walk, NOW)
    assert due is not None
    assert due.due_at == dt.datetime(2026, 11, 30, 23, 59, tzinfo=due.due_at.tzinfo)
    assert due.is_passed


def test_the_also_check_list_shows_the_findings_deadline_beside_it(solved: Session) -> None:
    page = Client().get(solved.step_url()).content.decode()
    also = page[page.index('class="also-check"') :]
    also = also[: also.index("</section>")]
    assert "Title late" in also
    assert "The deadline passed on" in also
    assert "30 November 2026" in also


def test_a_finding_without_a_rule_shows_no_deadline(db: None) -> None:
    version, _ = FlowVersion.load(SMALL)
    answers = {**ANSWERS, "placed_at": "2026-11-01T09:00:00+07:00"}
    session = Session.start(version, language="en", answers=answers)
    walk = session.walk()
    assert walk.findings
    assert session.deadline(walk) is None
    assert "deadline-inline" not in Client().get(session.step_url()).content.decode()
