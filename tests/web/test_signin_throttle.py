"""Distributed guessing at one staff account: tries wait longer and longer, from any
address, but the real staff member's own browser never waits; the operator is told."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client, override_settings

from tests.staff import staff_user
from wizard.web import signin_throttle

PASSWORD = "a long enough password 42"
# django-axes stays as configured; this throttle acts on fewer failures than its lockout.
pytestmark = pytest.mark.usefixtures("siti")


@pytest.fixture
def siti(db: None) -> User:
    user = staff_user("support", "siti")
    user.set_password(PASSWORD)
    user.save()
    return user


def attempt(address: str, password: str, *, client: Client | None = None) -> int:
    browser = client or Client(REMOTE_ADDR=address)
    response = browser.post("/staff/login/", {"username": "siti", "password": password})
    return response.status_code


def guess_from_many_addresses(count: int) -> list[int]:
    return [attempt(f"198.51.100.{n}", f"guess {n}") for n in range(count)]


def time_passes(seconds: float) -> None:
    """Move the account's last wrong password back, as if `seconds` had gone by."""
    key = signin_throttle._failures_key("siti")
    failures, last_at = cache.get(key)
    cache.set(key, (failures, last_at - seconds))


@override_settings(SIGNIN_ACCOUNT_FREE_FAILURES=3)
def test_guessing_from_many_addresses_makes_the_next_try_wait() -> None:
    assert guess_from_many_addresses(3) == [200, 200, 200]
    waiting = Client(REMOTE_ADDR="203.0.113.99").post(
        "/staff/login/", {"username": "siti", "password": PASSWORD}
    )
    # Even the right password is not checked meanwhile: the wait tells a guesser nothing.
    assert waiting.status_code == 429
    assert 50 <= int(waiting["Retry-After"]) <= 60
    assert "_auth_user_id" not in Client().session


@override_settings(SIGNIN_ACCOUNT_FREE_FAILURES=3)
def test_the_wait_grows_with_each_wrong_password_and_is_never_a_lock() -> None:
    guess_from_many_addresses(3)
    time_passes(61)
    assert attempt("203.0.113.1", "guess again") == 200  # a fourth wrong one
    refused = Client(REMOTE_ADDR="203.0.113.2").post(
        "/staff/login/", {"username": "siti", "password": PASSWORD}
    )
    assert refused.status_code == 429
    assert 110 <= int(refused["Retry-After"]) <= 120
    time_passes(121)
    # Once the wait is over, the real staff member signs in from a new browser.
    assert attempt("203.0.113.3", PASSWORD) == 302


@override_settings(SIGNIN_ACCOUNT_FREE_FAILURES=3, SIGNIN_ACCOUNT_MAX_DELAY_MINUTES=4)
def test_the_wait_has_a_ceiling() -> None:
    guess_from_many_addresses(3)
    for n in range(6):
        time_passes(10_000)
        attempt(f"203.0.113.{n + 10}", "guess")
    refused = Client(REMOTE_ADDR="203.0.113.30").post(
        "/staff/login/", {"username": "siti", "password": PASSWORD}
    )
    assert 230 <= int(refused["Retry-After"]) <= 240


@override_settings(SIGNIN_ACCOUNT_FREE_FAILURES=3)
def test_the_staff_members_own_browser_never_waits() -> None:
    own = Client(REMOTE_ADDR="192.0.2.10")
    assert attempt("192.0.2.10", PASSWORD, client=own) == 302
    own.post("/staff/logout/")
    guess_from_many_addresses(5)
    assert attempt("203.0.113.50", PASSWORD) == 429  # a browser it never signed in from
    assert attempt("192.0.2.10", PASSWORD, client=own) == 302


@override_settings(SIGNIN_ACCOUNT_FREE_FAILURES=3)
def test_a_forged_known_browser_cookie_does_not_skip_the_wait() -> None:
    guess_from_many_addresses(3)
    forger = Client(REMOTE_ADDR="203.0.113.60")
    forger.cookies[signin_throttle.known_browser_cookie()] = signin_throttle._account("siti")
    assert attempt("203.0.113.60", PASSWORD, client=forger) == 429


@override_settings(SIGNIN_ACCOUNT_FREE_FAILURES=3)
def test_the_operator_is_told_in_the_log_and_on_metrics(caplog: pytest.LogCaptureFixture) -> None:
    def scraped(name: str) -> float:
        text = Client(REMOTE_ADDR="127.0.0.1").get("/metrics").content.decode()
        lines = [line for line in text.splitlines() if line.startswith(name + " ")]
        return float(lines[0].split()[1]) if lines else 0.0

    alerts, delayed = (
        scraped("wizard_signin_account_alerts_total"),
        scraped("wizard_signin_delayed_total"),
    )
    with caplog.at_level(logging.WARNING, logger="wizard.web.signin_throttle"):
        guess_from_many_addresses(4)
    assert "Sign-in guessing at one account" in caplog.text
    assert "'siti'" in caplog.text
    told = [record for record in caplog.records if record.name == "wizard.web.signin_throttle"]
    assert len(told) == 1  # once, when the waiting starts
    assert scraped("wizard_signin_account_alerts_total") == alerts + 1
    assert scraped("wizard_signin_delayed_total") == delayed + 1
