"""Answers added where sellers start from, each leading to the page that says their cause.

Each was missing before: the seller had to take "something else" and a short list.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from wizard.flows import walk
from wizard.flows.deadlines import deadline

from .shipped import NOW, flow, said

WIB = ZoneInfo("Asia/Jakarta")


def end(answers: dict[str, object]) -> tuple[str, list[str]]:
    """Where these answers end, and what they note under "also check"."""
    position = walk(flow(), answers, NOW)
    assert position.current is None, f"still asks {position.step!r}"
    return position.step, [finding.key for finding in position.findings]


def test_a_pre_order_in_the_deadline_branch_counts_its_own_days() -> None:
    placed = dt.datetime(2026, 12, 1, 14, 0, tzinfo=WIB)
    answers = {
        "where": "deadline",
        "placed_at": placed.isoformat(),
        "service": "preorder",
        "preorder_days": 7,
    }
    assert end(answers)[0] == "preorder"
    found = deadline("ship", flow(), answers, WIB, NOW)
    assert found is not None
    # Seven processing days plus the pre-order's extra days, counted in calendar days.
    extra = flow().facts["preorder_extra_days"].value
    assert found.service == "preorder"
    assert found.due_at.date() == placed.date() + dt.timedelta(days=7 + int(extra))


def test_a_risk_tagged_order_that_wont_ship_reaches_the_risk_page() -> None:
    answers = {"where": "cannot_ship", "placed_at": "", "service": "regular"}
    answers |= {"status": "to_ship", "error": "risk"}
    assert end(answers)[0] == "risk_order"


def test_a_product_locked_but_for_stock_and_price_reaches_the_integration_page() -> None:
    assert end({"where": "product", "product_problem": "locked"})[0] == "integration"
    # The page says why: during the product-merge confirmation only stock and price change.
    assert "hanya bisa mengubah stok dan harga" in said("integration", "id")


def test_a_negative_balance_asks_which_line_and_a_line_less_one_goes_to_a_ticket() -> None:
    minus = {"where": "balance", "payout": "negative"}
    assert walk(flow(), minus, NOW).step == "deduction"
    assert end({**minus, "deduction": "tax"})[0] == "tax_data"
    assert end({**minus, "deduction": "unexplained"})[0] == "escalate"
    # "Not sure" is not "nothing explains it": it keeps the short list.
    assert end({**minus, "deduction": "other"})[0] == "likely_money"


def test_a_withdrawal_marked_successful_that_never_arrived_goes_to_a_ticket() -> None:
    assert end({"where": "balance", "payout": "not_arrived"})[0] == "escalate"


def test_a_label_that_wont_print_also_points_to_the_browsers_pop_up_blocker() -> None:
    order = {"where": "cannot_ship", "placed_at": "", "service": "regular", "status": "to_ship"}
    assert "cache_login" in end({**order, "error": "label_fail"})[1]
    courier = {"where": "courier", "placed_at": "", "service": "regular", "shipment": "label_fail"}
    # Arranged, so the label exists: one that opens elsewhere is this browser's doing.
    assert end({**courier, "label_elsewhere": "yes"})[0] == "cache_login"
    assert end({**courier, "label_elsewhere": "no"}) == ("label_error", ["cache_login"])
    assert "pop-up" in said("cache_login", "id")
    assert "pop-ups" in said("cache_login", "en")


def test_an_order_whose_own_data_contradicts_itself_goes_to_a_ticket() -> None:
    assert end({"where": "other", "symptom": "bad_data"})[0] == "escalate"


def test_a_cancellation_rate_that_rose_asks_why_the_orders_were_cancelled() -> None:
    health = {"where": "health", "shop_health": "cancelled"}
    assert walk(flow(), health, NOW).step == "cancel_reason"
    assert end({**health, "cancel_reason": "preorder"})[0] == "preorder_missed"
    assert end({**health, "cancel_reason": "deadline", "holiday_on": "no"})[0] == "auto_cancelled"


def test_products_sold_out_each_day_ask_shop_health_before_stock() -> None:
    sold_out = {"where": "product", "product_problem": "sold_out"}
    assert walk(flow(), sold_out, NOW).step == "shop_health"
    assert end({**sold_out, "shop_health": "new_shop"})[0] == "new_shop"
    assert end({**sold_out, "shop_health": "limit"})[0] == "order_limit"
    # Nothing in Shop Health: is a stock tool pushing zero?
    assert walk(flow(), {**sold_out, "shop_health": "clean"}, NOW).step == "stock_sync"
    assert end({**sold_out, "shop_health": "clean", "stock_sync": "yes"})[0] == "third_party"


def test_an_address_changed_after_labels_were_printed_reaches_the_label_page() -> None:
    address = {"where": "settings", "setting_which": "address"}
    assert end({**address, "address_issue": "old_label"})[0] == "wrong_label"
    assert end({**address, "address_issue": "missing"})[0] == "address"


def test_a_refused_bank_account_from_the_account_entry_reaches_the_bank_page() -> None:
    assert end({"where": "account", "account_notice": "bank"})[0] == "bank_account"


def test_a_bank_setting_asks_the_balance_question_that_tells_its_causes_apart() -> None:
    bank = {"where": "settings", "setting_which": "bank"}
    assert walk(flow(), bank, NOW).step == "payout"
    assert end({**bank, "payout": "password"})[0] == "bank_account"
    assert end({**bank, "payout": "not_arrived"})[0] == "escalate"
    assert end({**bank, "payout": "not_paid"})[0] == "fees_settlement"


def test_buyers_who_see_the_shop_on_holiday_reach_the_holiday_mode_page() -> None:
    assert end({"where": "no_orders", "buyers": "holiday"})[0] == "holiday_mode"


def test_a_seller_waiting_for_a_courier_never_called_learns_to_arrange_shipment() -> None:
    courier = {"where": "courier", "service": "regular", "shipment": "not_arranged"}
    late = (NOW - dt.timedelta(days=4)).isoformat()
    assert end({**courier, "placed_at": late})[0] == "overdue"
    assert end({**courier, "placed_at": NOW.isoformat()})[0] == "ship_deadline"
    assert "kurir baru datang setelah pick-up diatur" in said("ship_deadline", "id")


def test_a_pre_order_that_earns_less_reaches_the_fees_page_not_a_penalty() -> None:
    pre_order = {"where": "product", "product_problem": "preorder"}
    assert end({**pre_order, "preorder_issue": "fee"})[0] == "fees_settlement"


def test_the_sellers_own_cancellations_ask_whether_the_shop_is_limited_yet() -> None:
    stock = {"where": "cancelled", "cancel_reason": "seller_stock"}
    assert walk(flow(), stock, NOW).step == "limited_now"
    assert end({**stock, "limited_now": "yes"}) == ("order_limit", ["out_of_stock"])
    assert end({**stock, "limited_now": "no"}) == ("out_of_stock", ["order_limit"])
    price = {"where": "cancelled", "cancel_reason": "seller_price", "limited_now": "no"}
    assert end(price) == ("wrong_info", ["order_limit"])
