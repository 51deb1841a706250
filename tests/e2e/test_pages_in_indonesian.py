"""Staff and seller pages in Indonesian on a phone: the sign-in page and its lockout, the
workshop under its Indonesian name, and a long solution whose "Did this solve it?" is one
tap from the top. Screenshots are kept for a human look (SHOTS)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Page, expect

from wizard.editors.models import Draft
from wizard.sellers.models import FlowVersion, Session
from wizard.web.roles import ensure_role

from . import axe
from .conftest import PHONE
from .watch import Watch

pytestmark = pytest.mark.browser

PASSWORD = "a long test password, typed into the sign-in form"
SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/i18n-shots"))
# A long solution on the shipped flow: no orders, the shop on holiday, with findings.
HOLIDAY = {
    "where": "no_orders",
    "buyers": "quiet",
    "settings": {
        "ticked": ["verified", "pickup_addr", "return_addr", "shipping_opts", "integration"],
        "unticked": ["holiday_off", "bank"],
        "unsure": [],
    },
}


@pytest.fixture
def phone(site: str, open_context: Callable[..., BrowserContext], watch: Watch) -> Page:
    """A watched phone in Indonesian, axe ready."""
    context = open_context(PHONE, base_url=site)
    watch.attach(context)
    axe.preload(context)
    return context.new_page()


@pytest.fixture
def shipped_live(transactional_db: None) -> FlowVersion:
    version, _ = FlowVersion.load(Path(settings.FLOW_FILES[0]).read_text(encoding="utf-8"))
    return version


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    # caret="initial": Playwright's caret-hiding style would break the page's strict CSP.
    page.screenshot(path=str(SHOTS / f"i18n-{name}.png"), caret="initial")


def test_did_this_solve_it_is_one_tap_from_the_top_of_a_long_solution_on_a_phone(
    phone: Page, shipped_live: FlowVersion
) -> None:
    session = Session.start(shipped_live, language="id")
    for key, value in HOLIDAY.items():
        session.answer(key, value, revision=session.revision)
    assert session.walk().solution is not None
    phone.goto(session.step_url())
    screen = phone.viewport_size["height"]  # type: ignore[index]
    question = phone.locator("#feedback-heading")
    below = question.evaluate("element => element.getBoundingClientRect().top")
    jump = phone.get_by_role("link", name="Sudah dicoba? Beri tahu kami apakah berhasil ↓")
    expect(jump).to_be_visible()
    assert jump.evaluate("element => element.getBoundingClientRect().bottom") < screen
    shot(phone, "solution-phone")
    assert axe.violations(phone) == []
    jump.click()
    expect(phone.get_by_role("button", name="Ya", exact=True)).to_be_in_viewport()
    expect(phone.get_by_role("button", name="Tidak", exact=True)).to_be_in_viewport()
    shot(phone, "solution-phone-feedback")
    # Without the link the question would be this many screens down.
    print(f"'Did this solve it?' starts {below / screen:.1f} screens down")
    phone.get_by_role("button", name="Ya", exact=True).click()
    expect(phone.locator("#feedback-reply")).to_be_visible()
    expect(jump).to_have_count(0)  # answered: nothing to jump to


def test_sign_in_and_the_lockout_in_indonesian_on_a_phone(
    phone: Page, small_flow: FlowVersion, settings: Any, watch: Watch
) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    watch.expect("429 (Too Many Requests)")  # the lockout page's own status
    User.objects.create_user("siti", password=PASSWORD, is_staff=True)
    phone.goto("/staff/login/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Masuk untuk staf")
    shot(phone, "signin-phone")
    phone.locator("input[name=username]").fill("siti")
    phone.locator("input[name=password]").fill("salah")
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator("main")).to_contain_text("Nama pengguna dan sandi itu tidak cocok")
    assert "nama pengguna nama pengguna" not in phone.locator("main").inner_text()
    shot(phone, "signin-wrong-phone")
    assert axe.violations(phone) == []
    phone.locator("input[name=password]").fill("salah lagi")
    phone.locator("main form button[type=submit]").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Masuk dijeda")
    expect(phone.locator("main")).to_contain_text("Coba lagi dalam 15 menit.")
    shot(phone, "lockout-phone")
    assert axe.violations(phone) == []


def test_the_workshop_in_indonesian_on_a_phone(phone: Page, small_flow: FlowVersion) -> None:
    editor = User.objects.create_user("ayu", password=PASSWORD, is_staff=True)
    editor.groups.add(ensure_role("editors"))
    phone.goto("/staff/login/")
    phone.locator("input[name=username]").fill("ayu")
    phone.locator("input[name=password]").fill(PASSWORD)
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url("**/staff/flows/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Penyunting alur")
    shot(phone, "workshop-phone")
    assert axe.violations(phone) == []
    # A draft the checker warns about (sources checked long ago): the report in Indonesian.
    draft = Draft.start(small_flow, by=editor)
    stale = small_flow.document.replace("checked = 2026-11-01", "checked = 2020-01-01")
    draft.save_document(stale, revision=1, by=editor)
    phone.goto(f"/staff/flows/drafts/{draft.pk}/")
    report = phone.locator("#report")
    expect(report).to_contain_text("Peringatan")
    expect(report).to_contain_text("terakhir dicek pada 2020-01-01")
    report.scroll_into_view_if_needed()
    shot(phone, "workshop-report-phone")
