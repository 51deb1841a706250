"""Indonesia's working-day calendar and the ship-by rules per service type (pure Python).

Working days are Monday to Friday without national public holidays (the `holidays`
package's Indonesia, category "public"). Cuti bersama (the "government" category) is
not skipped: the platform's LDR page lists only weekends and national holidays as days
off, so skipping it would show a ship-by date a working day late. It is only reported,
so the page can say it is not known to pause the platform's clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

import holidays

END_OF_DAY = dt.time(23, 59)
SATURDAY = 5
SERVICES = ("regular", "instant", "preorder")
# Option values of a `context = "service"` question and the rule each follows.
SERVICE_OF_VALUE = {
    "regular": "regular",
    "standard": "regular",
    "economy": "regular",
    "cargo": "regular",
    "instant": "instant",
    "preorder": "preorder",
}
INSTANT_FACTS = (
    "instant_morning_until_hour",
    "instant_morning_pickup_hour",
    "instant_day_until_hour",
    "instant_day_hours",
)
PREORDER_DAYS = "preorder_days"


@dataclass(frozen=True)
class Holiday:
    """A public holiday or cuti bersama day, named in both languages."""

    day: dt.date
    names: dict[str, str]


def service_of(answers: Mapping[str, object], service_keys: Iterable[str]) -> tuple[str, bool]:
    """The service rule the answers name, and whether it was assumed (regular) for lack of one."""
    for key in service_keys:
        value = answers.get(key)
        if isinstance(value, str) and value:
            known = SERVICE_OF_VALUE.get(value)
            return (known, False) if known else ("regular", True)
    return "regular", False


def ship_by(
    placed_at: dt.datetime,
    service: str,
    facts: Mapping[str, object],
    preorder_days: object = None,
) -> dt.datetime | None:
    """The ship-by moment for an order placed at `placed_at`, or None if it cannot be known."""
    if service == "instant":
        return instant_due(placed_at, facts)
    if service == "preorder":
        extra = _number(facts.get("preorder_extra_days"))
        if extra is None or not isinstance(preorder_days, int) or isinstance(preorder_days, bool):
            return None
        return preorder_due(placed_at, preorder_days, int(extra))
    cutoff = _number(facts.get("ship_cutoff_hour"))
    return None if cutoff is None else ship_due(placed_at, cutoff)


def ship_due(placed_at: dt.datetime, cutoff_hour: float) -> dt.datetime:
    """23:59 the same working day if placed before the cut-off, else the next working day."""
    hours = placed_at.hour + placed_at.minute / 60 + placed_at.second / 3600
    day = placed_at.date()
    if not is_working_day(day) or hours >= cutoff_hour:
        day = next_working_day(day)
    return dt.datetime.combine(day, END_OF_DAY, tzinfo=placed_at.tzinfo)


def instant_due(placed_at: dt.datetime, facts: Mapping[str, object]) -> dt.datetime | None:
    """Pickup requested by the morning hour for early orders, within hours in the day; later
    orders follow a rule our copy of the source cuts off, so no time is computed."""
    numbers = [_number(facts.get(name)) for name in INSTANT_FACTS]
    if any(number is None for number in numbers):
        return None
    morning_until, morning_pickup, day_until, day_hours = (float(n or 0) for n in numbers)
    hours = placed_at.hour + placed_at.minute / 60
    if hours < morning_until:
        midnight = placed_at.replace(hour=0, minute=0, second=0, microsecond=0)
        return midnight + dt.timedelta(hours=morning_pickup)
    if hours <= day_until:
        return placed_at + dt.timedelta(hours=day_hours)
    return None


def preorder_due(placed_at: dt.datetime, days: int, extra_days: int) -> dt.datetime:
    """23:59 on the order day plus the pre-order days and the extra calendar days."""
    day = placed_at.date() + dt.timedelta(days=days + extra_days)
    return dt.datetime.combine(day, END_OF_DAY, tzinfo=placed_at.tzinfo)


def holidays_between(first: dt.date, last: dt.date) -> tuple[Holiday, ...]:
    """The weekday national public holidays from `first` to `last`, both included."""
    return _weekdays_in(first, last, "public")


def cuti_bersama_between(first: dt.date, last: dt.date) -> tuple[Holiday, ...]:
    """The weekday cuti bersama days from `first` to `last`, both included (not skipped)."""
    return _weekdays_in(first, last, "government")


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not a national public holiday; cuti bersama is a working day."""
    return day.weekday() < SATURDAY and day not in _calendar(day.year, "id", "public")


def next_working_day(day: dt.date) -> dt.date:
    """The first working day after `day`."""
    day += dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def _weekdays_in(first: dt.date, last: dt.date, category: str) -> tuple[Holiday, ...]:
    days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return tuple(
        Holiday(
            day,
            {language: _calendar(day.year, language, category)[day] for language in ("id", "en")},
        )
        for day in days
        if day.weekday() < SATURDAY and day in _calendar(day.year, "id", category)
    )


@cache
def _calendar(year: int, language: str, category: str) -> holidays.HolidayBase:
    return holidays.country_holidays(
        "ID",
        years=year,
        categories=(category,),
        language="en_US" if language == "en" else "id",
    )


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
