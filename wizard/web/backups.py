"""Back up the database to one file and restore it: SQLite through its online backup API
(a consistent copy while the site keeps writing), PostgreSQL through pg_dump's custom
format and pg_restore. `manage.py backup` and `manage.py restore` (and `make backup`,
`make restore`) call these; docs/deploy.md gives a schedule.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any


def backup(database: dict[str, Any], target: Path) -> None:
    """Write a backup of `database` (a settings.DATABASES entry) to `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if _is_sqlite(database):
        source = sqlite3.connect(str(database["NAME"]))
        copy = sqlite3.connect(str(target))
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
        return
    _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}"], database)


def restore(database: dict[str, Any], source: Path) -> None:
    """Replace the contents of `database` with the backup in `source`."""
    if not source.is_file():
        raise FileNotFoundError(f"no backup at {source}")
    if _is_sqlite(database):
        backup_file = sqlite3.connect(str(source))
        live = sqlite3.connect(str(database["NAME"]))
        try:
            with live:
                backup_file.backup(live)
        finally:
            live.close()
            backup_file.close()
        return
    _run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", str(source)],
        database,
    )


def _is_sqlite(database: dict[str, Any]) -> bool:
    return str(database["ENGINE"]).endswith("sqlite3")


def _run(command: list[str], database: dict[str, Any]) -> None:
    # Connection details go in libpq's variables: never on a command line `ps` shows.
    environment = os.environ | {
        "PGHOST": str(database.get("HOST") or "127.0.0.1"),
        "PGPORT": str(database.get("PORT") or 5432),
        "PGUSER": str(database.get("USER") or ""),
        "PGPASSWORD": str(database.get("PASSWORD") or ""),
        "PGDATABASE": str(database["NAME"]),
    }
    subprocess.run([*command, f"--dbname={database['NAME']}"], env=environment, check=True)
