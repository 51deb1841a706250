"""Where a request's CPU goes under gunicorn: `make bench`'s servers and loops, sampled.

`bench.parts` profiles one process through Django's WSGI handler; it cannot see what
gunicorn itself costs (its HTTP parser, its threads handing sockets back and forth), the
kernel's side of the sockets, nor the database server's CPU, and those are a large part
of a request under `make bench`. This starts the same servers as `make bench` (production
settings, `gunicorn.conf.py`, a database of their own), runs each line's loops as it does,
and meanwhile:

- samples every worker with py-spy (`--gil`: only the thread that holds the GIL, so
  samples are Python running, not threads waiting), charging each sample to the part of
  the innermost frame that names one (the PARTS below, first match from the leaf up:
  `re`, `json` or `hashlib` count for whoever called them);
- reads the master's and workers' user and system CPU from /proc (recycled workers
  included, as `make bench` does): the user CPU is split in the samples' proportions,
  the system CPU (sockets, files, the kernel's side of fsync) is its own row;
- on PostgreSQL, reads the CPU of every `postgres` process (the database server's work
  for the request: parsing, planning, executing, the WAL).

py-spy is the well-kept sampling profiler for CPython; reading a live gunicorn without
changing its code is what it is for (cProfile would have to run inside the workers and
would slow every call it times). Prints figures, asserts nothing.

    .venv/bin/python -m bench.sampled [sqlite|postgresql] ...
"""

from __future__ import annotations

import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import throughput
from bench.servers import Server, postgres_is_reachable, process_times

SECONDS = float(os.environ.get("BENCH_SECONDS", "6"))
RATE = int(os.environ.get("BENCH_SAMPLES_PER_SECOND", "250"))
LINES = ("question", "answer", "answer_htmx", "bare", "peer_step", "peer_answer")
TICK = os.sysconf("SC_CLK_TCK")

# (part, a pattern of a frame's "function (file:line)"). A frame is charged to the first
# part whose pattern it matches; a sample to the innermost frame that matches any.
PARTS: tuple[tuple[str, str], ...] = (
    (
        "rate limit (cache)",
        r"wizard/web/limits|django_ratelimit|django/core/cache|redis/|wizard/web/cache",
    ),
    (
        "logging: the request's JSON line",
        r"request_log|pythonjsonlogger|\(logging/|/logging/|token_masking\.py|uuid",
    ),
    ("metrics (Prometheus)", r"prometheus_client|wizard/web/metrics"),
    ("gzip", r"middleware/gzip|gzip\.py|django/utils/text\.py"),
    (
        "CSRF and CSP (tokens, nonces)",
        r"middleware/csrf|utils/crypto|middleware/csp|utils/csp|random\.py|secrets\.py",
    ),
    ("i18n", r"utils/translation|gettext"),
    (
        "templates and forms (incl. crispy-forms)",
        r"django/template/|templatetags|crispy|django/forms/|utils/html\.py|utils/safestring",
    ),
    ("insight's rollup (facts, upsert)", r"sellers/models/tallies"),
    ("database (ORM, driver, pool)", r"django/db/|sqlite3|psycopg|sellers/models/writes"),
    ("the flow walk", r"wizard/flows/"),
    ("formtools (the peer's wizard)", r"formtools/|bench/peer"),
    ("our views and models", r"wizard/|bench/"),
    ("sessions, auth, messages", r"contrib/sessions|contrib/auth|contrib/messages|core/signing"),
    ("other middleware", r"django/middleware/|whitenoise|django_htmx|axes/|django_otp"),
    ("URL resolving", r"django/urls/"),
    ("Django's handler (the middleware chain)", r"django/core/handlers/"),
    ("HttpRequest, HttpResponse, headers", r"django/http/|email/|http/cookies|urllib/"),
    ("django.utils (lazy objects, dicts, dates)", r"django/utils/"),
    ("Django's signals, settings, checks", r"django/dispatch|django/conf/|django/core/"),
    ("gunicorn: HTTP, sockets, threads", r"gunicorn/|selectors|threading|concurrent/|socket\.py"),
)
_COMPILED = [(part, re.compile(pattern)) for part, pattern in PARTS]


def part_of(frames: list[str]) -> str:
    """The part a sample's stack (outermost first) is charged to."""
    for frame in reversed(frames):
        for part, pattern in _COMPILED:
            if pattern.search(frame):
                return part
    return "other (imports, interpreter)"


def sampled_parts(raw_files: list[Path]) -> collections.Counter[str]:
    """Samples per part, from py-spy's raw (collapsed stack) output."""
    counts: collections.Counter[str] = collections.Counter()
    for path in raw_files:
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if stack:
                counts[part_of(stack.split(";"))] += int(count)
    return counts


def user_and_system(server: Server) -> tuple[float, float]:
    """The master's and every worker's user and system CPU so far (reaped ones too), in s."""
    assert server.process is not None
    while True:
        before = process_times(server.process.pid)
        live = [process_times(pid) for pid in server.worker_pids()]
        after = process_times(server.process.pid)
        if before[2:] == after[2:]:
            user = after[0] + after[2] + sum(times[0] for times in live)
            system = after[1] + after[3] + sum(times[1] for times in live)
            return user / TICK, system / TICK


def postgres_seconds() -> float:
    """CPU used so far by the PostgreSQL server: its live processes, and the backends that
    have ended, which the kernel adds to the postmaster's cutime/cstime when it reaps
    them (read again if one was reaped while reading, as `Server.cpu_seconds` does)."""
    while True:
        found = subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True)
        pids = [int(pid) for pid in found.stdout.split()]
        postmaster = [pid for pid in pids if _parent(pid) not in pids]
        before = [process_times(pid)[2:] for pid in postmaster]
        live = sum(sum(process_times(pid)[:2]) for pid in pids)
        after = [process_times(pid)[2:] for pid in postmaster]
        if before == after:
            return (live + sum(sum(times) for times in after)) / TICK


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return 0


def profile(server: Server, scenario: str, workdir: Path) -> dict[str, float]:
    """One line's loops with its workers sampled: ms of CPU per request, by part."""
    throughput.measure(server, scenario)  # warm: every worker has served this line
    raw = [workdir / f"{scenario}-{pid}.txt" for pid in server.worker_pids()]
    spies = [
        subprocess.Popen(
            [
                shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy"),
                "record",
                "--pid",
                path.stem.rsplit("-", 1)[1],
                "--gil",
                "--nonblocking",
                "--rate",
                str(RATE),
                "--duration",
                str(int(SECONDS + throughput.WARMUP)),
                "--format",
                "raw",
                "--output",
                str(path),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for path in raw
    ]
    user, system = user_and_system(server)
    database = postgres_seconds()
    figures = throughput.measure(server, scenario)
    user_after, system_after = user_and_system(server)
    database_after = postgres_seconds()
    for spy in spies:
        spy.wait()
    served = figures.requests / SECONDS * (SECONDS + throughput.WARMUP)  # warm-up too
    samples = sampled_parts([path for path in raw if path.exists()])
    total = sum(samples.values()) or 1
    user_ms = 1000 * (user_after - user) / served
    parts = {part: user_ms * count / total for part, count in samples.items()}
    parts["kernel (system CPU: sockets, files)"] = 1000 * (system_after - system) / served
    parts["= the server's CPU per request"] = user_ms + parts["kernel (system CPU: sockets, files)"]
    if server.database == "postgresql":
        parts["PostgreSQL's own CPU per request"] = 1000 * (database_after - database) / served
    parts["requests per second"] = figures.per_second
    return parts


def main() -> None:
    """Profile every line on each database named (both by default) and print a table."""
    databases = sys.argv[1:] or ["sqlite", *(["postgresql"] if postgres_is_reachable() else [])]
    os.environ["BENCH_SECONDS"] = str(SECONDS)
    throughput.SECONDS = SECONDS
    with tempfile.TemporaryDirectory(prefix="pesanan-sampled-") as folder:
        for database in databases:
            table: dict[str, dict[str, float]] = {}
            for app in ("wizard", "peer"):
                lines = [line for line in LINES if throughput.SCENARIOS[line][0] == app]
                print(f"sampling the {app} on {database} ...", file=sys.stderr)
                with Server(database, app) as server:
                    for line in lines:
                        table[line] = profile(server, line, Path(folder))
                        if os.environ.get("BENCH_KEEP_SAMPLES"):
                            for path in Path(folder).glob(f"{line}-*.txt"):
                                shutil.copy(path, Path(os.environ["BENCH_KEEP_SAMPLES"]))
            print_table(database, table)


def print_table(database: str, table: dict[str, dict[str, float]]) -> None:
    """Parts as rows, lines as columns, ms of CPU per request."""
    rows = [part for part, _ in PARTS] + ["other (imports, interpreter)"]
    rows = [row for row in rows if any(figures.get(row, 0) >= 0.005 for figures in table.values())]
    rows += ["kernel (system CPU: sockets, files)", "= the server's CPU per request"]
    if database == "postgresql":
        rows.append("PostgreSQL's own CPU per request")
    rows.append("requests per second")
    width = max(len(row) for row in rows)
    print(f"\n{database}: ms of CPU per request under gunicorn, by part")
    print(" " * width + "".join(f"{line:>13}" for line in table))
    for row in rows:
        cells = "".join(
            f"{figures.get(row, 0):>13.0f}"
            if row == "requests per second"
            else f"{figures.get(row, 0):>13.3f}"
            for figures in table.values()
        )
        print(f"{row:<{width}}{cells}")


if __name__ == "__main__":
    main()
