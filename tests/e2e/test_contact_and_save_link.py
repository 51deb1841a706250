"""In a real browser: contacting support by a WhatsApp link with the message written, and
saving the session link to come back to it on another device."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect

from tests.conftest import opened as session_at
from wizard.support.models import Case, SupportChannel

from . import axe
from .conftest import DESKTOP
from .seller import heading, question, solution, start, submit
from .watch import Watch

pytestmark = pytest.mark.browser

OpenContext = Callable[..., BrowserContext]


def catch_whatsapp(context: BrowserContext) -> list[str]:
    """WhatsApp is not reachable from a test: every wa.me URL opened is kept instead."""
    opened: list[str] = []

    def fulfil(route: Route) -> None:
        opened.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>WhatsApp</title>")

    context.route(re.compile(r"^https://wa\.me/"), fulfil)
    return opened


def test_contact_support_opens_whatsapp_with_the_message_written(page: Page, site: str) -> None:
    SupportChannel.objects.create(
        whatsapp_number="6281234567890",
        email="help@pesanan.example",
        open_days="1234567",
        opens_at=dt.time(0, 0),
        closes_at=dt.time(23, 59),
    )
    opened = catch_whatsapp(page.context)
    axe.preload(page.context)
    start(page)
    page.get_by_label("Tidak bisa buka").check()
    submit(page, "everyone", question("everyone"))
    page.get_by_label("Ya", exact=True).check()
    submit(page, "outage", solution("outage"))
    session = session_at(page.url)
    page.goto(f"/s/{session.token}/summary/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hubungi tim dukungan")
    assert axe.violations(page) == [], "the contact page"

    page.get_by_role("button", name="Kirim lewat WhatsApp").click()
    page.wait_for_url(re.compile(r"^https://wa\.me/"))

    [url] = opened
    assert urlsplit(url).path == "/6281234567890"
    [text] = parse_qs(urlsplit(url).query)["text"]
    assert f"kasus {session.code}" in text
    assert solution("outage") in text
    share = re.search(rf"{re.escape(site)}/share/[\w-]{{43}}/", text)
    assert share is not None
    assert session.token not in url
    assert Case.objects.filter(session=session, assigned_to=None).exists()
    # Support opens the link from the message.
    page.goto(share.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text(solution("outage"))


def test_a_seller_saves_the_link_to_whatsapp_and_comes_back_on_another_device(
    page: Page, site: str, open_context: OpenContext, watch: Watch
) -> None:
    opened = catch_whatsapp(page.context)
    axe.preload(page.context)
    start(page)
    page.get_by_label("Tidak bisa kirim").check()
    submit(page, "placed_at", question("placed_at"))
    page.get_by_text("Simpan tautan saya untuk dilanjutkan nanti").click()
    expect(page.locator("#my-link")).to_be_visible()
    assert axe.violations(page) == [], "a question with Save my link open"
    session = session_at(page.url)
    assert page.locator("#my-link").input_value() == f"{site}/s/{session.token}/"

    page.get_by_role("link", name="Kirim ke WhatsApp saya sendiri").click()
    page.wait_for_url(re.compile(r"^https://wa\.me/"))
    [url] = opened
    [text] = parse_qs(urlsplit(url).query)["text"]
    saved = text.rsplit(" ", 1)[-1]
    assert saved == f"{site}/s/{session.token}/"

    # The next day, on a laptop: the link from WhatsApp opens the session where it was.
    laptop = open_context(DESKTOP, base_url=site)
    watch.attach(laptop)
    later = laptop.new_page()
    later.goto(saved)
    expect(later.locator("main")).to_contain_text(question("placed_at"))
    if later.get_by_role("link", name=re.compile("Lanjutkan")).count():
        later.get_by_role("link", name=re.compile("Lanjutkan")).first.click()
    expect(heading(later)).to_have_text(question("placed_at"))
