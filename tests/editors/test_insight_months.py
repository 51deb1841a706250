"""Insight's month level: a long range read from whole months and the days at its ends
counts exactly what its days count, in a constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from tests.staff import staff_user
from wizard.editors.insight import figures, summed
from wizard.sellers.models import FlowVersion, MonthTally, Session, Tally
from wizard.sellers.models.tallies import ONE_DAY, rebuild, spans

START = dt.datetime(2026, 1, 30, 8, 0, tzinfo=dt.UTC)


def covered(since: dt.date, until: dt.date) -> Counter[dt.date]:
    """How many times the spans count each day (a month counts each of its days)."""
    counted: Counter[dt.date] = Counter()
    for sign, level, first, last in spans(since, until):
        day = first
        while day <= last:
            if level is Tally:
                counted[day] += sign
            elif day.day == 1:  # a month row: its first day stands for the month
                month = day
                while month.month == day.month:
                    counted[month] += sign
                    month += ONE_DAY
            day += ONE_DAY
    return +counted if all(n >= 0 for n in counted.values()) else counted


@pytest.mark.parametrize("year", [2024, 2026])  # a leap February and a plain one
def test_the_spans_count_each_day_of_a_range_once_and_read_at_most_a_month_of_days(
    year: int,
) -> None:
    lengths = [*range(1, 75), 89, 90, 91, 179, 180, 181, 365, 366, 400, 731]
    for offset in range(0, 125):
        since = dt.date(year, 1, 1) + dt.timedelta(days=offset)
        for length in lengths:
            until = since + dt.timedelta(days=length - 1)
            expected = Counter({since + dt.timedelta(days=n): 1 for n in range(length)})
            assert covered(since, until) == expected, (since, until)
            days = sum((b - a).days + 1 for _, level, a, b in spans(since, until) if level is Tally)
            assert days <= 30, (since, until, days)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def months_of_sessions(version: FlowVersion, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sessions started over four months, in both languages, some by an agent, with
    answers a varied number of seconds apart (so the time histograms have many buckets)."""
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock)
    agent = staff_user("support")
    for number, offset in enumerate([0, 1, 2, 14, 29, 30, 31, 45, 59, 60, 75, 89, 90, 100, 119]):
        clock.now = START + dt.timedelta(days=offset, hours=number % 5)
        for seller in range(3):
            language = "en" if (number + seller) % 3 == 0 else "id"
            by = agent if seller == 2 and number % 4 == 0 else None
            session = Session.start(version, language=language, started_by=by)
            clock.now += dt.timedelta(seconds=7 + 41 * seller + number)
            session.answer("where", "open", revision=session.revision)
            if seller:
                clock.now += dt.timedelta(seconds=13 * number + 5)
                session.answer("everyone", "yes", revision=session.revision)
                session.record_feedback(seller == 1, revision=session.revision)


def day_sums(version: FlowVersion, since: dt.date, until: dt.date, language: str) -> Any:
    """The same sums, read from the days alone (as insight read them before months)."""
    rows = Tally.objects.filter(flow_version=version, day__range=(since, until))
    if language:
        rows = rows.filter(language=language)
    sums: dict[bool, Counter[tuple[str, str, int]]] = {False: Counter(), True: Counter()}
    for row in rows.values("is_agent", "step", "measure", "bucket").annotate(n=Sum("count")):
        sums[row["is_agent"]][(row["step"], row["measure"], row["bucket"])] += row["n"]
    return {agent: +counts for agent, counts in sums.items()}


RANGES = [
    (dt.date(2026, 1, 30), dt.date(2026, 5, 31)),  # two days of January, whole months
    (dt.date(2026, 1, 31), dt.date(2026, 4, 20)),  # a day; most of April: month less days
    (dt.date(2026, 2, 3), dt.date(2026, 4, 4)),  # February less days; a few days of April
    (dt.date(2026, 2, 13), dt.date(2026, 2, 28)),  # inside one month: its days
    (dt.date(2026, 3, 2), dt.date(2026, 3, 30)),  # most of one month: the month less days
    (dt.date(2025, 6, 1), dt.date(2026, 12, 31)),  # far wider than the sessions
    (dt.date(2026, 3, 1), dt.date(2026, 3, 31)),  # exactly a month
]


@pytest.mark.usefixtures("months_of_sessions")
@pytest.mark.parametrize("language", ["", "en", "id"])
def test_a_long_range_from_the_months_equals_the_sum_of_its_days(
    version: FlowVersion, language: str
) -> None:
    for since, until in RANGES:
        from_months = {
            agent: +counts for agent, counts in summed(version, since, until, language).items()
        }
        assert from_months == day_sums(version, since, until, language), (since, until)
    assert day_sums(version, *RANGES[0], language)[False]  # the test counts something
    assert day_sums(version, *RANGES[0], language)[True] or language == "en"


@pytest.mark.usefixtures("months_of_sessions")
def test_each_change_keeps_the_months_equal_to_the_sums_of_their_days(
    version: FlowVersion,
) -> None:
    def by_month() -> dict[tuple[Any, ...], int]:
        days = Tally.objects.annotate(month=TruncMonth("day"))
        key = ("month", "language", "is_agent", "step", "measure", "bucket")
        return {
            tuple(row[k] for k in key): row["n"]
            for row in days.values(*key).annotate(n=Sum("count")).exclude(n=0)
        }

    def months() -> dict[tuple[Any, ...], int]:
        rows = MonthTally.objects.exclude(count=0)
        key = ("month", "language", "is_agent", "step", "measure", "bucket", "count")
        return {row[:-1]: row[-1] for row in rows.values_list(*key)}

    kept = months()
    assert len({key[0] for key in kept}) == 5  # sessions from January to May
    assert kept == by_month()
    rebuild()
    assert months() == kept


@pytest.mark.usefixtures("months_of_sessions")
def test_the_figures_cost_three_queries_whatever_the_range(
    version: FlowVersion, django_assert_num_queries: Any
) -> None:
    version.flow  # parsed once per process  # noqa: B018
    now = START + dt.timedelta(days=130)
    for since, until in [(dt.date(2026, 2, 13), dt.date(2026, 2, 13)), *RANGES]:
        with django_assert_num_queries(3):
            figures(version, since, until, now=now)
