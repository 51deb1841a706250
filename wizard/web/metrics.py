"""`/metrics` in Prometheus's text format, for the operator's monitoring only.

Counted as requests are served (per process, summed across gunicorn's workers through
prometheus_client's multiprocess directory, which gunicorn.conf.py sets up): requests
and their latency per view, answers, database and cache errors. Read from the database
at each scrape, through figures the apps register (`register_figure`; this module never
imports an app): escalated cases waiting, answers in the last minute.

Requests are counted by the request log's middleware rather than by django-prometheus,
whose releases declare themselves for Django before 6.1 only.

Closed to the public: a scrape must come from settings.METRICS_ALLOWED_NETWORKS or
carry `Authorization: Bearer <settings.METRICS_TOKEN>`; anyone else gets a 404.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
from collections.abc import Callable, Iterator

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from .limits import client_address

log = logging.getLogger(__name__)

REQUESTS = Counter(
    "wizard_requests_total",
    "Requests answered, by view, method and status.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "wizard_request_seconds",
    "Time to answer a request, by view.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
ANSWERS = Counter("wizard_answers_total", "Answers sellers (or agents) gave.")
DATABASE_ERRORS = Counter("wizard_database_errors_total", "Requests that lost the database.")

type Figure = Callable[[], float]
_figures: dict[str, tuple[str, Figure]] = {}


def register_figure(name: str, description: str, figure: Figure) -> None:
    """Add a gauge read at each scrape (apps call this from their AppConfig.ready)."""
    _figures[name] = (description, figure)


class Figures(Collector):
    """The registered figures, each read once per scrape; one that fails is left out."""

    def collect(self) -> Iterator[Metric]:
        for name, (description, figure) in _figures.items():
            try:
                value = figure()
            except Exception:
                log.warning("Metric %s could not be read", name, exc_info=True)
                continue
            yield GaugeMetricFamily(name, description, value=value)


def _registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = CollectorRegistry()
        registry.register(_Default())
    registry.register(Figures())
    return registry


class _Default(Collector):
    """This process's own counters (no gunicorn: runserver, the tests)."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


def is_allowed(request: HttpRequest) -> bool:
    """Whether the scrape comes from an allowed network or carries the bearer token.

    The address is the client's as our proxies report it (TRUSTED_PROXIES), so that
    nginx on the same machine does not make every visitor look local."""
    token = settings.METRICS_TOKEN
    offered = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return True
    try:
        client = ipaddress.ip_network(client_address(request), strict=False)
    except ValueError:
        return False
    for allowed in settings.METRICS_ALLOWED_NETWORKS:
        network = ipaddress.ip_network(allowed, strict=False)
        if network.version == client.version and client.subnet_of(network):  # type: ignore[arg-type]
            return True
    return False


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    """The figures in Prometheus's text format; a 404 for anyone not allowed."""
    if not is_allowed(request):
        raise Http404("no such page")
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
