"""Deadlines: working days, the noon cut-off, and the seller's own time zone."""

import dataclasses
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.documents import SOURCES, solution
from wizard.flows import load_flow
from wizard.flows.deadlines import (
    ZONES,
    cancel_response_due,
    deadline,
    preorder_due,
    seller_zone,
    ship_due,
)

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
# 2026-11-27 is a Friday; 2026-11-30 a Monday; 2026-12-01 a Tuesday.
FRIDAY, SATURDAY, SUNDAY, MONDAY, TUESDAY = (
    dt.date(2026, 11, 27),
    dt.date(2026, 11, 28),
    dt.date(2026, 11, 29),
    dt.date(2026, 11, 30),
    dt.date(2026, 12, 1),
)
FLOW = load_flow(
    """
[flow]
key = "deadlines"
title = {id = "Batas waktu", en = "Deadlines"}
start = "placed_at"

[questions.placed_at]
kind = "datetime"
text = {id = "Kapan pesanan dibuat?", en = "When was the order placed?"}
routes = [{go = "problem"}]

[questions.problem]
kind = "choice"
text = {id = "Apa masalahnya?", en = "What is the problem?"}
options = [
  {value = "ship", label = {id = "Kirim", en = "Ship"}},
  {value = "cancel", label = {id = "Batal", en = "Cancel"}},
  {value = "preorder", label = {id = "Pre-order", en = "Pre-order"}},
]
routes = [
  {when = "problem == ship", go = "late_ship"},
  {when = "problem == cancel", go = "answer_cancel"},
  {go = "preorder_days"},
]

[questions.preorder_days]
kind = "number"
min = 1
max = 60
text = {id = "Berapa hari pre-order?", en = "How many pre-order days?"}
routes = [{go = "preorder_late"}]

[facts.ship_cutoff_hour]
value = 12
label = {id = "Jam batas", en = "Cut-off hour"}
source = "manual"
checked = 2026-11-01

[facts.cancel_response_hours]
value = 48
label = {id = "Jam menanggapi", en = "Hours to answer"}
source = "manual"
checked = 2026-11-01

[facts.preorder_extra_days]
value = 2
label = {id = "Hari tambahan", en = "Extra days"}
source = "manual"
checked = 2026-11-01
"""
    + SOURCES
    + "".join(solution(key) for key in ("late_ship", "answer_cancel", "preorder_late"))
)
EARLY = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)


def at(day: dt.date, hour: int, minute: int = 0, zone: ZoneInfo = WIB) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)


def test_an_order_before_noon_on_a_working_day_ships_by_that_night() -> None:
    assert ship_due(at(TUESDAY, 9), 12) == at(TUESDAY, 23, 59)


def test_an_order_after_noon_ships_by_the_next_working_day() -> None:
    assert ship_due(at(MONDAY, 13), 12) == at(TUESDAY, 23, 59)


def test_an_order_at_noon_exactly_is_after_the_cut_off() -> None:
    assert ship_due(at(TUESDAY, 12), 12) == at(dt.date(2026, 12, 2), 23, 59)
    assert ship_due(at(TUESDAY, 11, 59), 12) == at(TUESDAY, 23, 59)


def test_a_friday_afternoon_order_ships_by_monday_night() -> None:
    assert ship_due(at(FRIDAY, 13), 12) == at(MONDAY, 23, 59)


def test_a_weekend_order_ships_by_monday_night_whatever_the_hour() -> None:
    assert ship_due(at(SATURDAY, 9), 12) == at(MONDAY, 23, 59)
    assert ship_due(at(SUNDAY, 20), 12) == at(MONDAY, 23, 59)


def test_a_cancellation_request_must_be_answered_within_the_hours() -> None:
    assert cancel_response_due(at(FRIDAY, 10), 48) == at(SUNDAY, 10)


def test_a_preorder_ships_by_its_days_plus_the_extra_calendar_days() -> None:
    assert preorder_due(at(FRIDAY, 10), 7, 2) == at(dt.date(2026, 12, 6), 23, 59)


def test_the_deadline_reads_the_order_time_and_the_facts_from_the_flow() -> None:
    answers = {"placed_at": "2026-11-27T13:00:00+07:00", "problem": "ship"}
    found = deadline("ship", FLOW, answers, WIB, EARLY)
    assert found is not None
    assert found.rule == "ship"
    assert found.due_at == at(MONDAY, 23, 59)
    assert found.due_at.tzinfo == WIB
    assert found.remaining == found.due_at - EARLY
    assert not found.is_passed


def test_an_order_time_given_in_another_offset_is_read_in_the_sellers_zone() -> None:
    # 02:00 UTC is 09:00 in Jakarta: before the cut-off.
    answers = {"placed_at": "2026-12-01T02:00:00+00:00", "problem": "ship"}
    found = deadline("ship", FLOW, answers, WIB, EARLY)
    assert found is not None
    assert found.due_at == at(TUESDAY, 23, 59)


def test_the_same_instant_is_before_noon_in_wib_and_after_noon_in_wita() -> None:
    answers = {"placed_at": "2026-12-01T11:30:00+07:00", "problem": "ship"}
    in_wib = deadline("ship", FLOW, answers, seller_zone("WIB"), EARLY)
    in_wita = deadline("ship", FLOW, answers, seller_zone("WITA"), EARLY)
    assert in_wib is not None
    assert in_wita is not None
    assert in_wib.due_at == at(TUESDAY, 23, 59, WIB)
    assert in_wita.due_at == at(dt.date(2026, 12, 2), 23, 59, WITA)


def test_an_hours_rule_is_the_same_instant_in_every_zone() -> None:
    answers = {"placed_at": "2026-12-01T11:30:00+07:00", "problem": "cancel"}
    in_wib = deadline("cancel_response", FLOW, answers, WIB, EARLY)
    in_wita = deadline("cancel_response", FLOW, answers, WITA, EARLY)
    assert in_wib is not None
    assert in_wita is not None
    assert in_wib.due_at == in_wita.due_at
    assert in_wita.due_at.hour == 12  # shown on the seller's own clock


def test_a_passed_deadline_has_negative_time_remaining() -> None:
    answers = {"placed_at": "2026-11-27T13:00:00+07:00", "problem": "ship"}
    later = at(dt.date(2026, 12, 1), 8)
    found = deadline("ship", FLOW, answers, WIB, later)
    assert found is not None
    assert found.is_passed
    assert found.remaining == -dt.timedelta(hours=8, minutes=1)


def test_a_preorder_deadline_needs_the_preorder_days() -> None:
    answers = {"placed_at": "2026-11-27T10:00:00+07:00", "problem": "preorder"}
    assert deadline("preorder", FLOW, answers, WIB, EARLY) is None
    found = deadline("preorder", FLOW, {**answers, "preorder_days": 7}, WIB, EARLY)
    assert found is not None
    assert found.due_at == at(dt.date(2026, 12, 6), 23, 59)


def test_no_order_time_means_no_deadline() -> None:
    assert deadline("ship", FLOW, {}, WIB, EARLY) is None
    assert deadline("ship", FLOW, {"placed_at": "yesterday"}, WIB, EARLY) is None


def test_a_missing_fact_means_no_deadline() -> None:
    answers = {"placed_at": "2026-11-27T13:00:00+07:00", "problem": "ship"}
    facts = {key: fact for key, fact in FLOW.facts.items() if key != "ship_cutoff_hour"}
    assert deadline("ship", dataclasses.replace(FLOW, facts=facts), answers, WIB, EARLY) is None


def test_an_unknown_rule_means_no_deadline() -> None:
    answers = {"placed_at": "2026-11-27T13:00:00+07:00", "problem": "ship"}
    assert deadline("someday", FLOW, answers, WIB, EARLY) is None


def test_the_three_indonesian_zones_are_offered_and_wib_is_the_default() -> None:
    assert ZONES == {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
    assert seller_zone("WIT") == ZoneInfo("Asia/Jayapura")
    assert seller_zone(None) == WIB
    assert seller_zone("CET") == WIB


def test_a_cancellation_deadline_counts_from_the_request_not_the_order() -> None:
    flow = load_flow(
        (Path(__file__).resolve().parents[2] / "wizard/content/orders.toml").read_text()
    )
    answers = {
        "where": "cannot_ship",
        "placed_at": "2026-11-27T09:00:00+07:00",
        "status": "cancel_req",
        "requested_at": "2026-11-30T08:00:00+07:00",
    }
    now = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)
    since = flow.solutions["cancel_request"].deadline_from
    found = deadline("cancel_response", flow, answers, WIB, now, since)
    assert found is not None
    assert found.due_at == dt.datetime(2026, 12, 2, 8, 0, tzinfo=WIB)
