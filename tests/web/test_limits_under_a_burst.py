"""Limits hold under a burst without Redis: on one server the file cache counts exactly,
across the threads of a worker and across workers."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from tests.conftest import caches_with
from wizard.web.limits import hit

# Starts per hour rather than per minute: one burst must never straddle a window's edge.
RATES = {"start": "60/h"}
WORKERS, THREADS = 3, 50  # 150 starts at once, as many as the review's burst


def file_cache(directory: Path, backend: str = "wizard.web.cache.FileCache") -> dict[str, Any]:
    return caches_with({"BACKEND": backend, "LOCATION": str(directory)})


def starts_let_through(threads: int) -> int:
    """How many of `threads` simultaneous starts from one address pass the limit."""
    start, passed, lock = threading.Barrier(threads), [0], threading.Lock()

    def one_start() -> None:
        start.wait()
        if not hit("start", "198.51.100.5"):
            with lock:
                passed[0] += 1

    workers = [threading.Thread(target=one_start) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return passed[0]


def _worker(directory: str, backend: str, ready: Any, results: Any) -> None:
    with override_settings(CACHES=file_cache(Path(directory), backend), RATE_LIMITS=RATES):
        ready.wait()
        results.put(starts_let_through(THREADS))


def burst(directory: Path, backend: str = "wizard.web.cache.FileCache") -> int:
    """150 starts at once from three worker processes of fifty threads each."""
    # Forked, as gunicorn forks its workers (and a fresh interpreter each would cost
    # seconds); the children only start threads of their own and count in files.
    context = multiprocessing.get_context("fork")
    ready, results = context.Barrier(WORKERS), context.Queue()
    processes = [
        context.Process(target=_worker, args=(str(directory), backend, ready, results))
        for _ in range(WORKERS)
    ]
    for process in processes:
        process.start()
    passed = sum(int(results.get(timeout=120)) for _ in processes)
    for process in processes:
        process.join(timeout=30)
    return passed


@override_settings(RATE_LIMITS=RATES, RATE_LIMITS_ENABLED=True)
def test_a_burst_of_threads_passes_exactly_the_limit(tmp_path: Path) -> None:
    with override_settings(CACHES=file_cache(tmp_path)):
        assert starts_let_through(150) == 60


# pytest-xdist's own threads make Python warn about forking; the children touch none of them.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
@override_settings(RATE_LIMITS=RATES, RATE_LIMITS_ENABLED=True)
def test_a_burst_across_worker_processes_passes_exactly_the_limit(tmp_path: Path) -> None:
    assert burst(tmp_path) == 60
    # A second burst in the same window finds the limit used up: nothing passes.
    assert burst(tmp_path) == 0
