"""The solution page computes the seller's own deadline from the time they gave."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import answer
from wizard.sellers.models import FlowVersion, Session


@pytest.fixture
def shipped(shipped: FlowVersion) -> Session:
    """An English session on the shipped flow (conftest's `shipped`, started)."""
    return Session.start(shipped, language="en")


def wall_clock(hours_ago: float, zone: dt.tzinfo) -> str:
    return (
        (timezone.now() - dt.timedelta(hours=hours_ago)).astimezone(zone).strftime("%Y-%m-%dT%H:%M")
    )


def test_a_courier_no_show_shows_the_ship_by_deadline_and_its_source(
    client: Client, shipped: Session
) -> None:
    answer(client, shipped, "where", "courier")
    answer(client, shipped, "placed_at", wall_clock(2, dt.timezone(dt.timedelta(hours=7))))
    answer(client, shipped, "service", "regular")
    response = client.get(answer(client, shipped, "shipment", "not_picked")["Location"])
    html = response.content.decode()
    assert "Ship by" in html
    assert "23:59 WIB" in html
    assert "left." in html or "passed" in html
    assert (
        "This is an estimate: the “Kirim sebelum” time in the order details in Seller Center "
        "is the one that counts." in html
    )


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
    answer(client, shipped, "service", "regular")
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


def reach_the_ship_deadline(client: Client, shipped: Session, hours_ago: float) -> None:
    answer(client, shipped, "where", "courier")
    answer(client, shipped, "placed_at", wall_clock(hours_ago, dt.timezone(dt.timedelta(hours=7))))
    answer(client, shipped, "service", "regular")
    answer(client, shipped, "shipment", "not_picked")


def test_going_back_from_the_solution_keeps_the_deadline_in_sight(
    client: Client, shipped: Session
) -> None:
    reach_the_ship_deadline(client, shipped, hours_ago=2)
    page = client.get(shipped.step_url("shipment")).content.decode()
    assert 'class="deadline-banner"' in page
    assert "Deadline: " in page
    assert "23:59 WIB" in page


def test_a_question_before_any_deadline_shows_none(client: Client, shipped: Session) -> None:
    answer(client, shipped, "where", "courier")
    assert "deadline-banner" not in client.get(shipped.step_url()).content.decode()


def test_a_passed_deadline_is_a_red_banner_with_the_time_it_passed(
    client: Client, shipped: Session
) -> None:
    reach_the_ship_deadline(client, shipped, hours_ago=24 * 10)
    page = client.get(shipped.step_url("placed_at")).content.decode()
    assert "deadline-banner deadline-banner-passed" in page
    assert "The deadline passed on " in page
    assert "23:59 WIB." in page


def test_the_next_cause_page_keeps_the_deadline(client: Client, shipped: Session) -> None:
    reach_the_ship_deadline(client, shipped, hours_ago=2)
    shipped.refresh_from_db()
    client.post(
        reverse("feedback", args=[shipped.token]),
        {"helped": "no", "revision": shipped.revision},
    )
    page = client.get(reverse("next_cause", args=[shipped.token]))
    if page.status_code == 303:  # no other cause noted: straight to contacting support
        page = client.get(page["Location"])
    assert "Deadline: " in page.content.decode()


def test_in_indonesian_the_banner_writes_the_time_with_a_dot(
    client: Client, shipped: Session
) -> None:
    Session.objects.filter(pk=shipped.pk).update(language="id")
    reach_the_ship_deadline(client, shipped, hours_ago=2)
    page = client.get(shipped.step_url("shipment")).content.decode()
    assert "Batas waktu: " in page
    assert "23.59 WIB" in page
