"""Check flow documents against every publishing rule and print their path statistics."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from wizard.flows import FlowError, load_flow
from wizard.flows.check import check_document, reachability_lines


class Command(BaseCommand):
    help = "Check flow documents (default: settings.FLOW_FILES); fails if any is unpublishable."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help="TOML flow documents")
        parser.add_argument(
            "--max-age-days",
            type=int,
            default=settings.FLOW_MAX_AGE_DAYS,
            help="warn about facts and sources checked longer ago than this",
        )
        parser.add_argument(
            "--reachability",
            action="store_true",
            help="also print, per solution, the first answers that reach it (Markdown)",
        )
        parser.add_argument(
            "--language", choices=("id", "en"), default="en", help="for the titles in the table"
        )

    def handle(
        self,
        *args: Any,
        paths: list[Path],
        max_age_days: int,
        reachability: bool = False,
        language: str = "en",
        **options: Any,
    ) -> None:
        failed = []
        for path in paths or settings.FLOW_FILES:
            try:
                text = Path(path).read_text(encoding="utf-8")
            except OSError as error:
                raise CommandError(f"{path}: cannot read it ({error.strerror})") from error
            report = check_document(text, today=timezone.localdate(), max_age_days=max_age_days)
            self.stdout.write(f"{path}:")
            for line in report.lines():
                self.stdout.write(f"  {line}")
            if not report.is_publishable:
                failed.append(str(path))
            if reachability:
                self.print_reachability(text, language)
        if failed:
            raise CommandError(f"not publishable: {', '.join(failed)}")

    def print_reachability(self, text: str, language: str) -> None:
        """Print the reachability table, when the document loads at all."""
        try:
            flow = load_flow(text)
        except FlowError:
            return
        self.stdout.write("")
        for line in reachability_lines(flow, language):
            self.stdout.write(line)
