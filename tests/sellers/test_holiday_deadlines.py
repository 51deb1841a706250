"""Ship-by deadlines skip Indonesian national public holidays, not cuti bersama, and say which."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from wizard.flows import Flow
from wizard.flows.deadlines import deadline, holidays_between, seller_zone, ship_due
from wizard.flows.workdays import cuti_bersama_between
from wizard.sellers.models import FlowVersion, Session

WIB = seller_zone("WIB")


def placed(year: int, month: int, day: int, hour: int = 14) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=WIB)


def due_day(when: dt.datetime) -> dt.date:
    return ship_due(when, 12).date()


def test_christmas_2025_is_skipped_but_its_cuti_bersama_is_not() -> None:
    # Wed 24 Dec after noon: Thu 25 (Natal) doesn't count; Fri 26 (cuti bersama) does.
    assert due_day(placed(2025, 12, 24)) == dt.date(2025, 12, 26)
    assert [h.day for h in holidays_between(dt.date(2025, 12, 24), dt.date(2025, 12, 29))] == [
        dt.date(2025, 12, 25)
    ]
    assert [h.day for h in cuti_bersama_between(dt.date(2025, 12, 24), dt.date(2025, 12, 29))] == [
        dt.date(2025, 12, 26)
    ]


def test_new_year_2026_is_skipped() -> None:
    # Wed 31 Dec 2025 after noon: Thu 1 Jan is New Year, so Fri 2 Jan.
    assert due_day(placed(2025, 12, 31)) == dt.date(2026, 1, 2)


def test_an_order_on_new_years_morning_waits_for_the_next_working_day() -> None:
    assert due_day(placed(2026, 1, 1, hour=9)) == dt.date(2026, 1, 2)


def test_lebaran_2026_cuti_bersama_is_a_working_day() -> None:
    # Cuti bersama Wed 18 March 2026 counts: an order on Tue 17 March after noon ships
    # by Wed 18, not Wed 25 as a calendar that skipped cuti bersama said.
    assert due_day(placed(2026, 3, 17)) == dt.date(2026, 3, 18)
    # Placed on Wed 18 after noon: Thu 19 is Nyepi, Fri 20 is cuti bersama and counts.
    assert due_day(placed(2026, 3, 18)) == dt.date(2026, 3, 20)
    # Placed on Fri 20 after noon: Idul Fitri falls on the weekend; Mon 23 is cuti bersama.
    assert due_day(placed(2026, 3, 20)) == dt.date(2026, 3, 23)


def test_nyepi_2027_is_skipped_and_the_cuti_bersama_after_it_is_not() -> None:
    # Fri 5 March 2027 after noon: Mon 8 (Nyepi) is skipped, Tue 9 (cuti bersama) is not.
    assert due_day(placed(2027, 3, 5)) == dt.date(2027, 3, 9)


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
    answers = {"where": "courier", "placed_at": order, "service": "regular"}
    found = deadline("ship", flow, answers, WIB, now)
    assert found is not None
    assert found.due_at.date() == dt.date(2025, 12, 26)
    assert [h.day.day for h in found.skipped] == [25]
    assert [h.day.day for h in found.cuti_bersama] == [26]


def test_the_solution_page_says_which_days_were_skipped_and_that_cuti_bersama_counts(
    shipped: FlowVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.utils import timezone

    now = placed(2025, 12, 24, hour=15)
    monkeypatch.setattr(timezone, "now", lambda: now.astimezone(dt.UTC))
    session = Session.start(
        shipped,
        language="en",
        answers={
            "where": "courier",
            "placed_at": placed(2025, 12, 24).isoformat(),
            "service": "regular",
        },
    )
    client = Client()
    client.post(session.step_url("shipment"), {"revision": session.revision, "value": "not_picked"})
    session.refresh_from_db()
    page = client.get(session.step_url()).content.decode()
    assert "Friday, 26 December 2025" in page
    assert "Monday, 29 December 2025" not in page
    assert "Thu 25 Dec is a public holiday (Christmas Day)" in page
    assert (
        "Fri 26 Dec is cuti bersama (Christmas Joint Holiday): counted as a working day, "
        "because cuti bersama is not known to pause the platform's clock." in page
    )
    assert "“Kirim sebelum” time in the order details in Seller Center" in page
