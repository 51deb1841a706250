"""Load flow documents as new versions, only when their content changed."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wizard.flows import FlowError
from wizard.sellers.models import FlowVersion, PublishedInBrowser


class Command(BaseCommand):
    help = "Load flow documents (default: settings.FLOW_FILES). Unchanged content is skipped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help="TOML flow documents")
        parser.add_argument(
            "--force",
            action="store_true",
            help="load even over a version an editor published in the workshop",
        )

    def handle(self, *args: Any, paths: list[Path], force: bool, **options: Any) -> None:
        for path in paths or settings.FLOW_FILES:
            try:
                text = Path(path).read_text(encoding="utf-8")
            except OSError as error:
                raise CommandError(f"{path}: cannot read it ({error.strerror})") from error
            try:
                version, created = FlowVersion.load(text, force=force)
            except FlowError as error:
                problems = "\n".join(f"  - {problem}" for problem in error.problems)
                raise CommandError(f"{path} was not loaded:\n{problems}") from error
            except PublishedInBrowser as refusal:
                raise CommandError(_refusal(path, refusal)) from refusal
            if created:
                self.stdout.write(f"{path}: loaded as {version} (now live)")
            else:
                self.stdout.write(f"{path}: unchanged, {version} stays live")


def _refusal(path: Path, refusal: PublishedInBrowser) -> str:
    live = refusal.live
    assert live.published_at is not None
    assert live.published_by is not None
    matches = (
        f"it has the content of {refusal.matched}, which {live} replaced"
        if refusal.matched is not None
        else "its content is not the live version's"
    )
    return (
        f"{path} was not loaded: {live} was published in the workshop by "
        f"{live.published_by.get_username()} at {live.published_at:%Y-%m-%d %H:%M %Z} "
        f"and {matches}. Loading it would undo that publish. Run `manage.py dumpflow` to "
        "bring the file up to date (and commit it), or load it anyway with --force."
    )
