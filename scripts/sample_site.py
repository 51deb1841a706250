"""A production-like copy of the site with sample sessions, for Lighthouse and screenshots.

It serves the app the way production does (DEBUG off, `DJANGO_ENV=production`,
collectstatic with WhiteNoise's compressed files, gunicorn) on loopback and a throwaway
SQLite database with the shipped flow loaded, and starts seller sessions that stand on
each kind of question and on solutions. Plain HTTP on loopback: browsers treat
localhost as a secure origin, so production's Secure and __Host- cookies still work;
`SECURE_SSL_REDIRECT=0` stands in for the TLS proxy production has in front.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
LOGS = ROOT / "bench-results"
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
KINDS = ["choice", "yesno", "multi", "version", "number", "datetime"]


# The staff member the sample site has, to sign in as (a throwaway database only).
STAFF_USERNAME = "reviewer"
STAFF_PASSWORD = secrets.token_urlsafe(16)


@dataclass(frozen=True)
class Sample:
    """A page to look at: its path, its language, and whether staff must be signed in."""

    name: str
    path: str
    language: str
    is_for_staff: bool = False


def production_environment(workdir: Path) -> dict[str, str]:
    """Settings as production has them, but on loopback and a throwaway database."""
    return os.environ | {
        "DJANGO_ENV": "production",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SQLITE_PATH": str(workdir / "sample.sqlite3"),
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "RATE_LIMITS_ENABLED": "0",
        "DJANGO_SETTINGS_MODULE": "wizard.settings",
    }


def prepare(workdir: Path) -> None:
    """Switch this process to the production-like settings; build static files and data."""
    environment = production_environment(workdir)
    os.environ.update(environment)
    for command in (["collectstatic", "--noinput"], ["migrate"], ["loadflow"]):
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *command, "--verbosity", "0"],
            env=environment,
            cwd=ROOT,
            check=True,
        )
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()


def samples(languages: tuple[str, ...] = ("id",)) -> list[Sample]:
    """Sessions on the live flow: one on the first question of each kind, one on a
    solution with findings ("also check"), one on a plain solution, the resume page,
    and the pages around a case (see `around_a_case`)."""
    from django.utils import timezone

    from wizard.flows import walk
    from wizard.sellers.models import FlowVersion, Session

    version = FlowVersion.live()
    if version is None:
        raise SystemExit("No flow is live: `manage.py loadflow` loaded nothing.")
    flow, now = version.flow, timezone.now()
    wanted: dict[str, dict[str, Any]] = {}
    for answers in explore(flow, now):
        position = walk(flow, answers, now)
        if position.current is not None:
            wanted.setdefault(f"question-{position.current.kind}", answers)
        elif position.findings:
            wanted.setdefault("solution-also-check", answers)
        else:
            wanted.setdefault("solution", answers)
        if len(wanted) == len(KINDS) + 2:
            break
    found = []
    for language in languages:
        for name, answers in sorted(wanted.items()):
            session = Session.start(version, language=language)
            for question in walk(flow, answers, now).path:
                session.answer(question.key, answers[question.key], revision=session.revision)
            found.append(Sample(name, session.step_url(), language))
            if name == "solution":
                found.append(Sample("resume", session.get_absolute_url(), language))
            if name == "solution-also-check":
                found += around_a_case(session, language)
    return found


def around_a_case(session: Any, language: str) -> list[Sample]:
    """The pages beside a solved session: its share links, the read-only case (as anyone
    and as staff), "not solved" (next cause, contact support), and the staff pages."""
    from django.contrib.auth.models import User
    from django.urls import reverse

    from wizard.support.models import ShareLink
    from wizard.web.roles import EDITORS, SUPPORT, ensure_role

    _, token = ShareLink.create(session)
    # The same answers in a second session, whose seller then says it did not help.
    unsolved = type(session).start(session.flow_version, language=language)
    for question in session.walk().path:
        unsolved.answer(question.key, session.answers[question.key], revision=unsolved.revision)
    unsolved.record_feedback(False, revision=unsolved.revision)
    from wizard.editors.models import Draft

    staff = User.objects.filter(username=STAFF_USERNAME).first()
    if staff is None:
        staff = User.objects.create_user(STAFF_USERNAME, password=STAFF_PASSWORD, is_staff=True)
        staff.groups.add(ensure_role(SUPPORT), ensure_role(EDITORS))
    # A draft of the live version, for the workshop's pages (the solution's form).
    draft = Draft.start(session.flow_version, by=staff)
    shared = reverse("shared", args=[token])
    return [
        Sample("share-links", reverse("share_links", args=[session.token]), language),
        Sample("shared-case", shared, language),
        Sample("next-cause", reverse("next_cause", args=[unsolved.token]), language),
        Sample("contact-support", reverse("contact_support", args=[unsolved.token]), language),
        Sample("tips", reverse("tips"), language),
        Sample("staff-shared-case", shared, language, is_for_staff=True),
        Sample("staff-cases", reverse("cases"), language, is_for_staff=True),
        Sample("staff-case", reverse("case", args=[session.code]), language, is_for_staff=True),
        Sample("staff-queue", reverse("queue"), language, is_for_staff=True),
        Sample("staff-insight", reverse("insight"), language, is_for_staff=True),
        Sample("staff-trials", reverse("trials"), language, is_for_staff=True),
        Sample("workshop", reverse("workshop"), language, is_for_staff=True),
        Sample("workshop-draft", reverse("draft", args=[draft.pk]), language, is_for_staff=True),
        Sample(
            "workshop-solution",
            reverse("draft_solution", args=[draft.pk, session.outcome]),
            language,
            is_for_staff=True,
        ),
        Sample("workshop-stale-facts", reverse("stale_facts"), language, is_for_staff=True),
    ]


def explore(flow: Any, now: dt.datetime, limit: int = 2000) -> Iterator[dict[str, Any]]:
    """Answer sets reaching ever further into the flow, trying every option of choices."""
    from wizard.flows import walk

    stack: list[dict[str, Any]] = [{}]
    for _ in range(limit):
        if not stack:
            return
        answers = stack.pop()
        yield answers
        question = walk(flow, answers, now).current
        if question is not None:
            for value in reversed(candidates(question, now)):
                stack.append({**answers, question.key: value})


def candidates(question: Any, now: dt.datetime) -> list[Any]:
    """Answers worth trying: each option, or one plausible value."""
    match question.kind:
        case "choice" | "yesno":
            return [option.value for option in question.options]
        case "multi":
            return [[option.value] for option in question.options[:2]] + [[]]
        case "number":
            return [max(question.minimum, 1)]
        case "version":
            return ["1.0.0"]
        case _:
            return [(now.astimezone(JAKARTA) - dt.timedelta(hours=30)).isoformat()]


def free_port() -> int:
    """A port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving() -> Iterator[str]:
    """gunicorn, as production runs it, on a free port; yields its base URL."""
    port = free_port()
    LOGS.mkdir(exist_ok=True)
    with (LOGS / "sample-site.log").open("wb") as log:
        server = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "wizard.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
            ],
            env=os.environ.copy(),
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(f"http://127.0.0.1:{port}/")
            yield f"http://localhost:{port}"
        finally:
            server.terminate()
            server.wait(timeout=10)


def wait_for(url: str) -> None:
    """Return once `url` answers (for at most ten seconds)."""
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"The server did not answer at {url}; see bench-results/sample-site.log.")
