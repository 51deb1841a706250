"""`make bench`: the wizard under gunicorn on SQLite and on PostgreSQL, side by side.

For each database it measures, at a fixed number of concurrent connections, the
throughput and p50/p99 latency of a question page (GET), an answer (POST, accepted and
stored) and a bare Django view on the same server, then prints the ratio wizard/bare:
how close a wizard step stays to Django's own floor. It prints figures; it asserts
nothing. Loopback only; bounded by BENCH_SECONDS per measurement.

    BENCH_SECONDS=5 BENCH_CONNECTIONS=8 .venv/bin/python -m bench.throughput
"""

from __future__ import annotations

import json
import multiprocessing
import os
import platform
import random
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import django

from bench.seller import Browser, start_session, step_form
from bench.servers import ROOT, Server, postgres_is_reachable

SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "1"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
SCENARIOS = {
    "question": "question page (GET)",
    "answer": "answer (POST)",
    "bare": "bare Django view (GET)",
}


@dataclass(frozen=True)
class Figures:
    """One measurement: requests per second and latency percentiles in milliseconds."""

    requests: int
    errors: int
    per_second: float
    p50_ms: float
    p99_ms: float
    # Server CPU per request: unlike throughput, not skewed by other load on the machine.
    cpu_ms: float


def one_connection(base_url: str, scenario: str, seed: int) -> tuple[list[float], int, int]:
    """A closed loop on one connection: latencies (s) measured after the warm-up, errors,
    and every request answered (the warm-up's too)."""
    browser = Browser(base_url)
    chance = random.Random(seed)
    url = "/bench/bare/"
    expected = 200
    form = None
    if scenario != "bare":
        url = start_session(browser)
        page = browser.request("GET", url)
        form = step_form(page.body)
        assert form is not None, "the first question has no answer form"
    if scenario == "answer":
        assert form is not None
        expected = 303
    latencies: list[float] = []
    errors = answered = 0
    began = time.monotonic()
    measure_from, stop_at = began + WARMUP, began + WARMUP + SECONDS
    revision = form.revision if form else 0
    while (now := time.monotonic()) < stop_at:
        try:
            if scenario == "answer":
                assert form is not None
                value = chance.choice(form.choices()[:2])
                sent = form.post(value) | {"revision": str(revision)}
                reply = browser.request("POST", form.action, sent)
                revision += 1
            else:
                reply = browser.request("GET", url)
        except OSError:
            errors += 1
            continue
        answered += 1
        if reply.status != expected:
            errors += 1
        elif now >= measure_from:
            latencies.append(reply.seconds)
    browser.close()
    return latencies, errors, answered


def measure(server: Server, scenario: str) -> Figures:
    """Run CONNECTIONS closed loops at once against one scenario."""
    jobs = [(server.url, scenario, seed) for seed in range(CONNECTIONS)]
    with multiprocessing.Pool(CONNECTIONS) as pool:
        cpu_before = server.cpu_seconds()
        results = pool.starmap(one_connection, jobs)
        cpu = server.cpu_seconds() - cpu_before
    latencies = sorted(latency for result, _, _ in results for latency in result)
    errors = sum(count for _, count, _ in results)
    answered = sum(count for _, _, count in results)
    if not latencies:
        return Figures(0, errors, 0.0, 0.0, 0.0, 0.0)
    return Figures(
        requests=len(latencies),
        errors=errors,
        per_second=len(latencies) / SECONDS,
        p50_ms=1000 * statistics.median(latencies),
        p99_ms=1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
        cpu_ms=1000 * cpu / max(answered, 1),
    )


def machine() -> str:
    """The machine the figures came from."""
    memory = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.machine(),
    )
    return (
        f"{os.cpu_count()} cores ({model}), {int(memory) / 2**20:.0f} GiB, "
        f"Python {platform.python_version()}, Django {django.get_version()}"
    )


def main() -> None:
    """Measure each database in turn, then print one table."""
    databases = ["sqlite"]
    if postgres_is_reachable():
        databases.append("postgresql")
    else:
        print("PostgreSQL is not reachable: measuring SQLite only.", file=sys.stderr)
    table: dict[str, dict[str, Figures]] = {}
    labels = {}
    for port, database in enumerate(databases, start=8701):
        with Server(database, port) as server:
            labels[database] = server.label
            workers = f"{server.workers} workers x {server.threads} threads"
            print(f"measuring {server.label} ...", file=sys.stderr)
            table[database] = {scenario: measure(server, scenario) for scenario in SCENARIOS}
    print_table(table, labels, workers)
    results = ROOT / "bench-results"
    results.mkdir(exist_ok=True)
    record = {
        "machine": machine(),
        "gunicorn": workers,
        "connections": CONNECTIONS,
        "seconds": SECONDS,
        "results": {db: {s: asdict(f) for s, f in rows.items()} for db, rows in table.items()},
    }
    (results / "throughput.json").write_text(json.dumps(record, indent=2))


def print_table(table: dict[str, dict[str, Figures]], labels: dict[str, str], workers: str) -> None:
    """The side-by-side table, and the ratio wizard/bare that we track."""
    print(f"\nMachine: {machine()}")
    print(f"gunicorn {workers}; {CONNECTIONS} connections; {SECONDS:g} s per line\n")
    print(f"{'':24}" + "".join(f"{labels[db]:>44}" for db in table))
    columns = f"{'req/s':>11}{'p50 ms':>11}{'p99 ms':>11}{'CPU ms':>11}"
    print(f"{'':24}" + columns * len(table))
    for scenario, name in SCENARIOS.items():
        cells = "".join(
            f"{f.per_second:>11.0f}{f.p50_ms:>11.1f}{f.p99_ms:>11.1f}{f.cpu_ms:>11.2f}"
            for f in (table[db][scenario] for db in table)
        )
        print(f"{name:24}{cells}")
    print(f"\n{'wizard/bare':24}" + f"{'by req/s':>22}{'by CPU/request':>22}" * len(table))
    for scenario in ("question", "answer"):
        cells = ""
        for db in table:
            wizard, bare = table[db][scenario], table[db]["bare"]
            cells += f"{wizard.per_second / max(bare.per_second, 1e-9):>22.2f}"
            cells += f"{bare.cpu_ms / max(wizard.cpu_ms, 1e-9):>22.2f}"
        print(f"{SCENARIOS[scenario]:24}{cells}")
    errors = {db: sum(f.errors for f in rows.values()) for db, rows in table.items()}
    print(f"\nErrors seen by clients: {errors}")


if __name__ == "__main__":
    main()
