"""In a real browser at phone width: a checklist item marked "not sure" by keyboard and
by tap, axe clean; and "Save my link" kept right across htmx answers, copying included."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from wizard.sellers.models import Session

from . import axe
from .seller import heading, hours_ago, question, solution, start, submit, tick

pytestmark = pytest.mark.browser


def to_settings(page: Page) -> None:
    """Ship, placed 30 hours ago, 5 ordered and 2 in stock: on to the checklist."""
    page.get_by_label("Tidak bisa kirim").check()
    submit(page, "placed_at", question("placed_at"))
    page.locator("#id_value").fill(hours_ago(30))
    submit(page, "ordered", question("ordered"))
    page.locator("#id_value").fill("5")
    submit(page, "stock", question("stock"))
    page.locator("#id_value").fill("2")
    submit(page, "settings", question("settings"))


def test_a_seller_marks_a_setting_not_sure_on_a_phone(page: Page) -> None:
    axe.preload(page.context)
    start(page)
    to_settings(page)
    assert axe.violations(page) == [], "the checklist"
    bank = page.locator("#step").get_by_role("group", name="Rekening", exact=True)
    for answer in ("Ya", "Tidak", "Tidak yakin"):  # nothing chosen until the seller says
        expect(bank.get_by_label(answer, exact=True)).not_to_be_checked()
    # Nothing is wider than the phone: three answers side by side still fit.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    tick(page, "Alamat")  # a tap
    bank.get_by_label("Tidak", exact=True).focus()
    page.keyboard.press("ArrowRight")  # a radio group moves by arrow keys
    expect(bank.get_by_label("Tidak yakin", exact=True)).to_be_checked()
    submit(page, "out_of_stock", solution("out_of_stock"))

    session = Session.objects.get()
    assert session.answers["settings"] == {
        "ticked": ["address"],
        "unticked": [],
        "unsure": ["bank"],
    }
    expect(page.locator("#step")).to_contain_text("Ya: Alamat · Tidak yakin: Rekening")
    assert axe.violations(page) == [], "the solution listing the unsure item"
    # Back to the checklist: each item shows what the seller said.
    page.locator("#step").get_by_role("link", name=re.compile("Ubah.*Mana yang")).click()
    expect(heading(page)).to_have_text(question("settings"))
    expect(bank.get_by_label("Tidak yakin", exact=True)).to_be_checked()
    alamat = page.locator("#step").get_by_role("group", name="Alamat", exact=True)
    expect(alamat.get_by_label("Ya", exact=True)).to_be_checked()


def saved_links(page: Page) -> tuple[str, str, str]:
    """The link to copy, and the WhatsApp and email texts, as the box holds them now."""
    box = page.locator("#save-link")
    whatsapp = box.locator("a[href^='https://wa.me/']").get_attribute("href") or ""
    email = box.locator("a[href^='mailto:']").get_attribute("href") or ""
    [text] = parse_qs(urlsplit(whatsapp).query)["text"]
    [body] = parse_qs(urlsplit(email).query)["body"]
    assert body == text
    return box.locator("#my-link").input_value(), text, email


def test_save_my_link_follows_each_htmx_answer_and_copies(page: Page, site: str) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    axe.preload(page.context)
    start(page)
    session = Session.objects.get()
    token = urlsplit(page.url).path.split("/")[2]  # only its hash is stored
    url = f"{site}/s/{token}/"
    page.get_by_text("Simpan tautan saya untuk dilanjutkan nanti").click()
    answers: list[tuple[Callable[[], None], str]] = [
        (lambda: page.get_by_label("Tidak bisa kirim").check(), "placed_at"),
        (lambda: page.locator("#id_value").fill(hours_ago(30)), "ordered"),
        (lambda: page.locator("#id_value").fill("5"), "stock"),
        (lambda: page.locator("#id_value").fill("2"), "settings"),
    ]
    for answer, lands_on in answers:
        answer()
        submit(page, lands_on, question(lands_on))
        expect(page.locator("#save-link")).to_have_attribute("open", "")  # still open
        link, text, email = saved_links(page)
        assert link == url
        assert text == (
            f"Lanjutkan sesi Pesanan Lancar saya (pesanan TikTok Shop), di "
            f"“{question(lands_on)}”: {url}"
        )
        assert (
            f"Sesi Pesanan Lancar saya {session.code}"
            in parse_qs(urlsplit(email).query)["subject"][0]
        )
    assert axe.violations(page) == [], "the box after four htmx answers"

    page.locator("#save-link").get_by_role("button", name="Salin tautan saya").click()
    expect(page.locator("#my-link-status")).to_have_text("Tersalin.")
    assert page.evaluate("navigator.clipboard.readText()") == url

    tick(page, "Alamat")
    tick(page, "Rekening", "Tidak")
    submit(page, "out_of_stock", solution("out_of_stock"))
    _, text, _ = saved_links(page)
    assert text.endswith(f"di “{solution('out_of_stock')}”: {url}")
