"""The flow drawing in a real browser: on a desktop it fits the screen and zooms; on a
phone the flow reads as a list instead, and nothing scrolls sideways. No CSP violation."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from wizard.sellers.models import FlowVersion

from . import axe
from .conftest import DESKTOP, PHONE
from .watch import Watch

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("DIAGRAM_SCREENSHOTS", "")  # a folder: save what the test saw
ZOOM_IN = {"id-ID": "Perbesar", "en-GB": "Zoom in"}
OUTLINE = {"id-ID": "Di mana masalahnya muncul?", "en-GB": "Where does the problem show up?"}
TRANSFORM = "document.querySelector('#flow .diagram-canvas').style.transform"


@pytest.fixture
def orders_flow(transactional_db: None, shipped_text: str) -> FlowVersion:
    """The flow the product ships, live: a drawing many screens wide."""
    version, _ = FlowVersion.load(shipped_text)
    return version


def opened(
    open_context: Callable[..., BrowserContext], watch: Watch, site: str, **device: object
) -> Page:
    context = open_context(device, base_url=site, locale=device.pop("locale"))
    watch.attach(context)
    page = context.new_page()
    page.goto("/flow/")
    return page


@pytest.mark.parametrize("language", ["id-ID", "en-GB"])
def test_at_desktop_size_the_drawing_fits_the_screen_and_the_zoom_button_zooms(
    site: str,
    orders_flow: FlowVersion,
    open_context: Callable[..., BrowserContext],
    watch: Watch,
    language: str,
) -> None:
    page = opened(open_context, watch, site, locale=language, **DESKTOP)
    zoom_in = page.get_by_role("button", name=ZOOM_IN[language], exact=True)
    expect(zoom_in).to_be_visible()
    page.wait_for_function(f"() => {TRANSFORM}.includes('translate(-')")  # fitted: moved
    viewport = page.viewport_size
    assert viewport is not None
    region = page.locator("#flow").bounding_box()
    drawing = page.locator("#flow svg").bounding_box()
    assert region is not None
    assert drawing is not None
    assert region["x"] >= 0
    assert region["x"] + region["width"] <= viewport["width"]
    assert region["y"] + region["height"] <= viewport["height"]  # on the first screen
    # The whole drawing inside its box: every edge within, one pixel of rounding aside.
    assert drawing["x"] >= region["x"] - 1
    assert drawing["x"] + drawing["width"] <= region["x"] + region["width"] + 1
    assert drawing["y"] >= region["y"] - 1
    assert drawing["y"] + drawing["height"] <= region["y"] + region["height"] + 1
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]

    fitted = page.evaluate(f"() => {TRANSFORM}")
    zoom_in.click()
    page.wait_for_function(f"(before) => {TRANSFORM} !== before", arg=fitted)
    after = page.locator("#flow svg").bounding_box()
    assert after is not None
    assert after["width"] > drawing["width"] * 1.2
    # The keyboard: the drawing box takes focus, 0 fits again.
    page.locator("#flow").focus()
    page.keyboard.press("0")
    page.wait_for_function(f"(before) => {TRANSFORM} === before", arg=fitted)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/diagram-{language[:2]}-desktop.png")
    assert axe.violations(page) == []
    assert watch.violations == []


@pytest.mark.parametrize("language", ["id-ID", "en-GB"])
def test_on_a_phone_the_flow_is_a_list_and_nothing_scrolls_sideways(
    site: str,
    orders_flow: FlowVersion,
    open_context: Callable[..., BrowserContext],
    watch: Watch,
    language: str,
) -> None:
    page = opened(open_context, watch, site, locale=language, **PHONE)
    outline = page.locator("details.outline")
    expect(outline).to_have_attribute("open", "")
    expect(outline.get_by_text(OUTLINE[language], exact=True)).to_be_visible()
    expect(page.locator("#flow")).to_be_hidden()
    expect(page.locator(".diagram-file a")).to_be_visible()  # the drawing, full size
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["viewport"]["width"]  # type: ignore[index]
    # An answer's next question is a link down the list.
    outline.locator("a[href='#flow-placed_at']").first.click()
    expect(page.locator("#flow-placed_at")).to_be_in_viewport()
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/diagram-{language[:2]}-phone.png")
    assert axe.violations(page) == []
    assert watch.violations == []
