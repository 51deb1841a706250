"""Distributed guessing at one staff account is slowed, never locked.

django-axes locks out an address, and a username at an address; a guesser with many
addresses gets past both. So wrong passwords are also counted per username, from every
address: past SIGNIN_ACCOUNT_FREE_FAILURES, each further try at that account must wait
longer after the last wrong one (1, 2, 4… minutes, at most SIGNIN_ACCOUNT_MAX_DELAY_MINUTES).
A browser the account has signed in from before is never made to wait, so a stranger's
guessing cannot keep the real staff member out; the operator is told in the log and on
/metrics.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from prometheus_client import Counter

log = logging.getLogger(__name__)

ACCOUNT_ALERTS = Counter(
    "wizard_signin_account_alerts_total",
    "Staff accounts that reached the wrong-password count where tries start to wait.",
)
DELAYED = Counter(
    "wizard_signin_delayed_total", "Sign-in tries refused because their account must wait."
)

# Wrong passwords are forgotten after a day without one.
FORGET_SECONDS = 24 * 3600
KNOWN_BROWSER_SALT = "wizard.signin.known-browser"
KNOWN_BROWSER_DAYS = 90
KNOWN_ACCOUNTS_KEPT = 5


def _account(username: str) -> str:
    # Hashed: cache keys and cookies never carry a username in clear.
    return hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:24]


def _failures_key(username: str) -> str:
    return f"signin-account:{_account(username)}"


def known_browser_cookie() -> str:
    """The cookie naming the accounts that signed in from this browser."""
    return "__Host-staff-browser" if settings.SESSION_COOKIE_SECURE else "staff-browser"


def _known_accounts(request: HttpRequest) -> list[str]:
    value = request.get_signed_cookie(
        known_browser_cookie(),
        default="",
        salt=KNOWN_BROWSER_SALT,
        max_age=KNOWN_BROWSER_DAYS * 24 * 3600,
    )
    return [account for account in str(value).split(",") if account]


def wait_seconds(request: HttpRequest, username: str) -> int:
    """How long this try at `username` must still wait (0: it may go ahead)."""
    if not username.strip() or _account(username) in _known_accounts(request):
        return 0
    failures, last_at = cache.get(_failures_key(username), (0, 0.0))
    free = settings.SIGNIN_ACCOUNT_FREE_FAILURES
    if failures < free:
        return 0
    delay = min(2 ** (failures - free), settings.SIGNIN_ACCOUNT_MAX_DELAY_MINUTES) * 60
    wait = math.ceil(last_at + delay - time.time())
    if wait > 0:
        DELAYED.inc()
    return max(int(wait), 0)


def wrong_password(username: str) -> None:
    """Count a wrong password (or code) for `username`; alert when tries start to wait."""
    if not username.strip():
        return
    key = _failures_key(username)
    failures, _ = cache.get(key, (0, 0.0))
    failures += 1
    cache.set(key, (failures, time.time()), timeout=FORGET_SECONDS)
    if failures == settings.SIGNIN_ACCOUNT_FREE_FAILURES:
        ACCOUNT_ALERTS.inc()
        log.warning(
            "Sign-in guessing at one account: %d wrong passwords for %r within a day; "
            "further tries from browsers it never signed in from now wait",
            failures,
            username.strip(),
        )


def remember_browser(request: HttpRequest, response: HttpResponse, username: str) -> None:
    """After a sign-in: this browser may try `username` again without waiting."""
    accounts = [_account(username)] + [
        account for account in _known_accounts(request) if account != _account(username)
    ]
    response.set_signed_cookie(
        known_browser_cookie(),
        ",".join(accounts[:KNOWN_ACCOUNTS_KEPT]),
        salt=KNOWN_BROWSER_SALT,
        max_age=KNOWN_BROWSER_DAYS * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
