"""The workshop's records: drafts of a flow document, and the log of what editors did."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wizard.flows import FlowError
from wizard.flows.check import Report, check_document
from wizard.sellers.models import FlowVersion


class DraftConflict(Exception):
    """The draft was saved by someone else since the editor opened it."""


class ReviewError(Exception):
    """An approval or a publish the rules do not allow; the message says why."""


class Draft(models.Model):
    """A flow document being edited: started from a version, published as a new one."""

    key = models.CharField(max_length=50)
    document = models.TextField()
    base = models.ForeignKey(FlowVersion, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # An approval holds for the text that was approved: any later save needs a new one.
    approved_revision = models.PositiveIntegerField(null=True, blank=True)
    published_as = models.ForeignKey(
        FlowVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at"]
        permissions = [
            ("read_workshop", "Can read the flows workshop: versions and their history"),
            ("publish_draft", "Can approve and publish drafts, and roll back versions"),
        ]

    def __str__(self) -> str:
        return f"{self.key} draft {self.pk}"

    @classmethod
    def start(cls, version: FlowVersion, *, by: Any) -> Draft:
        """A new draft holding a version's document."""
        document = FlowVersion.objects.values_list("document", flat=True).get(pk=version.pk)
        with transaction.atomic():
            draft = cls.objects.create(key=version.key, document=document, base=version, author=by)
            Action.record(by, Action.Kind.START, draft=draft, version=version)
        return draft

    @property
    def is_open(self) -> bool:
        """Whether it can still be edited (it has not been published)."""
        return self.published_as_id is None

    @property
    def is_approved(self) -> bool:
        """Whether a second editor approved the text as it is now."""
        return self.approved_revision == self.revision

    def report(self, today: dt.date | None = None) -> Report:
        """The checker's report on the draft as it is now."""
        return self.report_on(self.document, today)

    def report_on(self, text: str, today: dt.date | None = None) -> Report:
        """The checker's report on a text the editor has not saved yet."""
        return check_document(
            text, today=today or timezone.localdate(), max_age_days=settings.FLOW_MAX_AGE_DAYS
        )

    def save_document(self, text: str, *, revision: int, by: Any) -> None:
        """Store a new text, unless someone saved the draft since `revision` was shown.

        The text is stored even when it does not load: the editor's work is kept, and
        the checker's report says what blocks publishing.
        """
        now = timezone.now()
        with transaction.atomic():
            updated = Draft.objects.filter(
                pk=self.pk, revision=revision, published_as__isnull=True
            ).update(document=text, revision=F("revision") + 1, updated_at=now)
            if not updated:
                raise DraftConflict
            Action.record(by, Action.Kind.SAVE, draft=self)
        self.refresh_from_db()

    def approve(self, *, by: Any) -> None:
        """Record a second editor's approval of the text as it is now."""
        if by.pk == self.author_id:
            raise ReviewError(_("The author of a draft cannot approve it; ask another editor."))
        if not self.report().is_publishable:
            raise ReviewError(_("Fix the problems the checker found before approving."))
        with transaction.atomic():
            Draft.objects.filter(pk=self.pk).update(approved_by=by, approved_revision=self.revision)
            Action.record(by, Action.Kind.APPROVE, draft=self)
        self.refresh_from_db()

    def check_publishable(self) -> None:
        """Raise ReviewError unless the review rules let this draft be published (as the
        live version or as a trial's variant: a variant reaches real sellers too)."""
        if not self.is_open:
            raise ReviewError(_("This draft is already published."))
        if settings.FLOW_REVIEW_REQUIRED and not self.is_approved:
            raise ReviewError(_("A second editor must approve this draft before it is published."))

    def publish(self, *, by: Any, note: str) -> FlowVersion:
        """Publish the draft as a new live version with the editor's note."""
        self.check_publishable()
        try:
            with transaction.atomic():
                version = FlowVersion.publish(self.document, by=by, note=note)
                Draft.objects.filter(pk=self.pk).update(published_as=version)
                Action.record(by, Action.Kind.PUBLISH, draft=self, version=version, note=note)
        except FlowError as error:
            raise ReviewError(_("The checker refuses this draft: %s") % error) from error
        self.refresh_from_db()
        return version


def rollback(version: FlowVersion, *, by: Any, note: str) -> FlowVersion:
    """Republish an older version's content as a new version (history stays as it was)."""
    document = FlowVersion.objects.values_list("document", flat=True).get(pk=version.pk)
    with transaction.atomic():
        published = FlowVersion.publish(document, by=by, note=note)
        Action.record(by, Action.Kind.ROLLBACK, version=published, note=note)
    return published


class Action(models.Model):
    """One thing an editor did in the workshop, with who and when: the audit log."""

    class Kind(models.TextChoices):
        START = "start", _("started a draft")
        SAVE = "save", _("saved a draft")
        APPROVE = "approve", _("approved a draft")
        PUBLISH = "publish", _("published a draft")
        ROLLBACK = "rollback", _("rolled back")
        TRIAL_START = "trial_start", _("started a trial")
        TRIAL_END = "trial_end", _("ended a trial")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    draft = models.ForeignKey(
        Draft, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    version = models.ForeignKey(
        FlowVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A trial's start and end: the page says what it tried in the reader's language.
    trial = models.ForeignKey(
        "sellers.Trial", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)  # the editor's own words, never ours

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.by} {self.kind} at {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def record(
        cls,
        by: Any,
        kind: str,
        *,
        draft: Draft | None = None,
        version: Any = None,
        trial: Any = None,
        note: str = "",
    ) -> Action:
        """Log an editor's action."""
        return cls.objects.create(
            kind=kind, by=by, draft=draft, version=version, trial=trial, note=note
        )
