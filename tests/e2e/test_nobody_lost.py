"""In a real browser: a seller says "No, it didn't help" and leaves; after the set time the
case is in support's "Needs attention" with its deadline and the seller's words, and the
messages the seller can send support hold every answer of the path."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, expect

from tests.conftest import opened as session_at
from tests.staff import answer_all
from wizard.sellers.models import FlowVersion, Session
from wizard.support.models import SupportChannel

from . import axe
from .seller import start, walk_ship_path
from .test_incidents import signed_in_support
from .watch import Watch

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("NOBODY_LOST_SCREENSHOTS", "")  # a folder: save what the test saw
# What the small flow's longest path answered, as each message must say it.
ANSWERS = ("Tidak bisa kirim", "5", "2", "Alamat", "Rekening")


@pytest.fixture
def live_shipped(transactional_db: None, shipped_text: str) -> FlowVersion:
    """The shipped flow, for a live server: its deadline rules give the queue a date."""
    version, _ = FlowVersion.load(shipped_text)
    return version


def courier_no_show(version: FlowVersion) -> Session:
    """A seller whose courier did not come for an order placed six days ago: its ship-by
    date has passed whatever the hour the test runs (20 hours ago was still on time
    from mid-morning WIB, when the order fell after the noon cut-off)."""
    session = Session.start(version, language="id")
    placed = (timezone.now() - dt.timedelta(days=6)).astimezone(dt.UTC).isoformat()
    answer_all(
        session,
        ("where", "courier"),
        ("placed_at", placed),
        ("service", "regular"),
        ("shipment", "not_picked"),
    )
    assert session.walk().solution is not None
    return session


def said_no_and_left(site: str, open_context: Callable[..., BrowserContext]) -> Session:
    """A seller on a phone walks the longest path, answers "No" and closes the browser."""
    context = open_context(base_url=site)
    seller = context.new_page()
    start(seller)
    walk_ship_path(seller)
    session = session_at(seller.url)
    seller.get_by_role("button", name="Tidak", exact=True).click()
    seller.wait_for_url("**/next/")  # "No" leads on to the next likely cause
    context.close()
    assert Session.objects.get(pk=session.pk).helped is False
    return session


# The card's words in each language: why it is listed, and the deadline.
SAID = {
    "en-GB": ("did not help", "Deadline passed"),
    "id-ID": ("tidak membantu", "Batas waktu lewat"),
}


@pytest.mark.parametrize("language", SAID)
def test_a_silent_no_reaches_needs_attention_as_a_card_with_its_deadline(
    language: str,
    site: str,
    live_shipped: FlowVersion,
    open_context: Callable[..., BrowserContext],
    watch: Watch,
    device: dict[str, Any],
    settings: Any,
) -> None:
    settings.SUPPORT_NOT_HELPED_MINUTES = 20
    session = courier_no_show(live_shipped)
    context = open_context(base_url=site)
    seller = context.new_page()
    seller.goto(session.step_url())
    seller.get_by_role("button", name="Tidak", exact=True).click()
    # "No" leads on to the next likely cause; the seller reads it and leaves.
    expect(seller.get_by_role("heading", level=1)).not_to_have_text(
        session.walk().solution.title.id  # type: ignore[union-attr]
    )
    context.close()
    session.refresh_from_db()
    assert session.helped is False
    Session.objects.filter(pk=session.pk).update(
        words=[{"source": "words", "at": "where", "text": "pesanan gak bisa dikirim, stok kurang"}]
    )
    page = signed_in_support(site, open_context, watch, locale=language, **device)
    said, passed = SAID[language]
    # Ten minutes of silence: not yet.
    Session.objects.filter(pk=session.pk).update(
        updated_at=timezone.now() - dt.timedelta(minutes=10)
    )
    page.goto("/staff/")
    expect(page.locator("main")).not_to_contain_text(session.code)

    # Past the set time: in "Needs attention", saying why, with the deadline and the words.
    Session.objects.filter(pk=session.pk).update(
        updated_at=timezone.now() - dt.timedelta(minutes=25)
    )
    page.goto("/staff/")
    card = page.locator("main li, main tr").filter(has_text=session.code).first
    expect(card).to_be_visible()
    expect(card).to_contain_text(said)
    expect(card).to_contain_text("stok kurang")
    deadline = session.deadline(session.walk())
    assert deadline is not None
    expect(card.locator(".queue-deadline")).to_contain_text(passed)
    take = card.get_by_role("button").first
    expect(take).to_be_visible()
    box = take.bounding_box()
    width = device["viewport"]["width"]
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= width
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert axe.violations(page) == []
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/needs-attention-{language[:2]}-{width}.png")
    take.click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text(session.code)


def test_the_messages_for_support_hold_every_answer_of_the_longest_path(
    site: str, small_flow: FlowVersion, open_context: Callable[..., BrowserContext]
) -> None:
    SupportChannel.objects.create(
        whatsapp_number="6281234567890",
        email="help@pesanan.example",
        open_days="1234567",
        opens_at=dt.time(0, 0),
        closes_at=dt.time(23, 59),
    )
    session = said_no_and_left(site, open_context)
    page = open_context(base_url=site).new_page()
    page.goto(f"/s/{session.token}/summary/")
    page.locator("main form button[type=submit]:not([name])").click()
    whatsapp = page.locator("a[href^='https://wa.me/']").get_attribute("href")
    email = page.locator("a[href^='mailto:']").get_attribute("href")
    assert whatsapp is not None
    assert email is not None
    [whatsapp_text] = parse_qs(urlsplit(whatsapp).query)["text"]
    email_text = unquote(email)
    for text in (whatsapp_text, email_text):
        assert f"{session.code}" in text
        for answer in ANSWERS:
            assert answer in text, f"{answer!r} missing from: {text}"
    # The deadline comes before the answers, as the hand-off order says.
    assert whatsapp_text.index(session.code) < whatsapp_text.index("Tidak bisa kirim")
