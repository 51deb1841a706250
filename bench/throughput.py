"""`make bench`: the wizard under gunicorn on SQLite and on PostgreSQL + Redis, beside
Django's floor and beside a django-formtools wizard, all in one run.

On each database it starts two servers with the same production settings and
gunicorn.conf.py: the wizard, and the peer in bench/peer/ (five radio steps in a
NamedUrlSessionWizardView). It measures, at a fixed number of keep-alive connections,
the throughput, p50/p99 latency and server CPU per request of:

- the wizard's question page (GET), an answer posted plainly (303 to the next step) and
  by htmx (the next step's card), a solution page (GET), and the bare view (the whole
  middleware stack, nothing else);
- the peer's step (GET) and answer (POST, 302 to the next step).

Every scenario runs once per round, rounds interleave the scenarios and both databases
(each round in the opposite order to the last), and the table shows the medians: a
machine shared with other work drifts, and it drifts for all of them alike. It prints
figures and asserts nothing. Loopback only; each measurement lasts BENCH_WARMUP +
BENCH_SECONDS.

    BENCH_ROUNDS=5 BENCH_SECONDS=3 BENCH_CONNECTIONS=8 .venv/bin/python -m bench.throughput
"""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.queues
import os
import platform
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from multiprocessing.synchronize import Barrier, Event
from pathlib import Path
from typing import Any

import django

from bench.seller import CSRF, REVISION, Browser, start_session, step_form
from bench.servers import ROOT, Server, postgres_is_reachable

SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "0.5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
SETUP_ATTEMPTS = 5

# scenario: (which server, what a reader sees)
SCENARIOS = {
    "question": ("wizard", "question page (GET)"),
    "answer": ("wizard", "answer, plain (POST 303)"),
    "answer_htmx": ("wizard", "answer, htmx (POST card)"),
    "solution": ("wizard", "solution page (GET)"),
    "bare": ("wizard", "bare Django view (GET)"),
    "peer_step": ("peer", "formtools step (GET)"),
    "peer_answer": ("peer", "formtools answer (POST)"),
}
# (ours, theirs, the target for ours/theirs by req/s)
RATIOS = [
    ("question", "bare", 0.3),
    ("answer", "bare", 0.25),
    ("answer_htmx", "bare", None),
    ("solution", "bare", None),
    ("question", "peer_step", 2.5),
    ("answer", "peer_answer", 1.25),
    ("answer_htmx", "peer_answer", None),
]
# A full step, as a seller lives it: the answer sent and the next question on screen.
# (name, our requests, the peer's requests, the target for ours/theirs by req/s)
FULL_STEPS: list[tuple[str, tuple[str, ...], tuple[str, ...], float]] = [
    ("full step, plain (POST + GET)", ("answer", "question"), ("peer_answer", "peer_step"), 1.5),
    ("full step, htmx (one POST)", ("answer_htmx",), ("peer_answer", "peer_step"), 2.0),
]

PEER_STEP = re.compile(r'name="([^"]*-current_step)" value="([^"]*)"')
PEER_CHOICE = re.compile(r'<input type="radio" name="([^"]+)" value="([^"]*)"')


@dataclass(frozen=True)
class Figures:
    """One measurement: requests per second and latency percentiles in milliseconds."""

    requests: int
    errors: int
    per_second: float
    p50_ms: float
    p99_ms: float
    # Server CPU per request: unlike throughput, hardly skewed by other load on the machine.
    cpu_ms: float


@dataclass(frozen=True)
class Loop:
    """A connection ready to repeat one request: `send` sends it and says whether the
    reply was the expected one; `check` counts what went wrong unseen (run after)."""

    send: Callable[[], tuple[bool, float]]
    check: Callable[[], int] = lambda: 0


def get(browser: Browser, url: str, expected: int = 200, marker: str = "") -> Loop:
    """The same page again and again."""

    def send() -> tuple[bool, float]:
        reply = browser.request("GET", url)
        return reply.status == expected and marker in reply.body, reply.seconds

    return Loop(send)


def answers(browser: Browser, chance: random.Random, *, htmx: bool) -> Loop:
    """The first question answered again and again, each answer accepted and stored."""
    url = start_session(browser)
    form = step_form(browser.request("GET", url).body)
    assert form is not None, "the first question has no answer form"
    revision = form.revision
    headers = {"HX-Request": "true", "HX-Current-URL": f"{browser.base_url}{url}"} if htmx else {}

    def send() -> tuple[bool, float]:
        nonlocal revision
        value = chance.choice(form.choices()[:2])
        sent = form.post(value) | {"revision": str(revision)}
        reply = browser.request("POST", form.action, sent, headers)
        if not htmx:
            revision += 1  # A refused answer redirects too: `check` finds it.
            return reply.status == 303, reply.seconds
        # The next card carries the next revision: the answer was taken.
        card = REVISION.search(reply.body)
        is_taken = reply.status == 200 and card is not None and int(card[1]) == revision + 1
        revision += 1
        return is_taken, reply.seconds

    def check() -> int:
        page = step_form(browser.request("GET", url).body)
        return abs(page.revision - revision) if page else 1

    return Loop(send, check)


def solution(browser: Browser, chance: random.Random) -> Loop:
    """A session walked to a solution by plausible answers, then its solution page."""
    url = start_session(browser)
    for _ in range(50):
        form = step_form(browser.request("GET", url).body)
        if form is None:
            return get(browser, url, marker='class="step-card solution"')
        url = browser.request("POST", form.action, form.post(form.valid_value(chance))).location
    raise RuntimeError("fifty answers reached no solution")


def peer_answers(browser: Browser, chance: random.Random) -> Loop:
    """The peer's first step answered again and again (each POST stores it, 302 onwards)."""
    url = browser.request("GET", "/peer/").location
    page = browser.request("GET", url).body
    csrf, step = CSRF.search(page), PEER_STEP.search(page)
    choices = PEER_CHOICE.findall(page)
    if csrf is None or step is None or not choices:
        raise RuntimeError("the peer's first step has no form")
    field = choices[0][0]

    def send() -> tuple[bool, float]:
        value = chance.choice([value for _, value in choices[:2]])
        sent = {"csrfmiddlewaretoken": csrf[1], step[1]: step[2], field: value}
        reply = browser.request("POST", url, sent)
        return reply.status == 302 and reply.location != url, reply.seconds

    return Loop(send)


def ready_loop(browser: Browser, scenario: str, chance: random.Random) -> Loop:
    """Open a session as the scenario needs, and return the request it repeats."""
    if scenario == "bare":
        return get(browser, "/bench/bare/")
    if scenario == "question":
        return get(browser, start_session(browser), marker='class="answer-form"')
    if scenario in ("answer", "answer_htmx"):
        return answers(browser, chance, htmx=scenario == "answer_htmx")
    if scenario == "solution":
        return solution(browser, chance)
    if scenario == "peer_step":
        return get(browser, browser.request("GET", "/peer/").location, marker="current_step")
    return peer_answers(browser, chance)


def one_connection(
    base_url: str,
    scenario: str,
    seed: int,
    ready: Barrier,
    done: Barrier,
    measured: Event,
    results: multiprocessing.queues.Queue[tuple[list[float], int, int]],
) -> None:
    """A closed loop on one connection. Its setup (starting a session, walking it to a
    solution) happens before `ready`, and its final check after `measured`: the server's
    CPU is read between the two, so only the repeated requests are counted."""
    browser = Browser(base_url)
    latencies: list[float] = []
    errors = answered = 0
    for _attempt in range(SETUP_ATTEMPTS):
        try:
            loop = ready_loop(browser, scenario, random.Random(seed))
            break
        except OSError as refused:
            # A refused setup (a 503, say) is the server's error to count, not the bench's end.
            errors += 1
            print(f"{scenario}: setting up a connection failed: {refused}", file=sys.stderr)
            browser.close()
    else:
        raise RuntimeError(f"{scenario}: no connection could be set up")
    ready.wait()
    began = time.monotonic()
    measure_from, stop_at = began + WARMUP, began + WARMUP + SECONDS
    while (now := time.monotonic()) < stop_at:
        try:
            is_expected, seconds = loop.send()
        except OSError:
            errors += 1
            continue
        answered += 1
        if not is_expected:
            errors += 1
        elif now >= measure_from:
            latencies.append(seconds)
    done.wait()
    measured.wait()
    errors += loop.check()
    browser.close()
    results.put((latencies, errors, answered))


def measure(server: Server, scenario: str) -> Figures:
    """Run CONNECTIONS closed loops at once against one scenario."""
    context = multiprocessing.get_context("fork")
    ready, done = context.Barrier(CONNECTIONS + 1), context.Barrier(CONNECTIONS + 1)
    measured = context.Event()
    results: multiprocessing.queues.Queue[tuple[list[float], int, int]] = context.Queue()
    connections = [
        context.Process(
            target=one_connection,
            args=(server.url, scenario, seed, ready, done, measured, results),
        )
        for seed in range(CONNECTIONS)
    ]
    for connection in connections:
        connection.start()
    ready.wait(timeout=120)
    cpu_before = server.cpu_seconds()
    done.wait(timeout=WARMUP + SECONDS + 60)
    cpu = server.cpu_seconds() - cpu_before
    measured.set()
    gathered = [results.get(timeout=60) for _ in connections]
    for connection in connections:
        connection.join()
    latencies = sorted(latency for result, _, _ in gathered for latency in result)
    errors = sum(count for _, count, _ in gathered)
    answered = sum(count for _, _, count in gathered)
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


def median(rounds: list[Figures]) -> Figures:
    """Each figure's median over the rounds (errors and requests: their sums)."""
    return Figures(
        requests=sum(f.requests for f in rounds),
        errors=sum(f.errors for f in rounds),
        per_second=statistics.median(f.per_second for f in rounds),
        p50_ms=statistics.median(f.p50_ms for f in rounds),
        p99_ms=statistics.median(f.p99_ms for f in rounds),
        cpu_ms=statistics.median(f.cpu_ms for f in rounds),
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
    """Start every server, measure the scenarios in interleaved rounds, print one table;
    given a saved bench-results/throughput.json instead, print its table again."""
    if len(sys.argv) > 1:
        reprint(Path(sys.argv[1]))
        return
    databases = ["sqlite"]
    if postgres_is_reachable():
        databases.append("postgresql")
    else:
        print("PostgreSQL is not reachable: measuring SQLite only.", file=sys.stderr)
    rounds: dict[tuple[str, str], list[Figures]] = {}
    with ExitStack() as stack:
        servers = {}
        for database in databases:
            for app in ("wizard", "peer"):
                print(f"starting the {app} on {database} ...", file=sys.stderr)
                servers[database, app] = stack.enter_context(Server(database, app))
        some = next(iter(servers.values()))
        workers = f"{some.workers} workers x {some.threads} threads"
        labels = {database: servers[database, "wizard"].label for database in databases}
        order = [(database, scenario) for database in databases for scenario in SCENARIOS]
        for number in range(ROUNDS):
            print(f"round {number + 1} of {ROUNDS} ...", file=sys.stderr)
            for database, scenario in order if number % 2 == 0 else reversed(order):
                server = servers[database, SCENARIOS[scenario][0]]
                rounds.setdefault((database, scenario), []).append(measure(server, scenario))
    table = {
        database: {scenario: median(rounds[database, scenario]) for scenario in SCENARIOS}
        for database in databases
    }
    print_table(table, rounds, labels, workers)
    results = ROOT / "bench-results"
    results.mkdir(exist_ok=True)
    record: dict[str, Any] = {
        "machine": machine(),
        "gunicorn": workers,
        "labels": labels,
        "connections": CONNECTIONS,
        "seconds": SECONDS,
        "rounds": ROUNDS,
        "medians": {db: {s: asdict(f) for s, f in rows.items()} for db, rows in table.items()},
        "every_round": {f"{db} {s}": [asdict(f) for f in runs] for (db, s), runs in rounds.items()},
    }
    (results / "throughput.json").write_text(json.dumps(record, indent=2))


def reprint(saved: Path) -> None:
    """The table of an earlier run, from the record it saved (with today's ratios)."""
    record = json.loads(saved.read_text())
    table = {
        database: {scenario: Figures(**figures) for scenario, figures in rows.items()}
        for database, rows in record["medians"].items()
    }
    rounds = {
        (database, scenario): [Figures(**figures) for figures in runs]
        for key, runs in record["every_round"].items()
        for database, scenario in [key.split(" ", 1)]
    }
    labels = record.get("labels") or {database: database for database in table}
    print(f"Saved run on: {record['machine']}")
    print_table(table, rounds, labels, record["gunicorn"])


def print_table(
    table: dict[str, dict[str, Figures]],
    rounds: dict[tuple[str, str], list[Figures]],
    labels: dict[str, str],
    workers: str,
) -> None:
    """One block per database, then the ratios we track."""
    print(f"\nMachine: {machine()}")
    print(
        f"gunicorn {workers}; {CONNECTIONS} keep-alive connections, gzip accepted; "
        f"{WARMUP:g} s warm-up + {SECONDS:g} s per line; medians of {ROUNDS} interleaved rounds."
    )
    print(
        "The machine is shared: req/s and latency move with other load (see the range); "
        "CPU ms per request moves far less.\n"
    )
    header = f"{'req/s':>8}{'range':>12}{'p50 ms':>9}{'p99 ms':>9}{'CPU ms':>9}{'errors':>8}"
    for database, rows in table.items():
        print(f"{labels[database]:28}{header}")
        for scenario, figures in rows.items():
            speeds = [f.per_second for f in rounds[database, scenario]]
            spread = f"{min(speeds):.0f}-{max(speeds):.0f}"
            print(
                f"  {SCENARIOS[scenario][1]:26}{figures.per_second:>8.0f}{spread:>12}"
                f"{figures.p50_ms:>9.1f}{figures.p99_ms:>9.1f}{figures.cpu_ms:>9.2f}"
                f"{figures.errors:>8}"
            )
        print()
    print("Ratios ours/theirs: by req/s, and by CPU (their CPU ms / ours: the req/s ratio")
    print("if CPU were all that counted). Above 1: ours serves more.")
    print(f"{'':44}" + "".join(f"{labels[db][:22]:>22}" for db in table) + f"{'target':>9}")
    print(f"{'':44}" + f"{'req/s':>11}{'CPU':>11}" * len(table))
    for ours, theirs, target in RATIOS:
        name = f"{SCENARIOS[ours][1]} / {SCENARIOS[theirs][1].split(' (')[0]}"
        cells = ""
        for database in table:
            mine, other = table[database][ours], table[database][theirs]
            cells += f"{mine.per_second / max(other.per_second, 1e-9):>11.2f}"
            cells += f"{other.cpu_ms / max(mine.cpu_ms, 1e-9):>11.2f}"
        print(f"{name:44}{cells}{'' if target is None else f'>= {target:g}':>9}")
    print()
    print("Full steps: the answer and the next question shown. Ours plain is its POST (303)")
    print("plus the question page it leads to, ours by htmx the one POST whose reply is the")
    print("next card; the peer's is its POST (302) plus its redirected GET. Each step's time")
    print("is the sum of its requests' (1 / req/s; CPU ms added up).")
    for step, our_requests, peer_requests, goal in FULL_STEPS:
        cells = ""
        for database in table:
            rows = table[database]
            ours_s, theirs_s = step_seconds(rows, our_requests), step_seconds(rows, peer_requests)
            cells += f"{theirs_s / max(ours_s, 1e-9):>11.2f}"
            cells += (
                f"{step_cpu(rows, peer_requests) / max(step_cpu(rows, our_requests), 1e-9):>11.2f}"
            )
        print(f"{step:44}{cells}{f'>= {goal:g}':>9}")


def step_seconds(rows: dict[str, Figures], scenarios: tuple[str, ...]) -> float:
    """Seconds of the server's time one full step takes, from each request's throughput."""
    return sum(1 / max(rows[scenario].per_second, 1e-9) for scenario in scenarios)


def step_cpu(rows: dict[str, Figures], scenarios: tuple[str, ...]) -> float:
    """The server's CPU ms of one full step: its requests' added up."""
    return sum(rows[scenario].cpu_ms for scenario in scenarios)


if __name__ == "__main__":
    main()
