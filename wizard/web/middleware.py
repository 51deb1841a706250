"""Rules that hold for every request: forwarded headers, allowed methods, private pages,
database outages."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from .limits import is_trusted_proxy
from .metrics import DATABASE_ERRORS
from .roles import EDITORS

log = logging.getLogger(__name__)

# Methods some view may accept; a view's own decorator answers 405 for the rest of these.
# Anything else (TRACE, TRACK, CONNECT, WebDAV verbs…) is refused before URL resolution,
# so that unknown paths answer it with 405 too, not 404.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

# Pages whose URL is a capability (a session or share token) or that show staff data:
# no browser or proxy may keep a copy.
PRIVATE_PREFIXES = ("/s/", "/share/", "/staff/", "/admin/")

Handler = Callable[[HttpRequest], HttpResponse]


# What only our proxies may tell: the client's address and whether it came over HTTPS.
FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")


class ProxyHeaders:
    """Drop forwarded headers from a connection that is not one of settings.TRUSTED_PROXIES,
    so that nothing after (Django's HTTPS check, django-axes, the limits) believes them."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_trusted_proxy(str(request.META.get("REMOTE_ADDR", ""))):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


class StrictMethods:
    """405, with a friendly page, for a method the URL does not allow."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in KNOWN_METHODS:
            response = HttpResponse(status=405)
            response["Allow"] = "GET, HEAD, POST"
        else:
            response = self.get_response(request)
        # Views refuse methods with Django's empty 405; a person deserves a page (HEAD
        # gets none: its response has no body).
        is_empty = not response.streaming and not response.content
        if response.status_code == 405 and is_empty and request.method != "HEAD":
            page = render(request, "405.html", status=405)
            page["Allow"] = response["Allow"]
            return page
        return response


# Browser features the site never uses, denied to it and to anything it might embed;
# passkeys (staff sign-in, WebAuthn) for this origin only.
PERMISSIONS_POLICY = ", ".join(
    [
        "publickey-credentials-create=(self)",
        "publickey-credentials-get=(self)",
    ]
    + [
        f"{feature}=()"
        for feature in (
            "accelerometer",
            "autoplay",
            "bluetooth",
            "browsing-topics",
            "camera",
            "display-capture",
            "encrypted-media",
            "geolocation",
            "gyroscope",
            "hid",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "serial",
            "usb",
            "xr-spatial-tracking",
        )
    ]
)


class BrowserPolicies:
    """`Permissions-Policy` (deny what the site does not use) and
    `Cross-Origin-Resource-Policy` (no other site may load our pages or files)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class PrivatePages:
    """Django's never-cache headers (`never_cache`'s) on session, share and staff pages,
    admin included, without decorating each of their views."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith(PRIVATE_PREFIXES):
            add_never_cache_headers(response)
        return response


# What an editor without two-step sign-in may still open when it is required.
# Adding a passkey (/staff/passkeys/) is setting it up.
TWO_FACTOR_EXEMPT = (
    "/staff/two-factor/",
    "/staff/passkeys/",
    "/staff/logout/",
    "/staff/login/",
    "/i18n/",
)


class EditorsSignInTwice:
    """With settings.STAFF_2FA_REQUIRED, an editor who has not signed in with an
    authenticator code is sent to set it up (or to sign in again) before any staff page."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = getattr(request, "user", None)
        if (
            settings.STAFF_2FA_REQUIRED
            and request.path_info.startswith(("/staff/", "/admin/"))
            and not request.path_info.startswith(TWO_FACTOR_EXEMPT)
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and user.groups.filter(name=EDITORS).exists()
        ):
            return redirect("two_factor")
        return self.get_response(request)


class DatabaseOutage:
    """503 and "try again in a moment" while the database cannot be reached."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A lost connection (a restart, a failover) is temporary: say so, and when to retry."""
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        DATABASE_ERRORS.inc()
        log.error("Database unavailable: %s", exception, exc_info=exception)
        # The 500 page: it needs neither the database nor translations.
        response = HttpResponse(render_to_string("500.html"), status=503)
        response["Retry-After"] = "5"
        return response
