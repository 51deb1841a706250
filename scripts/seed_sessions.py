"""Seed N realistic sessions, to see how the staff pages hold up with many of them.

Usage: .venv/bin/python scripts/seed_sessions.py N [--flow orders|test] [--days 180]

Sellers are simulated on the real flow (or the small test flow): random answers of
every kind walk to a solution, or stop half-way as real sellers do. Each session gets
its answer log (some with a changed answer), a status, "did it help", a language, and
times spread over the last `--days` days; escalated cases get a support share link, a
view of it and a staff note. Rows are written with bulk_create in batches, one
transaction per batch. Then time the pages with scripts/time_cases.py.
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

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from wizard.flows import Flow, Question, Value, walk  # noqa: E402
from wizard.sellers.models import Answer, FlowVersion, Session  # noqa: E402
from wizard.sellers.models.sessions import CODE_ALPHABET  # noqa: E402
from wizard.sellers.models.tallies import rebuild  # noqa: E402
from wizard.support.models import Note, ShareLink, ShareView  # noqa: E402
from wizard.web.roles import SUPPORT, ensure_role  # noqa: E402

BATCH = 5_000
POOL = 4_000  # distinct simulated sellers; each seeded session copies one of them
AGENT = "seed_agent"


def main() -> None:
    """Seed the sessions and print how long it took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--flow", choices=["orders", "test"], default="orders")
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--seed", type=int, default=4)
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
    print(f"\nseeded {options.count:,} sessions in {time.perf_counter() - started:.1f} s")
    # Rows written with bulk_create skip Session.answer, which keeps insight's rollup.
    counting = time.perf_counter()
    recounted = rebuild()
    print(
        f"insight's rollup recounted from {recounted:,} sessions in "
        f"{time.perf_counter() - counting:.1f} s"
    )
    print(f"now {Session.objects.count():,} sessions, {Answer.objects.count():,} answers")


def _version(name: str) -> FlowVersion:
    if name == "test":
        sys.path.insert(0, str(ROOT / "tests"))
        from flows import SMALL  # type: ignore[import-not-found]

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
    sessions, walks = [], []
    for _ in range(size):
        seller = rng.choice(pool)
        created = now - dt.timedelta(seconds=rng.uniform(0, days * 86400))
        helped = rng.choices([True, False, None], [55, 25, 20])[0] if seller["outcome"] else None
        status = "resolved" if helped else "open"
        if helped is False and rng.random() < 0.6:
            status = "escalated"
        sessions.append(
            Session(
                # Nobody holds a seeded session's link: only a hash of 256 random bits.
                token_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
                code=_code(codes, rng),
                flow_version=version,
                answers=seller["answers"],
                revision=len(seller["log"]),
                status=status,
                current_step=seller["step"],
                outcome=seller["outcome"],
                helped=helped,
                language=rng.choices(["id", "en"], [85, 15])[0],
                started_by=agent if rng.random() < 0.02 else None,
                created_at=created,
                updated_at=created + dt.timedelta(seconds=45 * len(seller["log"]) + 30),
                solved_at=created + dt.timedelta(minutes=3) if seller["outcome"] else None,
            )
        )
        walks.append(seller)
    Session.objects.bulk_create(sessions)
    answers, links, notes = [], [], []
    for session, seller in zip(sessions, walks, strict=True):
        for number, (key, value) in enumerate(seller["log"], 1):
            answers.append(
                Answer(
                    session=session,
                    question=key,
                    value=value,
                    revision=number,
                    answered_at=session.created_at + dt.timedelta(seconds=45 * number),
                    answered_by=session.started_by,
                )
            )
        if session.status == "escalated":
            links.append(
                ShareLink(
                    session=session,
                    token_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
                    created_at=session.updated_at,
                    is_for_support=True,
                    expires_at=session.updated_at + dt.timedelta(days=settings.SHARE_LINK_DAYS),
                )
            )
            notes.append(
                Note(
                    session=session,
                    author=agent,
                    text="Asked the seller for a screenshot of the error.",
                    created_at=session.updated_at + dt.timedelta(hours=1),
                )
            )
    Answer.objects.bulk_create(answers)
    ShareLink.objects.bulk_create(links)
    ShareView.objects.bulk_create(
        ShareView(link=link, viewed_at=link.created_at + dt.timedelta(minutes=20)) for link in links
    )
    Note.objects.bulk_create(notes)


def _code(codes: set[str], rng: random.Random) -> str:
    while True:
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(8))
        if code not in codes:
            codes.add(code)
            return code


if __name__ == "__main__":
    main()
