"""A seller's write: the session row on its revision, the answers' log lines and insight's
rollup, all or nothing. On PostgreSQL it is one statement (one round trip, atomic without
a transaction block); elsewhere the ORM's statements in one transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, models, transaction

from . import tallies


def write(
    model: type[models.Model],
    pk: int,
    revision: int,
    changes: Mapping[str, Any],
    moved: Mapping[tallies.Key, int],
    logs: Sequence[models.Model] = (),
) -> bool:
    """`model.objects.filter(pk=pk, revision=revision).update(**changes)`, then, only if
    that updated the row, `logs` (instances of one model) inserted and `moved` added to
    the rollup. Whether the row was at `revision` (False: another writer came first, and
    nothing was written)."""
    if connection.vendor == "postgresql":
        return _in_one_statement(model, pk, revision, changes, moved, logs)
    with transaction.atomic():
        if not model._default_manager.filter(pk=pk, revision=revision).update(**changes):
            return False
        if logs:
            type(logs[0])._default_manager.bulk_create(logs)
        tallies.add(moved)
    return True


def _in_one_statement(
    model: type[models.Model],
    pk: int,
    revision: int,
    changes: Mapping[str, Any],
    moved: Mapping[tallies.Key, int],
    logs: Sequence[models.Model],
) -> bool:
    # Data-modifying WITH clauses: the inserts read `updated`, so a stale revision (no row
    # updated) inserts nothing either.
    fields = [_field(model, name) for name in changes]  # by name or attname, as update()
    params = [
        field.get_db_prep_save(value.pk if isinstance(value, models.Model) else value, connection)
        for field, value in zip(fields, changes.values(), strict=True)
    ]
    clauses = [
        f"updated AS (UPDATE {_name(model._meta.db_table)} "
        f"SET {', '.join(f'{_name(field.column)} = %s' for field in fields)} "
        f"WHERE {_name(_field(model, 'pk').column)} = %s "
        f"AND {_name(_field(model, 'revision').column)} = %s RETURNING 1)"
    ]
    params += [pk, revision]
    if logs:
        meta = logs[0]._meta
        fields = [field for field in meta.concrete_fields if not field.primary_key]
        clauses.append(
            f"logged AS (INSERT INTO {_name(meta.db_table)} "
            f"({', '.join(_name(field.column) for field in fields)}) "
            f"SELECT * FROM unnest({', '.join(_cast(field, '[]') for field in fields)}) "
            "WHERE EXISTS (SELECT FROM updated))"
        )
        params += [
            [field.get_db_prep_save(getattr(log, field.attname), connection) for log in logs]
            for field in fields
        ]
    before = ""
    for number, (rollup, column, rows) in enumerate(tallies.levels(moved)):
        if not rows:
            continue
        # One array per column, whatever the number of rows: the statement keeps its shape.
        fields = [_field(rollup, name.format(date=column)) for name in tallies.COLUMNS]
        table = rollup._meta.db_table
        # WITH clauses run in no fixed order: counting the days' clause first makes every
        # writer lock the days' rows before the months', as starting a session does, so
        # two writers cannot deadlock on the rollup.
        after = f" AND (SELECT count(*) FROM {before}) >= 0" if before else ""
        clauses.append(
            f"rollup{number} AS (INSERT INTO {table} "
            f"({', '.join(_name(field.column) for field in fields)}) "
            f"SELECT * FROM unnest({', '.join(_cast(field, '[]') for field in fields)}) "
            f"WHERE EXISTS (SELECT FROM updated){after} "
            f"{tallies.on_conflict(table, column)} RETURNING 1)"
        )
        before = f"rollup{number}"
        columns = zip(*((*key, count) for key, count in rows), strict=True)
        params += [list(values) for values in columns]
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(clauses)} SELECT count(*) FROM updated", params)
        (updated,) = cursor.fetchone()
    return bool(updated)


def _field(model: type[models.Model] | models.Model, name: str) -> Any:
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def _name(name: object) -> str:
    return connection.ops.quote_name(str(name))


def _cast(field: Any, suffix: str = "") -> str:
    """A parameter typed as its column: a SELECT list gives its values no type of its own."""
    return f"CAST(%s AS {field.db_type(connection)}{suffix})"
