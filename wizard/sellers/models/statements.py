"""The statements every seller's step runs, with their SQL built once per process.

A question page reads one session; an answer reads it, updates it on its revision and
logs the answer. Django's ORM builds each statement anew on every call (filters, joins,
the compiler, model instances): measured with `python -m bench.parts`, that was 0.4 ms
of CPU for the read alone and about 0.9 ms for an answer's three statements, more than
the database took to run them. The statements never change shape, so here the ORM
compiles the read once and the write statements are written once from the models'
fields; each request only binds its values (adapted by the fields themselves, as the ORM
would) and runs them on the same connection, in the caller's transaction, counted by
`assertNumQueries` like any other query.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models

# Values that stand for a query's parameters while it is compiled: compiling checks that
# the SQL binds exactly these, in this order, so each call can bind its own instead.
_MARKS = ("\x00first\x00", "\x00second\x00", "\x00third\x00")


class Prepared[M: models.Model]:
    """A query the ORM compiles on first use; each call binds new parameters and turns
    the first row into an instance, converted as the ORM converts it (JSON, datetimes).

        by_hash = Prepared(Session, lambda h: Session.objects.filter(token_hash=h))
        session = by_hash("…")  # or None
    """

    def __init__(self, model: type[M], build: Callable[..., models.QuerySet[M]]) -> None:
        self.model = model
        self.build = build
        self._compiled: dict[str, tuple[str, list[str], dict[int, Any]]] = {}
        self._lock = threading.Lock()

    def _compile(self, using: str) -> tuple[str, list[str], dict[int, Any]]:
        arguments = _MARKS[: self.build.__code__.co_argcount]
        compiler = self.build(*arguments).query.get_compiler(using)
        sql, params = compiler.as_sql()
        if tuple(params) != arguments:
            raise ValueError(f"the query binds {params!r}, not only its arguments")
        columns = [selected[0] for selected in compiler.select]
        names = [column.target.attname for column in columns]
        return sql, names, compiler.get_converters(columns)

    def __call__(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> M | None:
        if using not in self._compiled:
            with self._lock:
                self._compiled.setdefault(using, self._compile(using))
        sql, names, converters = self._compiled[using]
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            row = cursor.fetchone()
        if row is None:
            return None
        converted = list(row)
        for position, (functions, expression) in converters.items():
            for convert in functions:
                converted[position] = convert(converted[position], expression, connection)
        return self.model.from_db(using, names, converted)


def update_where(
    model: type[models.Model],
    changes: Mapping[str, Any],
    where: Mapping[str, Any],
    *,
    using: str = DEFAULT_DB_ALIAS,
) -> int:
    """`model.objects.filter(**where).update(**changes)` for plain fields compared by
    equality, without building the query through the ORM; the number of rows updated."""
    connection = connections[using]
    sql = _update_sql(model, tuple(changes), tuple(where), connection)
    params = _prepared(model, changes.items(), connection) + _prepared(
        model, where.items(), connection, lookup=True
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def insert(
    model: type[models.Model], values: Mapping[str, Any], *, using: str = DEFAULT_DB_ALIAS
) -> None:
    """One row of `model` with `values` (by field name; the primary key from the
    database), without a model instance: `model.objects.create(**values)` minus the
    instance, its signals and reading back the new key, which an append-only log never
    needs."""
    connection = connections[using]
    sql = _insert_sql(model, tuple(values), connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, _prepared(model, values.items(), connection))


_sql: dict[tuple[object, ...], str] = {}


def _field(model: type[models.Model], name: str) -> Any:
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def _update_sql(
    model: type[models.Model], changed: tuple[str, ...], where: tuple[str, ...], connection: Any
) -> str:
    key = ("update", model, changed, where, connection.vendor)
    if key not in _sql:
        quote = connection.ops.quote_name
        assignments = ", ".join(f"{quote(_field(model, name).column)} = %s" for name in changed)
        conditions = " AND ".join(f"{quote(_field(model, name).column)} = %s" for name in where)
        _sql[key] = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {conditions}"
    return _sql[key]


def _insert_sql(model: type[models.Model], names: tuple[str, ...], connection: Any) -> str:
    key = ("insert", model, names, connection.vendor)
    if key not in _sql:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(_field(model, name).column) for name in names)
        marks = ", ".join(["%s"] * len(names))
        _sql[key] = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
    return _sql[key]


def _prepared(
    model: type[models.Model],
    items: Iterable[tuple[str, Any]],
    connection: Any,
    *,
    lookup: bool = False,
) -> list[Any]:
    """Each value as its field hands it to the database driver."""
    prepared = []
    for name, value in items:
        field = _field(model, name)
        if isinstance(field, models.ForeignKey) and isinstance(value, models.Model):
            value = value.pk
        prepared.append(
            field.get_db_prep_value(value, connection, prepared=False)
            if lookup
            else field.get_db_prep_save(value, connection)
        )
    return prepared
