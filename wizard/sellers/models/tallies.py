"""Insight's rollup: per flow version, start day, language and kind of session, how many
sessions stand where, kept in step with every change of a session.

A session's *facts* (the steps its path reached, the step it stands on, its outcome, how
long it took, its feedback) are a function of the session row; each change adds the
difference between its facts after and before, in the same transaction. So the figures
are sums over a few thousand rows, whatever the number of sessions, and `rebuild` gives
the same table from the sessions alone.

The rollup is kept twice: per start day (`Tally`) and per start month (`MonthTally`,
the same counts summed over the month). A day holds a few thousand rows at a thousand
sessions a day (the time histograms spread them), so half a year of days is more than
SQLite sums in a second; `spans` reads a long range as whole months with at most half
a month of days at each end, added or taken away.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.utils import timezone

from wizard.flows import Walk, walk

from .versions import FlowVersion, parsed_flow

if TYPE_CHECKING:
    from .sessions import Session

# (flow version id, start day, language, is agent, step, measure, bucket)
Key = tuple[int, dt.date, str, bool, str, str, int]

STARTED = "started"  # step "": one per session
VIEWS = "views"  # each step on the path, and the one it stands on
STANDS = "stands"  # the step the session stands on now
YES, NO = "yes", "no"  # "did it help" at the solution reached
ESCALATED = "escalated"  # the session is escalated, counted where it stands
QUESTIONS = "questions"  # at the solution: bucket = questions answered on the path
SECONDS = "seconds"  # at the solution: bucket = seconds from start to solution
ANSWER_SECONDS = "answer_seconds"  # an event per answer: seconds since the previous change
TOOK = "took"  # each arrow of the path: step = "source target"
# A session assigned in an A/B trial counts again under step "trial <id>" (its version
# says its arm): one at the start, its feedback, and its seconds to a solution if any.
TRIAL_STARTED = "trial_started"
TRIAL_YES, TRIAL_NO = "trial_yes", "trial_no"
TRIAL_SECONDS = "trial_seconds"
TRIAL_MEASURES = (TRIAL_STARTED, TRIAL_YES, TRIAL_NO, TRIAL_SECONDS)
MEASURES = (
    STARTED,
    VIEWS,
    STANDS,
    YES,
    NO,
    ESCALATED,
    QUESTIONS,
    SECONDS,
    ANSWER_SECONDS,
    TOOK,
    *TRIAL_MEASURES,
)


class Counted(models.Model):
    """A count of insight's rollup (see the module's docstring), for some span of days."""

    flow_version = models.ForeignKey(FlowVersion, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=8)
    is_agent = models.BooleanField()
    step = models.CharField(max_length=130, blank=True)  # a step key, or two for an arrow
    measure = models.CharField(max_length=16, choices=[(m, m) for m in MEASURES])
    bucket = models.IntegerField(default=0)
    count = models.IntegerField(default=0)

    class Meta:
        abstract = True


class Tally(Counted):
    """One count of the sessions started on one day."""

    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["flow_version", "day", "language", "is_agent", "step", "measure", "bucket"],
                name="tally_key",
            )
        ]
        indexes = [models.Index(fields=["flow_version", "measure", "day"], name="tally_range")]

    def __str__(self) -> str:
        return f"{self.day} {self.step} {self.measure}[{self.bucket}] = {self.count}"


class MonthTally(Counted):
    """One count of the sessions started in one month: the sum of its days' `Tally`."""

    month = models.DateField()  # the month's first day

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "flow_version",
                    "month",
                    "language",
                    "is_agent",
                    "step",
                    "measure",
                    "bucket",
                ],
                name="month_tally_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.step} {self.measure}[{self.bucket}] = {self.count}"


def seconds_bucket(seconds: float) -> int:
    """A duration rounded down to its bucket: 5 s steps under 2 min, 30 s under 30 min,
    5 min under 4 h, then hours (a median is read to its bucket)."""
    whole = max(int(seconds), 0)
    for limit, width in ((120, 5), (1800, 30), (14_400, 300)):
        if whole < limit:
            return whole - whole % width
    return whole - whole % 3600


# The Session fields a session's facts are computed from.
FIELDS = (
    "pk",
    "flow_version_id",
    "is_preview",
    "answers",
    "status",
    "helped",
    "language",
    "started_by_id",
    "created_at",
    "updated_at",
    "solved_at",
    "trial_id",
)


def facts(
    session: Session | Mapping[str, Any],
    changes: Mapping[str, Any] | None = None,
    *,
    position: Walk | None = None,
) -> Counter[Key]:
    """What `session` (or a row of its FIELDS) counts for, with `changes` applied: the
    rollup's keys and counts. `position` is the walk of those answers at the row's
    `updated_at`, when the caller has just computed it (an answer has)."""
    row = {**(session if isinstance(session, Mapping) else vars(session)), **(changes or {})}
    if row.get("is_preview"):  # an editor's walk through a draft is never counted
        return Counter()
    if position is None:
        position = walk(parsed_flow(row["flow_version_id"]), row["answers"], row["updated_at"])
    base = (
        row["flow_version_id"],
        _day(row["created_at"]),
        row["language"],
        row["started_by_id"] is not None,
    )
    counted: Counter[Key] = Counter({(*base, "", STARTED, 0): 1})
    keys = [question.key for question in position.path]
    for number, key in enumerate(keys):
        counted[(*base, key, VIEWS, 0)] = 1
        following = keys[number + 1] if number + 1 < len(keys) else position.step
        counted[(*base, f"{key} {following}", TOOK, 0)] = 1
    counted[(*base, position.step, VIEWS, 0)] = 1
    counted[(*base, position.step, STANDS, 0)] = 1
    if row["status"] == "escalated":
        counted[(*base, position.step, ESCALATED, 0)] = 1
    if position.solution is not None:
        if row["helped"] is not None:
            counted[(*base, position.step, YES if row["helped"] else NO, 0)] = 1
        counted[(*base, position.step, QUESTIONS, len(position.path))] = 1
        took = (row["solved_at"] or row["updated_at"]) - row["created_at"]
        counted[(*base, position.step, SECONDS, seconds_bucket(took.total_seconds()))] = 1
    if row.get("trial_id") is not None:
        counted.update(_trial_facts(base, f"trial {row['trial_id']}", row, position))
    return counted


def _trial_facts(
    base: tuple[int, dt.date, str, bool], step: str, row: Mapping[str, Any], position: Walk
) -> Counter[Key]:
    """What a session counts for in its trial's arm (its version is the arm)."""
    counted: Counter[Key] = Counter({(*base, step, TRIAL_STARTED, 0): 1})
    if position.solution is not None:
        if row["helped"] is not None:
            counted[(*base, step, TRIAL_YES if row["helped"] else TRIAL_NO, 0)] = 1
        took = (row["solved_at"] or row["updated_at"]) - row["created_at"]
        counted[(*base, step, TRIAL_SECONDS, seconds_bucket(took.total_seconds()))] = 1
    return counted


def answered(session: Session, question: str, at: dt.datetime) -> Counter[Key]:
    """The event of answering `question` at `at`, timed from the session's last change."""
    if session.is_preview:  # an editor's walk through a draft is never counted
        return Counter()
    key: Key = (
        session.flow_version_id,
        _day(session.created_at),
        session.language,
        session.started_by_id is not None,
        question,
        ANSWER_SECONDS,
        seconds_bucket((at - session.updated_at).total_seconds()),
    )
    return Counter({key: 1})


def add(counts: Mapping[Key, int]) -> None:
    """Add `counts` (negative ones subtract) to the rollup's days and months."""
    for model, column, rows in levels(counts):
        for start in range(0, len(rows), 1000):  # under SQLite's limit of bound parameters
            _upsert(model._meta.db_table, column, rows[start : start + 1000])


def levels(counts: Mapping[Key, int]) -> list[tuple[type[Counted], str, list[tuple[Key, int]]]]:
    """`counts` as the rows each rollup table gets (its model, its date column, the rows
    with a count): days before months, each in key order, so that concurrent writers
    lock rows in one order."""
    months: Counter[Key] = Counter()
    for key, count in counts.items():
        months[(key[0], key[1].replace(day=1), *key[2:])] += count
    return [
        (model, column, sorted((key, count) for key, count in level.items() if count))
        for model, column, level in ((Tally, "day", counts), (MonthTally, "month", months))
    ]


def _upsert(table: str, column: str, rows: list[tuple[Key, int]]) -> None:
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(rows))
    params: list[Any] = []
    for (version, day, language, is_agent, step, measure, bucket), count in rows:
        day_value = connection.ops.adapt_datefield_value(day)
        params += [version, day_value, language, is_agent, step, measure, bucket, count]
    # Both SQLite and PostgreSQL speak this upsert; it adds instead of overwriting, so
    # two sessions changing at once both count.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(COLUMNS).format(date=column)}) "
            f"VALUES {values} {on_conflict(table, column)}",
            params,
        )


# A rollup row's columns in the order of a Key and its count; {date} is "day" or "month".
COLUMNS = (
    "flow_version_id",
    "{date}",
    "language",
    "is_agent",
    "step",
    "measure",
    "bucket",
    "count",
)


def on_conflict(table: str, column: str) -> str:
    """The clause that adds a row's count to the one already there: two sessions
    changing at once both count."""
    unique = ", ".join(COLUMNS[:-1]).format(date=column)
    return f"ON CONFLICT ({unique}) DO UPDATE SET count = {table}.count + excluded.count"


def change(before: Counter[Key], after: Counter[Key]) -> None:
    """Move the rollup from a session's facts `before` to its facts `after`."""
    add(difference(before, after))


def difference(before: Counter[Key], after: Counter[Key]) -> Counter[Key]:
    """What moves the rollup from a session's facts `before` to its facts `after`."""
    delta: Counter[Key] = Counter(after)
    delta.subtract(before)
    return delta


def rebuild(*, batch: int = 5000) -> int:
    """Recount the rollup from the sessions and their answer logs; returns the sessions."""
    from .sessions import Answer, Session

    rows = (
        Session.objects.filter(is_preview=False)
        .order_by("pk")
        .values(*FIELDS)
        .iterator(chunk_size=batch)
    )
    total = 0
    with transaction.atomic():
        Tally.objects.all().delete()
        MonthTally.objects.all().delete()
        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                total += _count(chunk, Answer)
                chunk = []
        total += _count(chunk, Answer)
    return total


def _count(chunk: list[dict[str, Any]], answer_model: Any) -> int:
    """Add a chunk of sessions (rows of FIELDS) and the answers they logged."""
    logs: dict[int, list[tuple[str, dt.datetime]]] = {}
    for session_id, question, at in (
        answer_model.objects.filter(session__in=[row["pk"] for row in chunk])
        .order_by("session_id", "answered_at", "id")
        .values_list("session_id", "question", "answered_at")
    ):
        logs.setdefault(session_id, []).append((question, at))
    add(counted(chunk, logs))
    return len(chunk)


def counted(
    rows: list[dict[str, Any]], logs: Mapping[int, list[tuple[str, dt.datetime]]]
) -> Counter[Key]:
    """What sessions (rows of FIELDS) and their answer logs (per session pk, the question
    and the time of each answer, in order) count for: `rebuild` and the seed script
    both count with this, so seeded rows hold what the app keeps."""
    pending: Counter[Key] = Counter()
    for row in rows:
        if row["is_preview"]:
            continue
        pending.update(facts(row))
        previous = row["created_at"]
        base = (row["flow_version_id"], _day(previous), row["language"])
        is_agent = row["started_by_id"] is not None
        for question, at in logs.get(row["pk"], []):
            bucket = seconds_bucket((at - previous).total_seconds())
            pending[(*base, is_agent, question, ANSWER_SECONDS, bucket)] += 1
            previous = at
    return pending


def sum_months(days: Any, months: Any) -> None:
    """Fill an empty month level with the sums of the days (models given, so that a
    migration passes its own)."""
    from django.db.models import Sum
    from django.db.models.functions import TruncMonth

    key = ("flow_version_id", "month", "language", "is_agent", "step", "measure", "bucket")
    summed = (
        days.objects.annotate(month=TruncMonth("day"))
        .values(*key)
        .annotate(total=Sum("count"))
        .order_by()
    )
    batch = []
    for row in summed.iterator(chunk_size=5000):
        batch.append(months(count=row.pop("total"), **row))
        if len(batch) >= 5000:
            months.objects.bulk_create(batch)
            batch = []
    months.objects.bulk_create(batch)


# A span of start days read from one level: +1 or -1, the level, its first and last day.
Span = tuple[int, type[Tally] | type[MonthTally], dt.date, dt.date]


def spans(since: dt.date, until: dt.date) -> list[Span]:
    """The spans whose signed sum counts the days from `since` to `until`: the months
    between, each end's month either as its days in the range or as the whole month
    less its days outside (whichever has fewer days: never more than half a month)."""
    first, last = since.replace(day=1), until.replace(day=1)
    if first == last:
        inside, outside = (
            [(since, until)],
            [(first, since - ONE_DAY), (until + ONE_DAY, _end(last))],
        )
        return _cheaper(first, last, inside, outside)
    head = _cheaper(first, first, [(since, _end(first))], [(first, since - ONE_DAY)])
    tail = _cheaper(last, last, [(last, until)], [(until + ONE_DAY, _end(last))])
    between = [(+1, MonthTally, _next(first), last - ONE_DAY)] if _next(first) < last else []
    return [*head, *between, *tail]


def _cheaper(
    first: dt.date,
    last: dt.date,
    inside: list[tuple[dt.date, dt.date]],
    outside: list[tuple[dt.date, dt.date]],
) -> list[Span]:
    """The days `inside`, or the months from `first` to `last` less the days `outside`."""
    outside = [(a, b) for a, b in outside if a <= b]
    if sum((b - a).days + 1 for a, b in outside) < sum((b - a).days + 1 for a, b in inside):
        return [(+1, MonthTally, first, last), *((-1, Tally, a, b) for a, b in outside)]
    return [(+1, Tally, a, b) for a, b in inside]


ONE_DAY = dt.timedelta(days=1)


def _next(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


def _end(month: dt.date) -> dt.date:
    return _next(month) - ONE_DAY


def _day(moment: dt.datetime) -> dt.date:
    """The day a session started, in the site's time zone (as staff read dates)."""
    return moment.astimezone(timezone.get_current_timezone()).date()
