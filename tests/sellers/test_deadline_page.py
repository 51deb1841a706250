"""The solution page computes the seller's own deadline from the time they gave."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import answer
from wizard.sellers.models import FlowVersion, Session

CONTENT = Path(__file__).resolve().parents[2] / "wizard" / "content" / "orders.toml"


@pytest.fixture
def shipped(db: None) -> Session:
    version, _ = FlowVersion.load(CONTENT.read_text(encoding="utf-8"))
    return Session.start(version, language="en")


def wall_clock(hours_ago: float, zone: dt.tzinfo) -> str:
    return (
        (timezone.now() - dt.timedelta(hours=hours_ago)).astimezone(zone).strftime("%Y-%m-%dT%H:%M")
    )


def test_a_courier_no_show_shows_the_ship_by_deadline_and_its_source(
    client: Client, shipped: Session
) -> None:
    answer(client, shipped, "where", "courier")
    answer(client, shipped, "placed_at", wall_clock(2, dt.timezone(dt.timedelta(hours=7))))
    response = client.get(answer(client, shipped, "shipment", "not_picked")["Location"])
    html = response.content.decode()
    assert "Ship by" in html
    assert "23:59 WIB" in html
    assert "left." in html or "passed" in html
    assert "The time shown in the order details in Seller Center is the one that counts." in html


def test_a_time_given_in_wita_is_kept_with_its_zone(client: Client, shipped: Session) -> None:
    answer(client, shipped, "where", "courier")
    wita = dt.timezone(dt.timedelta(hours=8))
    client.post(
        shipped.step_url("placed_at"),
        {"revision": 1, "value": wall_clock(2, wita), "zone": "WITA"},
    )
    shipped.refresh_from_db()
    assert shipped.zone == "WITA"
    assert shipped.answers["placed_at"].endswith("+08:00")
    page = client.get(answer(client, shipped, "shipment", "not_picked")["Location"])
    assert "23:59 WITA" in page.content.decode()


def test_an_unknown_zone_is_a_form_error_and_nothing_is_stored(
    client: Client, shipped: Session
) -> None:
    answer(client, shipped, "where", "courier")
    response = client.post(
        shipped.step_url("placed_at"),
        {"revision": 1, "value": wall_clock(2, dt.UTC), "zone": "PST"},
    )
    assert response.status_code == 200
    shipped.refresh_from_db()
    assert "placed_at" not in shipped.answers
