"""Where a request's CPU goes, in one process with production settings: a question page
(GET), an htmx card (POST answered by htmx), a plain answer (POST 303) and a solution page.

Requests go through Django's WSGI handler as gunicorn hands them over (so the
request_started/request_finished signals run as in production). Each scenario is timed
without the profiler first (CPU per request), then profiled with cProfile on the
process's CPU clock (a wall clock would charge waits for the disk to whatever waited),
and each function's own time is charged to the part of the stack its module belongs to.
Last, each middleware's own CPU per request (its code around the next one's, and its
process_view), timed without the profiler on a second handler with timers between
the layers.

    .venv/bin/python -m bench.parts [sqlite|postgresql]
"""

from __future__ import annotations

import cProfile
import functools
import gzip
import io
import os
import pstats
import random
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Any

import django

from bench.seller import REVISION, Browser, Reply, start_session, step_form
from bench.servers import Server, postgres_is_reachable

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "300"))

# The first matching fragment of a function's file (or name) names its part.
PARTS: tuple[tuple[str, str], ...] = (
    ("crispy_forms", "crispy-forms"),
    ("django/forms", "forms and widgets"),
    ("django/template", "templates (engine)"),
    ("django/templatetags/static", "{% static %}"),
    ("django/urls", "URL resolving and {% url %}"),
    ("django/utils/translation", "i18n"),
    ("django/templatetags/i18n", "i18n"),
    ("gettext", "i18n"),
    ("gzip", "gzip"),
    ("zlib", "gzip"),
    ("django/middleware/csrf", "CSRF"),
    ("django/contrib/sessions", "sessions"),
    ("django/contrib/auth", "auth"),
    ("django/contrib/messages", "messages"),
    ("django/middleware/csp", "CSP"),
    ("django/utils/csp", "CSP"),
    ("django/middleware/locale", "locale middleware"),
    ("django/middleware", "other middleware (security, common, clickjacking)"),
    ("whitenoise", "WhiteNoise"),
    ("django_htmx", "django-htmx"),
    ("wizard/web/middleware", "StrictMethods, PrivatePages, DatabaseOutage"),
    ("wizard/web/limits", "rate limits"),
    ("django_ratelimit", "rate limits"),
    ("django/core/cache", "rate limits (cache)"),
    ("django/db", "database (ORM)"),
    ("sqlite3", "database (driver)"),
    ("psycopg", "database (driver)"),
    ("wizard/flows", "the flow walk"),
    ("django/core/handlers", "request handling"),
    ("django/http", "request handling"),
    ("django/core/signing", "signing (cookies)"),
    ("wizard", "our views and models"),
    ("django/utils", "django.utils (html, safestring, functional)"),
)


class InProcess(Browser):
    """bench.seller.Browser's interface, sent through the WSGI application in-process."""

    base_url = "http://127.0.0.1"

    def __init__(self, application: Any) -> None:
        super().__init__(self.base_url)
        self.application = application

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str | list[str]] | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> Reply:
        body = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else b""
        path, _, query = path.partition("?")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_ACCEPT_ENCODING": "gzip",
            "HTTP_ACCEPT_LANGUAGE": "id",
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for name, value in (extra_headers or {}).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        got: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], *_: Any) -> Any:
            got["status"], got["headers"] = int(status.split()[0]), headers

        began = time.perf_counter()
        result: Iterable[bytes] = self.application(environ, start_response)
        content = b"".join(result)
        result.close()  # type: ignore[attr-defined]  # request_finished, as gunicorn sends it
        headers = got["headers"]
        location = ""
        for name, value in headers:
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
            elif name.lower() == "location":
                location = value
            elif name.lower() == "content-encoding" and value == "gzip":
                content = gzip.decompress(content)
        seconds = time.perf_counter() - began
        return Reply(got["status"], location, content.decode(), seconds)


def scenarios(application: Any) -> dict[str, Callable[[], None]]:
    """Each measured request, ready to be sent again and again."""
    chance = random.Random(15)
    seller = InProcess(application)
    url = start_session(seller)
    form = step_form(seller.request("GET", url).body)
    assert form is not None
    revision = {"plain": form.revision}
    choices = form.choices()[:2]

    def question() -> None:
        assert seller.request("GET", url).status == 200

    def answer() -> None:
        sent = form.post(chance.choice(choices)) | {"revision": str(revision["plain"])}
        assert seller.request("POST", form.action, sent).status == 303
        revision["plain"] += 1

    carder = InProcess(application)
    card_url = start_session(carder)
    card_form = step_form(carder.request("GET", card_url).body)
    assert card_form is not None
    revision["htmx"] = card_form.revision
    headers = {"HX-Request": "true", "HX-Current-URL": f"http://127.0.0.1{card_url}"}

    def card() -> None:
        sent = card_form.post(chance.choice(choices)) | {"revision": str(revision["htmx"])}
        reply = carder.request("POST", card_form.action, sent, headers)
        found = REVISION.search(reply.body)
        assert reply.status == 200
        assert found
        assert int(found[1]) == revision["htmx"] + 1
        revision["htmx"] += 1

    solver = InProcess(application)
    solved = start_session(solver)
    for _ in range(50):
        page = solver.request("GET", solved).body
        step = step_form(page)
        if step is None:
            break
        solved = solver.request("POST", step.action, step.post(step.valid_value(chance))).location
    else:
        raise RuntimeError("no solution reached")

    def solution() -> None:
        assert 'class="step-card solution"' in solver.request("GET", solved).body

    return {
        "question page (GET)": question,
        "htmx card (POST)": card,
        "answer, plain (POST 303)": answer,
        "solution page (GET)": solution,
    }


def part_of(filename: str, function: str) -> str:
    where = filename.replace("\\", "/")
    for fragment, part in PARTS:
        if fragment in where or (where == "~" and fragment in function):
            return part
    return "Python built-ins and other"


def measure() -> None:
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    for name, send in scenarios(application).items():
        for _ in range(30):
            send()
        began = time.process_time()
        for _ in range(REQUESTS):
            send()
        cpu = 1000 * (time.process_time() - began) / REQUESTS
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(REQUESTS):
            send()
        profiler.disable()
        stats = pstats.Stats(profiler)
        parts: dict[str, float] = {}
        total = 0.0
        for (filename, _, function), row in stats.stats.items():  # type: ignore[attr-defined]
            own = row[2]
            total += own
            parts[part_of(filename, function)] = parts.get(part_of(filename, function), 0) + own
        print(f"\n{name}: {cpu:.2f} ms CPU per request (no profiler); parts, scaled to it:")
        for part, seconds in sorted(parts.items(), key=lambda item: -item[1]):
            print(f"  {part:52}{cpu * seconds / total:>7.3f} ms")
        if os.environ.get("BENCH_TOP"):
            stats.sort_stats("cumulative").print_stats(int(os.environ["BENCH_TOP"]))


VIEW = "the view, URL resolving and process_view"


def timed_application() -> tuple[Any, dict[str, float]]:
    """A second WSGI handler whose layers (each middleware, then the view) add their
    inclusive CPU time to the returned totals, by middleware path."""
    from django.conf import settings
    from django.core.handlers import base, exception
    from django.core.handlers.wsgi import WSGIHandler

    totals: dict[str, float] = dict.fromkeys([*settings.MIDDLEWARE, VIEW], 0.0)
    names = iter([VIEW, *reversed(settings.MIDDLEWARE)])
    original = exception.convert_exception_to_response

    def timed(get_response: Callable[[Any], Any], name: str) -> Callable[[Any], Any]:
        @functools.wraps(get_response)
        def call(*args: Any) -> Any:
            began = time.process_time()
            try:
                return get_response(*args)
            finally:
                totals[name] += time.process_time() - began

        return call

    def converted(get_response: Callable[[Any], Any]) -> Callable[[Any], Any]:
        return timed(original(get_response), next(names))

    # load_middleware wraps each layer with the name base.py imported.
    setattr(base, "convert_exception_to_response", converted)  # noqa: B010
    try:
        application: Any = WSGIHandler()
    finally:
        setattr(base, "convert_exception_to_response", original)  # noqa: B010
    # process_view hooks run inside the view's layer: charge them to their middleware.
    owners = {import_path(type(hook.__self__)): hook for hook in application._view_middleware}
    hooks = [f"{path} (process_view)" for path in owners]
    totals |= dict.fromkeys(hooks, 0.0)
    application._view_middleware = [
        timed(hook, f"{path} (process_view)") for path, hook in owners.items()
    ]
    return application, totals


def import_path(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def middleware_costs() -> None:
    """Each middleware's own CPU per request, for each scenario."""
    from django.conf import settings

    application, totals = timed_application()
    for name, send in scenarios(application).items():
        for _ in range(30):
            send()
        for key in totals:
            totals[key] = 0.0
        for _ in range(REQUESTS):
            send()
        layers = [*settings.MIDDLEWARE, VIEW]
        hooks = sum(seconds for key, seconds in totals.items() if key.endswith("(process_view)"))
        print(f"\n{name}: each middleware's own CPU per request")
        for number, layer in enumerate(layers):
            inner = totals[layers[number + 1]] if number + 1 < len(layers) else 0.0
            own = totals[layer] - inner - (hooks if layer == VIEW else 0.0)
            print(f"  {layer:60}{1000 * own / REQUESTS:>7.3f} ms")
        for key, seconds in totals.items():
            if key.endswith("(process_view)"):
                print(f"  {key:60}{1000 * seconds / REQUESTS:>7.3f} ms")


def main(database: str) -> None:
    server = Server(database)
    server.prepare()
    try:
        os.environ.update(server.environment() | {"ALLOWED_HOSTS": "127.0.0.1,testserver"})
        django.setup()
        measure()
        middleware_costs()
    finally:
        server.remove()


if __name__ == "__main__":
    chosen = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    if chosen == "postgresql" and not postgres_is_reachable():
        sys.exit("PostgreSQL is not reachable.")
    main(chosen)
