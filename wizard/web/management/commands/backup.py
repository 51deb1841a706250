"""Back up the database to a file (SQLite online backup, or pg_dump)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from wizard.web import backups


class Command(BaseCommand):
    help = "Back up the database to a file (SQLite online backup, or pg_dump)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        backups.backup(settings.DATABASES["default"], path)
        self.stdout.write(f"backed up to {path}")
