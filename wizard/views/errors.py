"""Error pages that need the request (its language, a CSP nonce), which Django's
defaults for 400 and CSRF failures render without."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400: a request we could not make sense of (a malformed form, a wrong host)."""
    return render(request, "400.html", status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a form sent without a valid CSRF token: usually a page open for too long."""
    return render(request, "403_csrf.html", status=403)
