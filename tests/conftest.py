"""Fixtures shared by the tests: a small loaded flow and sessions on it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from wizard.models import FlowVersion, Session

from .flows import SMALL


@pytest.fixture(autouse=True)
def _no_cross_test_flow_cache() -> Any:
    # Version ids are reused after each test's rollback, so a cached parse must not outlive it.
    from wizard import models

    models._parsed.clear()
    yield
    models._parsed.clear()


@pytest.fixture(autouse=True)
def _no_cross_test_rate_limits() -> None:
    # Rate-limit counters live in the cache; every test starts with none spent.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def version(db: None) -> FlowVersion:
    """The small test flow, loaded and live."""
    loaded, _ = FlowVersion.load(SMALL)
    return loaded


@pytest.fixture
def session(version: FlowVersion) -> Session:
    """A fresh seller session on the small flow, in Bahasa Indonesia."""
    return Session.start(version, language="id")


def answer(client: Client, session: Session, key: str, value: Any, **extra: Any) -> Any:
    """Post an answer the way the browser's plain form does, at the session's revision."""
    session.refresh_from_db()
    data: dict[str, Any] = {"revision": session.revision, "value": value}
    return client.post(session.step_url(key), data, **extra)


def path_of(session: Session) -> list[str]:
    """The keys of the questions answered on the session's path."""
    session.refresh_from_db()
    return [question.key for question in session.walk().path]
