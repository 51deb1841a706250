"""Rate limits on what creates data or looks up tokens: django-ratelimit counts them in
Django's cache (Redis with `REDIS_URL`, shared by every app server; else wizard.web.cache's
file cache, exact on one server; each process's memory in development).

django-ratelimit counts fixed windows (each key's edge offset by a hash), so at an edge a
client may fit up to twice a limit into one period's length. What it cannot do is kept
here, thinly: a cache outage lets requests through (it raises), the friendly 429 page
with Retry-After (it raises a 403), the client's address from our proxies only, and the
counts a seller session keeps on its own row (`sliding`, `OverLimit`).
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage as get_usage  # tests spy on it here
from prometheus_client import Counter

CACHE_ERRORS = Counter(
    "wizard_cache_errors_total", "Rate-limit counts or checks the cache could not serve."
)

log = logging.getLogger(__name__)

type View = Callable[..., HttpResponse]
type IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
type KeyOf = Callable[[HttpRequest, dict[str, Any]], str]

# The shape of every session and share token (secrets.token_urlsafe(32) is 43 of these):
# anything else cannot exist, and is a 404 before it reaches the database.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,64}")
# A cache outage is logged at most once per this many seconds (per process): an outage
# of a few seconds must not write a traceback per request.
OUTAGE_LOG_SECONDS = 60.0

RATE = re.compile(r"\s*(\d+)\s*/\s*(\d*)\s*([smh]?)\s*")
UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600}


@dataclass(frozen=True)
class Rate:
    """At most `count` events per `seconds`."""

    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """Read "60/m", "30/10m", "10/h" or "5/30" (seconds)."""
        match = RATE.fullmatch(text)
        if match is None or match.group(2) == "0":
            raise ValueError(f"A rate looks like 60/m, 30/10m or 10/h, not {text!r}.")
        count, number, unit = match.groups()
        return cls(int(count), int(number or 1) * UNIT_SECONDS[unit])


def rate_of(scope: str) -> Rate:
    """The configured rate of one limit (settings.RATE_LIMITS)."""
    try:
        return _parsed_rate(settings.RATE_LIMITS[scope])
    except ValueError as error:
        raise ImproperlyConfigured(f'settings.RATE_LIMITS["{scope}"]: {error}') from error


@functools.cache
def _parsed_rate(text: str) -> Rate:
    return Rate.parse(text)


@functools.cache
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def is_trusted_proxy(address: str) -> bool:
    """Whether `address` is one of settings.TRUSTED_PROXIES (addresses or networks)."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def forwarded_client(request: HttpRequest) -> str:
    """The address that reached our proxies: X-Forwarded-For read from the right, past
    every hop that is one of our proxies, and only when the connection itself comes from
    one. Anything else, a client wrote: it proves nothing and is never believed."""
    address = str(request.META.get("REMOTE_ADDR", ""))
    if not is_trusted_proxy(address):
        return address
    hops = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        address = hop
        if not is_trusted_proxy(hop):
            break
    return address


def client_address(request: HttpRequest) -> str:
    """Who is asking, as the limits, django-axes and /metrics count them: the connecting
    address, or the one our trusted proxies report; an IPv6 client by its /64."""
    address = forwarded_client(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if ip.version == 6:
        # One IPv6 subscriber usually holds a whole /64.
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


_outage_logged_at: float | None = None


def reset_outage_log() -> None:
    """Forget when the last outage was logged (tests start from a quiet log)."""
    global _outage_logged_at
    _outage_logged_at = None


def _log_outage(scope: str, action: str) -> None:
    """Say once per OUTAGE_LOG_SECONDS that the cache is down; the limits fail open."""
    global _outage_logged_at
    CACHE_ERRORS.inc()
    now = time.monotonic()
    if _outage_logged_at is not None and now - _outage_logged_at < OUTAGE_LOG_SECONDS:
        return
    _outage_logged_at = now
    log.warning(
        "Rate limit %r not %s: the cache is unavailable (requests are let through; "
        "logged at most once every %d s)",
        scope,
        action,
        OUTAGE_LOG_SECONDS,
        exc_info=True,
    )


def _usage(scope: str, who: str, request: HttpRequest | None, *, count: bool) -> Any:
    """django-ratelimit's usage of `scope` by `who` (counting one event if `count`); None
    when limits are off or the cache failed (logged; the request goes through)."""
    if not settings.RATE_LIMITS_ENABLED:
        return None
    rate = rate_of(scope)
    try:
        return get_usage(
            request,
            group=scope,
            # Hashed with the group and window into the key: no token or address in clear.
            key=lambda group, request: who,
            rate=(rate.count, rate.seconds),
            increment=count,
        )
    except Exception:
        # A cache outage must not lock sellers out at their worst moment: let it through.
        _log_outage(scope, "counted" if count else "checked")
        return None


def hit(scope: str, who: str, request: HttpRequest | None = None) -> bool:
    """Count one event; whether it is over the limit."""
    usage = _usage(scope, who, request, count=True)
    return bool(usage and usage["should_limit"])


def is_over(scope: str, who: str, request: HttpRequest | None = None) -> bool:
    """Whether the limit is already used up, without counting anything."""
    usage = _usage(scope, who, request, count=False)
    return bool(usage and usage["count"] >= usage["limit"])


def too_many_requests(request: HttpRequest, scope: str) -> HttpResponse:
    """The friendly 429 page, with when to try again."""
    seconds = rate_of(scope).seconds
    response = render(request, "429.html", {"minutes": max(1, round(seconds / 60))}, status=429)
    response["Retry-After"] = str(seconds)
    if getattr(request, "htmx", False):
        # htmx swaps no error responses: reload the page the seller is on, which then
        # shows why their tap did nothing.
        messages.warning(
            request,
            _("You are going faster than we can keep up with. Wait a minute, then try again."),
            fail_silently=True,
        )
        response["HX-Refresh"] = "true"
    return response


class OverLimit(Exception):
    """An event past its rate limit, found where it is counted (a session's own row)."""

    def __init__(self, scope: str) -> None:
        super().__init__(scope)
        self.scope = scope


def sliding(
    scope: str, now: float, window: int, current: int, previous: int
) -> tuple[int, int, int]:
    """One more event at `now` for counts a session keeps on its own row (`current`
    events in `window`, `previous` in the one before): the window, its count and the one
    before's after it. The window slides (the one before weighs by how much of it still
    overlaps), so there is no burst at an edge. OverLimit past the limit."""
    rate = rate_of(scope)
    at, into = divmod(now, rate.seconds)
    at, overlap = int(at), 1 - into / rate.seconds
    if at == window:
        current += 1
    elif at == window + 1:
        current, previous = 1, current
    else:
        current, previous = 1, 0
    if settings.RATE_LIMITS_ENABLED and current + previous * overlap > rate.count:
        raise OverLimit(scope)
    return at, current, previous


def refuses_over_limit(view: View) -> View:
    """The friendly 429 page for a view whose model found an event over its limit."""

    @functools.wraps(view)
    def refusing(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except OverLimit as over:
            return too_many_requests(request, over.scope)

    return refusing


def per_client(request: HttpRequest, kwargs: dict[str, Any]) -> str:
    """Count per client address."""
    return client_address(request)


def rate_limit(
    scope: str, *, by: KeyOf, methods: tuple[str, ...] = ("POST",)
) -> Callable[[View], View]:
    """Refuse a view's requests with 429 past settings.RATE_LIMITS[scope]."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods and hit(scope, by(request, kwargs), request):
                return too_many_requests(request, scope)
            return view(request, *args, **kwargs)

        return limited

    return decorate


def guards_tokens(view: View) -> View:
    """Count lookups of tokens that do not exist, per client; 429 once guessing shows.

    Only failed lookups are counted and refused: a valid link always opens, even from
    an address (a mobile carrier's) that many sellers and one guesser share. A token of
    a shape no token has is a 404 without a query, and counts as a guess too."""

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not TOKEN_SHAPE.fullmatch(str(kwargs.get("token", ""))):
            return _not_found(request)
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            if hit("unknown_token", client_address(request), request):
                return too_many_requests(request, "unknown_token")
            raise
        # A view that renders its own "not found" page.
        if response.status_code == 404 and hit("unknown_token", client_address(request), request):
            return too_many_requests(request, "unknown_token")
        return response

    return guarded


def _not_found(request: HttpRequest) -> HttpResponse:
    if hit("unknown_token", client_address(request), request):
        return too_many_requests(request, "unknown_token")
    raise Http404("no such token")


def too_many_requests_for(
    request: HttpRequest, seconds: float, *, template: str = "429.html"
) -> HttpResponse:
    """The friendly 429 page for a wait of `seconds` (whole minutes on the page)."""
    minutes = max(1, math.ceil(seconds / 60))
    response = render(request, template, {"minutes": minutes}, status=429)
    response["Retry-After"] = str(max(1, math.ceil(seconds)))
    return response


def signin_paused(request: HttpRequest, seconds: float) -> HttpResponse:
    """The page of a paused sign-in: why, and in how many minutes to try again."""
    return too_many_requests_for(request, seconds, template="429_signin.html")


def signin_locked_out(request: HttpRequest, credentials: Any = None, **kwargs: Any) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in: the sign-in paused page, with the
    lockout's own length."""
    return signin_paused(request, settings.AXES_COOLOFF_TIME.total_seconds())


# Staff pages whose POSTs are counted per signed-in user, most specific first: the
# workshop's many small saves get a limit of their own, every other staff write (notes
# and status changes, taking a case, agent mode, revoking links, the admin) shares one.
STAFF_WRITES = (
    ("/staff/flows/", "workshop"),
    ("/staff/", "staff_write"),
    ("/admin/", "staff_write"),
)
# django-otp-webauthn's sign-in ceremony (two POSTs a sign-in, signed out).
PASSKEY_SIGNIN = "/staff/passkeys/authentication/"
# Signing out always works, even past a limit.
STAFF_WRITES_EXEMPT = ("/staff/logout/",)


def staff_scope(path: str) -> str | None:
    """The limit a signed-in POST to this path counts against, or None."""
    if path.startswith(STAFF_WRITES_EXEMPT):
        return None
    return next((scope for prefix, scope in STAFF_WRITES if path.startswith(prefix)), None)


class StaffWriteLimits:
    """Bound every write a signed-in staff member makes, per user (not per address: an
    office shares one). One middleware rather than a decorator per view, so a staff POST
    added later is bounded too. Sign-in failures are django-axes' (by user and address)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: View, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.method != "POST":
            return None
        if not request.user.is_authenticated:
            # A passkey sign-in is a POST before anyone is signed in: per address.
            if request.path_info.startswith(PASSKEY_SIGNIN) and hit(
                "passkey_signin", client_address(request), request
            ):
                return too_many_requests(request, "passkey_signin")
            return None
        scope = staff_scope(request.path_info)
        if scope is not None and hit(scope, f"user:{request.user.pk}", request):
            return too_many_requests(request, scope)
        return None
