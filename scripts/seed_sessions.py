"""Seed N realistic sessions, to see how the staff pages hold up with many of them.

Usage: .venv/bin/python scripts/seed_sessions.py N [--flow orders|test] [--days 180]
                                                [--copies K]

Sellers are simulated on the real flow (or the small test flow): random answers of
every kind walk to a solution, or stop half-way as real sellers do. Each session gets
its answer log (some with a changed answer), a status, "did it help", a language, and
times spread over the last `--days` days, each answer after a pause of its own (a few
seconds to many minutes, so insight's rollup holds as many time buckets as real traffic
gives it); escalated cases get a support share link, a view of it, a staff note and
their place in the queue (most taken by an agent, the rest "Needs attention"). Each
batch is one transaction: the rows, and what they count for in insight's rollup (by the
rollup's own counting, as `rebuild` would). Then time the pages with
scripts/time_cases.py and scripts/time_insight.py.

A million sessions take an hour of Python on a busy machine; `--copies K` then copies
every session K times in SQL, each copy `--days` further back (new ids, tokens, codes,
link hashes; times shifted by whole days), and the rollup's days with them. So
`250000 --days 45 --copies 3` gives a million sessions over 180 days, as dense per day
as a million seeded one by one. It first checks that each seeded path walks the same at
the shifted times (so the shifted rollup is what `rebuild` would count).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import secrets
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wizard.settings")

import django  # noqa: E402

django.setup()

import seed_copies as copies  # noqa: E402  (scripts/, after Django is set up)
from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max, Model  # noqa: E402
from django.utils import timezone  # noqa: E402

from wizard.flows import Flow, Question, Value, walk  # noqa: E402
from wizard.sellers.models import (  # noqa: E402
    Answer,
    FlowVersion,
    Session,
    tallies,
)
from wizard.sellers.models.sessions import CODE_ALPHABET  # noqa: E402
from wizard.support.models import Case, Note, ShareLink, ShareView  # noqa: E402
from wizard.web.roles import SUPPORT, ensure_role  # noqa: E402

BATCH = 5_000
POOL = 4_000  # distinct simulated sellers; each seeded session copies one of them
AGENT = "seed_agent"
TAKEN = 0.7  # the share of escalated cases an agent has taken


def main() -> None:
    """Seed the sessions and print how long it took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--flow", choices=["orders", "test"], default="orders")
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--copies", type=int, default=0)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    version = _version(options.flow)
    agent = _agent()
    started = time.perf_counter()
    pool = [_simulate(version.flow, rng) for _ in range(POOL)]
    codes = set(Session.objects.values_list("code", flat=True))
    now = timezone.now()
    done = 0
    while done < options.count:
        size = min(BATCH, options.count - done)
        with transaction.atomic():
            _seed_batch(size, version, pool, codes, agent, now, options.days, rng)
        done += size
        rate = done / (time.perf_counter() - started)
        print(f"\r{done:>10,} sessions ({rate:,.0f}/s)", end="", flush=True)
    with connection.cursor() as cursor:  # ids were given: PostgreSQL's sequence follows
        for sql in connection.ops.sequence_reset_sql(no_style(), [Session]):
            cursor.execute(sql)
    print(f"\nseeded {options.count:,} sessions in {time.perf_counter() - started:.1f} s")
    if options.copies:
        copying = time.perf_counter()
        copies.copy_back(options.copies, options.days)
        print(f"copied {options.copies} times in {time.perf_counter() - copying:.1f} s")
    print(f"now {Session.objects.count():,} sessions, {Answer.objects.count():,} answers")


def _version(name: str) -> FlowVersion:
    if name == "test":
        from tests.documents import SMALL

        return FlowVersion.load(SMALL)[0]
    text = Path(settings.FLOW_FILES[0]).read_text(encoding="utf-8")
    return FlowVersion.load(text)[0]


def _agent() -> User:
    user, _ = User.objects.get_or_create(username=AGENT, defaults={"is_staff": True})
    user.groups.add(ensure_role(SUPPORT))
    return user


def _simulate(flow: Flow, rng: random.Random) -> dict[str, Any]:
    """One seller's walk: answers until a solution, or until they give up."""
    now = timezone.now()
    answers: dict[str, Value] = {}
    given: list[tuple[str, Value]] = []
    position = walk(flow, answers, now)
    quits_after = rng.choice([1, 2, 3, 99, 99, 99, 99, 99, 99, 99])
    while position.current is not None and len(given) < quits_after:
        value = _answer(position.current, rng, now)
        answers[position.current.key] = value
        given.append((position.current.key, value))
        position = walk(flow, answers, now)
    if len(given) > 1 and rng.random() < 0.1:
        # A changed answer: the first one was given twice, differently the first time.
        key, value = given[0]
        question = flow.questions[key]
        given.insert(0, (key, _answer(question, rng, now)))
    return {
        "answers": dict(position.answers),
        "log": given,
        "step": position.step,
        "outcome": position.solution.key if position.solution else "",
    }


def _answer(question: Question, rng: random.Random, now: dt.datetime) -> Value:
    match question.kind:
        case "choice" | "yesno":
            return rng.choice(question.options).value
        case "multi":
            return [o.value for o in question.options if rng.random() < 0.6]
        case "version":
            return rng.choice(["", "40.2.1", "43.0.0", "43.3.0", "44.1.0"])
        case "number":
            return rng.randint(question.minimum, min(question.maximum, question.minimum + 12))
        case _:
            hours = rng.choice([1, 3, 8, 20, 30, 50, 75])
            return (now - dt.timedelta(hours=hours)).astimezone(dt.UTC).isoformat()


def _seed_batch(
    size: int,
    version: FlowVersion,
    pool: list[dict[str, Any]],
    codes: set[str],
    agent: User,
    now: dt.datetime,
    days: int,
    rng: random.Random,
) -> None:
    """Write `size` sessions and their answers as plain rows (Django's bulk_create costs a
    model instance per row: most of the time at a million), and add what they count for
    to insight's rollup, counted by the rollup's own code."""
    first = (Session.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    sessions: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []
    logs: dict[int, list[tuple[str, dt.datetime]]] = {}
    links, notes, cases = [], [], []
    for pk in range(first, first + size):
        seller = rng.choice(pool)
        created = now - dt.timedelta(seconds=rng.uniform(0, days * 86400))
        by = agent.pk if rng.random() < 0.02 else None
        log = logs[pk] = []
        at = created
        for number, (key, value) in enumerate(seller["log"], 1):
            # A pause before each answer: a median of half a minute, some of many minutes.
            at += dt.timedelta(seconds=min(int(rng.lognormvariate(3.3, 1.0)) + 2, 7200))
            log.append((key, at))
            answers.append(
                {
                    "session_id": pk,
                    "question": key,
                    "value": value,
                    "revision": number,
                    "answered_at": at,
                    "answered_by_id": by,
                }
            )
        helped = rng.choices([True, False, None], [55, 25, 20])[0] if seller["outcome"] else None
        status = "resolved" if helped else "open"
        if helped is False and rng.random() < 0.6:
            status = "escalated"
        updated = at + dt.timedelta(seconds=rng.randint(5, 300) if helped is not None else 0)
        sessions.append(
            {
                "id": pk,
                # Nobody holds a seeded session's link: only a hash of 256 random bits.
                "token_hash": hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
                "code": _code(codes, rng),
                "flow_version_id": version.pk,
                "answers": seller["answers"],
                "revision": len(seller["log"]),
                "status": status,
                "current_step": seller["step"],
                "outcome": seller["outcome"],
                "helped": helped,
                "language": rng.choices(["id", "en"], [85, 15])[0],
                "started_by_id": by,
                "created_at": created,
                "updated_at": updated,
                "solved_at": at if seller["outcome"] else None,
                "is_preview": False,
            }
        )
        if status == "escalated":
            links.append(
                ShareLink(
                    session_id=pk,
                    token_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
                    created_at=updated,
                    is_for_support=True,
                    expires_at=updated + dt.timedelta(days=settings.SHARE_LINK_DAYS),
                )
            )
            responded = updated + dt.timedelta(hours=1)
            notes.append(
                Note(
                    session_id=pk,
                    author=agent,
                    text="Asked the seller for a screenshot of the error.",
                    created_at=responded,
                )
            )
            taken = rng.random() < TAKEN
            cases.append(
                Case(
                    session_id=pk,
                    escalated_at=updated,
                    assigned_to=agent if taken else None,
                    assigned_at=responded if taken else None,
                    first_response_at=responded,
                )
            )
    _insert(Session, sessions)
    _insert(Answer, answers)
    ShareLink.objects.bulk_create(links)
    ShareView.objects.bulk_create(
        ShareView(link=link, viewed_at=link.created_at + dt.timedelta(minutes=20)) for link in links
    )
    Note.objects.bulk_create(notes)
    Case.objects.bulk_create(cases)
    tallies.add(tallies.counted([{"pk": row["id"], **row} for row in sessions], logs))


def _insert(model: type[Model], rows: list[dict[str, Any]]) -> None:
    """INSERT plain rows (attribute names to values; defaults for the fields left out),
    each value prepared for the database as Django prepares it."""
    fields = [f for f in model._meta.concrete_fields if f.attname in rows[0] or not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    defaults = {f.attname: f.get_default() for f in fields}
    prepared = [
        [f.get_db_prep_save(row.get(f.attname, defaults[f.attname]), connection) for f in fields]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {model._meta.db_table} ({columns}) VALUES ({marks})", prepared
        )


def _code(codes: set[str], rng: random.Random) -> str:
    while True:
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(8))
        if code not in codes:
            codes.add(code)
            return code


if __name__ == "__main__":
    main()
