"""Django's own floor for the benchmarks: only routed when settings.BENCH is on."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def bare(request: HttpRequest) -> HttpResponse:
    """The whole middleware stack, and nothing else: no template, no database."""
    return HttpResponse(b"ok\n", content_type="text/plain")
