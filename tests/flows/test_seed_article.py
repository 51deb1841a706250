"""Everything the starting article says is covered by a step or solution of the flow.

The article ("TikTok Shop Tidak Dapat Memproses Pesanan") names three cause groups, a
solution for each, and five prevention tips. Each is mapped here to what covers it, and
the covering text must actually say it (in English, to keep the test readable).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.flows import Flow, load_flow, walk

from .test_shipped_flow import NOW, every_walk

CONTENT = Path(__file__).resolve().parents[2] / "wizard" / "content" / "orders.toml"
FLOW = load_flow(CONTENT.read_text(encoding="utf-8"))

# article item → (solution or tip key, words the English text must contain)
ARTICLE = {
    # Group 1: technical faults of the platform
    "server down": ("outage", ["outage"]),
    "system update in progress": ("outage", ["maintenance"]),
    "bug in the TikTok app": ("update_app", ["update"]),
    "solution: update the app to the latest version": ("update_app", ["latest version"]),
    "solution: try again at another time": ("outage", ["try again later"]),
    "solution: try another device": ("cache_login", ["another device"]),
    # Group 2: misconfigured shop settings
    "shipping address not filled in": ("address", ["pickup address"]),
    "payment method not set (the settlement account)": ("bank_account", ["settlement account"]),
    "payment method not set (COD)": ("cod", ["cod"]),
    "return policy not filled in (the return address)": ("address", ["return address"]),
    "solution: check the shop settings": ("address", ["account settings"]),
    # Group 3: the product or the order itself
    "wrong product or order information": ("wrong_info", ["wrong price"]),
    "out of stock or unavailable": ("out_of_stock", ["stock"]),
    "solution: re-check product and order details": ("wrong_info", ["fix the listing"]),
    "solution: check stock before processing": ("out_of_stock", ["physical stock"]),
    # The prevention tips
    "tip: configure account and shop correctly": ("finish_setup", ["shop setup"]),
    "tip: check stock before processing orders": ("exact_stock", ["before processing"]),
    "tip: products follow TikTok Shop rules": ("listing_rules", ["tiktok shop rules"]),
    "tip: follow the shipping guidelines": ("shipping_guide", ["shipping guide"]),
    "tip: fix product or order problems quickly": ("act_fast", ["right away"]),
}


def english(flow: Flow, key: str) -> str:
    """Every English text of a solution or tip, in lower case."""
    if key in flow.tips:
        return flow.render(flow.tips[key].text, "en").lower()
    solution = flow.solutions[key]
    texts = [solution.title, solution.cause, solution.check, *solution.steps]
    return " ".join(flow.render(text, "en") for text in texts).lower()


@pytest.mark.parametrize(("item", "covered_by"), ARTICLE.items(), ids=ARTICLE.keys())
def test_the_article_item_is_said_by_the_flow(item: str, covered_by: tuple[str, list[str]]) -> None:
    key, words = covered_by
    text = english(FLOW, key)
    missing = [word for word in words if word not in text]
    assert missing == [], f"{item!r}: {key} does not say {missing}"


def test_every_solution_covering_the_article_is_reachable() -> None:
    reached = {end for _, end in every_walk(FLOW)}
    solutions = {key for key, _ in ARTICLE.values() if key in FLOW.solutions}
    assert solutions - reached == set()


def test_every_tip_covering_the_article_is_linked_from_a_solution() -> None:
    linked = {tip for solution in FLOW.solutions.values() for tip in solution.tips}
    tips = {key for key, _ in ARTICLE.values() if key in FLOW.tips}
    assert tips - linked == set()


# Catalogue causes (shared/knowledge/tiktok-shop-orders.md, section 2) → the solution
# that treats each; every one must be reachable by some answers.
CATALOGUE = {
    "A1 outage": "outage",
    "A2 outdated app / web-only": "update_app",
    "A2 web-only functions": "use_web",
    "A3 network, cache, session": "cache_login",
    "A4 third-party tool": "third_party",
    "A5 sub-account permission": "sub_account",
    "B1 verification": "verification",
    "B2 bank account, withdrawal password": "bank_account",
    "B3 pickup or return address": "address",
    "B4 shipping options": "shipping_options",
    "B5 holiday mode": "holiday_mode",
    "B6 new shop adjustment period": "new_shop",
    "B7 Tokopedia integration": "integration",
    "C1 unpaid": "unpaid",
    "C2 on hold": "on_hold",
    "C3 buyer cancellation": "cancel_request",
    "C4 auto-cancelled": "auto_cancelled",
    "C5 pre-order timing": "preorder",
    "C6 risk-flagged": "risk_order",
    "D1 label or arrange-shipment error": "label_error",
    "D2 courier no-show": "courier_no_show",
    "D3 shipping method": "ship_method",
    "D4 wrong label": "wrong_label",
    "D5 tracking stuck": "tracking_stuck",
    "D6 COD": "cod",
    "E1 out of stock": "out_of_stock",
    "E2 product status": "product_status",
    "E3 wrong information": "wrong_info",
    "F1 violation points": "violation_points",
    "F2 order volume limit": "order_limit",
    "F3 withheld balance": "balance_held",
    "1.3 ship deadline": "ship_deadline",
}


def test_every_catalogue_cause_is_reached_by_some_answers() -> None:
    reached: set[str] = set()
    for answers, end in every_walk(FLOW):
        reached.add(end)
        reached.update(finding.key for finding in walk(FLOW, answers, NOW).findings)
    unreached = {cause: key for cause, key in CATALOGUE.items() if key not in reached}
    assert unreached == {}


def test_the_order_status_branch_names_every_status_sellers_see() -> None:
    statuses = set(FLOW.questions["status"].values)
    assert {
        "to_ship",
        "awaiting_collection",
        "unpaid",
        "on_hold",
        "cancel_req",
        "cancelled",
    } <= statuses
