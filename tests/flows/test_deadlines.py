"""Deadlines: working days, the noon cut-off, and the seller's own time zone."""

import dataclasses
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.documents import SOURCES, solution
from wizard.flows import load_flow, walk
from wizard.flows.deadlines import (
    ZONES,
    Deadline,
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
        "service": "regular",
        "status": "cancel_req",
        "requested_at": "2026-11-30T08:00:00+07:00",
    }
    now = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)
    since = flow.solutions["cancel_request"].deadline_from
    found = deadline("cancel_response", flow, answers, WIB, now, since)
    assert found is not None
    assert found.due_at == dt.datetime(2026, 12, 2, 8, 0, tzinfo=WIB)


# --- Cuti bersama, service types and overdue orders ----------------------------------

SERVICE_FLOW = load_flow(
    """
[flow]
key = "services"
title = {id = "Layanan", en = "Services"}
start = "placed_at"

[questions.placed_at]
kind = "datetime"
optional = true
text = {id = "Kapan pesanan dibuat?", en = "When was the order placed?"}
routes = [{go = "service"}]

[questions.service]
kind = "choice"
context = "service"
text = {id = "Layanan apa?", en = "Which service?"}
options = [
  {value = "regular", label = {id = "Reguler", en = "Regular"}},
  {value = "instant", label = {id = "Instan", en = "Instant"}},
  {value = "preorder", label = {id = "Pre-order", en = "Pre-order"}},
  {value = "not_sure", catch_all = true, label = {id = "Tidak tahu", en = "Not sure"}},
]
routes = [
  {when = "service == preorder", go = "preorder_days"},
  {when = "placed_at overdue", go = "overdue"},
  {go = "nothing"},
]

[questions.preorder_days]
kind = "number"
min = 1
max = 60
text = {id = "Berapa hari pre-order?", en = "How many pre-order days?"}
routes = [{when = "placed_at overdue", go = "overdue"}, {go = "nothing"}]

[facts.ship_cutoff_hour]
value = 12
label = {id = "Jam batas", en = "Cut-off hour"}
source = "manual"
checked = 2026-11-01

[facts.preorder_extra_days]
value = 2
label = {id = "Hari tambahan", en = "Extra days"}
source = "manual"
checked = 2026-11-01

[facts.instant_morning_until_hour]
value = 8
label = {id = "a", en = "a"}
source = "manual"
checked = 2026-11-01

[facts.instant_morning_pickup_hour]
value = 11
label = {id = "a", en = "a"}
source = "manual"
checked = 2026-11-01

[facts.instant_day_until_hour]
value = 15
label = {id = "a", en = "a"}
source = "manual"
checked = 2026-11-01

[facts.instant_day_hours]
value = 3
label = {id = "a", en = "a"}
source = "manual"
checked = 2026-11-01
"""
    + SOURCES
    + "".join(solution(key) for key in ("overdue", "nothing"))
)
# Thu 24 Dec 2026 is cuti bersama (Natal), Fri 25 Dec is Christmas Day.
CUTI_WEDNESDAY = dt.date(2026, 12, 23)


def ship(service: str, placed: dt.datetime, now: dt.datetime, **more: object) -> Deadline:
    answers = {"placed_at": placed.isoformat(), "service": service, **more}
    found = deadline("ship", SERVICE_FLOW, answers, WIB, now)
    assert found is not None
    return found


def test_cuti_bersama_is_a_working_day_for_the_ship_by_count() -> None:
    # After noon on Wed 23 Dec: Thu 24 (cuti bersama) is the next working day, not Mon 28.
    assert ship_due(at(CUTI_WEDNESDAY, 14), 12) == at(dt.date(2026, 12, 24), 23, 59)


def test_a_cuti_bersama_day_inside_the_count_is_reported_not_skipped() -> None:
    found = ship("regular", at(CUTI_WEDNESDAY, 14), at(CUTI_WEDNESDAY, 15))
    assert found.due_at == at(dt.date(2026, 12, 24), 23, 59)
    assert [day.day for day in found.cuti_bersama] == [dt.date(2026, 12, 24)]
    assert "Cuti Bersama" in found.cuti_bersama[0].names["id"]
    assert found.skipped == ()


def test_a_national_holiday_is_still_skipped() -> None:
    # Thu 24 Dec after noon: Fri 25 is Christmas Day, so Mon 28.
    found = ship("regular", at(dt.date(2026, 12, 24), 14), at(CUTI_WEDNESDAY, 15))
    assert found.due_at == at(dt.date(2026, 12, 28), 23, 59)
    assert [day.day for day in found.skipped] == [dt.date(2026, 12, 25)]


def test_an_early_instant_order_needs_its_pickup_by_the_morning_hour() -> None:
    found = ship("instant", at(TUESDAY, 6, 30), at(TUESDAY, 7))
    assert (found.service, found.due_at) == ("instant", at(TUESDAY, 11))


def test_a_daytime_instant_order_needs_its_pickup_within_the_hours() -> None:
    assert ship("instant", at(TUESDAY, 9, 15), at(TUESDAY, 10)).due_at == at(TUESDAY, 12, 15)
    assert ship("instant", at(TUESDAY, 15), at(TUESDAY, 16)).due_at == at(TUESDAY, 18)


def test_an_evening_instant_order_has_no_computed_time() -> None:
    answers = {"placed_at": at(TUESDAY, 16).isoformat(), "service": "instant"}
    assert deadline("ship", SERVICE_FLOW, answers, WIB, at(TUESDAY, 17)) is None


def test_a_preorder_ships_by_its_days_plus_two_through_the_ship_rule() -> None:
    found = ship("preorder", at(FRIDAY, 10), at(FRIDAY, 11), preorder_days=7)
    assert (found.service, found.due_at) == ("preorder", at(dt.date(2026, 12, 6), 23, 59))


def test_an_unknown_service_counts_as_regular_and_says_it_assumed_so() -> None:
    found = ship("not_sure", at(MONDAY, 13), at(MONDAY, 14))
    assert (found.service, found.assumed, found.due_at) == ("regular", True, at(TUESDAY, 23, 59))
    assert not ship("regular", at(MONDAY, 13), at(MONDAY, 14)).assumed


def test_an_order_past_its_ship_by_time_is_overdue() -> None:
    answers = {"placed_at": at(MONDAY, 13).isoformat(), "service": "regular"}
    assert walk(SERVICE_FLOW, answers, at(TUESDAY, 22)).step == "nothing"
    assert walk(SERVICE_FLOW, answers, at(dt.date(2026, 12, 2), 0, 1)).step == "overdue"


def test_overdue_follows_the_service_rule() -> None:
    instant = {"placed_at": at(TUESDAY, 9).isoformat(), "service": "instant"}
    assert walk(SERVICE_FLOW, instant, at(TUESDAY, 12, 30)).step == "overdue"
    preorder = {"placed_at": at(MONDAY, 9).isoformat(), "service": "preorder", "preorder_days": 5}
    assert walk(SERVICE_FLOW, preorder, at(dt.date(2026, 12, 7), 23)).step == "nothing"
    assert walk(SERVICE_FLOW, preorder, at(dt.date(2026, 12, 8), 0, 1)).step == "overdue"


def test_an_empty_order_time_is_never_overdue() -> None:
    answers = {"placed_at": "", "service": "regular"}
    assert walk(SERVICE_FLOW, answers, at(dt.date(2027, 1, 1), 0)).step == "nothing"
