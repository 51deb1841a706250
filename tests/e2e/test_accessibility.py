"""WCAG 2.2 AA in a real browser: axe on every page type and swap, keyboard, focus, speech."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.conftest import opened
from wizard.sellers.models import FlowVersion, Session

from . import axe
from .axe import violations
from .seller import NEXT, arrived, hours_ago, question, solution, start, submit, tick
from .watch import Watch

pytestmark = pytest.mark.browser

OpenContext = Callable[..., BrowserContext]


@pytest.fixture
def seller(
    site: str, small_flow: FlowVersion, open_context: OpenContext, watch: Watch, device: Any
) -> Page:
    """A watched page at the phone viewport, then at the desktop one."""
    context = open_context(device, base_url=site)
    watch.attach(context)
    axe.preload(context)
    return context.new_page()


def checked(page: Page) -> list[str]:
    """axe's findings now, then again after reloading the same URL as a full page."""
    found = violations(page)
    page.reload()
    page.wait_for_load_state()
    return found + violations(page)


def test_axe_finds_nothing_on_any_step_before_and_after_each_htmx_swap(seller: Page) -> None:
    seller.goto("/")
    assert violations(seller) == [], "landing"
    start(seller)
    assert checked(seller) == [], "where (choice)"
    seller.get_by_label("Tidak bisa kirim").check()
    submit(seller, "placed_at", question("placed_at"))
    assert checked(seller) == [], "placed_at (date and time)"
    seller.locator("#id_value").fill(hours_ago(30))
    submit(seller, "ordered", question("ordered"))
    assert checked(seller) == [], "ordered (number)"
    seller.locator("#id_value").fill("5")
    submit(seller, "stock", question("stock"))
    seller.locator("#id_value").fill("2")
    submit(seller, "settings", question("settings"))
    assert checked(seller) == [], "settings (checklist)"
    tick(seller, "Alamat", "Tidak")
    tick(seller, "Rekening")
    submit(seller, "address", solution("address"))
    assert checked(seller) == [], "solution with findings"
    seller.get_by_role("button", name="Ya", exact=True).click()
    expect(seller.locator("#feedback-reply")).to_be_visible()
    assert checked(seller) == [], "solution after 'did this solve it?'"
    seller.goto(opened(seller.url).get_absolute_url())
    assert violations(seller) == [], "resume"


def test_axe_finds_nothing_on_yes_no_version_and_error_states(seller: Page) -> None:
    start(seller)
    seller.get_by_label("Tidak bisa buka").check()
    submit(seller, "everyone", question("everyone"))
    assert checked(seller) == [], "everyone (yes/no)"
    seller.get_by_label("Tidak", exact=True).check()
    submit(seller, "app_version", question("app_version"))
    assert checked(seller) == [], "app_version (version)"

    seller.locator("#id_value").fill("versi baru")
    seller.locator("#step").get_by_role("button", name=NEXT).click()
    expect(seller.locator("#id_value_error")).to_be_visible()
    assert violations(seller) == [], "app_version with an error"

    seller.locator("#id_value").fill("43.0.0")
    submit(seller, "update_app", solution("update_app"))
    assert violations(seller) == [], "solution without findings"


def test_axe_finds_nothing_on_the_not_found_and_not_ready_pages(page: Page, watch: Watch) -> None:
    watch.expect("404 (Not Found)")
    watch.expect("503 (Service Unavailable)")
    page.goto("/s/no-such-session/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert violations(page) == [], "404"

    page.goto("/")
    FlowVersion.objects.all().delete()  # taken offline while the seller reads the page
    page.get_by_role("button", name="Mulai").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert violations(page) == [], "not ready (503)"
    page.goto("/")
    assert violations(page) == [], "landing with no flow loaded"


def test_a_whole_session_can_be_completed_with_the_keyboard_alone(page: Page) -> None:
    page.goto("/")
    tab_to(page, "form[action='/start/'] button")
    page.keyboard.press("Enter")
    arrived(page, "where", question("where"))

    tab_to(page, "input[type=radio]")
    page.keyboard.press("ArrowDown")  # the second option: "Tidak bisa buka"
    expect(page.get_by_label("Tidak bisa buka")).to_be_checked()
    tab_to(page, "#step button[type=submit]")
    page.keyboard.press("Enter")
    arrived(page, "everyone", question("everyone"))
    expect(page.locator("#step-heading")).to_be_focused()

    tab_to(page, "input[type=radio]")
    page.keyboard.press("ArrowDown")  # "Tidak"
    page.keyboard.press("Enter")  # submits the form, as Enter does in any field
    arrived(page, "app_version", question("app_version"))
    expect(page.locator("#step h1")).to_be_focused()  # the swap has settled

    tab_to(page, "#id_value")
    page.keyboard.type("43.3.0")
    page.keyboard.press("Enter")
    arrived(page, "network", solution("network"))
    expect(page.locator("#step h1")).to_be_focused()  # the swap has settled

    tab_to(page, "button[name=helped][value=yes]")
    page.keyboard.press("Enter")
    expect(page.locator("#feedback-reply")).to_be_focused()
    assert Session.objects.get().helped is True


def tab_to(page: Page, selector: str, presses: int = 40) -> None:
    """Press Tab until the element matching `selector` has focus, as a keyboard user would."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{selector} never got focus after {presses} presses of Tab")


def test_after_a_swap_focus_is_on_the_new_heading_and_the_change_is_announced(
    page: Page,
) -> None:
    start(page)
    page.get_by_label("Tidak bisa kirim").check()
    submit(page, "placed_at", question("placed_at"))

    expect(page.locator("#step-heading")).to_be_focused()
    announcer = page.locator("#announcer")
    expect(announcer).to_have_text("1 jawaban sejauh ini · sekitar 4 pertanyaan lagi")
    assert announcer.get_attribute("aria-live") == "polite"
    assert page.title().startswith(question("placed_at"))


def test_after_an_invalid_answer_focus_is_on_the_field_with_its_error(page: Page) -> None:
    start(page)
    page.get_by_label("Tidak bisa buka").check()
    submit(page, "everyone", question("everyone"))
    page.get_by_label("Tidak", exact=True).check()
    submit(page, "app_version", question("app_version"))

    page.locator("#id_value").fill("versi baru")
    page.locator("#step").get_by_role("button", name=NEXT).click()

    expect(page.locator("#id_value")).to_be_focused()
    field = page.locator("#id_value")
    assert "id_value_error" in (field.get_attribute("aria-describedby") or "")
    expect(field).to_have_attribute("aria-invalid", "true")


def test_axe_finds_nothing_when_the_solution_did_not_help(seller: Page) -> None:
    start(seller)
    seller.get_by_label("Tidak bisa kirim").check()
    submit(seller, "placed_at", question("placed_at"))
    seller.locator("#id_value").fill(hours_ago(30))
    submit(seller, "ordered", question("ordered"))
    seller.locator("#id_value").fill("5")
    submit(seller, "stock", question("stock"))
    seller.locator("#id_value").fill("2")
    submit(seller, "settings", question("settings"))
    tick(seller, "Alamat", "Tidak")
    tick(seller, "Rekening")
    submit(seller, "address", solution("address"))

    seller.get_by_role("button", name="Tidak", exact=True).click()  # htmx: the server redirects
    seller.wait_for_url("**/next/")
    expect(seller.get_by_role("heading", level=1)).to_have_text(solution("late"))
    assert violations(seller) == [], "next likeliest cause"
    seller.locator("button[formaction$='/summary/']").click()  # "No — contact support"
    seller.wait_for_url("**/summary/")
    expect(seller.locator("#summary")).to_contain_text(Session.objects.get().code)
    assert violations(seller) == [], "the message for support"
