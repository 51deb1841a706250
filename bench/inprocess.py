"""`make bench`'s lines and ratios by CPU, each application in one process of its own.

Under gunicorn on a machine shared with other work, req/s swing by several times between
rounds; the CPU one request costs in one process moves far less. So this sends the same
requests as `bench.throughput` (its own `ready_loop`s: a question, a plain and an htmx
answer, a solution, the bare view, the formtools peer's step and answer) through Django's
WSGI handler in-process, with production settings on a fresh database, and prints each
line's CPU per request (median of interleaved rounds) and the ratios `make bench` tracks,
by CPU. It is the quick check while working; `make bench` remains the measurement.

    .venv/bin/python -m bench.inprocess [sqlite|postgresql]
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import time

from bench.servers import PYTHON, ROOT, Server, postgres_is_reachable

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))

# Which application serves each line (as in bench.throughput.SCENARIOS).
LINES = {
    "wizard": ("question", "answer", "answer_htmx", "solution", "bare"),
    "peer": ("peer_step", "peer_answer"),
}


def measure_app(database: str, app: str) -> dict[str, list[float]]:
    """In this process (started for `app`): each line's CPU ms per request, per round."""
    import django
    from django.core.wsgi import get_wsgi_application

    from bench.parts import InProcess
    from bench.throughput import ready_loop

    server = Server(database, app)
    server.prepare()
    try:
        os.environ.update(server.environment() | {"ALLOWED_HOSTS": "127.0.0.1,testserver"})
        django.setup()
        application = get_wsgi_application()
        chance = random.Random(15)
        loops = {line: ready_loop(InProcess(application), line, chance) for line in LINES[app]}
        for loop in loops.values():
            for _ in range(30):
                loop.send()
        figures: dict[str, list[float]] = {line: [] for line in loops}
        for number in range(ROUNDS):
            order = list(loops) if number % 2 == 0 else list(reversed(loops))
            for line in order:
                began = time.process_time()
                for _ in range(REQUESTS):
                    is_expected, _ = loops[line].send()
                    assert is_expected, line
                figures[line].append(1000 * (time.process_time() - began) / REQUESTS)
        return figures
    finally:
        server.remove()


def main(database: str) -> None:
    """Each application in a process of its own (they have different settings)."""
    figures: dict[str, list[float]] = {}
    for app in LINES:
        done = subprocess.run(
            [PYTHON, "-m", "bench.inprocess", database, app],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        figures |= json.loads(done.stdout.strip().splitlines()[-1])
    cpu = {line: statistics.median(rounds) for line, rounds in figures.items()}
    print(f"CPU ms per request in one process, {database}, medians of {ROUNDS} rounds:")
    for line, rounds in figures.items():
        print(f"  {line:14}{cpu[line]:>7.2f}   ({min(rounds):.2f}-{max(rounds):.2f})")
    print("Ratios by CPU (theirs / ours; above 1: ours serves more):")
    from bench.throughput import RATIOS

    for ours, theirs, target in RATIOS:
        aim = "" if target is None else f"   target >= {target:g}"
        print(f"  {ours} / {theirs}: {cpu[theirs] / cpu[ours]:.2f}{aim}")


if __name__ == "__main__":
    chosen = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    if chosen == "postgresql" and not postgres_is_reachable():
        sys.exit("PostgreSQL is not reachable.")
    if len(sys.argv) > 2:
        print(json.dumps(measure_app(chosen, sys.argv[2])))
    else:
        main(chosen)
