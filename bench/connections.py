"""What a question page costs in one process with each way of holding database connections:
opened and closed per request, kept open (CONN_MAX_AGE), or lent by a pool.

Requests go through Django's WSGI handler as gunicorn sends them, so the request_started
and request_finished signals close (or keep) connections as they do in production; the
test client would skip that. Production settings on a fresh database of its own; each
variant runs once per round, rounds interleave, and it prints the medians.

    .venv/bin/python -m bench.connections [sqlite|postgresql]
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from collections.abc import Iterable
from typing import Any

import django

from bench.servers import Server, postgres_is_reachable

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "300"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))


def variants(database: str, configured: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each way to hold connections, as changes to the database's settings."""
    without_pool = {
        name: value for name, value in configured.get("OPTIONS", {}).items() if name != "pool"
    }
    if database == "sqlite":
        return {
            "connect per request (CONN_MAX_AGE=0)": {"CONN_MAX_AGE": 0},
            "kept open (the settings)": {},
        }
    return {
        "connect per request, no pool": {"CONN_MAX_AGE": 0, "OPTIONS": without_pool},
        "psycopg pool (the settings)": {},
        "kept open, no pool (CONN_MAX_AGE)": {"CONN_MAX_AGE": None, "OPTIONS": without_pool},
    }


def environ(path: str) -> dict[str, Any]:
    """A GET as gunicorn hands it to Django, from a browser that accepts gzip."""
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT_ENCODING": "gzip",
        "HTTP_ACCEPT_LANGUAGE": "id",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def main(database: str) -> None:
    """Prepare a database, then time question pages under each variant."""
    server = Server(database)
    server.prepare()
    try:
        os.environ.update(server.environment() | {"ALLOWED_HOSTS": "127.0.0.1,testserver"})
        django.setup()
        measure(database)
    finally:
        server.remove()


def measure(database: str) -> None:
    """Interleaved rounds of REQUESTS question pages per variant; print the medians."""
    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.test import Client

    application = get_wsgi_application()
    url = Client().post("/start/")["Location"]
    original = dict(connection.settings_dict)
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], *_: Any) -> Any:
        statuses.append(status)

    def get() -> None:
        body: Iterable[bytes] = application(environ(url), start_response)
        b"".join(body)
        body.close()  # type: ignore[attr-defined]  # request_finished, as gunicorn sends it

    cpu: dict[str, list[float]] = {}
    wall: dict[str, list[float]] = {}
    for _ in range(ROUNDS):
        for name, change in variants(database, original).items():
            connection.close()
            if hasattr(connection, "close_pool"):
                connection.close_pool()
            connection.settings_dict.clear()
            connection.settings_dict.update(original | change)
            for _ in range(20):  # warm caches, open the pool
                get()
            began_cpu, began_wall = time.process_time(), time.perf_counter()
            for _ in range(REQUESTS):
                get()
            cpu.setdefault(name, []).append(1000 * (time.process_time() - began_cpu) / REQUESTS)
            wall.setdefault(name, []).append(1000 * (time.perf_counter() - began_wall) / REQUESTS)
    assert set(statuses) == {"200 OK"}, set(statuses)
    print(f"\n{server_label(database)}: a question page (GET), in one process, {REQUESTS} requests")
    print(f"per variant, median of {ROUNDS} interleaved rounds\n")
    print(f"{'':40}{'CPU ms':>9}{'wall ms':>9}")
    for name in cpu:
        print(f"{name:40}{statistics.median(cpu[name]):>9.3f}{statistics.median(wall[name]):>9.3f}")


def server_label(database: str) -> str:
    return "SQLite" if database == "sqlite" else "PostgreSQL + Redis"


if __name__ == "__main__":
    chosen = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    if chosen == "postgresql" and not postgres_is_reachable():
        sys.exit("PostgreSQL is not reachable.")
    main(chosen)
