"""An A/B trial in a real browser: an editor publishes a draft as a variant, reads the
comparison and ends the trial; the pages are axe clean on a phone and a desktop."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, expect

from tests.documents import SMALL
from wizard.editors.models import Draft
from wizard.sellers.models import FlowVersion, Session, Trial, in_variant
from wizard.web.roles import EDITORS, ensure_role

from . import axe
from .watch import Watch

pytestmark = pytest.mark.browser

PASSWORD = "a long test password, typed into the sign-in form"
SHOTS = os.environ.get("INSIGHT_SCREENSHOTS", "")  # a folder: save what the test saw


def in_arm(trial: Trial, variant: bool, helped: bool) -> Session:
    """A solved session the trial assigned to one arm, with the seller's feedback."""
    token = secrets.token_urlsafe(32)
    while in_variant(token, trial.share) != variant:
        token = secrets.token_urlsafe(32)
    session = Session.start(trial.version_for(token), language="id", trial=trial, token=token)
    for key, value in (("where", "open"), ("everyone", "yes")):
        session.answer(key, value, revision=session.revision)
    session.record_feedback(helped, revision=session.revision)
    return session


@pytest.mark.parametrize("language", ["id-ID", "en-GB"])
def test_an_editor_runs_a_trial_and_reads_it_plainly(
    site: str,
    small_flow: FlowVersion,
    open_context: Callable[..., BrowserContext],
    watch: Watch,
    device: dict[str, Any],
    language: str,
    settings: Any,
) -> None:
    settings.FLOW_REVIEW_REQUIRED = False  # one editor is enough for this walk-through
    editor = User.objects.create_user("ayu", password=PASSWORD, is_staff=True)
    editor.groups.add(ensure_role(EDITORS))
    draft = Draft.start(small_flow, by=editor)
    draft.save_document(SMALL.replace("Alur kecil", "Alur varian"), revision=1, by=editor)
    context = open_context(base_url=site, locale=language, **device)
    watch.attach(context)
    page = context.new_page()
    page.goto("/staff/login/")
    page.locator("input[name=username]").fill("ayu")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/flows/")
    page.goto(f"/staff/flows/drafts/{draft.pk}/publish/")
    page.locator("#id_note").fill("A shorter title")
    page.locator("#id_as_variant").check()
    page.locator("#id_share").fill("30")
    assert axe.violations(page) == []
    if SHOTS:
        page.locator(".trial-option").scroll_into_view_if_needed()
        width = device["viewport"]["width"]
        page.screenshot(path=f"{SHOTS}/trial-publish-{language[:2]}-{width}.png")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/insight/trials/*/")
    trial = Trial.objects.get()
    assert (trial.share, trial.live) == (30, small_flow)
    for number in range(6):
        in_arm(trial, variant=False, helped=number < 5)
        in_arm(trial, variant=True, helped=number < 3)
    page.reload()
    expect(page.locator("#arms-heading")).to_be_visible()
    expect(page.locator(".verdict-not_significant")).to_be_visible()
    assert axe.violations(page) == []
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= device["viewport"]["width"] + 1  # wide tables scroll in their box
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/trial-{language[:2]}-{device['viewport']['width']}.png")
    page.locator("input[name=keep][value=variant]").check()
    page.locator("#end-heading ~ form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    if SHOTS:
        page.screenshot(
            path=f"{SHOTS}/trial-ended-{language[:2]}-{device['viewport']['width']}.png"
        )
    assert FlowVersion.live() == trial.variant
    assert axe.violations(page) == []
    page.goto("/staff/insight/trials/")
    expect(page.locator(f"a[href='/staff/insight/trials/{trial.pk}/']")).to_be_visible()
    assert axe.violations(page) == []
