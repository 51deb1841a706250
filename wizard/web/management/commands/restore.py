"""Replace the database's contents with a backup file made by `backup`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from wizard.web import backups


class Command(BaseCommand):
    help = "Replace the database's contents with a backup file made by `backup`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        backups.restore(settings.DATABASES["default"], path)
        self.stdout.write(f"restored from {path}")
