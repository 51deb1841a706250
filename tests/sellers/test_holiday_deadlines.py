"""Ship-by deadlines skip Indonesian public holidays and cuti bersama, and say which."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from wizard.flows import Flow
from wizard.flows.deadlines import deadline, holidays_between, seller_zone, ship_due
from wizard.sellers.models import FlowVersion, Session

WIB = seller_zone("WIB")


def placed(year: int, month: int, day: int, hour: int = 14) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=WIB)


def due_day(when: dt.datetime) -> dt.date:
    return ship_due(when, 12).date()


def test_christmas_2025_and_its_cuti_bersama_are_skipped() -> None:
    # Wed 24 Dec after noon: Thu 25 (Natal) and Fri 26 (cuti bersama) don't count.
    assert due_day(placed(2025, 12, 24)) == dt.date(2025, 12, 29)
    assert [h.day for h in holidays_between(dt.date(2025, 12, 24), dt.date(2025, 12, 29))] == [
        dt.date(2025, 12, 25),
        dt.date(2025, 12, 26),
    ]


def test_new_year_2026_is_skipped() -> None:
    # Wed 31 Dec 2025 after noon: Thu 1 Jan is New Year, so Fri 2 Jan.
    assert due_day(placed(2025, 12, 31)) == dt.date(2026, 1, 2)


def test_an_order_on_new_years_morning_waits_for_the_next_working_day() -> None:
    assert due_day(placed(2026, 1, 1, hour=9)) == dt.date(2026, 1, 2)


def test_lebaran_2026_with_its_cuti_bersama_is_skipped() -> None:
    # Nyepi on Thu 19 March, cuti bersama 18 and 20 March, Idul Fitri 21 to 22 March,
    # cuti bersama 23 to 24 March 2026: an order on Tue 17 March after noon ships Wed 25.
    assert due_day(placed(2026, 3, 17)) == dt.date(2026, 3, 25)
    skipped = [h.day.day for h in holidays_between(dt.date(2026, 3, 17), dt.date(2026, 3, 25))]
    assert skipped == [18, 19, 20, 23, 24]


def test_lebaran_2027_is_skipped() -> None:
    # Idul Fitri 2027 falls on Wed 10 March (an estimate until decreed), with cuti
    # bersama around it: Mon 8 (Nyepi) to Mon 15 March has no working day.
    assert due_day(placed(2027, 3, 5)) == dt.date(2027, 3, 16)


def test_an_ordinary_week_is_unchanged() -> None:
    assert due_day(placed(2026, 2, 10)) == dt.date(2026, 2, 11)
    assert holidays_between(dt.date(2026, 2, 10), dt.date(2026, 2, 11)) == ()


def test_holidays_are_named_in_both_languages() -> None:
    (christmas,) = holidays_between(dt.date(2025, 12, 25), dt.date(2025, 12, 25))
    assert "Natal" in christmas.names["id"]
    assert "Christmas" in christmas.names["en"]


def test_the_deadline_lists_the_holidays_it_skipped(shipped_flow: Flow) -> None:
    flow = shipped_flow
    order = placed(2025, 12, 24).isoformat()
    now = placed(2025, 12, 24, hour=15)
    found = deadline("ship", flow, {"where": "courier", "placed_at": order}, WIB, now)
    assert found is not None
    assert found.due_at.date() == dt.date(2025, 12, 29)
    assert [h.day.day for h in found.skipped] == [25, 26]


def test_the_solution_page_says_which_days_were_skipped(
    shipped: FlowVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.utils import timezone

    now = placed(2025, 12, 24, hour=15)
    monkeypatch.setattr(timezone, "now", lambda: now.astimezone(dt.UTC))
    session = Session.start(
        shipped,
        language="en",
        answers={"where": "courier", "placed_at": placed(2025, 12, 24).isoformat()},
    )
    client = Client()
    client.post(session.step_url("shipment"), {"revision": session.revision, "value": "not_picked"})
    session.refresh_from_db()
    page = client.get(session.step_url()).content.decode()
    assert "Monday, 29 December 2025" in page
    assert "Thu 25 Dec is a public holiday (Christmas Day)" in page
    assert "Fri 26 Dec is a public holiday (Christmas Joint Holiday)" in page
