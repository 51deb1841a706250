"""Deadlines computed from the seller's order time and the flow's facts (Indonesia).

The calendar and the per-service rules are in `workdays`: national public holidays are
skipped, cuti bersama is not (it is only reported). The `holidays` package's Islamic
dates for years the government has not decreed yet are estimates ("perkiraan"), and a
newer SLA table exists only as an image, so every deadline here is an estimate: the
order's own "Kirim sebelum" time in Seller Center is the one that counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from .document import Flow, Value
from .engine import walk
from .workdays import (
    INSTANT_FACTS,
    PREORDER_DAYS,
    Holiday,
    cuti_bersama_between,
    holidays_between,
    preorder_due,
    service_of,
    ship_by,
    ship_due,
)

__all__ = [
    "FACTS",
    "SHOWN_FACTS",
    "ZONES",
    "Deadline",
    "Holiday",
    "cancel_response_due",
    "deadline",
    "holidays_between",
    "preorder_due",
    "seller_zone",
    "ship_due",
    "shown_facts",
]

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
    "instant": INSTANT_FACTS,
    "cancel_response": ("cancel_response_hours",),
    "preorder": ("preorder_extra_days",),
}
# The context a question names to say which service (regular, Instant, pre-order) it asks.
SERVICE = "service"


@dataclass(frozen=True)
class Deadline:
    """When something must be done, in the seller's zone, and how long is left."""

    rule: str
    due_at: dt.datetime
    remaining: dt.timedelta
    # Weekdays the count passed over because they were holidays, for the seller to see.
    skipped: tuple[Holiday, ...] = field(default=())
    # Cuti bersama days inside the count: not skipped, and not known to pause the clock.
    cuti_bersama: tuple[Holiday, ...] = field(default=())
    # The ship rule followed: "regular", "instant" or "preorder".
    service: str = "regular"
    # The seller did not name a service the rules know, so the regular rule was used.
    assumed: bool = False

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
    facts = {key: fact.value for key, fact in flow.facts.items()}
    service, assumed = service_of(on_path, service_questions(flow))
    skipped: tuple[Holiday, ...] = ()
    due_at: dt.datetime | None
    if rule == "ship":
        due_at = ship_by(placed_at, service, facts, on_path.get(PREORDER_DAYS))
        if service == "regular" and due_at is not None:
            skipped = holidays_between(placed_at.date(), due_at.date())
    elif rule == "cancel_response":
        number = facts[FACTS[rule][0]]
        due_at = None if isinstance(number, str) else cancel_response_due(placed_at, number)
    else:
        service, assumed = "preorder", False
        due_at = ship_by(placed_at, service, facts, on_path.get(PREORDER_DAYS))
    if due_at is None:
        return None
    return Deadline(
        rule=rule,
        due_at=due_at,
        remaining=due_at - now,
        skipped=skipped,
        cuti_bersama=cuti_bersama_between(placed_at.date(), due_at.date()),
        service=service,
        assumed=assumed,
    )


def shown_facts(due: Deadline | None) -> tuple[str, ...]:
    """The facts a deadline's page lists as the rules it was worked out from."""
    if due is None:
        return ()
    if due.rule == "ship" and due.service != "regular":
        return SHOWN_FACTS[due.service]
    return SHOWN_FACTS.get(due.rule, ())


def service_questions(flow: Flow) -> tuple[str, ...]:
    """The questions that ask the service type, in document order."""
    return tuple(key for key, q in flow.questions.items() if q.context == SERVICE)


def cancel_response_due(requested_at: dt.datetime, hours: float) -> dt.datetime:
    """The moment a buyer's cancellation request is answered for the seller."""
    return requested_at + dt.timedelta(hours=hours)


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
