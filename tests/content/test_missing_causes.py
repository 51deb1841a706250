"""The causes the 2026-12 fact-check found missing (§2) are pages sellers reach from where they start."""

from __future__ import annotations

import datetime as dt

import pytest

from .shipped import flow, walks

# cause page → a first answer a seller describing it would pick
MISSING = {
    "tax_data": "balance",
    "fees_settlement": "balance",
    "compensation_claim": "after_ship",
    "failed_delivery": "after_ship",
    "order_capacity": "no_orders",
    "fast_dispatch": "health",
    "second_shop": "account",
    "shop_closed": "account",
    "long_preorder": "no_orders",
    "fast_shipping": "no_orders",
}


@pytest.mark.parametrize(("key", "start"), MISSING.items(), ids=MISSING.keys())
def test_a_missing_cause_is_a_sourced_page_reached_from_where_sellers_start(
    key: str, start: str
) -> None:
    solution = flow().solutions[key]
    assert solution.sources
    assert solution.checked == dt.date(2026, 12, 7)
    reached = {end for _, end, _ in walks({"where": start})}
    assert key in reached, f"{key} is not reached from where={start}"
