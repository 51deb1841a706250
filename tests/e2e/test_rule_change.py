"""In a real browser: a seller back on an older session is told a rule changed and moves on."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import opened
from tests.sellers.test_rule_changes import LONGER, SHOWN
from wizard.sellers.models import FlowVersion, Session

from .seller import arrived, question, start, submit

pytestmark = pytest.mark.browser


def test_the_session_link_says_a_rule_changed_and_one_tap_continues_on_it(page: Page) -> None:
    older, _ = FlowVersion.load(SHOWN)
    start(page)
    page.get_by_label("Tidak bisa buka").check()
    submit(page, "everyone", question("everyone"))
    session = opened(page.url)
    newer, _ = FlowVersion.load(LONGER)

    page.goto(session.get_absolute_url())
    notice = page.locator(".rule-changed")
    expect(notice).to_contain_text("Ada aturan yang berubah sejak Anda mulai")
    expect(notice).to_contain_text("dulu 24 jam, sekarang 48 jam")
    page.get_by_role("button", name="Lanjutkan dengan aturan terbaru").click()

    arrived(page, "everyone", question("everyone"))
    moved = Session.objects.get(pk=session.pk)
    assert moved.flow_version_id == newer.pk != older.pk
    assert moved.answers == {"where": "open"}
