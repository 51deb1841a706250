"""What a browser test listens for: CSP violations, console errors and uncaught exceptions."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import BrowserContext, ConsoleMessage, WebError

# Runs in every document before the page's own scripts. The binding is Playwright's
# (set up over the DevTools protocol), so the policy under test does not apply to it.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
});
"""


class Watch:
    """Everything a page did wrong, collected across navigations and htmx swaps."""

    def __init__(self) -> None:
        self.violations: list[dict[str, Any]] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        # Messages a test expects (e.g. the 404 status of a page it asks for on purpose).
        self.expected: list[str] = []

    def attach(self, context: BrowserContext) -> None:
        """Listen to every page of a context (a context with JavaScript on)."""
        context.expose_binding("reportCspViolation", self._violation)
        context.add_init_script(REPORT_VIOLATIONS)
        context.on("console", self._console)
        context.on("weberror", self._error)

    def _violation(self, source: Any, violation: dict[str, Any]) -> None:
        self.violations.append(violation)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def _error(self, error: WebError) -> None:
        self.page_errors.append(str(error.error))

    def expect(self, text: str) -> None:
        """Allow console errors containing `text` (one the test provokes on purpose)."""
        self.expected.append(text)

    def problems(self) -> list[str]:
        """Every violation and unexpected error seen so far, as readable lines."""
        errors = [
            text
            for text in self.console_errors
            if not any(expected in text for expected in self.expected)
        ]
        return (
            [f"CSP violation: {violation}" for violation in self.violations]
            + [f"console error: {text}" for text in errors]
            + [f"uncaught error: {text}" for text in self.page_errors]
        )
