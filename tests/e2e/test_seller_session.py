"""A seller's whole session in a real browser: htmx, no JavaScript, history, links, language."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.conftest import opened
from wizard.sellers.models import FlowVersion, Session

from .conftest import DESKTOP
from .seller import (
    NEXT,
    arrived,
    back,
    forward,
    heading,
    hours_ago,
    question,
    solution,
    start,
    submit,
    walk_ship_path,
)
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
    return context.new_page()


def test_a_whole_session_by_clicks_swaps_each_step_in_place(seller: Page) -> None:
    start(seller)
    # Lost on any full page load: proves every step below was an htmx swap.
    seller.evaluate("() => { window.sameDocument = true; }")

    walk_ship_path(seller)

    assert seller.evaluate("() => window.sameDocument") is True
    assert seller.title().startswith(solution("out_of_stock"))
    also_check = seller.locator(".also-check")
    expect(also_check).to_contain_text(solution("late"))
    seller.get_by_role("button", name="Ya", exact=True).click()
    expect(seller.locator("#feedback-reply")).to_contain_text("Senang")
    assert seller.evaluate("() => window.sameDocument") is True
    session = Session.objects.get()
    assert (session.outcome, session.helped) == ("out_of_stock", True)
    assert session.answers["stock"] == 2


def test_the_same_session_works_with_javascript_switched_off(
    site: str, small_flow: FlowVersion, open_context: OpenContext, device: Any
) -> None:
    page = open_context(device, base_url=site, java_script_enabled=False).new_page()
    start(page)

    walk_ship_path(page)

    page.get_by_role("button", name="Ya", exact=True).click()
    expect(page.locator("#feedback-reply")).to_contain_text("Senang")
    session = Session.objects.get()
    assert (session.outcome, session.helped) == ("out_of_stock", True)


def test_back_forward_and_reload_after_htmx_swaps_land_on_the_right_question(
    page: Page,
) -> None:
    start(page)
    page.get_by_label("Tidak bisa kirim").check()
    submit(page, "placed_at", question("placed_at"))
    placed = hours_ago(3)
    page.locator("#id_value").fill(placed)
    submit(page, "ordered", question("ordered"))
    page.locator("#id_value").fill("5")
    submit(page, "stock", question("stock"))

    back(page)
    arrived(page, "ordered", question("ordered"))
    expect(page.locator("#id_value")).to_have_value("5")
    back(page)
    arrived(page, "placed_at", question("placed_at"))
    expect(page.locator("#id_value")).to_have_value(placed)
    forward(page)
    arrived(page, "ordered", question("ordered"))
    page.reload()
    arrived(page, "ordered", question("ordered"))
    expect(page.locator("#id_value")).to_have_value("5")
    forward(page)
    arrived(page, "stock", question("stock"))
    back(page)
    arrived(page, "ordered", question("ordered"))
    back(page)
    arrived(page, "placed_at", question("placed_at"))
    back(page)
    arrived(page, "where", question("where"))
    expect(page.get_by_label("Tidak bisa kirim")).to_be_checked()


def test_changing_an_answer_after_going_back_continues_from_there(page: Page) -> None:
    start(page)
    page.get_by_label("Tidak bisa buka").check()
    submit(page, "everyone", question("everyone"))
    back(page)
    arrived(page, "where", question("where"))

    page.get_by_label("Tidak bisa kirim").check()
    submit(page, "placed_at", question("placed_at"))

    assert Session.objects.get().answers == {"where": "ship"}


def test_the_session_link_resumes_in_a_fresh_browser_context(
    page: Page, site: str, open_context: OpenContext, watch: Watch
) -> None:
    start(page)
    page.get_by_label("Tidak bisa kirim").check()
    submit(page, "placed_at", question("placed_at"))
    page.locator("#id_value").fill(hours_ago(3))
    submit(page, "ordered", question("ordered"))
    link = opened(page.url).get_absolute_url()

    other_device = open_context(DESKTOP, base_url=site)
    watch.attach(other_device)
    resumed = other_device.new_page()
    resumed.goto(link)

    expect(resumed.get_by_role("heading", level=1)).to_have_text("Selamat datang kembali")
    expect(resumed.locator("main")).to_contain_text(question("ordered"))
    resumed.get_by_role("link", name="Lanjutkan").click()
    arrived(resumed, "ordered", question("ordered"))
    resumed.get_by_role("link", name=re.compile("Kembali")).click()
    arrived(resumed, "placed_at", question("placed_at"))
    expect(resumed.locator("#id_value")).not_to_have_value("")


def test_starting_over_from_the_session_link_clears_the_answers(page: Page) -> None:
    start(page)
    page.get_by_label("Tidak bisa buka").check()
    submit(page, "everyone", question("everyone"))
    page.goto(opened(page.url).get_absolute_url())

    page.get_by_role("button", name="Mulai dari awal").click()

    arrived(page, "where", question("where"))
    expect(page.get_by_label("Tidak bisa buka")).not_to_be_checked()
    assert Session.objects.get().answers == {}


def test_switching_language_mid_session_keeps_the_question_and_the_answers(page: Page) -> None:
    start(page)
    page.get_by_label("Tidak bisa kirim").check()
    submit(page, "placed_at", question("placed_at"))
    page.locator("#id_value").fill(hours_ago(3))
    submit(page, "ordered", question("ordered"))

    page.get_by_role("button", name="English").click()

    arrived(page, "ordered", question("ordered", "en"))
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("#id_value").fill("1")
    submit(page, "stock", question("stock", "en"))
    page.get_by_role("button", name="Indonesia").click()
    arrived(page, "stock", question("stock"))
    session = Session.objects.get()
    assert session.language == "id"
    assert session.answers["where"] == "ship"
    assert session.answers["ordered"] == 1


def test_invalid_input_sent_by_htmx_shows_the_error_inside_the_step_once(page: Page) -> None:
    start(page)
    page.get_by_label("Tidak bisa buka").check()
    submit(page, "everyone", question("everyone"))
    page.get_by_label("Tidak", exact=True).check()
    submit(page, "app_version", question("app_version"))

    page.locator("#id_value").fill("versi baru")
    page.locator("#step").get_by_role("button", name=NEXT).click()

    expect(page.locator("#id_value_error")).to_be_visible()
    expect(page.locator("header")).to_have_count(1)
    expect(page.locator("#step")).to_have_count(1)
    expect(heading(page)).to_have_text(question("app_version"))


def test_the_shipped_orders_flow_walks_to_a_solution(
    site: str, transactional_db: None, open_context: OpenContext, watch: Watch, shipped_text: str
) -> None:
    FlowVersion.load(shipped_text)
    context = open_context(base_url=site)
    watch.attach(context)
    page = context.new_page()
    start(page)

    walked = []
    while page.locator("article.solution").count() == 0:
        walked.append(page.url.rstrip("/").rsplit("/", 1)[-1])
        assert len(walked) <= 10, f"no solution after {walked}"
        answer_somehow(page)
        before = page.url
        page.locator("#step").get_by_role("button", name=NEXT).click()
        page.wait_for_url(lambda url, before=before: url != before)  # type: ignore[misc]

    expect(heading(page)).not_to_be_empty()
    assert Session.objects.get().outcome


def answer_somehow(page: Page) -> None:
    """Give the current question any acceptable answer (the first option, a small number)."""
    step = page.locator("#step form")
    if step.locator("input[type=radio]").count():
        step.locator("input[type=radio]").first.check()
    elif step.locator("input[type=checkbox]").count():
        step.locator("input[type=checkbox]").first.check()
    elif step.locator("input[type=number]").count():
        field = step.locator("input[type=number]")
        field.fill(field.get_attribute("min") or "1")
    elif step.locator("input[type=datetime-local]").count():
        step.locator("input[type=datetime-local]").fill(hours_ago(2))
    else:
        step.locator("input[type=text]").fill("1.0.0")
