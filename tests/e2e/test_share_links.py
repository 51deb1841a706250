"""A share link in a real browser: made by the seller, opened anonymously and by staff."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Page, expect

from tests.conftest import opened
from wizard.sellers.models import FlowVersion, Session
from wizard.support.models import Note
from wizard.web.roles import ensure_role

from . import axe
from .conftest import DESKTOP
from .seller import question, solution, start, submit
from .watch import Watch

pytestmark = pytest.mark.browser

OpenContext = Callable[..., BrowserContext]
PASSWORD = "a long test password, typed into the sign-in form"


def outage_share_link(page: Page) -> str:
    """Walk the small flow to `outage`, make a share link from the session, return it."""
    start(page)
    page.get_by_label("Tidak bisa buka").check()
    submit(page, "everyone", question("everyone"))
    page.get_by_label("Ya", exact=True).check()
    submit(page, "outage", solution("outage"))
    page.locator("#step a[href$='/share/']").click()
    page.locator("form[action$='/share/'] button[type=submit]").click()
    link = page.locator("#new-link").input_value()
    assert "/share/" in link
    return link


def visitor(site: str, open_context: OpenContext, watch: Watch, **device: object) -> Page:
    """A fresh browser (no cookies: not the seller's), watched, with axe ready."""
    context = open_context(device or None, base_url=site)
    watch.attach(context)
    axe.preload(context)
    return context.new_page()


def test_a_share_link_opens_read_only_for_anyone_who_has_it(
    page: Page, site: str, open_context: OpenContext, watch: Watch
) -> None:
    link = outage_share_link(page)
    assert axe.violations(page) == [], "the seller's share page"
    Note.record(Session.objects.get(), author=None, text="Called the seller", status="")

    anonymous = visitor(site, open_context, watch)
    anonymous.goto(link)

    expect(anonymous.get_by_role("heading", level=1)).to_have_text(solution("outage"))
    expect(anonymous.locator("main")).to_contain_text(question("where"))
    expect(anonymous.locator("main")).not_to_contain_text("Called the seller")
    assert anonymous.locator(".staff-panel").count() == 0
    assert anonymous.locator("main form").count() == 0, "a share link changes nothing"
    assert axe.violations(anonymous) == [], "shared case, anonymous"


def test_signed_in_staff_see_notes_and_the_answer_timeline_on_the_same_link(
    page: Page, site: str, open_context: OpenContext, watch: Watch, small_flow: FlowVersion
) -> None:
    link = outage_share_link(page)
    session = Session.objects.get()
    agent = User.objects.create_user("agent", password=PASSWORD, is_staff=True)
    agent.groups.add(ensure_role("support"))
    Note.record(session, author=agent, text="Called the seller", status="")

    staff = visitor(site, open_context, watch, **DESKTOP)
    staff.goto("/staff/login/")
    assert axe.violations(staff) == [], "staff sign-in"
    staff.locator("input[name=username]").fill("agent")
    staff.locator("input[name=password]").fill(PASSWORD)
    staff.locator("main form button[type=submit]").click()
    staff.wait_for_url("**/staff/")
    assert axe.violations(staff) == [], "case list"
    staff.goto(link)

    expect(staff.locator(".staff-panel")).to_contain_text("Called the seller")
    expect(staff.get_by_role("heading", level=1)).to_have_text(solution("outage"))
    assert axe.violations(staff) == [], "shared case, staff"
    staff.goto(f"/staff/cases/{session.code}/")
    expect(staff.locator("main")).to_contain_text("Called the seller")
    assert axe.violations(staff) == [], "case page"


def test_a_revoked_share_link_opens_nothing(
    page: Page, site: str, open_context: OpenContext, watch: Watch
) -> None:
    link = outage_share_link(page)
    page.goto(opened(page.url).get_absolute_url() + "share/")
    page.locator("form[action*='/revoke/'] button[type=submit]").click()

    anonymous = visitor(site, open_context, watch)
    watch.expect("410 (Gone)")
    watch.expect("404 (Not Found)")
    anonymous.goto(link)

    expect(anonymous.locator("main")).not_to_contain_text(question("where"))
    assert axe.violations(anonymous) == [], "closed link"
