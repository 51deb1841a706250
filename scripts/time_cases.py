"""Time the support queue, the case list, a case page and a share page on the database
as it is.

Usage: .venv/bin/python scripts/time_cases.py [--runs 15]

Seed first (scripts/seed_sessions.py N). Each page is requested through Django's test
client as the seeded support agent (who took most of the escalated cases, so "Mine" is
long), with no web server, so the figures are the view, its queries and the template,
`--runs` times after one warm-up; it prints the median and the slowest run in
milliseconds, the median CPU time of this process (the view, the template and, on
SQLite, the database itself: a fairer figure on a busy machine), the median time spent
in the database, the number of queries, the machine's load average before and after,
and the query plans.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wizard.settings")
# force_login signs in without a client address, which the sign-in lockout would log
# (PostgreSQL refuses it as an inet); the timed pages never sign in.
os.environ.setdefault("SIGNIN_LOCKOUT", "0")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from wizard.sellers.models import Answer, FlowVersion, Session  # noqa: E402
from wizard.support.caselist import CaseSearchForm  # noqa: E402
from wizard.support.models import Case, ShareLink  # noqa: E402
from wizard.web.roles import SUPPORT, ensure_role  # noqa: E402


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    total = Session.objects.count()
    print(f"{connection.vendor}: {total:,} sessions, {Answer.objects.count():,} answers")
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    # The seed's agent: the queue's "Mine" holds the cases it took.
    user, _ = User.objects.get_or_create(username="seed_agent", defaults={"is_staff": True})
    user.groups.add(ensure_role(SUPPORT))
    staff = Client(HTTP_HOST="localhost")
    staff.force_login(user)
    pages = _pages(staff)
    print(f"{'page':<44} {'median ms':>10} {'max ms':>8} {'CPU ms':>7} {'DB ms':>6} {'queries':>8}")
    for name, url in pages:
        _report(name, functools.partial(staff.get, url), runs)
    _share_page(runs)
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    _plan()


def _pages(staff: Client) -> list[tuple[str, str]]:
    version = FlowVersion.live()
    assert version is not None, "seed sessions first (scripts/seed_sessions.py N)"
    common = (
        Session.objects.exclude(outcome="")
        .values("outcome")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    rare = Session.objects.exclude(outcome="").values("outcome").annotate(n=Count("pk"))
    rarest = min(rare, key=lambda row: row["n"])
    month_ago = timezone.localdate() - dt.timedelta(days=90)
    # The revision counts every answer given, changed ones included: the longest history.
    case = Session.objects.order_by("-revision").first()
    assert case is not None
    assert common is not None
    _, token = ShareLink.create(case)  # tokens are not stored: make one to search with
    # Nor are session tokens (only their hash): a new session's link to search for.
    linked = Session.start(version, language="id")
    deep = "/staff/cases/"
    for _ in range(40):  # follow "Older" 40 pages down
        form = CaseSearchForm(_query(deep), versions=[version])
        assert form.is_valid()
        older = form.page().older
        assert older is not None
        deep = f"/staff/cases/?before={older}"
    stops = Session.objects.filter(outcome="").values("current_step").annotate(n=Count("pk"))
    rarest_stop = min(stops, key=lambda row: row["n"])
    waiting = Case.needs_attention().count()
    taken = Case.objects.filter(assigned_to__username="seed_agent").count()
    lost = "/staff/cases/?abandoned=on"
    return [
        (f"queue: needs attention ({waiting:,})", "/staff/"),
        (f"queue: mine ({taken:,})", "/staff/mine/"),
        ("list: default (abandoned hidden)", "/staff/cases/"),
        ("list: abandoned included", lost),
        ("list: status escalated", "/staff/cases/?status=escalated"),
        (
            f"list: commonest solution ({common['n']:,})",
            f"/staff/cases/?outcome={common['outcome']}",
        ),
        (
            f"list: rarest solution ({rarest['n']:,})",
            f"/staff/cases/?outcome={rarest['outcome']}",
        ),
        ("list: no solution yet", "/staff/cases/?outcome=-"),
        ("list: no solution yet, abandoned incl.", "/staff/cases/?outcome=-&abandoned=on"),
        (
            f"list: stopped at the rarest question ({rarest_stop['n']:,}), from insight",
            f"/staff/cases/?stopped_at={rarest_stop['current_step']}&abandoned=on",
        ),
        ("list: did not help", "/staff/cases/?helped=no"),
        ("list: language en", "/staff/cases/?language=en"),
        ("list: flow version", f"/staff/cases/?version={version.pk}"),
        (
            "list: one week, 3 months ago",
            f"/staff/cases/?active_from={month_ago}&active_to={month_ago + dt.timedelta(days=6)}",
        ),
        ("list: escalated + en (two filters)", "/staff/cases/?status=escalated&language=en"),
        ("list: 41st page (keyset)", deep.replace("+", "%2B")),
        ("search: session code -> case", f"/staff/cases/?q={case.code}"),
        ("search: session link -> case", f"/staff/cases/?q=https://x.example/s/{linked.token}/"),
        ("search: share link -> case", f"/staff/cases/?q=https://x.example/share/{token}/"),
        ("search: unknown code", "/staff/cases/?q=ZZZZ2222"),
        (f"case page ({case.revision} answers)", f"/staff/cases/{case.code}/"),
        ("case summary.txt", f"/staff/cases/{case.code}/summary.txt"),
    ]


def _share_page(runs: int) -> None:
    """A share link opened anonymously (a new link: tokens are not stored)."""
    session = Session.objects.exclude(outcome="").order_by("-updated_at").first()
    assert session is not None
    _, token = ShareLink.create(session)
    anonymous = Client(HTTP_HOST="localhost")
    _report("share page, anonymous", functools.partial(anonymous.get, f"/share/{token}/"), runs)


def _report(name: str, request: Callable[[], Any], runs: int) -> None:
    request()  # warm-up: flow parsed, templates compiled
    walls, cpus, database = [], [], []
    for _ in range(runs):
        spent = [0.0]
        with (
            CaptureQueriesContext(connection) as captured,
            connection.execute_wrapper(functools.partial(_timed, spent)),
        ):
            started, cpu = time.perf_counter(), time.process_time()
            response = request()
            walls.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        database.append(spent[0] * 1000)
    print(
        f"{name:<44} {statistics.median(walls):>10.1f} {max(walls):>8.1f} "
        f"{statistics.median(cpus):>7.1f} {statistics.median(database):>6.1f} "
        f"{len(captured.captured_queries):>8}  {response.status_code}"
    )


def _timed(
    spent: list[float], execute: Any, sql: str, params: Any, many: bool, context: Any
) -> Any:
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        spent[0] += time.perf_counter() - started


def _query(url: str) -> dict[str, str]:
    from urllib.parse import parse_qsl, urlsplit

    return dict(parse_qsl(urlsplit(url).query))


def _plan() -> None:
    """How the database runs the first page of the list, unfiltered and filtered."""
    version = FlowVersion.live()
    for query in (
        {},
        {"abandoned": "on"},
        {"outcome": "-"},
        {"status": "escalated"},
        {"language": "en", "status": "escalated"},
    ):
        form = CaseSearchForm(query, versions=[version] if version else [])
        assert form.is_valid()
        sessions = form.cases().order_by("-updated_at", "-pk")[:26]
        print(f"plan {query or '(no filter)'}:")
        for line in sessions.explain().splitlines():
            print(f"    {line}")
    print("plan needs attention:")
    for line in Case.needs_attention()[:100].explain().splitlines():
        print(f"    {line}")


if __name__ == "__main__":
    main()
