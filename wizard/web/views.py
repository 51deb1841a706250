"""Pages every deployment has whatever the audience: health and readiness, error pages, the
bench floor."""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import readiness

log = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers one trivial query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        log.warning("Health check failed: the database does not answer (%s)", error)
        return HttpResponse("database unavailable\n", content_type="text/plain", status=503)
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """Whether this server should get traffic: the database, the cache, a live flow and
    no pending migration, each named in the JSON body; 503 when any fails."""
    checks = readiness.run_checks()
    is_ready = all(result == "ok" for result in checks.values())
    body = {"status": "ready" if is_ready else "not ready", "checks": checks}
    return JsonResponse(body, status=200 if is_ready else 503)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400: a request we could not make sense of (a malformed form, a wrong host).

    Django's default 400 and CSRF pages render without the request (its language, a CSP
    nonce); these two need it."""
    return render(request, "400.html", status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a form sent without a valid CSRF token: usually a page open for too long."""
    return render(request, "403_csrf.html", status=403)


def bare(request: HttpRequest) -> HttpResponse:
    """Django's own floor for the benchmarks (routed only when settings.BENCH is on): the
    whole middleware stack, and nothing else: no template, no database."""
    return HttpResponse(b"ok\n", content_type="text/plain")
