"""Load flow documents as new versions, only when their content changed."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wizard.flows import FlowError
from wizard.sellers.models import FlowVersion


class Command(BaseCommand):
    help = "Load flow documents (default: settings.FLOW_FILES). Unchanged content is skipped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help="TOML flow documents")

    def handle(self, *args: Any, paths: list[Path], **options: Any) -> None:
        for path in paths or settings.FLOW_FILES:
            try:
                text = Path(path).read_text(encoding="utf-8")
            except OSError as error:
                raise CommandError(f"{path}: cannot read it ({error.strerror})") from error
            try:
                version, created = FlowVersion.load(text)
            except FlowError as error:
                problems = "\n".join(f"  - {problem}" for problem in error.problems)
                raise CommandError(f"{path} was not loaded:\n{problems}") from error
            if created:
                self.stdout.write(f"{path}: loaded as {version} (now live)")
            else:
                self.stdout.write(f"{path}: unchanged, {version} stays live")
