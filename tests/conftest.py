"""Fixtures shared by the tests: a small loaded flow and sessions on it."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.test import Client

from tests.documents import SMALL
from wizard.sellers.models import FlowVersion, Session


@pytest.fixture(autouse=True)
def _no_cross_test_flow_cache() -> Any:
    # Version ids are reused after each test's rollback, so a cached parse must not outlive it.
    from wizard.sellers.models import versions

    versions._parsed.clear()
    yield
    versions._parsed.clear()


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
