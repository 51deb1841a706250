"""Copy seeded sessions back in time in SQL, for scripts/seed_sessions.py --copies.

Every session with its answers, share links and their views, notes and queue case is
inserted again K times, copy k shifted k * `days` days back, with new ids (the originals'
plus k times the largest), a new token hash, code and link hash; the rollup's days are added
again shifted the same (an upsert, where a copy's first day meets the next one's last).
The month level is then summed from the days. Whole days keep each session on its own
local day (Asia/Jakarta has no daylight saving) and every duration, so a copy counts
what its original counts, a day earlier or later; `_check_walks` makes sure no path
walks differently at the shifted times.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from wizard.flows import walk
from wizard.sellers.models import Answer, FlowVersion, MonthTally, Session, Tally
from wizard.sellers.models.sessions import CODE_ALPHABET
from wizard.sellers.models.tallies import sum_months
from wizard.support.models import Case, Note, ShareLink, ShareView

# Odd, so id * MULTIPLIER mod 2**40 is one-to-one: each copy's code (8 * 5 bits) is its own.
MULTIPLIERS = (2_654_435_761, 2_246_822_519, 3_266_489_917)
# Copied with their ids shifted (other rows point at them); the rest get new ids.
KEEPS_IDS = (Session, ShareLink)
ORDER = (Session, Answer, ShareLink, ShareView, Note, Case)


def copy_back(copies: int, days: int) -> None:
    """Copy every session `copies` times, each `days` further back."""
    assert settings.TIME_ZONE == "Asia/Jakarta", "whole-day shifts need a zone without DST"
    _check_walks(copies * days)
    tops = {model: model.objects.aggregate(top=Max("pk"))["top"] or 0 for model in KEEPS_IDS}
    multiplier = _multiplier(tops[Session], copies)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE seeded_days AS SELECT * FROM sellers_tally")
            for k in range(1, copies + 1):
                for model in ORDER:
                    cursor.execute(_copy_sql(model, k, k * days, tops, multiplier))
                cursor.execute(_tally_sql(k * days))
            cursor.execute("DROP TABLE seeded_days")
            for sql in connection.ops.sequence_reset_sql(no_style(), list(KEEPS_IDS)):
                cursor.execute(sql)
        MonthTally.objects.all().delete()
        sum_months(Tally, MonthTally)


def _check_walks(days: int) -> None:
    """Each seeded set of answers walks the same path now and up to `days` days back."""
    now = timezone.now()
    moments = [now - dt.timedelta(days=days * n / 8) for n in range(9)]
    moments.append(now - dt.timedelta(days=days + 45))
    seen = set()
    flows = {version.pk: version.flow for version in FlowVersion.objects.all()}
    for version_id, answers in Session.objects.values_list("flow_version_id", "answers"):
        key = (version_id, repr(sorted(answers.items())))
        if key in seen:
            continue
        seen.add(key)
        flow = flows[version_id]
        walks = {
            (tuple(q.key for q in w.path), w.step)
            for w in (walk(flow, answers, moment) for moment in moments)
        }
        assert len(walks) == 1, f"answers {answers} walk differently over time: {walks}"


def _multiplier(top: int, copies: int) -> int:
    """One whose codes for the copies' ids meet none of the seeded codes."""
    taken = set(Session.objects.values_list("code", flat=True))
    for multiplier in MULTIPLIERS:
        ids = range(top + 1, top * (copies + 1) + 1)
        if not any(_code(i, multiplier) in taken for i in ids):
            return multiplier
    raise RuntimeError("every multiplier meets a seeded code")


def _code(number: int, multiplier: int) -> str:
    mixed = number * multiplier % 2**40
    return "".join(CODE_ALPHABET[mixed >> (5 * n) & 31] for n in range(8))


def _copy_sql(
    model: type[models.Model], k: int, days: int, tops: dict[Any, int], multiplier: int
) -> str:
    table = model._meta.db_table
    columns, values = [], []
    for field in model._meta.concrete_fields:
        column = connection.ops.quote_name(str(field.column))
        related = field.related_model if field.is_relation else None
        if field.primary_key and related is None:
            if model not in KEEPS_IDS:
                continue  # a new id
            value = f"{column} + {k * tops[model]}"
        elif related in KEEPS_IDS:
            value = f"{column} + {k * tops[related]}"
        elif isinstance(field, models.DateTimeField):
            value = _earlier(column, days)
        elif (model, field.name) in ((Session, "token_hash"), (ShareLink, "token_hash")):
            value = _random_hex(64)  # a SHA-256 in hex: nobody holds a copy's link
        elif (model, field.name) == (Session, "code"):
            value = _code_sql(f"(id + {k * tops[Session]})", multiplier)
        else:
            value = column
        columns.append(column)
        values.append(value)
    pk = connection.ops.quote_name(str(model._meta.pk.column))
    top = tops[Session] if model is Case else tops.get(model)
    seeded = f"WHERE {pk} <= {top}" if top is not None else _seeded_only(model, tops)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {table} "
        f"{seeded}"
    )


def _seeded_only(model: type[models.Model], tops: dict[Any, int]) -> str:
    """The seeded rows of a table whose ids are new: those pointing at seeded rows."""
    if model is ShareView:
        return f"WHERE link_id <= {tops[ShareLink]}"
    return f"WHERE session_id <= {tops[Session]}"


def _tally_sql(days: int) -> str:
    key = "flow_version_id, day, language, is_agent, step, measure, bucket"
    day = f"day - {days}" if connection.vendor == "postgresql" else f"date(day, '-{days} days')"
    return (
        f"INSERT INTO sellers_tally ({key}, count) "
        f"SELECT flow_version_id, {day}, language, is_agent, step, measure, bucket, count "
        f"FROM seeded_days WHERE true "  # SQLite: WHERE before ON CONFLICT in INSERT … SELECT
        f"ON CONFLICT ({key}) DO UPDATE SET count = sellers_tally.count + excluded.count"
    )


def _earlier(column: str, days: int) -> str:
    if connection.vendor == "postgresql":
        return f"{column} - interval '{days} days'"
    # Django writes "YYYY-MM-DD HH:MM:SS[.ffffff]": shift the seconds, keep the fraction.
    return f"datetime(substr({column}, 1, 19), '-{days} days') || substr({column}, 20)"


def _random_hex(size: int) -> str:
    """`size` hex digits, random per row."""
    if connection.vendor == "postgresql":
        return f"substr({' || '.join(['md5(random()::text)'] * (size // 32 + 1))}, 1, {size})"
    return f"substr(lower(hex(randomblob({size // 2 + 1}))), 1, {size})"


def _code_sql(number: str, multiplier: int) -> str:
    mixed = f"({number} * {multiplier} % {2**40})"
    cast = "::int" if connection.vendor == "postgresql" else ""
    return " || ".join(
        f"substr('{CODE_ALPHABET}', (({mixed} >> {5 * n}) & 31){cast} + 1, 1)" for n in range(8)
    )
