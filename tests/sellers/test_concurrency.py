"""Many answers at once to one session: each is taken whole or refused, none is lost.

The threads post through Django's full request path, each with its own database
connection, on whichever database the suite runs on (SQLite, or PostgreSQL when
DATABASE_URL is set).
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connections
from django.http import HttpRequest
from django.test import Client

from tests.documents import SMALL
from wizard.sellers.models import Answer, FlowVersion, Session

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
STALE = "This session was changed in another tab or window"


@dataclass(frozen=True)
class Attempt:
    """One answer a thread sent, and what the server said."""

    status: int
    is_accepted: bool
    value: str
    revision: int


def is_stale(response: Any) -> bool:
    """Whether the server refused the answer as given on an old page."""
    if response.status_code == 200:
        return STALE in response.content.decode()
    cookie = response.cookies.get("messages")
    if cookie is None or not cookie.value:
        return False
    # Read the message the way the next page would: from the cookie the browser sends back.
    request = HttpRequest()
    request.COOKIES[cookie.key] = cookie.value
    return any(STALE in str(message) for message in CookieStorage(request))


def send(client: Client, session: Session, value: str, revision: int, htmx: bool) -> Attempt:
    """Answer the first question the way a browser does (a plain form, or htmx)."""
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    # A browser shows a message once; an unread one would ride along with the next answer.
    client.cookies.pop("messages", None)
    response = client.post(
        session.step_url("where"), {"revision": revision, "value": value}, **extra
    )
    accepted = response.status_code in (200, 303) and not is_stale(response)
    return Attempt(response.status_code, accepted, value, revision)


def run_sellers(work: Any) -> list[Attempt]:
    """Run `work(number, client, attempts)` in THREADS threads; every attempt they made."""
    attempts: list[Attempt] = []
    failures: list[BaseException] = []

    def seller(number: int) -> None:
        try:
            work(number, Client(), attempts)
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=seller, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    return attempts


def current_revision(session: Session) -> int:
    return Session.objects.values_list("revision", flat=True).get(pk=session.pk)


def assert_the_log_holds_exactly_the_accepted_answers(
    session: Session, attempts: list[Attempt]
) -> None:
    assert [attempt.status for attempt in attempts if attempt.status >= 500] == []
    accepted = sorted(
        (attempt.revision + 1, attempt.value) for attempt in attempts if attempt.is_accepted
    )
    log = list(
        Answer.objects.filter(session=session).order_by("revision").values_list("revision", "value")
    )
    assert log == accepted
    # Revisions count up one by one: no answer was taken twice at the same revision.
    assert [revision for revision, _ in log] == list(range(1, len(log) + 1))
    session.refresh_from_db()
    assert session.revision == len(log)
    # The stored state is whole: the last accepted answer, and the step it leads to.
    assert session.answers["where"] == log[-1][1]
    walk = session.walk()
    assert session.current_step == walk.step
    assert session.outcome == (walk.solution.key if walk.solution else "")


@pytest.fixture
def session(transactional_db: None) -> Session:
    version, _ = FlowVersion.load(SMALL)
    return Session.start(version, language="en")


def test_of_simultaneous_answers_at_one_revision_exactly_one_is_taken(session: Session) -> None:
    rounds = 5
    barrier = threading.Barrier(THREADS, timeout=60)

    def work(number: int, client: Client, attempts: list[Attempt]) -> None:
        for round_number in range(rounds):
            barrier.wait()  # everyone has finished the last round
            revision = current_revision(session)
            barrier.wait()  # everyone read the same revision: now all at once
            value = ("ship", "open")[(number + round_number) % 2]
            attempts.append(send(client, session, value, revision, htmx=number % 2 == 0))

    attempts = run_sellers(work)
    assert len(attempts) == THREADS * rounds
    assert sum(attempt.is_accepted for attempt in attempts) == rounds
    assert_the_log_holds_exactly_the_accepted_answers(session, attempts)


def test_a_free_for_all_of_answers_loses_nothing_and_half_writes_nothing(
    session: Session,
) -> None:
    def work(number: int, client: Client, attempts: list[Attempt]) -> None:
        chance = random.Random(number)
        for _ in range(12):
            # Some read the latest revision, some answer from a page that may be old.
            revision = current_revision(session) - chance.choice((0, 0, 0, 1))
            value = chance.choice(("ship", "open"))
            attempts.append(
                send(client, session, value, max(revision, 0), htmx=chance.random() < 0.5)
            )

    attempts = run_sellers(work)
    assert any(attempt.is_accepted for attempt in attempts)
    assert_the_log_holds_exactly_the_accepted_answers(session, attempts)
