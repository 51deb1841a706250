"""Backups that have been restored: a database with sessions, answers, share links and
notes is backed up, restored elsewhere, and every row is found there."""

from __future__ import annotations

import sqlite3
import subprocess
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from tests.documents import SMALL
from tests.staff import answer_all, share, staff_user
from wizard.sellers.models import FlowVersion, Session
from wizard.support.models import Note
from wizard.web import backups

TABLES = ("wizard_session", "wizard_answer", "wizard_sharelink", "wizard_note", "auth_user")


def rows(cursor: Any, table: str) -> list[tuple[Any, ...]]:
    cursor.execute(f"SELECT * FROM {table} ORDER BY id")
    return [tuple(str(value) for value in row) for row in cursor.fetchall()]


def fill() -> None:
    """A database with every kind of row a case has (committed: the backup reads it)."""
    version, _ = FlowVersion.load(SMALL)
    support = staff_user("support")
    for number in range(3):
        session = Session.start(version, language="id")
        answer_all(session, ("where", "open"), ("everyone", "no"))
        share(session)
        Note.record(session, author=support, text=f"called {number}", status="escalated")


def server() -> str:
    """The PostgreSQL server of the test database, as libpq connection words."""
    found = connection.settings_dict
    return f"host={found['HOST']} port={found['PORT'] or 5432} user={found['USER']}"


def every_row(cursor: Any) -> dict[str, list[tuple[Any, ...]]]:
    return {table: rows(cursor, table) for table in TABLES}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite run")
def test_a_sqlite_backup_restores_every_row_elsewhere(
    transactional_db: None, tmp_path: Path
) -> None:
    fill()
    backup = tmp_path / "backup.sqlite3"
    call_command("backup", str(backup))
    elsewhere = tmp_path / "restored.sqlite3"
    backups.restore({"ENGINE": "django.db.backends.sqlite3", "NAME": str(elsewhere)}, backup)
    with sqlite3.connect(connection.settings_dict["NAME"]) as original:
        before = every_row(original.cursor())
    restored = sqlite3.connect(elsewhere)
    try:
        after = every_row(restored.cursor())
    finally:
        restored.close()
    assert after == before
    assert len(after["wizard_answer"]) == 6


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL run")
def test_a_postgresql_backup_restores_every_row_elsewhere(
    transactional_db: None, tmp_path: Path
) -> None:
    fill()
    backup = tmp_path / "backup.dump"
    call_command("backup", str(backup))
    name = f"restore_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{server()} dbname={connection.settings_dict['NAME']}") as original:
        before = every_row(original.cursor())
    with psycopg.connect(f"{server()} dbname=postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        backups.restore(dict(connection.settings_dict) | {"NAME": name}, backup)
        with psycopg.connect(f"{server()} dbname={name}") as restored:
            after = every_row(restored.cursor())
    finally:
        with psycopg.connect(f"{server()} dbname=postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert after == before
    assert len(after["wizard_answer"]) == 6


def test_restoring_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        backups.restore({"ENGINE": "sqlite3", "NAME": str(tmp_path / "db")}, tmp_path / "none")


def test_a_failed_pg_dump_is_an_error_not_a_silent_empty_backup(tmp_path: Path) -> None:
    nowhere = {"ENGINE": "postgresql", "NAME": "x", "HOST": "127.0.0.1", "PORT": 9, "USER": "u"}
    with pytest.raises(subprocess.CalledProcessError):
        backups.backup(nowhere, tmp_path / "backup.dump")
