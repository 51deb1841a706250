"""Draw a flow document as SVG (readable in a browser) or Graphviz DOT."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wizard.flows import FlowError, load_flow
from wizard.flows.diagram import draw_dot, draw_svg


class Command(BaseCommand):
    help = "Draw a flow document (default: the first of settings.FLOW_FILES)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, help="a TOML flow document")
        parser.add_argument("--format", choices=["svg", "dot"], default="svg")
        parser.add_argument("--language", choices=["id", "en"], default="id")
        parser.add_argument("--output", "-o", type=Path, help="write here instead of stdout")

    def handle(
        self,
        *args: Any,
        path: Path | None,
        format: str,
        language: str,
        output: Path | None,
        **options: Any,
    ) -> None:
        source = path or settings.FLOW_FILES[0]
        try:
            flow = load_flow(Path(source).read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"{source}: cannot read it ({error.strerror})") from error
        except FlowError as error:
            raise CommandError(f"{source} does not load:\n{error}") from error
        drawing = draw_svg(flow, language) if format == "svg" else draw_dot(flow, language)
        if output is None:
            self.stdout.write(drawing)
        else:
            output.write_text(drawing, encoding="utf-8")
            self.stdout.write(f"wrote {output}")
