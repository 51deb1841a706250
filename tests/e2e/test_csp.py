"""The strict CSP in practice: a whole walk in Chromium breaks none of it and logs no error."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import opened

from .seller import arrived, back, question, start, walk_ship_path
from .watch import Watch

pytestmark = pytest.mark.browser


def test_a_full_walk_raises_no_csp_violation_and_no_console_error(page: Page, watch: Watch) -> None:
    response = page.goto("/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    start(page)
    page.locator("details.help summary").click()  # the "where do I find this?" help

    walk_ship_path(page)
    page.get_by_role("button", name="Ya", exact=True).click()
    expect(page.locator("#feedback-reply")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(opened(page.url).get_absolute_url())
    page.get_by_role("link", name="Continue").click()
    page.get_by_role("link", name="Change").first.click()
    arrived(page, "where", question("where", "en"))
    back(page)
    expect(page.locator("article.solution")).to_be_visible()

    assert watch.problems() == []
    assert watch.violations == []


def test_the_watch_does_notice_a_violation(page: Page, watch: Watch) -> None:
    """The listener itself works: an inline script without the nonce is reported."""
    page.goto("/")
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.injected = true";
          document.head.append(script);
        }"""
    )
    for _ in range(40):  # the report comes back through Playwright's binding
        if watch.violations:
            break
        page.wait_for_timeout(50)

    assert [violation["directive"] for violation in watch.violations] == ["script-src-elem"]
    assert page.evaluate("() => window.injected") is None
    watch.violations.clear()
    watch.console_errors.clear()
