"""axe-core, run in the page, against the WCAG 2.2 A and AA rules."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

RUN = """(tags) => axe.run(document, {
  runOnly: {type: "tag", values: tags},
  resultTypes: ["violations"],
})"""


def axe_source() -> str:
    """axe-core's script, installed by `npm install` (package.json pins the version)."""
    if not AXE.exists():
        reason = (
            f"axe-core is not installed ({AXE} is missing; run `npm install --no-package-lock`)"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}: CI must run the accessibility tests.", pytrace=False)
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


def preload(context: BrowserContext) -> None:
    """Have axe in every document of the context from its start (cheaper than injecting
    it after each page load: the page is checked after nearly every navigation)."""
    context.add_init_script(axe_source())


def violations(page: Page) -> list[str]:
    """Every WCAG 2.2 AA violation axe finds on the page as it is now, one line each.

    axe reaches the page over the DevTools protocol (an init script, or evaluate), not
    as a <script> element: `page.add_script_tag` inserts an inline script, which the
    page's CSP rightly refuses. Code arriving that way is not bound by the page's CSP
    (not even axe's own `new Function`), so no context needs `bypass_csp`, and the CSP
    watcher keeps listening on the very pages axe checks.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(f"() => {{ {axe_source()}\n }}")
    result: dict[str, Any] = page.evaluate(RUN, WCAG_22_AA)
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']} at {node['target']}: "
        f"{node['failureSummary']}"
        for rule in result["violations"]
        for node in rule["nodes"]
    ]
