"""'Tell us in your words' in Chromium at phone size, in both languages, with htmx and
without JavaScript: the reading appears, its ticks carry the seller's words, and
confirming it lands on the next question."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import BrowserContext, Page, expect

from tests.conftest import opened
from wizard.sellers.models import FlowVersion

from .watch import Watch

pytestmark = pytest.mark.browser
# Set to a folder to keep what the browser showed (the report's look at phone size).
SHOTS = os.environ.get("EXPLAIN_SHOTS", "")
WORDS = {"id": "pakai ginee, gagal terus", "en": "I use ginee and it fails"}
TEXTS = {
    "id": {
        "find": "Cari",
        "wrote": "Anda menulis “ginee”",
        "continue": "Lanjutkan",
        "none": "Tidak ada yang cocok — tanyakan saja pertanyaannya",
        "explain": "Atau jelaskan dengan kata-kata Anda sendiri",
    },
    "en": {
        "find": "Find",
        "wrote": "you wrote “ginee”",
        "continue": "Continue",
        "none": "None of these — ask me the questions",
        "explain": "Explain in your own words instead",
    },
}


@pytest.fixture
def orders_flow(transactional_db: None) -> FlowVersion:
    """The real flow, live on the server."""
    version, _ = FlowVersion.load(Path(settings.FLOW_FILES[0]).read_text())
    return version


def shoot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_words_on_the_landing_page_are_read_and_confirmed(
    site: str,
    orders_flow: FlowVersion,
    open_context: Callable[..., BrowserContext],
    watch: Watch,
    language: str,
    javascript: bool,
) -> None:
    context = open_context(base_url=site, locale=language, java_script_enabled=javascript)
    watch.attach(context)
    page = context.new_page()
    page.goto("/")
    texts = TEXTS[language]
    page.locator("#id_words").fill(WORDS[language])
    page.get_by_role("button", name=texts["find"], exact=True).click()
    expect(page.locator("#reading")).to_contain_text(texts["wrote"])
    if javascript:
        assert "words=" not in page.url  # swapped in place by htmx
    expect(page.locator("#reading input[type=checkbox]")).to_be_checked()
    expect(page.get_by_label(texts["none"])).not_to_be_checked()
    shoot(page, f"landing-{language}-{'js' if javascript else 'nojs'}")
    page.locator("#reading input[type=radio]").first.check()
    page.get_by_role("button", name=texts["continue"]).click()
    page.wait_for_url("**/s/**")
    session = opened(page.url)
    assert session.start_mode == "words"
    assert session.answers["where"] == "cannot_ship"
    assert session.answers["error"] == "tool"
    assert "ginee" in session.words[0]["text"]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_explain_instead_on_a_question_page(
    site: str,
    orders_flow: FlowVersion,
    open_context: Callable[..., BrowserContext],
    watch: Watch,
    language: str,
    javascript: bool,
) -> None:
    context = open_context(base_url=site, locale=language, java_script_enabled=javascript)
    watch.attach(context)
    page = context.new_page()
    page.goto("/")
    page.locator("form[action='/start/'] button[type=submit]").first.click()
    page.wait_for_url("**/s/**/where/")
    texts = TEXTS[language]
    page.get_by_text(texts["explain"]).click()
    page.locator("input[name=words]").fill("kurir belum jemput dari kemarin")
    page.locator(".explain button[type=submit]").click()
    expect(page.locator("#reading")).to_contain_text("kurir belum jemput")
    shoot(page, f"question-{language}-{'js' if javascript else 'nojs'}")
    page.locator("#reading button[type=submit]").click()
    page.wait_for_url("**/placed_at/")
    session = opened(page.url)
    assert session.answers["where"] == "courier"
    assert session.words[-1]["at"] == "where"
