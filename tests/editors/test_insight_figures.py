"""Insight's figures, each computed from sessions the test builds on the small flow."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.staff import staff_user
from wizard.editors.insight import Figures, Rate, figures
from wizard.sellers.models import FlowVersion, Session, Tally
from wizard.sellers.models.tallies import rebuild, seconds_bucket

START = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
DAY = timezone.localdate(START)


class Clock:
    """The time every model method reads, moved by the test."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def wait(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    moving = Clock()
    monkeypatch.setattr(timezone, "now", moving)
    return moving


def seller(version: FlowVersion, clock: Clock, *answers: tuple[str, Any], **start: Any) -> Session:
    """A session that gives `answers`, a minute apart."""
    session = Session.start(version, language=start.pop("language", "id"), **start)
    for key, value in answers:
        clock.wait(minutes=1)
        session.answer(key, value, revision=session.revision)
    return session


def of(version: FlowVersion, clock: Clock, *, hours_later: float = 48, **scope: Any) -> Figures:
    """The figures for the start day, read `hours_later` than the clock."""
    return figures(version, DAY, DAY, now=clock.now + dt.timedelta(hours=hours_later), **scope)


def question(result: Figures, key: str) -> Any:
    return next(q for q in result.questions if q.key == key)


def solution(result: Figures, key: str) -> Any:
    return next(s for s in result.solutions if s.key == key)


@pytest.fixture
def branching(version: FlowVersion, clock: Clock) -> None:
    """Ten sellers: six say "cannot open" (to `everyone`), four "cannot ship" (to
    `placed_at`). Three of the six and two of the four give up there."""
    for _ in range(3):
        seller(version, clock, ("where", "open"), ("everyone", "yes"))
    for _ in range(3):
        seller(version, clock, ("where", "open"))
    for _ in range(2):
        seller(version, clock, ("where", "ship"), ("placed_at", START.isoformat()))
    for _ in range(2):
        seller(version, clock, ("where", "ship"))


def test_a_question_counts_the_sessions_whose_path_reached_it(
    version: FlowVersion, clock: Clock, branching: None
) -> None:
    result = of(version, clock)
    assert question(result, "where").views == 10
    assert question(result, "everyone").views == 6
    assert question(result, "placed_at").views == 4
    assert question(result, "ordered").views == 2
    assert question(result, "app_version").views == 0


def test_drop_off_is_divided_by_the_questions_own_views_not_the_previous_steps(
    version: FlowVersion, clock: Clock, branching: None
) -> None:
    placed_at = question(of(version, clock), "placed_at")
    assert (placed_at.dropoffs, placed_at.views) == (2, 4)
    assert placed_at.dropoff_rate.value == 0.5
    # A form tool divides by the step before: 10 saw `where`, 4 went on → "60 % lost".
    naive = 1 - placed_at.views / question(of(version, clock), "where").views
    assert placed_at.dropoff_rate.value != naive
    everyone = question(of(version, clock), "everyone")
    assert (everyone.dropoffs, everyone.views, everyone.dropoff_rate.value) == (3, 6, 0.5)


def test_a_session_idle_less_than_the_window_is_in_progress_not_abandoned(
    version: FlowVersion, clock: Clock, branching: None, settings: Any
) -> None:
    settings.INSIGHT_ABANDONED_AFTER_MINUTES = 60
    soon = of(version, clock, hours_later=0.5)
    assert question(soon, "placed_at").dropoffs == 0
    assert (soon.outcomes.in_progress, soon.outcomes.abandoned) == (7, 0)
    later = of(version, clock, hours_later=2)
    assert question(later, "placed_at").dropoffs == 2
    assert (later.outcomes.in_progress, later.outcomes.abandoned) == (0, 7)
    assert (later.outcomes.started, later.outcomes.solved) == (10, 3)


def test_changing_an_answer_moves_the_session_to_its_new_path(
    version: FlowVersion, clock: Clock
) -> None:
    session = seller(version, clock, ("where", "ship"))
    session.answer("where", "open", revision=session.revision)
    result = of(version, clock)
    assert question(result, "placed_at").views == 0
    assert question(result, "everyone").views == 1
    assert result.arrows == {("where", "everyone"): 1}
    session.restart(revision=session.revision)
    assert question(of(version, clock), "everyone").views == 0
    assert question(of(version, clock), "where").dropoffs == 1


def test_agent_sessions_are_counted_apart_and_in_no_rate(
    version: FlowVersion, clock: Clock
) -> None:
    agent = staff_user("support")
    seller(version, clock, ("where", "open"), ("everyone", "yes"), started_by=agent)
    seller(version, clock, ("where", "open"))
    result = of(version, clock)
    assert (result.outcomes.started, result.outcomes.agent_started) == (1, 1)
    assert (result.outcomes.solved, result.outcomes.agent_solved) == (0, 1)
    assert solution(result, "outage").agent_reached == 1
    assert solution(result, "outage").reached == 0
    assert question(result, "everyone").views == 1
    assert question(result, "everyone").agent_views == 1
    assert result.days[0].sellers == 1
    assert result.days[0].agents == 1


def test_feedback_and_escalations_are_counted_per_solution(
    version: FlowVersion, clock: Clock
) -> None:
    helped = [seller(version, clock, ("where", "open"), ("everyone", "yes")) for _ in range(4)]
    for session in helped[:2]:
        session.record_feedback(True, revision=session.revision)
    helped[2].record_feedback(False, revision=helped[2].revision)
    helped[2].set_status(Session.Status.ESCALATED)
    outage = solution(of(version, clock), "outage")
    assert (outage.reached, outage.yes, outage.no, outage.unanswered) == (4, 2, 1, 1)
    assert outage.escalated == 1
    assert outage.help_rate.hits == 2
    assert outage.help_rate.total == 3


def test_median_and_90th_percentile_time_and_questions_to_a_solution(
    version: FlowVersion, clock: Clock
) -> None:
    # Ten sellers reach `outage` in 2 answers, each a minute apart, then one slow seller.
    for _ in range(9):
        seller(version, clock, ("where", "open"), ("everyone", "yes"))
    session = Session.start(version, language="id")
    clock.wait(minutes=30)
    session.answer("where", "open", revision=session.revision)
    clock.wait(minutes=30)
    session.answer("everyone", "yes", revision=session.revision)
    outage = solution(of(version, clock), "outage")
    assert (outage.median_seconds, outage.p90_seconds) == (120, 120)
    assert (outage.median_questions, outage.p90_questions) == (2, 2)
    session = seller(version, clock, ("where", "open"))
    clock.wait(hours=1)
    session.answer("everyone", "yes", revision=session.revision)
    outage = solution(of(version, clock), "outage")
    assert outage.p90_seconds == seconds_bucket(3600)
    assert question(of(version, clock), "everyone").median_seconds == 60


def test_the_language_filter_counts_only_that_languages_sessions(
    version: FlowVersion, clock: Clock
) -> None:
    seller(version, clock, ("where", "open"), language="en")
    seller(version, clock, ("where", "ship"))
    assert question(of(version, clock, language="en"), "where").views == 1
    assert question(of(version, clock, language="en"), "placed_at").views == 0
    assert question(of(version, clock), "where").views == 2
    english = Session.objects.get(language="en")
    english.set_language("id")
    assert question(of(version, clock, language="en"), "where").views == 0


def test_sessions_outside_the_date_range_are_not_counted(
    version: FlowVersion, clock: Clock
) -> None:
    seller(version, clock, ("where", "open"))
    clock.wait(days=3)
    seller(version, clock, ("where", "ship"))
    result = of(version, clock)
    assert result.outcomes.started == 1
    assert question(result, "placed_at").views == 0
    wide = figures(version, DAY, DAY + dt.timedelta(days=3), now=clock.now)
    assert [d.sellers for d in wide.days] == [1, 0, 0, 1]


def test_the_rollup_kept_by_each_answer_equals_one_rebuilt_from_the_sessions(
    version: FlowVersion, clock: Clock, branching: None
) -> None:
    session = seller(version, clock, ("where", "ship"), ("placed_at", START.isoformat()))
    session.answer("where", "open", revision=session.revision)
    session.record_feedback(False, revision=session.revision)
    session.set_status(Session.Status.ESCALATED)
    kept = counts()
    assert rebuild() == 11
    assert counts() == kept


def counts() -> dict[tuple[Any, ...], int]:
    return {
        key[:-1]: key[-1]
        for key in Tally.objects.exclude(count=0)
        .exclude(measure="answer_seconds")
        .values_list("day", "language", "is_agent", "step", "measure", "bucket", "count")
    }


def test_the_wilson_interval_of_a_rate() -> None:
    rate = Rate.of(8, 10)
    assert rate.value == 0.8
    assert rate.low == pytest.approx(0.4902, abs=1e-4)
    assert rate.high == pytest.approx(0.9433, abs=1e-4)
    assert Rate.of(0, 20).low == 0.0
    assert Rate.of(0, 20).high == pytest.approx(0.1611, abs=1e-4)
    assert Rate.of(0, 0).value is None


def test_what_to_fix_first_needs_enough_answers(
    version: FlowVersion, clock: Clock, branching: None, settings: Any
) -> None:
    settings.INSIGHT_MIN_ANSWERS = 4
    solutions, questions = of(version, clock).fix_first()
    assert solutions == []  # nobody answered "did it help" yet
    assert [q.key for q in questions] == ["everyone", "placed_at"]
    settings.INSIGHT_MIN_ANSWERS = 5
    assert [q.key for q in of(version, clock).fix_first()[1]] == ["everyone"]
