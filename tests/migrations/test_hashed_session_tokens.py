"""Sellers 0005: sessions keep only the hash of their token.

The database is taken back to sellers 0004 (tokens in clear), filled with sessions through
the model as it was, and migrated forward: every session must open with the token its
seller holds, and no token may be left in the database. Going back gives every row a new
token (the old ones are known to nobody), all of them different.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.documents import SMALL
from wizard.sellers.models import Session

BEFORE = ("sellers", "0005_trials")
ROWS = 1203  # more than two of the migration's batches


def migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets[0]).apps


def session_columns() -> list[str]:
    with connection.cursor() as cursor:
        described = connection.introspection.get_table_description(cursor, "wizard_session")
    return [column.name for column in described]


def stored_text() -> str:
    """Every value of every session row, as one text to search for a token."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM wizard_session")
        return "\n".join(repr(row) for row in cursor.fetchall())


@pytest.mark.django_db(transaction=True)
def test_every_session_opens_by_its_old_token_and_no_token_is_stored() -> None:
    latest = list(MigrationExecutor(connection).loader.graph.leaf_nodes())
    try:
        old = migrate([BEFORE])
        now = timezone.now()
        version = old.get_model("sellers", "FlowVersion").objects.create(
            key="small", number=1, document=SMALL, checksum="c" * 64, published_at=now
        )
        model = old.get_model("sellers", "Session")
        tokens = {f"C{n:07d}": secrets.token_urlsafe(32) for n in range(ROWS)}
        model.objects.bulk_create(
            model(token=token, code=code, flow_version=version, current_step="where")
            for code, token in tokens.items()
        )
        assert "token" in session_columns()

        migrate(latest)
    finally:
        migrate(latest)

    columns = session_columns()
    assert "token" not in columns
    assert "token_hash" in columns
    for code, token in tokens.items():
        session = Session.opened_by(token)
        assert session is not None, code
        assert session.code == code
        assert session.token_hash == hashlib.sha256(token.encode()).hexdigest()
    text = stored_text()
    assert not [token for token in tokens.values() if token in text]


@pytest.mark.django_db(transaction=True)
def test_going_back_gives_every_session_a_new_token_of_its_own(version: Any) -> None:
    latest = list(MigrationExecutor(connection).loader.graph.leaf_nodes())
    sessions = [Session.start(version, language="id") for _ in range(3)]
    try:
        old = migrate([BEFORE])
        back = dict(old.get_model("sellers", "Session").objects.values_list("code", "token"))
        assert set(back) == {session.code for session in sessions}
        assert len(set(back.values())) == 3
        assert not {session.token for session in sessions} & set(back.values())
    finally:
        migrate(latest)
    assert Session.objects.count() == 3
