"""The project's WSGI application, with one path that fails outside Django's own handling,
so that a gunicorn worker (with the project's settings loaded) logs "Error handling request"."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from wizard.wsgi import application as django_application


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Django's answer, except on /boom, which raises into gunicorn."""
    if environ.get("PATH_INFO") == "/boom":
        raise RuntimeError("a failure gunicorn itself must log")
    return django_application(environ, start_response)
