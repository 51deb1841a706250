"""The checker refuses steps without a menu path and confidence that its sources don't back."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from wizard.flows import Flow, Text, check, load_flow

CONTENT = Path(__file__).resolve().parents[2] / "wizard" / "content" / "orders.toml"
TODAY = dt.date(2026, 12, 1)


def shipped_with(key: str, **changes: object) -> Flow:
    flow = load_flow(CONTENT.read_text(encoding="utf-8"))
    solution = dataclasses.replace(flow.solutions[key], **changes)
    return dataclasses.replace(flow, solutions={**flow.solutions, key: solution})


def messages(flow: Flow) -> list[str]:
    return [f"{p.where}: {p.message}" for p in check(flow, today=TODAY).problems]


def test_the_shipped_flow_passes_the_content_checks() -> None:
    assert messages(load_flow(CONTENT.read_text(encoding="utf-8"))) == []


def test_a_step_that_sends_the_seller_into_seller_center_without_a_menu_path_is_refused() -> None:
    vague = Text(id="Aktifkan COD di Seller Center.", en="Switch COD on in Seller Center.")
    flow = shipped_with("cod", steps=(vague,))
    found = messages(flow)
    assert any("solution 'cod': step 1 (Indonesian)" in m and "menu path" in m for m in found)
    assert any("step 1 (English)" in m for m in found)


def test_a_step_with_a_menu_path_passes() -> None:
    exact = Text(
        id="Batalkan di Pesanan > Kelola Pesanan > buka pesanan.",
        en="Cancel in Orders > Manage Orders > open the order.",
    )
    assert messages(shipped_with("cod", steps=(exact,))) == []


def test_a_solid_claim_resting_only_on_blogs_is_refused() -> None:
    flow = shipped_with("cache_login", confidence="solid")
    assert any("no source it cites is that sure" in m for m in messages(flow))


def test_an_uncertain_claim_citing_only_official_pages_is_refused() -> None:
    flow = shipped_with("on_hold", confidence="uncertain")
    assert any("every source it cites is surer" in m for m in messages(flow))
