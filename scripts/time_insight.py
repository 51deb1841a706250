"""Time the insight page, its CSV and `insight --json` on the database as it is.

Usage: .venv/bin/python scripts/time_insight.py [--runs 15]

Seed first (scripts/seed_sessions.py N, which also fills insight's rollup). Each
request goes through Django's test client as a signed-in support lead, `--runs` times
after one warm-up (which also draws and caches the traffic diagram): the last 7, 30,
90, 180 and 365 days, every language and Bahasa Indonesia only (85 % of the seeded
sessions). It prints the median and slowest wall time in milliseconds, the median CPU
time of this process, the median time in the database, the number of queries, and the
machine's load average before and after (the figures mean little without it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

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
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from wizard.sellers.models import Answer, FlowVersion, MonthTally, Session, Tally  # noqa: E402
from wizard.web.roles import SUPPORT, ensure_role  # noqa: E402


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    print(
        f"{connection.vendor}: {Session.objects.count():,} sessions, "
        f"{Answer.objects.count():,} answers, {Tally.objects.count():,} rollup rows of days, "
        f"{MonthTally.objects.count():,} of months"
    )
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    user, _ = User.objects.get_or_create(username="timing_lead", defaults={"is_staff": True})
    user.groups.add(ensure_role(SUPPORT))
    lead = Client(HTTP_HOST="localhost")
    lead.force_login(user)
    version = FlowVersion.live()
    assert version is not None, "seed first"
    today = timezone.localdate()
    pages = []
    for days in (7, 30, 90, 180, 365):
        since = today - dt.timedelta(days=days - 1)
        pages += [
            (f"insight, last {days} days", f"/staff/insight/?since={since}"),
            (f"insight, last {days} days, id only", f"/staff/insight/?since={since}&language=id"),
        ]
    half_year = today - dt.timedelta(days=179)
    pages.append(("CSV of questions, 180 days", f"/staff/insight/questions.csv?since={half_year}"))
    print(
        f"{'request':<36} {'median ms':>10} {'max ms':>8} {'CPU ms':>7} {'DB ms':>6} {'queries':>8}"
    )
    for name, url in pages:
        _time(lead, name, url, runs)
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


def _time(client: Client, name: str, url: str, runs: int) -> None:
    response = client.get(url)  # warm-up: the version parsed, the diagram drawn
    assert response.status_code == 200, (url, response.status_code)
    walls, cpus, databases, counts = [], [], [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            wall, cpu = time.perf_counter(), time.process_time()
            client.get(url)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        databases.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        counts.append(len(queries.captured_queries))
    print(
        f"{name:<36} {statistics.median(walls):>10.0f} {max(walls):>8.0f} "
        f"{statistics.median(cpus):>7.0f} {statistics.median(databases):>6.0f} "
        f"{statistics.median(counts):>8.0f}"
    )


if __name__ == "__main__":
    main()
