"""Django templates against Jinja2 for the question page and the htmx card, side by side
in one process (issue 15, item 3: measure a faster engine before taking it).

Both engines render the same bytes (tests/web/test_jinja_port.py), from the same caches:
crispy-forms' fields and hidden inputs rendered once per (version, question, language,
prefill) by wizard.sellers.templatetags.sellers, the `{% once %}` fragments kept by
`{% once %}` for Django and by bench.jinja2env.once for Jinja2, URLs by plain_reverse.
Production settings plus the port's backend (bench.jinja_settings), a fresh SQLite
database, requests through Django's WSGI handler as in bench.inprocess (gzip included).

Each round sends REQUESTS pairs of one line's request: one rendered by Django's
templates, one by the port, A/B then B/A, so a neighbour's load on the shared cores falls
on both alike. The process's CPU clock is read around each whole request and around the
view's render() alone (the loader, context processors, the template, and whatever lazy
value the template evaluates). Medians over ROUNDS of each round's mean per request,
with the lowest and highest round; "saved" is Django's minus the port's, round by round.

What it decided (README, "Jinja2, side by side"; 2026-12-02, SQLite): the port saved
0.09-0.10 ms of a question page's ~2.7 ms of CPU (render() alone: 1.14 -> 1.01 ms) and
0.00-0.04 ms of an htmx card's ~4.5 ms, because the `{% once %}` fragments already took
most of the engine's work out of Django's templates; question page / bare view moves by
about 0.01. Below the 0.3 ms that a second template language would have to pay for,
production keeps one, Django's, which crispy-forms, django-htmx, djade and the team use.

    .venv/bin/python -m bench.engines [sqlite|postgresql] 2>/dev/null

(stderr carries production's request log, one line a request, as in production.)
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from bench.servers import Server, postgres_is_reachable

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "21"))
LINES = {"question": "question page (GET)", "answer_htmx": "htmx card (POST)"}
ENGINES = ("django", "jinja2")


def timed_render(render: Callable[..., Any], spent: list[float]) -> Callable[..., Any]:
    """The view's render(), adding its CPU seconds to spent[0]."""

    def call(*args: Any, **kwargs: Any) -> Any:
        began = time.process_time()
        try:
            return render(*args, **kwargs)
        finally:
            spent[0] += time.process_time() - began

    return call


def measure() -> tuple[dict[tuple[str, str], list[float]], dict[tuple[str, str], list[float]]]:
    """Per (line, engine): CPU ms per request, and of it render()'s, for each round."""
    from django.core.wsgi import get_wsgi_application
    from django.shortcuts import render as django_render

    from bench import jinja2env
    from bench.parts import InProcess
    from bench.throughput import ready_loop
    from wizard.sellers.views import steps

    application = get_wsgi_application()
    chance = random.Random(15)
    loops = {line: ready_loop(InProcess(application), line, chance) for line in [*LINES, "bare"]}
    spent = [0.0]
    renders = {
        "django": timed_render(django_render, spent),
        "jinja2": timed_render(jinja2env.render, spent),
    }
    whole: dict[tuple[str, str], list[float]] = {}
    rendering: dict[tuple[str, str], list[float]] = {}
    for number in range(ROUNDS + 1):  # round 0 warms both engines' caches up
        for line in [*LINES, "bare"]:
            engines = ("django",) if line == "bare" else ENGINES  # bare renders no template
            cpu = dict.fromkeys(engines, 0.0)
            render = dict.fromkeys(engines, 0.0)
            for request in range(REQUESTS if number else 30):
                # One request by each engine in turn, the first one flipping each time.
                for engine in engines if request % 2 == 0 else engines[::-1]:
                    setattr(steps, "render", renders[engine])  # noqa: B010
                    spent[0] = 0.0
                    began = time.process_time()
                    is_expected, _ = loops[line].send()
                    cpu[engine] += time.process_time() - began
                    render[engine] += spent[0]
                    assert is_expected, (line, engine)
            if number:
                for engine in engines:
                    whole.setdefault((line, engine), []).append(1000 * cpu[engine] / REQUESTS)
                    rendering.setdefault((line, engine), []).append(
                        1000 * render[engine] / REQUESTS
                    )
    setattr(steps, "render", django_render)  # noqa: B010
    return whole, rendering


def spread(rounds: list[float]) -> str:
    return f"{statistics.median(rounds):6.3f} ({min(rounds):.3f}-{max(rounds):.3f})"


def main(database: str) -> None:
    import django

    server = Server(database)
    server.prepare()
    try:
        os.environ.update(
            server.environment()
            | {
                "ALLOWED_HOSTS": "127.0.0.1,testserver",
                "DJANGO_SETTINGS_MODULE": "bench.jinja_settings",
            }
        )
        django.setup()
        whole, rendering = measure()
    finally:
        server.remove()
    print(
        f"CPU ms per request in one process, {database}, {ROUNDS} rounds of {REQUESTS} "
        "A/B pairs, median (lowest-highest round):"
    )
    print(f"  {'line':22}{'engine':9}{'whole request':>26}{'render() alone':>26}")
    for line, name in LINES.items():
        for engine in ENGINES:
            key = (line, engine)
            print(f"  {name:22}{engine:9}{spread(whole[key]):>26}{spread(rendering[key]):>26}")
        saved = [
            d - j for d, j in zip(whole[(line, "django")], whole[(line, "jinja2")], strict=True)
        ]
        saved_render = [
            d - j
            for d, j in zip(rendering[(line, "django")], rendering[(line, "jinja2")], strict=True)
        ]
        print(f"  {name:22}{'saved':9}{spread(saved):>26}{spread(saved_render):>26}")
    bare = statistics.median(whole[("bare", "django")])
    print(f"  {'bare view':22}{'-':9}{spread(whole[('bare', 'django')]):>26}")
    print("Question page / bare view by CPU (target >= 0.3 by req/s in make bench):")
    for engine in ENGINES:
        print(f"  {engine:9}{bare / statistics.median(whole[('question', engine)]):.3f}")


if __name__ == "__main__":
    chosen = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    if chosen == "postgresql" and not postgres_is_reachable():
        sys.exit("PostgreSQL is not reachable.")
    main(chosen)
