"""Insight in a real browser: the figures, the chart and the traffic diagram, axe clean."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, expect

from wizard.sellers.models import FlowVersion, Session
from wizard.web.roles import SUPPORT, ensure_role

from . import axe
from .watch import Watch

pytestmark = pytest.mark.browser

PASSWORD = "a long test password, typed into the sign-in form"
SHOTS = os.environ.get("INSIGHT_SCREENSHOTS", "")  # a folder: save what the test saw


def walked(version: FlowVersion, *answers: tuple[str, Any]) -> Session:
    session = Session.start(version, language="id")
    for key, value in answers:
        session.answer(key, value, revision=session.revision)
    return session


@pytest.mark.parametrize("language", ["id-ID", "en-GB"])
def test_a_support_lead_sees_where_sellers_stop_and_opens_those_cases(
    site: str,
    small_flow: FlowVersion,
    open_context: Callable[..., BrowserContext],
    watch: Watch,
    device: dict[str, Any],
    language: str,
    settings: Any,
) -> None:
    settings.INSIGHT_ABANDONED_AFTER_MINUTES = 0  # whoever stopped has given up
    settings.INSIGHT_MIN_ANSWERS = 1
    for _ in range(3):
        walked(small_flow, ("where", "open"), ("everyone", "yes"))
    walked(small_flow, ("where", "open"))
    walked(small_flow, ("where", "ship"))
    lead = User.objects.create_user("lead", password=PASSWORD, is_staff=True)
    lead.groups.add(ensure_role(SUPPORT))
    context = open_context(base_url=site, locale=language, **device)
    watch.attach(context)
    page = context.new_page()
    page.goto("/staff/login/")
    page.locator("input[name=username]").fill("lead")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/")
    page.goto("/staff/insight/")
    expect(page.locator("#question-everyone")).to_be_visible()
    expect(page.locator(".chart svg")).to_be_visible()
    # A desktop draws the flow with its traffic; a phone lists it, each question linked to
    # its cases as its box is.
    is_phone = device.get("is_mobile", False)
    traffic = "#traffic-outline" if is_phone else "#traffic svg"
    expect(page.locator(traffic)).to_be_visible()
    page.locator("details").first.locator("summary").click()
    assert axe.violations(page) == []
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= device["viewport"]["width"] + 1  # wide tables scroll in their box
    if SHOTS:
        name = f"{SHOTS}/insight-{language[:2]}-{device['viewport']['width']}.png"
        page.screenshot(path=name, full_page=True)
    step = "#traffic-everyone a" if is_phone else "#traffic #step-everyone a"
    page.locator(step).first.click()
    page.wait_for_url("**/staff/cases/?version=*stopped_at=everyone*")
    expect(page.locator(".case-table tbody tr")).to_have_count(1)
