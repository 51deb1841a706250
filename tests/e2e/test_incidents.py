"""Platform incidents in a real browser: support declares one and ends it, sellers see it
exactly meanwhile; under a wave of "other sellers too" the queue suggests one."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from tests.documents import SMALL
from wizard.sellers.models import FlowVersion, Incident, IncidentChange, Session
from wizard.sellers.models.tallies import rebuild
from wizard.web.roles import SUPPORT, ensure_role

from . import axe
from .watch import Watch

pytestmark = pytest.mark.browser

PASSWORD = "a long test password, typed into the sign-in form"
SHOTS = os.environ.get("INCIDENT_SCREENSHOTS", "")  # a folder: save what the test saw
MARKED = SMALL.replace("[solutions.outage]\n", "[solutions.outage]\nincident = true\n")
EVERYONE = {"where": "open", "everyone": "yes"}
ONLY_ME = {"where": "open", "everyone": "no"}


@pytest.fixture
def marked(transactional_db: None) -> FlowVersion:
    """The small flow with its outage solution in the platform-fault branch."""
    version, _ = FlowVersion.load(MARKED)
    return version


def signed_in_support(
    site: str, open_context: Callable[..., BrowserContext], watch: Watch, **options: Any
) -> Page:
    """A support agent's browser, signed in through the sign-in form."""
    agent = User.objects.create_user("rina", password=PASSWORD, is_staff=True)
    agent.groups.add(ensure_role(SUPPORT))
    context = open_context(base_url=site, **options)
    watch.attach(context)
    page = context.new_page()
    page.goto("/staff/login/")
    page.locator("input[name=username]").fill("rina")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/")
    return page


def landing_text(site: str, open_context: Callable[..., BrowserContext]) -> str:
    """What a seller's phone shows on the landing page, in English."""
    seller = open_context(base_url=site, locale="en-GB").new_page()
    seller.goto("/")
    return seller.locator("main").inner_text()


def shot(page: Page, name: str, language: str, device: dict[str, Any]) -> None:
    if SHOTS:
        width = device["viewport"]["width"]
        page.screenshot(path=f"{SHOTS}/incident-{name}-{language[:2]}-{width}.png", full_page=True)


@pytest.mark.parametrize("language", ["id-ID", "en-GB"])
def test_support_declares_an_incident_sellers_see_it_and_support_ends_it(
    site: str,
    small_flow: FlowVersion,
    open_context: Callable[..., BrowserContext],
    watch: Watch,
    device: dict[str, Any],
    language: str,
) -> None:
    page = signed_in_support(site, open_context, watch, locale=language, **device)
    page.locator("nav.staff-nav a[href='/staff/incidents/']").click()
    page.wait_for_url("**/staff/incidents/")
    page.locator("a[href='/staff/incidents/new/']").click()
    page.wait_for_url("**/staff/incidents/new/")
    start = timezone.localtime() - dt.timedelta(minutes=2)
    page.locator("#id_title_indonesian").fill("Atur pengiriman gagal untuk semua penjual")
    page.locator("#id_text_indonesian").fill("Tunggu 1 jam, lalu coba lagi.")
    page.locator("#id_title_english").fill("Arranging shipment fails for every seller")
    page.locator("#id_text_english").fill("Wait an hour, then try again.")
    page.locator("#id_starts_at").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_ends_at").fill((start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    assert axe.violations(page) == []
    shot(page, "declare", language, device)
    page.locator("form.incident-form button[type=submit]").click()
    page.wait_for_url("**/staff/incidents/")
    card = page.locator(".incident-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Arranging shipment fails for every seller")
    expect(page.locator(".incident-log > li")).to_have_count(1)
    assert axe.violations(page) == []
    shot(page, "list", language, device)
    assert "Arranging shipment fails for every seller" in landing_text(site, open_context)

    card.locator("form[action$='/end/'] button").click()
    page.wait_for_url("**/staff/incidents/")
    expect(page.locator(".incident-card")).to_have_count(0)
    expect(page.locator(".incident-log > li")).to_have_count(2)
    shot(page, "ended", language, device)
    assert "Arranging shipment fails" not in landing_text(site, open_context)
    assert list(IncidentChange.objects.values_list("kind", "by__username")) == [
        ("end", "rina"),
        ("declare", "rina"),
    ]


@pytest.mark.parametrize("language", ["id-ID", "en-GB"])
def test_a_wave_of_other_sellers_too_suggests_an_incident_declared_in_one_click(
    site: str,
    marked: FlowVersion,
    open_context: Callable[..., BrowserContext],
    watch: Watch,
    device: dict[str, Any],
    language: str,
) -> None:
    for days_ago in range(1, 15):  # a usual fortnight: 1 in 20 says "other sellers too"
        made = [Session.start(marked, language="id", answers=EVERYONE).pk]
        made += [Session.start(marked, language="id", answers=ONLY_ME).pk for _ in range(19)]
        moved = timezone.now() - dt.timedelta(days=days_ago)
        Session.objects.filter(pk__in=made).update(created_at=moved, updated_at=moved)
    rebuild()
    for answers in [EVERYONE] * 12 + [ONLY_ME] * 8:  # the last hour: 12 of 20
        Session.start(marked, language="id", answers=answers)

    page = signed_in_support(site, open_context, watch, locale=language, **device)
    banner = page.locator(".wave-banner")
    expect(banner).to_have_count(1)
    expect(banner).to_contain_text("12")
    expect(banner).to_contain_text("20")
    expect(banner).to_contain_text("5,2 %" if language == "id-ID" else "5.2 %")
    assert axe.violations(page) == []
    shot(page, "wave", language, device)
    banner.locator("a.btn").click()
    page.wait_for_url("**/staff/incidents/new/?wave=*")
    expect(page.locator("#id_title_english")).to_have_value("Title outage")
    expect(page.locator("#id_title_indonesian")).to_have_value("Judul outage")
    shot(page, "suggested", language, device)
    page.locator("form.incident-form button[type=submit]").click()
    page.wait_for_url("**/staff/incidents/")
    declared = Incident.objects.get()
    assert declared.is_active()
    assert IncidentChange.objects.get().note.startswith("suggested by everyone=yes: 12 of 20")
    assert "Title outage" in landing_text(site, open_context)
    page.goto("/staff/")
    expect(page.locator(".wave-banner")).to_have_count(0)  # declared: nothing to suggest
    title = "Judul outage" if language == "id-ID" else "Title outage"
    expect(page.locator(".incident-going-on")).to_contain_text(title)
