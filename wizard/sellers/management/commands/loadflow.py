"""Load flow documents as new versions, only when their content changed.

A deploy must never silently undo an editor's publish from the workshop. When the live
version was published in the browser after the version a file matches, the file is
refused (unless --force) with who published what and when:

- a file with the live version's content: nothing to do, it stays live;
- a file with an older stored version's content (the repository's copy from before the
  editor's publish): refused, as loading it would undo the publish;
- a file with new content: loaded when it carries every change the workshop made since
  the last version loaded from a file (it was brought up to date with `dumpflow`, then
  changed); refused when it lacks one, naming the parts it would undo.

A refusal keeps the workshop's version live and exits 0, because the deploy runs this on
every start and an editor's publish must not stop the server from starting. `--strict`
makes a refusal an error (exit 1); `--check` writes nothing and exits 1 when a file does
not parse, fails the checker, or would not be loaded, for CI and for operators.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wizard.flows import FlowError
from wizard.sellers.models import FlowVersion, PublishedInBrowser


class Command(BaseCommand):
    help = (
        "Load flow documents (default: settings.FLOW_FILES). Unchanged content is skipped. "
        "Refused without --force when the live version was published in the workshop after "
        "the version the file matches: a file with an older version's content, or new "
        "content that lacks a change made in the workshop (run dumpflow first). A refusal "
        "keeps the workshop's version live and exits 0 unless --strict; --check writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help="TOML flow documents")
        parser.add_argument(
            "--force",
            action="store_true",
            help="load even over a version an editor published in the workshop",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="exit 1 when a file is refused (default: keep the workshop's version, exit 0)",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="write nothing; exit 1 when a file would not load or would be refused",
        )

    def handle(
        self,
        *args: Any,
        paths: list[Path],
        force: bool,
        strict: bool,
        check: bool,
        **options: Any,
    ) -> None:
        for path in paths or settings.FLOW_FILES:
            try:
                text = Path(path).read_text(encoding="utf-8")
            except OSError as error:
                raise CommandError(f"{path}: cannot read it ({error.strerror})") from error
            try:
                version, created = FlowVersion.load(text, force=force, dry_run=check)
            except FlowError as error:
                problems = "\n".join(f"  - {problem}" for problem in error.problems)
                raise CommandError(f"{path} was not loaded:\n{problems}") from error
            except PublishedInBrowser as refusal:
                if strict or check:
                    raise CommandError(_refusal(path, refusal)) from refusal
                self.stderr.write(_refusal(path, refusal))
                kept = f"{path}: not loaded, {refusal.live} from the workshop stays live"
                self.stdout.write(kept)
                continue
            if check:
                self.stdout.write(f"{path}: would be {'loaded' if created else 'unchanged'}")
            elif created:
                self.stdout.write(f"{path}: loaded as {version} (now live)")
            else:
                self.stdout.write(f"{path}: unchanged, {version} stays live")


def _refusal(path: Path, refusal: PublishedInBrowser) -> str:
    live = refusal.live
    assert live.published_at is not None
    assert live.published_by is not None
    if refusal.undone:
        based = f" (it is based on {refusal.matched})" if refusal.matched is not None else ""
        matches = f"this file{based} lacks what the workshop changed in " + ", ".join(
            refusal.undone
        )
    elif refusal.matched is not None:
        matches = f"it has the content of {refusal.matched}, which {live} replaced"
    else:
        matches = "its content is not the live version's"
    return (
        f"{path} was not loaded: {live} was published in the workshop by "
        f"{live.published_by.get_username()} at {live.published_at:%Y-%m-%d %H:%M %Z} "
        f"and {matches}. Loading it would undo that publish. Run `manage.py dumpflow` to "
        "bring the file up to date (and commit it), or load it anyway with --force."
    )
