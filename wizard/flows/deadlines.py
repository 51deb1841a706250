"""Deadlines computed from the seller's order time and the flow's facts (Indonesia).

Working days are Monday to Friday without Indonesian public holidays, cuti bersama
(the government's joint leave days) included: the LDR rule does not count them. The
calendar is the `holidays` package's Indonesia with its "public" and "government"
categories (the latter is cuti bersama). Its Islamic dates for years the government
has not decreed yet are estimates ("perkiraan"), so Seller Center's own "ship by" time
stays the one that counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from zoneinfo import ZoneInfo

import holidays

from .document import Flow, Value
from .engine import walk

ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
DEFAULT_ZONE = "WIB"
# The facts each rule reads; without them there is no deadline to show.
FACTS = {
    "ship": ("ship_cutoff_hour",),
    "cancel_response": ("cancel_response_hours",),
    "preorder": ("preorder_extra_days",),
}
# Shown beside a deadline when the flow has them (the calendar the count follows).
SHOWN_FACTS = {
    "ship": ("ship_cutoff_hour", "working_days_per_week"),
    "cancel_response": ("cancel_response_hours",),
    "preorder": ("preorder_extra_days",),
}
# The number question that holds the pre-order days the seller chose for the product.
PREORDER_DAYS = "preorder_days"
END_OF_DAY = dt.time(23, 59)
SATURDAY = 5


@dataclass(frozen=True)
class Holiday:
    """A public holiday or cuti bersama day, named in both languages."""

    day: dt.date
    names: dict[str, str]


@dataclass(frozen=True)
class Deadline:
    """When something must be done, in the seller's zone, and how long is left."""

    rule: str
    due_at: dt.datetime
    remaining: dt.timedelta
    # Weekdays the count passed over because they were holidays, for the seller to see.
    skipped: tuple[Holiday, ...] = field(default=())

    @property
    def is_passed(self) -> bool:
        """Whether the deadline is already behind us."""
        return self.remaining < dt.timedelta(0)


def seller_zone(name: str | None) -> ZoneInfo:
    """The time zone for WIB, WITA or WIT; WIB when the name is unknown or not given."""
    return ZoneInfo(ZONES.get(name or DEFAULT_ZONE, ZONES[DEFAULT_ZONE]))


def deadline(
    rule: str,
    flow: Flow,
    answers: Mapping[str, Value],
    zone: ZoneInfo,
    now: dt.datetime,
    since: str | None = None,
) -> Deadline | None:
    """The deadline `rule` sets for this seller's answers, or None if it cannot be known.

    A rule counts from the date/time answer `since` names (a solution's
    `deadline_from`), or else from the first one on the seller's path — the order
    time; `now` must be aware.
    """
    if rule not in FACTS or any(name not in flow.facts for name in FACTS[rule]):
        return None
    on_path = walk(flow, answers, now).answers
    placed_at = _order_time(flow, on_path, zone, since)
    if placed_at is None:
        return None
    number = flow.facts[FACTS[rule][0]].value
    if isinstance(number, str):
        return None
    skipped: tuple[Holiday, ...] = ()
    if rule == "ship":
        due_at = ship_due(placed_at, number)
        skipped = holidays_between(placed_at.date(), due_at.date())
    elif rule == "cancel_response":
        due_at = cancel_response_due(placed_at, number)
    else:
        days = on_path.get(PREORDER_DAYS)
        if not isinstance(days, int) or isinstance(days, bool):
            return None
        due_at = preorder_due(placed_at, days, int(number))
    return Deadline(rule=rule, due_at=due_at, remaining=due_at - now, skipped=skipped)


def ship_due(placed_at: dt.datetime, cutoff_hour: float) -> dt.datetime:
    """23:59 the same working day if placed before the cut-off, else the next working day."""
    hours = placed_at.hour + placed_at.minute / 60 + placed_at.second / 3600
    day = placed_at.date()
    if not _is_working_day(day) or hours >= cutoff_hour:
        day = _next_working_day(day)
    return dt.datetime.combine(day, END_OF_DAY, tzinfo=placed_at.tzinfo)


def cancel_response_due(requested_at: dt.datetime, hours: float) -> dt.datetime:
    """The moment a buyer's cancellation request is answered for the seller."""
    return requested_at + dt.timedelta(hours=hours)


def preorder_due(placed_at: dt.datetime, days: int, extra_days: int) -> dt.datetime:
    """23:59 on the order day plus the pre-order days and the extra calendar days."""
    day = placed_at.date() + dt.timedelta(days=days + extra_days)
    return dt.datetime.combine(day, END_OF_DAY, tzinfo=placed_at.tzinfo)


def _order_time(
    flow: Flow, on_path: Mapping[str, Value], zone: ZoneInfo, since: str | None
) -> dt.datetime | None:
    dated = [key for key in on_path if flow.questions[key].kind == "datetime"]
    asked = since if since in dated else next(iter(dated), None)
    value = None if asked is None else on_path[asked]
    if not isinstance(value, str) or not value:  # left empty: the seller doesn't know
        return None
    # The engine only keeps well-formed answers with an offset; the cut-off is a
    # wall-clock rule, so the instant is read in the seller's own zone.
    return dt.datetime.fromisoformat(value).astimezone(zone)


def holidays_between(first: dt.date, last: dt.date) -> tuple[Holiday, ...]:
    """The weekday holidays from `first` to `last`, both included."""
    days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return tuple(
        Holiday(day, {language: _calendar(day.year, language)[day] for language in ("id", "en")})
        for day in days
        if day.weekday() < SATURDAY and day in _calendar(day.year, "id")
    )


@cache
def _calendar(year: int, language: str) -> holidays.HolidayBase:
    return holidays.country_holidays(
        "ID",
        years=year,
        categories=("public", "government"),
        language="en_US" if language == "en" else "id",
    )


def _is_working_day(day: dt.date) -> bool:
    return day.weekday() < SATURDAY and day not in _calendar(day.year, "id")


def _next_working_day(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while not _is_working_day(day):
        day += dt.timedelta(days=1)
    return day
