"""What counting one seller write against the session's limit costs, kept on the session's
own row (`count_write`, added in the UPDATE that writes) or counted by django-ratelimit in
the cache (local memory, the single server's file cache, Redis): median microseconds per
write, in one process, on a test database of its own.

    .venv/bin/python -m bench.limit_counts          # SQLite; DATABASE_URL=… for PostgreSQL
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

import django

WRITES = int(os.environ.get("BENCH_WRITES", "2000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))


type Variant = tuple[Callable[[], AbstractContextManager[object]], Callable[[], object]]


def per_write(variants: dict[str, Variant]) -> dict[str, float]:
    """Median microseconds per call of each variant: ROUNDS rounds of WRITES calls, the
    variants interleaved within each round so that a busy machine weighs on all alike."""
    rounds: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(ROUNDS):
        for name, (around, work) in variants.items():
            with around():
                work()  # the first call connects and creates the key: not timed
                started = time.perf_counter()
                for _ in range(WRITES):
                    work()
                rounds[name].append((time.perf_counter() - started) / WRITES * 1e6)
    return {name: statistics.median(times) for name, times in rounds.items()}


def main() -> None:
    """Print one line per way of counting."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wizard.settings")
    django.setup()
    from django.db import connection
    from django.test import override_settings
    from django.utils import timezone

    from tests.documents import SMALL
    from wizard.sellers.models import FlowVersion, Session
    from wizard.web.limits import hit

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0)
    huge = {"answer": "100000000/m"}
    caches = {
        "local memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "file cache (one server)": {
            "BACKEND": "wizard.web.cache.FileCache",
            "LOCATION": tempfile.mkdtemp(prefix="limit-counts-"),
        },
    }
    if os.environ.get("REDIS_URL"):
        caches["Redis"] = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": f"bench-{uuid.uuid4().hex[:8]}",
        }
    try:
        with override_settings(RATE_LIMITS=huge, RATE_LIMITS_ENABLED=True):
            version, _ = FlowVersion.load(SMALL)
            session = Session.start(version, language="id")
            rows = Session.objects.filter(pk=session.pk)

            def in_cache(config: dict[str, str]) -> Variant:
                return (
                    lambda: override_settings(CACHES={"default": config}),
                    lambda: hit("answer", session.token_hash),
                )

            def answer_counted() -> object:
                # What an answer's own UPDATE adds: the counts, worked out in Python.
                now = timezone.now()
                return rows.update(updated_at=now, **session._counted(now))

            variants: dict[str, Variant] = {
                "plain": (nullcontext, lambda: rows.update(updated_at=timezone.now())),
                "row": (nullcontext, answer_counted),
                "row, added in SQL": (
                    nullcontext,
                    lambda: session.count_write(updated_at=timezone.now()),
                ),
            } | {name: in_cache(config) for name, config in caches.items()}
            costs = per_write(variants)
            plain, row = costs.pop("plain"), costs.pop("row")
            in_sql = costs.pop("row, added in SQL")
            print(f"{connection.vendor}: one UPDATE of the session row, no count: {plain:.0f} µs")
            print(
                f"{connection.vendor}: an answer's UPDATE, counting on the row: "
                f"{row:.0f} µs (+{row - plain:.0f})"
            )
            print(
                f"{connection.vendor}: a write off revision (count_write, CASE in SQL): "
                f"{in_sql:.0f} µs (+{in_sql - plain:.0f})"
            )
            for name, cost in costs.items():
                print(f"django-ratelimit in {name}: {cost:.0f} µs per count, beside the UPDATE")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
