"""`make soak`: sellers keep answering while a gunicorn worker is killed and, with
SOAK_RESTART_POSTGRES=1, PostgreSQL restarts (never by default: the server may be
shared); then every answer the server accepted must be found in the database.

Reports the errors clients saw (around each fault) and the answers lost, which must be
zero; exits 1 if any is lost. Loopback only; bounded by SOAK_SECONDS.

    SOAK_SECONDS=60 SOAK_SELLERS=6 .venv/bin/python -m bench.soak
"""

from __future__ import annotations

import collections
import hashlib
import multiprocessing
import os
import random
import signal
import sys
import time
from dataclasses import dataclass, field

import psycopg

from bench.seller import Browser, start_session, step_form
from bench.servers import Server, postgres_fault, postgres_is_reachable

SECONDS = float(os.environ.get("SOAK_SECONDS", "60"))
SELLERS = int(os.environ.get("SOAK_SELLERS", "6"))


@dataclass
class Journal:
    """What one seller saw: every accepted answer, and every error with its time."""

    accepted: list[tuple[str, int, str]] = field(default_factory=list)  # token, revision, key
    errors: list[tuple[float, str]] = field(default_factory=list)  # when, what
    requests: int = 0
    sessions: int = 0


def token_of(url: str) -> str:
    return url.split("/")[2]


def seller(base_url: str, seed: int, stop_at: float) -> Journal:
    """Start sessions and answer their questions until the time is up."""
    journal = Journal()
    browser = Browser(base_url, timeout=20)
    chance = random.Random(seed)
    url = ""
    while time.time() < stop_at:
        try:
            if not url:
                url = start_session(browser)
                journal.sessions += 1
                journal.requests += 2
            page = browser.request("GET", url)
            journal.requests += 1
            if page.status != 200:
                journal.errors.append((time.time(), f"GET {page.status}"))
                time.sleep(0.2)
                continue
            form = step_form(page.body)
            if form is None:  # a solution: this seller is done, the next one starts
                url = ""
                continue
            reply = browser.request("POST", form.action, form.post(form.valid_value(chance)))
            journal.requests += 1
        except OSError as error:
            journal.errors.append((time.time(), str(error).split(":")[0]))
            time.sleep(0.2)
            continue
        if reply.status == 303 and reply.location != form.action:
            # Taken: the answer moved the seller on. The server has it at this revision.
            journal.accepted.append((token_of(form.action), form.revision + 1, form.key))
            url = reply.location
        elif reply.status in (200, 303):
            # Refused, with a form error (200) or as a stale page (303): look again.
            url = reply.location or url
        else:
            journal.errors.append((time.time(), f"POST {reply.status}"))
            time.sleep(0.2)
    browser.close()
    return journal


def stored_answers(server: Server, tokens: set[str]) -> set[tuple[str, int, str]]:
    """(token, revision, question) of every answer in the database, for these sessions."""
    url = server.environment()["DATABASE_URL"]
    query = """
        SELECT s.token_hash, a.revision, a.question
        FROM wizard_answer a JOIN wizard_session s ON s.id = a.session_id
        WHERE s.token_hash = ANY(%s)
    """
    # Sessions keep only their token's hash: the soak knows the tokens it was given.
    by_hash = {hashlib.sha256(token.encode()).hexdigest(): token for token in tokens}
    with psycopg.connect(url) as connection:
        rows = connection.execute(query, (list(by_hash),)).fetchall()
    return {(by_hash[hashed], revision, question) for hashed, revision, question in rows}


def inject_faults(server: Server, began: float) -> list[tuple[float, str]]:
    """Kill one worker at a third of the run, restart PostgreSQL at two thirds (only with
    SOAK_RESTART_POSTGRES=1)."""
    faults = []
    time.sleep(max(0.0, began + SECONDS / 3 - time.time()))
    victim = server.worker_pids()[0]
    os.kill(victim, signal.SIGKILL)
    faults.append((time.time(), f"killed gunicorn worker {victim} (SIGKILL)"))
    time.sleep(max(0.0, began + 2 * SECONDS / 3 - time.time()))
    at = time.time()
    faults.append((at, postgres_fault()))
    return faults


def report(journals: list[Journal], faults: list[tuple[float, str]], began: float) -> int:
    """Print what clients saw; the number of accepted answers missing from the database."""
    errors = [error for journal in journals for error in journal.errors]
    print(f"\nSoak: {SELLERS} sellers for {SECONDS:g} s against PostgreSQL + Redis")
    requests = sum(journal.requests for journal in journals)
    print(f"requests: {requests}, sessions: {sum(journal.sessions for journal in journals)}")
    for at, what in faults:
        near = [e for e in errors if at - 1 <= e[0] <= at + 15]
        print(f"  at {at - began:5.1f} s {what}: {len(near)} client errors in the 15 s after")
    kinds = collections.Counter(what for _, what in errors)
    print(f"client-seen errors: {len(errors)} {dict(kinds)}")
    return len(errors)


def main() -> int:
    """Run the soak; exit 1 if an accepted answer was lost."""
    if not postgres_is_reachable():
        print("PostgreSQL is not reachable: the soak test needs it.", file=sys.stderr)
        return 2
    with Server("postgresql", workers=3) as server:
        began = time.time()
        stop_at = began + SECONDS
        jobs = [(server.url, seed, stop_at) for seed in range(SELLERS)]
        with multiprocessing.Pool(SELLERS) as pool:
            pending = pool.starmap_async(seller, jobs)
            faults = inject_faults(server, began)
            journals = pending.get(timeout=SECONDS + 120)
        report(journals, faults, began)
        accepted = {answer for journal in journals for answer in journal.accepted}
        stored = stored_answers(server, {token for token, _, _ in accepted})
        lost = accepted - stored
        print(f"answers accepted: {len(accepted)}, stored: {len(accepted & stored)}")
        print(f"stored although the client saw an error (never lost): {len(stored - accepted)}")
        print(f"ANSWERS LOST: {len(lost)}")
        healthy = server.is_healthy()
        print(f"health check after the faults: {'200' if healthy else 'failing'}")
    return 1 if lost or not healthy else 0


if __name__ == "__main__":
    sys.exit(main())
