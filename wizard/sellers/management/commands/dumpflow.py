"""Write the live version of a flow to a TOML file, so the repository can catch up."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wizard.sellers.models import FlowVersion


class Command(BaseCommand):
    help = "Write the live version of a flow (default: orders) to a file, or to stdout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, help="where to write (default: stdout)")
        parser.add_argument("--flow", default="orders", help="the flow's key")

    def handle(self, *args: Any, path: Path | None, flow: str, **options: Any) -> None:
        live = FlowVersion.live(flow)
        if live is None:
            raise CommandError(f"no version of the flow {flow!r} is live")
        document = FlowVersion.objects.values_list("document", flat=True).get(pk=live.pk)
        if path is None:
            self.stdout.write(document, ending="")
            return
        path.write_text(document, encoding="utf-8")
        self.stderr.write(f"{path}: written from {live}")
