"""Flow versions: each an immutable, checked flow document, parsed once per process."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from wizard.flows import Flow, FlowError, load_flow
from wizard.flows.check import check_document
from wizard.flows.diagram import draw_dot, draw_svg
from wizard.flows.diff import PARTS, diff_flows
from wizard.flows.graphviz import GraphvizError, render_svg

logger = logging.getLogger(__name__)

# Published versions never change, so each is parsed (and drawn) once per process.
_parsed: dict[int, Flow] = {}
_drawn: dict[tuple[int, str], str] = {}


class PublishedInBrowser(Exception):
    """A file would replace a version an editor published in the workshop."""

    def __init__(
        self, live: FlowVersion, matched: FlowVersion | None, undone: tuple[str, ...] = ()
    ) -> None:
        self.live = live
        self.matched = matched  # the stored version the file matches, if any
        self.undone = undone  # for new content: the workshop's changes it lacks
        super().__init__(f"{live} was published in the workshop")


class FlowVersion(models.Model):
    """One immutable version of a flow document."""

    key = models.CharField(max_length=50)
    number = models.PositiveIntegerField()
    document = models.TextField()
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    # Set when an editor published it from the workshop (NULL: loaded from a file).
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    change_note = models.TextField(blank=True)
    # A draft's content stored so that preview sessions can be pinned to it: never
    # published, never numbered, never live.
    is_preview = models.BooleanField(default=False)

    class Meta:
        db_table = "wizard_flowversion"  # its name from before the apps (no rows moved)
        ordering = ["key", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "number"],
                condition=models.Q(is_preview=False),
                name="flow_version_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Store a new version; a stored version's content never changes."""
        if self.pk is not None and kwargs.get("update_fields") != ["published_at"]:
            raise ValueError("A flow version is immutable; load a new version instead.")
        super().save(*args, **kwargs)

    @classmethod
    def load(
        cls, text: str, *, force: bool = False, dry_run: bool = False
    ) -> tuple[FlowVersion, bool]:
        """Store a document as the live version, unless the live version already is it.

        A document the checker refuses is never stored: FlowError lists why. A deploy
        must never silently undo an editor's publish, so when the live version was
        published in the workshop after the version the file matches, PublishedInBrowser
        refuses it unless `force`. Which version a file matches:

        - content a stored version has: that version (the newest with it). Unless it is
          the live one (nothing to do), the live version replaced it.
        - new content: the live version when the file carries every change the workshop
          made since the last version loaded from a file (it was brought up to date with
          `dumpflow`, then changed), so it loads; otherwise that last loaded version,
          which the workshop's publishes came after, so it is refused and `undone`
          names the parts whose workshop changes it would undo.

        With `dry_run` nothing is stored: the answer says whether it would be.
        """
        report = check_document(
            text, today=timezone.localdate(), max_age_days=settings.FLOW_MAX_AGE_DAYS
        )
        if not report.is_publishable:
            raise FlowError([str(problem) for problem in report.problems])
        flow = load_flow(text)
        checksum = hashlib.sha256(text.encode()).hexdigest()
        with transaction.atomic():
            live = cls.live(flow.key)
            if live is not None and live.checksum == checksum:
                return live, False
            if live is not None and live.published_by_id is not None and not force:
                matched = (
                    cls.objects.filter(key=flow.key, checksum=checksum, is_preview=False)
                    .defer("document")
                    .order_by("-number")
                    .first()
                )
                if matched is not None:
                    raise PublishedInBrowser(live, matched)
                undone = live.workshop_changes_undone_by(flow)
                if undone:
                    raise PublishedInBrowser(live, live.last_loaded(), undone)
            latest = cls.objects.filter(key=flow.key, is_preview=False).order_by("-number").first()
            if dry_run:
                number = 1 if latest is None else latest.number + 1
                return cls(key=flow.key, number=number, document=text, checksum=checksum), True
            version = cls.objects.create(
                key=flow.key,
                number=1 if latest is None else latest.number + 1,
                document=text,
                checksum=checksum,
                published_at=timezone.now(),
            )
        _parsed[version.pk] = flow
        return version, True

    def last_loaded(self) -> FlowVersion | None:
        """The newest version of this flow before this one that came from a file."""
        earlier = FlowVersion.objects.filter(
            key=self.key, number__lt=self.number, is_preview=False, published_by__isnull=True
        )
        return earlier.defer("document").order_by("-number").first()

    def workshop_changes_undone_by(self, flow: Flow) -> tuple[str, ...]:
        """The parts ("fact 'ship_cutoff_hour'") the workshop changed after the last
        version loaded from a file and that `flow` does not have as this version does."""
        loaded = self.last_loaded()
        before = parsed_flow(loaded.pk) if loaded is not None else None
        edited = {
            (part.part, part.key)
            for part in (diff_flows(before, self.flow) if before is not None else [])
        }
        if before is None:  # no file version to compare with: every part counts
            edited = {(part, key) for part in PARTS for key in getattr(self.flow, part)}
        differ = {(part.part, part.key) for part in diff_flows(self.flow, flow)}
        return tuple(f"{part[:-1]} {key!r}" for part, key in sorted(edited & differ))

    @classmethod
    def publish(cls, text: str, *, by: Any, note: str, live: bool = True) -> FlowVersion:
        """Store a checked document as a new live version published by an editor.

        Unlike `load`, content an older version already had is stored again: a rollback
        republishes it, so history is never rewritten. With `live=False` the version is
        numbered but not published (a trial's variant): `make_live` publishes it later.
        """
        report = check_document(
            text, today=timezone.localdate(), max_age_days=settings.FLOW_MAX_AGE_DAYS
        )
        if not report.is_publishable:
            raise FlowError([str(problem) for problem in report.problems])
        flow = load_flow(text)
        with transaction.atomic():
            latest = (
                cls.objects.select_for_update()
                .filter(key=flow.key, is_preview=False)
                .order_by("-number")
            )
            newest = latest.first()
            version = cls.objects.create(
                key=flow.key,
                number=1 if newest is None else newest.number + 1,
                document=text,
                checksum=hashlib.sha256(text.encode()).hexdigest(),
                published_at=timezone.now() if live else None,
                published_by=by,
                change_note=note,
            )
        _parsed[version.pk] = flow
        return version

    @classmethod
    def preview(cls, text: str) -> FlowVersion:
        """The unpublished version a draft's text is previewed on (one per content).

        It must load (FlowError says why not); the checker need not pass yet.
        """
        flow = load_flow(text)
        checksum = hashlib.sha256(text.encode()).hexdigest()
        version, _ = cls.objects.get_or_create(
            key=flow.key,
            checksum=checksum,
            is_preview=True,
            defaults={"number": 0, "document": text},
        )
        _parsed[version.pk] = flow
        return version

    def make_live(self) -> None:
        """Publish a stored, unpublished version (a trial's variant) as the live one: the
        only change a stored version allows, its content stays as it was."""
        if self.is_preview or self.published_at is not None:
            raise ValueError(f"{self} is a preview or already published.")
        self.published_at = timezone.now()
        self.save(update_fields=["published_at"])

    def stored_before(self) -> FlowVersion | None:
        """The published version of the same flow numbered just below this one (a trial's
        variant that never went live is skipped: sellers never had it as the flow)."""
        earlier = FlowVersion.objects.filter(
            key=self.key, number__lt=self.number, is_preview=False, published_at__isnull=False
        )
        return earlier.order_by("-number").first()

    @classmethod
    def live(cls, key: str | None = None) -> FlowVersion | None:
        """The newest published version (of one flow, or of any)."""
        versions = cls.objects.filter(published_at__isnull=False).defer("document")
        if key is not None:
            versions = versions.filter(key=key)
        return versions.order_by("-published_at", "-number").first()

    @property
    def flow(self) -> Flow:
        """The parsed document."""
        return parsed_flow(self.pk)

    def diagram(self, language: str) -> str:
        """The flow drawn as SVG; a version never changes, so each drawing is made once."""
        key = (self.pk, language)
        if key not in _drawn:
            _drawn[key] = drawn(self.flow, language)
        return _drawn[key]


def parsed_flow(version_id: int) -> Flow:
    """The parsed flow of a version, read from the database once per process."""
    if version_id not in _parsed:
        document = FlowVersion.objects.values_list("document", flat=True).get(pk=version_id)
        _parsed[version_id] = load_flow(document)
    return _parsed[version_id]


def drawn(flow: Flow, language: str, **marks: Any) -> str:
    """The flow laid out by Graphviz (`marks` as for `draw_dot`); without Graphviz, the
    simpler hand-made layout, so the page still works, and a warning in the log."""
    title = flow.render(flow.title, language)
    try:
        return render_svg(
            draw_dot(flow, language, **marks),
            label=title,
            role="group" if marks.get("marks") else "img",
            executable=settings.GRAPHVIZ_DOT,
            timeout=settings.GRAPHVIZ_TIMEOUT_SECONDS,
        )
    except GraphvizError as problem:
        logger.warning("%s; drawing the flow without it", problem)
        return draw_svg(flow, language, traffic=marks.get("traffic"))
