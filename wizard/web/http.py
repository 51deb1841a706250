"""HTTP helpers every audience's views share: the redirect after a POST, the request type
django-htmx gives, and the decorators of a staff page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponseRedirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_htmx.middleware import HtmxDetails

SAFE = ("GET", "HEAD")
FORM = ("GET", "HEAD", "POST")
POST = ("POST",)


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware."""

    htmx: HtmxDetails


def see_other(url: str) -> HttpResponseRedirect:
    """Redirect after a POST so that reload does not post again."""
    return HttpResponseRedirect(url, status=303)


def staff_page[V: Callable[..., Any]](
    permission: str | None = None, *, methods: Sequence[str] = SAFE
) -> Callable[[V], V]:
    """A staff page: never cached, only `methods`, signed in (else the sign-in page), and
    holding `permission` when one is named (else 403)."""

    def decorate(view: V) -> V:
        checked: Any = view
        if permission is not None:
            checked = permission_required(permission, raise_exception=True)(checked)
        checked = require_http_methods(list(methods))(login_required(checked))
        return never_cache(checked)  # type: ignore[no-any-return]

    return decorate
