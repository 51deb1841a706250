"""On a small phone (360 px wide) no page scrolls sideways and every control is 44 px tall."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page

from wizard.sellers.models import FlowVersion, Session
from wizard.support.models import ShareLink

from .seller import hours_ago

pytestmark = pytest.mark.browser

SMALL_PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}

# What a thumb aims at: buttons, fields, the rows of a choice, the help toggle, and the
# links that stand alone (a link inside a sentence may be smaller, as WCAG 2.5.8 allows).
SMALL_TARGETS = """() => [...document.querySelectorAll(
    "button, select, textarea, input:not([type=hidden]):not([type=radio]):not([type=checkbox])," +
    ".form-check-label, summary, .btn, .brand, .back-link, .change-link")]
  .filter((element) => element.getClientRects().length > 0)
  .filter((element) => !element.closest(".visually-hidden, .visually-hidden-focusable"))
  .map((element) => [element.outerHTML.slice(0, 90), element.getBoundingClientRect()])
  .filter(([, box]) => box.height < 44 || box.width < 44)
  .map(([html, box]) => `${Math.round(box.width)}x${Math.round(box.height)} ${html}`)"""

# When the page is wider than the screen: the outermost elements sticking out.
SIDEWAYS = """() => document.documentElement.scrollWidth <= window.innerWidth ? [] :
  [...document.querySelectorAll("body *")]
    .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
    .filter((element) => element.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
    .map((element) => element.outerHTML.slice(0, 90))"""

# Answers that put a session of the small flow on each page type.
STOPS: dict[str, dict[str, Any]] = {
    "choice": {},
    "datetime": {"where": "ship"},
    "number": {"where": "ship", "placed_at": "late"},
    "multi": {"where": "ship", "placed_at": "late", "ordered": 5, "stock": 2},
    "yesno": {"where": "open"},
    "version": {"where": "open", "everyone": "no"},
    "solution": {
        "where": "ship",
        "placed_at": "late",
        "ordered": 5,
        "stock": 2,
        "settings": ["bank"],
    },
}


def standing_at(version: FlowVersion, answers: dict[str, Any]) -> Session:
    """A session with these answers given, in order."""
    session = Session.start(version, language="id")
    for key, value in answers.items():
        given = hours_ago(30) + ":00+07:00" if value == "late" else value
        session.answer(key, given, revision=session.revision)
    return session


@pytest.fixture
def small_phone(
    site: str, small_flow: FlowVersion, open_context: Callable[..., BrowserContext]
) -> Page:
    """A 360 px wide phone, the narrowest sellers commonly have."""
    return open_context(SMALL_PHONE, base_url=site).new_page()


def test_no_page_scrolls_sideways_and_every_control_is_big_enough_on_a_small_phone(
    small_phone: Page, small_flow: FlowVersion
) -> None:
    pages = {"landing": "/", "not found": "/s/no-such-session/"}
    for name, answers in STOPS.items():
        session = standing_at(small_flow, answers)
        pages[name] = session.step_url()
        if name == "solution":
            pages["resume"] = session.get_absolute_url()
            pages["share links"] = reverse("share_links", args=[session.token])
            pages["shared case"] = reverse("shared", args=[ShareLink.create(session)[1]])
            session.record_feedback(False, revision=session.revision)
            pages["next cause"] = reverse("next_cause", args=[session.token])
            pages["contact support"] = reverse("contact_support", args=[session.token])
    problems = {}
    for name, path in pages.items():
        small_phone.goto(path)
        found = small_phone.evaluate(SIDEWAYS) + small_phone.evaluate(SMALL_TARGETS)
        if found:
            problems[name] = found
    assert problems == {}
