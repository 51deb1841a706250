"""'Show us the error' in Chromium at phone size: the preview under the strict CSP, the
reading swapped in with htmx, and the same form without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import BrowserContext, Page, expect

from tests.sellers.screenshot_images import CASES, draw, encoded
from wizard.sellers.models import FlowVersion

from .watch import Watch

pytestmark = [
    pytest.mark.browser,
    pytest.mark.needs("tesseract-ocr", "tesseract-ocr-ind"),
]


@pytest.fixture
def orders_flow(transactional_db: None) -> FlowVersion:
    """The real flow, live on the server."""
    version, _ = FlowVersion.load(Path(settings.FLOW_FILES[0]).read_text())
    return version


@pytest.fixture
def shot(tmp_path: Path) -> Path:
    """A drawn phone screenshot of an Indonesian error, as a file the browser picks."""
    case = next(c for c in CASES if c.name == "names_setting" and c.language == "id")
    path = tmp_path / "error.png"
    path.write_bytes(encoded(draw(case)))
    return path


def test_with_javascript_the_preview_shows_and_the_reading_swaps_in(
    site: str,
    orders_flow: FlowVersion,
    open_context: Callable[..., BrowserContext],
    watch: Watch,
    shot: Path,
) -> None:
    context = open_context(base_url=site)
    watch.attach(context)
    page: Page = context.new_page()
    page.goto("/")
    preview = page.locator("#screenshot-preview")
    expect(preview).to_be_hidden()
    page.locator("#screenshot-image").set_input_files(str(shot))
    expect(preview).to_be_visible()
    assert (preview.get_attribute("src") or "").startswith("data:image/png")
    page.get_by_role("button", name="Baca screenshot saya").click()
    expect(page.locator(".we-read-text")).to_contain_text("Alamat pengambilan", timeout=30_000)
    assert page.url.rstrip("/") == site  # swapped in place, no new page
    assert watch.problems() == []


def test_without_javascript_the_form_posts_and_shows_a_page(
    site: str, orders_flow: FlowVersion, open_context: Callable[..., BrowserContext], shot: Path
) -> None:
    page = open_context(base_url=site, java_script_enabled=False).new_page()
    page.goto("/")
    page.locator("#screenshot-image").set_input_files(str(shot))
    page.get_by_role("button", name="Baca screenshot saya").click()
    expect(page.locator("h1")).to_have_text("Screenshot Anda", timeout=30_000)
    expect(page.locator(".we-read-text")).to_contain_text("Alamat pengambilan")
    expect(page.get_by_role("button", name="Jawab pertanyaannya saja")).to_be_visible()
