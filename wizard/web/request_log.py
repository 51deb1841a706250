"""One log line per request, and the same request id on every line of that request.

The id comes from the proxy in front (nginx's `$request_id` in `X-Request-ID`) when it
looks like one, so a request can be followed from nginx's log to ours; otherwise it is
made here. It goes back in the `X-Request-ID` response header, so that a seller's
screenshot or a support ticket can name the line.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable

from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from pythonjsonlogger.json import JsonFormatter

from .metrics import LATENCY, REQUESTS
from .token_masking import mask_tokens

log = logging.getLogger("wizard.request")

COUNTED_METHODS = frozenset({"GET", "HEAD", "POST"})
REQUEST_ID = re.compile(r"[A-Za-z0-9-]{8,64}")
current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

Handler = Callable[[HttpRequest], HttpResponse]


class RequestLog:
    """Give the request an id, answer with it, and log the request once it is answered."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
        # Kept until the response is closed: Django logs a 4xx or 5xx after the last
        # middleware has returned (see `_forget_request_id`).
        current_request_id.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        elapsed = time.perf_counter() - started
        match = request.resolver_match
        view = match.view_name if match is not None else "unmatched"
        method = request.method if request.method in COUNTED_METHODS else "other"
        REQUESTS.labels(view, method, str(response.status_code)).inc()
        LATENCY.labels(view).observe(elapsed)
        path = mask_tokens(request.path)  # once: the message and the field show it
        query = request.META.get("QUERY_STRING", "")
        log.info(
            "%s %s %s",
            request.method,
            f"{path}?{mask_tokens(query)}" if query else path,
            response.status_code,
            extra={
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": round(elapsed * 1000, 1),
            },
        )
        return response


@receiver(request_finished, dispatch_uid="wizard.web.request_log")
def _forget_request_id(sender: object, **kwargs: object) -> None:
    """Lines logged between requests belong to none."""
    current_request_id.set("-")


class WithRequestId(logging.Filter):
    """A logging filter that stamps each record with the id of the request being served."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Add `request_id`; never drop the record."""
        record.request_id = current_request_id.get()
        return True


class MaskedJsonFormatter(JsonFormatter):
    """JSON lines with every token masked, in the message and in every extra field
    (Django adds the request itself to its records)."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one JSON line, masked."""
        return mask_tokens(super().format(record))


class QuietHead(logging.Filter):
    """Drop Django's "Method Not Allowed (HEAD)" warning: monitors and link previews send
    HEAD to GET-only pages all day, and the 405 they get is the answer, not a problem."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record but a 405 to a HEAD request."""
        request = getattr(record, "request", None)
        method = getattr(request, "method", None)
        return not (getattr(record, "status_code", None) == 405 and method == "HEAD")
