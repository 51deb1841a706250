"""A seller's write: the session row on its revision, the answer's log line and insight's
rollup, all or nothing. On PostgreSQL it is one statement (one round trip, atomic without
a transaction block); elsewhere the ORM's statements in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import connection, models, transaction

from . import tallies


def write(
    model: type[models.Model],
    pk: int,
    revision: int,
    changes: Mapping[str, Any],
    moved: Mapping[tallies.Key, int],
    log: models.Model | None = None,
) -> bool:
    """`model.objects.filter(pk=pk, revision=revision).update(**changes)`, then, only if
    that updated the row, `log` inserted and `moved` added to the rollup. Whether the row
    was at `revision` (False: another writer came first, and nothing was written)."""
    if connection.vendor == "postgresql":
        return _in_one_statement(model, pk, revision, changes, moved, log)
    with transaction.atomic():
        if not model._default_manager.filter(pk=pk, revision=revision).update(**changes):
            return False
        if log is not None:
            log.save(force_insert=True)
        tallies.add(moved)
    return True


def _in_one_statement(
    model: type[models.Model],
    pk: int,
    revision: int,
    changes: Mapping[str, Any],
    moved: Mapping[tallies.Key, int],
    log: models.Model | None,
) -> bool:
    # Data-modifying WITH clauses: the inserts read `updated`, so a stale revision (no row
    # updated) inserts nothing either.
    fields = [_field(model, name) for name in changes]
    params = [field.get_db_prep_save(changes[field.name], connection) for field in fields]
    clauses = [
        f"updated AS (UPDATE {_name(model._meta.db_table)} "
        f"SET {', '.join(f'{_name(field.column)} = %s' for field in fields)} "
        f"WHERE {_name(_field(model, 'pk').column)} = %s "
        f"AND {_name(_field(model, 'revision').column)} = %s RETURNING 1)"
    ]
    params += [pk, revision]
    if log is not None:
        fields = [_field(log, f.name) for f in log._meta.concrete_fields if not f.primary_key]
        clauses.append(
            f"logged AS (INSERT INTO {_name(log._meta.db_table)} "
            f"({', '.join(_name(field.column) for field in fields)}) "
            f"SELECT {', '.join(_cast(field) for field in fields)} FROM updated)"
        )
        params += [
            field.get_db_prep_save(getattr(log, field.attname), connection) for field in fields
        ]
    for number, (rollup, column, rows) in enumerate(tallies.levels(moved)):
        if not rows:
            continue
        # One array per column, whatever the number of rows: the statement keeps its shape.
        fields = [_field(rollup, name.format(date=column)) for name in tallies.COLUMNS]
        table = rollup._meta.db_table
        clauses.append(
            f"rollup{number} AS (INSERT INTO {table} "
            f"({', '.join(_name(field.column) for field in fields)}) "
            f"SELECT * FROM unnest({', '.join(_cast(field, '[]') for field in fields)}) "
            f"WHERE EXISTS (SELECT FROM updated) {tallies.on_conflict(table, column)})"
        )
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
