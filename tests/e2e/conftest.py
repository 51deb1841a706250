"""A live server, one Chromium per test session, and pages that watch for CSP and JS errors.

The browser is Debian's Chromium (`/usr/bin/chromium`, or $CHROMIUM), driven by
Playwright's Python package; Playwright's own browser downloads are never used. Without
the binary a developer's run skips these tests (one summary line says how to install it);
in CI (CI=true) it fails.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.conftest import require
from tests.documents import SMALL
from wizard.sellers.models import FlowVersion

from .watch import Watch

# Playwright's sync API keeps an event loop in this thread; Django sees it and would
# refuse ORM calls made by the test itself (loading a flow, checking a session).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
COMPRESSIBLE = {
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, shared by every browser test of the run."""
    require("chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def site(live_server: LiveServer) -> str:
    """The live server's origin, its responses gzip-compressed as production serves them.

    pytest-django's live server sends everything uncompressed; in production WhiteNoise
    sends pre-compressed static files and the reverse proxy compresses pages. To measure
    what a seller's phone really downloads, every text response is gzipped here (level 6,
    a proxy's usual setting) when the browser accepts it, unless already encoded.
    """
    server = live_server.thread.httpd
    server.set_app(compressing(server.get_app()))
    return live_server.url


def compressing(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """A WSGI wrapper that gzips text responses for browsers that accept gzip."""

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        caught: dict[str, Any] = {}

        def catch(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            caught.update(status=status, headers=headers)
            return lambda chunk: None

        result = app(environ, catch)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        headers: list[tuple[str, str]] = caught["headers"]
        named = {name.lower(): value for name, value in headers}
        kind = named.get("content-type", "").split(";")[0].strip()
        if (
            "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "")
            and kind in COMPRESSIBLE
            and "content-encoding" not in named
            and len(body) > 200
        ):
            body = gzip.compress(body, compresslevel=6)
            headers = [(n, v) for n, v in headers if n.lower() not in {"content-length", "vary"}]
            vary = ", ".join(filter(None, [named.get("vary", ""), "Accept-Encoding"]))
            headers += [
                ("Content-Encoding", "gzip"),
                ("Content-Length", str(len(body))),
                ("Vary", vary),
            ]
        start_response(caught["status"], headers)
        return [body]

    return application


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    # The live server shares this process's cache: counts of earlier tests must not
    # trip a rate limit in this one.
    cache.clear()


@pytest.fixture
def small_flow(transactional_db: None) -> FlowVersion:
    """The small inline test flow, live on the server."""
    version, _ = FlowVersion.load(SMALL)
    return version


@pytest.fixture
def open_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Opens fresh browser contexts (a new device each) and closes them after the test."""
    opened: list[BrowserContext] = []

    def open_one(device: dict[str, Any] | None = None, **options: Any) -> BrowserContext:
        options = {"locale": "id-ID", **(device or PHONE), **options}
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        opened.append(context)
        return context

    yield open_one
    for context in opened:
        context.close()


@pytest.fixture
def watch() -> Iterator[Watch]:
    """Collects CSP violations and JavaScript errors; the test fails if any were seen."""
    seen = Watch()
    yield seen
    assert seen.problems() == []


@pytest.fixture(params=["phone", "desktop"])
def device(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Each test that asks for it runs at a phone viewport and at a desktop one."""
    return PHONE if request.param == "phone" else DESKTOP


@pytest.fixture
def page(
    site: str, small_flow: FlowVersion, open_context: Callable[..., BrowserContext], watch: Watch
) -> Page:
    """A watched phone page on the small flow, its base URL the live server."""
    context = open_context(base_url=site)
    watch.attach(context)
    return context.new_page()
