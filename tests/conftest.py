"""Fixtures shared by the tests: a small loaded flow and sessions on it, the shipped flow,
staff in their roles, and the system packages some tests need (skipped, and summed up in
one line, when missing)."""

from __future__ import annotations

import functools
import os
import re
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from tests.documents import SMALL
from tests.staff import signed_in, staff_user
from wizard.flows import Flow, load_flow
from wizard.sellers.models import FlowVersion, Session

# The flow `loadflow` loads by default: the one the product ships.
SHIPPED_FLOW = Path(settings.FLOW_FILES[0])

# What a missing system package's skip says: the summary finds these skips by it.
MISSING = "system package not installed: "
# Installed beside each package, as .ci/run does (Chromium draws text with these fonts).
ALONG_WITH = {"chromium": ["fonts-liberation", "fonts-dejavu-core"]}


@functools.cache
def is_installed(package: str) -> bool:
    """Whether the Debian package a test needs is usable here (its program, not dpkg's word)."""
    if package == "graphviz":
        return shutil.which(settings.GRAPHVIZ_DOT) is not None
    if package == "chromium":
        return os.access(os.environ.get("CHROMIUM", "/usr/bin/chromium"), os.X_OK)
    if package == "gettext":
        return shutil.which("msgfmt") is not None
    if package == "nginx":
        return shutil.which("nginx") is not None or os.access("/usr/sbin/nginx", os.X_OK)
    if package in {"tesseract-ocr", "tesseract-ocr-ind"}:
        # The screenshot reader's own check: Tesseract's library and its ind+eng languages.
        from wizard.sellers import screenshots

        return screenshots.is_available()
    raise ValueError(f"no check for the system package {package!r}")


def require(*packages: str) -> None:
    """Skip the running test unless every package is installed; under CI, fail instead."""
    missing = [package for package in packages if not is_installed(package)]
    if not missing:
        return
    reason = MISSING + " ".join(missing)
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}: CI installs it (.ci/run).", pytrace=False)
    pytest.skip(reason)


def pytest_runtest_setup(item: pytest.Item) -> None:
    # `@pytest.mark.needs("graphviz")`: the test runs only where the package is installed.
    for mark in item.iter_markers(name="needs"):
        require(*mark.args)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    # One line for every skip a system package caused, with the command that ends them.
    skipped = 0
    packages: set[str] = set()
    for report in terminalreporter.stats.get("skipped", []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
        if MISSING in reason:
            skipped += 1
            packages.update(reason.split(MISSING, 1)[1].split())
    if not skipped:
        return
    install = sorted(packages | {extra for p in packages for extra in ALONG_WITH.get(p, [])})
    terminalreporter.write_line(
        f"{skipped} tests skipped for want of {', '.join(sorted(packages))}; "
        f"install with: sudo apt-get install {' '.join(install)}",
        yellow=True,
        bold=True,
    )


@pytest.fixture(autouse=True)
def _no_cross_test_flow_cache() -> Any:
    # Version ids are reused after each test's rollback, so a cached parse (or a template
    # fragment cached by version) must not outlive it.
    from django.core.cache import caches

    from wizard.sellers.models import versions

    versions._parsed.clear()
    caches["fragments"].clear()
    yield
    versions._parsed.clear()
    caches["fragments"].clear()


def pytest_configure() -> None:
    # On Redis, this run's keys carry a prefix of its own: several runs (two checkouts,
    # CI beside a developer) may share one Redis database without clearing each other's.
    from django.conf import settings

    default = settings.CACHES["default"]
    if str(default["BACKEND"]).endswith("RedisCache"):
        default["KEY_PREFIX"] = f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture(autouse=True)
def _no_cross_test_rate_limits() -> None:
    # Rate-limit counters live in the cache; every test starts with none spent.
    from django.conf import settings
    from django.core.cache import cache

    default = settings.CACHES["default"]
    if not str(default["BACKEND"]).endswith("RedisCache"):
        cache.clear()
        return
    # Only this run's keys: a FLUSHDB would clear every other run's too.
    client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    keys = list(client.scan_iter(f"{default['KEY_PREFIX']}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture
def version(db: None) -> FlowVersion:
    """The small test flow, loaded and live."""
    loaded, _ = FlowVersion.load(SMALL)
    return loaded


@pytest.fixture
def session(version: FlowVersion) -> Session:
    """A fresh seller session on the small flow, in Bahasa Indonesia."""
    return Session.start(version, language="id")


@pytest.fixture(scope="session")
def shipped_text() -> str:
    """The troubleshooting flow the product ships (wizard/content/orders.toml)."""
    return SHIPPED_FLOW.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def shipped_flow(shipped_text: str) -> Flow:
    """The shipped flow, parsed (a load error fails the test: the flow must load)."""
    return load_flow(shipped_text)


@pytest.fixture
def shipped(db: None, shipped_text: str) -> FlowVersion:
    """The shipped flow, loaded and live."""
    loaded, _ = FlowVersion.load(shipped_text)
    return loaded


@pytest.fixture
def agent(db: None) -> User:
    """A support agent (the "support" group)."""
    return staff_user("support", "agent_rina")


@pytest.fixture
def staff(agent: User) -> Client:
    """A browser signed in as the support agent, in English."""
    return signed_in(agent, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def editor(db: None) -> User:
    """An editor (the "editors" group)."""
    return staff_user("editors", "ayu")


def caches_with(default: dict[str, Any]) -> dict[str, Any]:
    """The CACHES setting with another default cache (rate limits); the pages' template
    fragments keep their own."""
    return {"default": default, "fragments": settings.CACHES["fragments"]}


def opened(url: str) -> Session:
    """The session a seller's URL (a redirect's Location, a page's address) opens: the
    database keeps only the token's hash, so tests too reach a session by its link."""
    match = re.search(r"/s/([^/]+)/", url)
    assert match is not None, f"no session link in {url!r}"
    session = Session.opened_by(match.group(1))
    assert session is not None, f"no session opens at {url!r}"
    return session


def answer(client: Client, session: Session, key: str, value: Any, **extra: Any) -> Any:
    """Post an answer the way the browser's plain form does, at the session's revision."""
    session.refresh_from_db()
    data: dict[str, Any] = {"revision": session.revision, "value": value}
    return client.post(session.step_url(key), data, **extra)


def path_of(session: Session) -> list[str]:
    """The keys of the questions answered on the session's path."""
    session.refresh_from_db()
    return [question.key for question in session.walk().path]
