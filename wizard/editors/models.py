"""The workshop's records: drafts of a flow document, their review, and the log of what
editors did."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wizard.flows import FlowError
from wizard.flows.check import Report, check_document
from wizard.sellers.models import FlowVersion, Trial

from . import notices


class DraftConflict(Exception):
    """The draft was saved by someone else since the editor opened it."""


class ReviewError(Exception):
    """A review step or a publish the rules do not allow; the message says why."""


class Draft(models.Model):
    """A flow document being edited: started from a version, reviewed by a second editor,
    published as a new one.

    Its review state moves editing → waiting for review → approved or changes requested,
    and approved → published. A save keeps a draft that waits for review waiting (the
    reviewers read the text as it is when they look, and an approval names the revision
    the reviewer saw, so a save in between refuses it), and sends an approved draft, or
    one with changes requested, back to editing: an approval holds only for the text
    approved, and the author asks for a review again when the new text is ready.

    A rollback (an older version's text brought back) and keeping a trial's variant are
    drafts too, of their own kind, that cannot be edited: the same review lets them
    reach sellers, as a publish does.
    """

    class State(models.TextChoices):
        EDITING = "editing", _("being edited")
        WAITING = "waiting", _("waiting for review")
        CHANGES_REQUESTED = "changes", _("changes requested")
        APPROVED = "approved", _("approved")
        PUBLISHED = "published", _("published")

    class Kind(models.TextChoices):
        EDIT = "edit", _("changes to the flow")
        ROLLBACK = "rollback", _("a rollback")
        KEEP_VARIANT = "keep", _("keeping a trial's variant")

    key = models.CharField(max_length=50)
    document = models.TextField()
    base = models.ForeignKey(FlowVersion, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=State.choices, default=State.EDITING)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EDIT)
    # A rollback's reason, offered as the change note when it is published.
    note = models.TextField(blank=True)
    # The trial whose variant a KEEP_VARIANT draft asks to keep.
    trial = models.ForeignKey(
        Trial, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
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
    def start(cls, version: FlowVersion, *, by: Any, kind: str = Kind.EDIT, **fields: Any) -> Draft:
        """A new draft holding a version's document."""
        document = FlowVersion.objects.values_list("document", flat=True).get(pk=version.pk)
        with transaction.atomic():
            draft = cls.objects.create(
                key=version.key, document=document, base=version, author=by, kind=kind, **fields
            )
            Action.record(by, Action.Kind.START, draft=draft, version=version)
        return draft

    @classmethod
    def roll_back(cls, version: FlowVersion, *, by: Any, note: str, site_url: str = "") -> Draft:
        """Bring an older version's text back as a new version (history stays as it was):
        a draft of the rollback kind, sent for review at once, or published at once when
        no review is required."""
        with transaction.atomic():
            draft = cls.start(version, by=by, kind=cls.Kind.ROLLBACK, note=note)
            if settings.FLOW_REVIEW_REQUIRED:
                draft.submit(by=by, site_url=site_url)
            else:
                draft.publish(by=by, note=note)
        return draft

    @classmethod
    def keep_variant(cls, trial: Trial, *, by: Any, site_url: str = "") -> Draft:
        """Ask a second editor to approve ending the trial with its variant live: a draft
        of the variant's text, sent for review (the one already asked for, if any)."""
        if not trial.is_running:
            raise ReviewError(_("This trial has already ended."))
        asked = cls.objects.filter(trial=trial, published_as__isnull=True).first()
        if asked is not None:
            return asked
        with transaction.atomic():
            draft = cls.start(trial.variant, by=by, kind=cls.Kind.KEEP_VARIANT, trial=trial)
            draft.submit(by=by, site_url=site_url)
        return draft

    @property
    def is_open(self) -> bool:
        """Whether it can still be reviewed and published (it has not been published)."""
        return self.published_as_id is None

    @property
    def is_editable(self) -> bool:
        """Whether its text can be changed: an open draft of changes (a rollback or a kept
        variant is reviewed as the version it brings back)."""
        return self.is_open and self.kind == self.Kind.EDIT

    @property
    def is_approved(self) -> bool:
        """Whether a second editor approved the text as it is now."""
        return self.state == self.State.APPROVED and self.approved_revision == self.revision

    @property
    def is_stale_request(self) -> bool:
        """Whether it asks to keep the variant of a trial that has ended since."""
        return self.trial_id is not None and self.trial is not None and not self.trial.is_running

    def waits_for(self, user: Any) -> str:
        """What this open draft waits for `user` to do: "review", "changes", "publish"
        (their approved draft) or "" (nothing)."""
        if not self.is_open or self.is_stale_request:
            return ""
        if self.author_id != user.pk:
            may_review = user.has_perm("editors.publish_draft")
            return "review" if self.state == self.State.WAITING and may_review else ""
        if self.state == self.State.CHANGES_REQUESTED:
            return "changes"
        return "publish" if self.is_approved and self.kind != self.Kind.KEEP_VARIANT else ""

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
        the checker's report says what blocks publishing. An approval, or a request for
        changes, no longer holds: the draft goes back to editing (see the class).
        """
        if not self.is_editable:
            raise ReviewError(_("This draft cannot be edited."))
        now = timezone.now()
        back_to_editing = Case(
            When(
                state__in=[self.State.APPROVED, self.State.CHANGES_REQUESTED],
                then=Value(self.State.EDITING),
            ),
            default=F("state"),
        )
        with transaction.atomic():
            updated = Draft.objects.filter(
                pk=self.pk, revision=revision, published_as__isnull=True
            ).update(
                document=text,
                revision=F("revision") + 1,
                updated_at=now,
                state=back_to_editing,
            )
            if not updated:
                raise DraftConflict
            Action.record(by, Action.Kind.SAVE, draft=self)
        self.refresh_from_db()

    def submit(self, *, by: Any, site_url: str = "") -> None:
        """Ask the other editors for a review; they are notified by email."""
        if not self.report().is_publishable:
            raise ReviewError(_("Fix the problems the checker found before asking for a review."))
        with transaction.atomic():
            self._move(
                {self.State.EDITING, self.State.CHANGES_REQUESTED},
                self.State.WAITING,
                _(
                    "Only a draft being edited, or one with changes requested, can be sent "
                    "for review; this one is “%(state)s”."
                ),
            )
            Action.record(by, Action.Kind.SUBMIT, draft=self)
            notices.review_wanted(self, by=by, site_url=site_url)

    def approve(self, *, by: Any, revision: int | None = None, site_url: str = "") -> None:
        """Record a second editor's approval of the text they read (`revision`, by default
        the text as it is now)."""
        if by.pk == self.author_id:
            raise ReviewError(_("The author of a draft cannot approve it; ask another editor."))
        # A second pair of eyes is one that did not write any of the text.
        if self.actions.filter(kind=Action.Kind.SAVE, by=by).exists():
            raise ReviewError(
                _("You changed this draft, so you cannot approve it; ask an editor who did not.")
            )
        if revision is not None and revision != self.revision:
            raise ReviewError(
                _("The draft was saved since you opened it: read the new text, then approve it.")
            )
        if not self.report().is_publishable:
            raise ReviewError(_("Fix the problems the checker found before approving."))
        self._check_request()
        with transaction.atomic():
            self._move(
                {self.State.WAITING},
                self.State.APPROVED,
                _("Only a draft waiting for review can be approved; this one is “%(state)s”."),
                revision=self.revision,
                approved_by=by,
                approved_revision=self.revision,
            )
            Action.record(by, Action.Kind.APPROVE, draft=self)
            notices.reviewed(self, by=by, site_url=site_url)

    def request_changes(
        self, text: str, *, by: Any, revision: int | None = None, site_url: str = ""
    ) -> Comment:
        """A reviewer sends the draft back to its author with a comment saying what to
        change, on the revision they read (`revision`, by default the text as it is now)."""
        if by.pk == self.author_id:
            raise ReviewError(
                _("The author cannot request changes to their own draft; write a comment.")
            )
        if not text.strip():
            raise ReviewError(_("Say what to change: a request for changes needs a comment."))
        with transaction.atomic():
            self._move(
                {self.State.WAITING, self.State.APPROVED},
                self.State.CHANGES_REQUESTED,
                _(
                    "Only a draft waiting for review, or an approved one, can be sent back "
                    "for changes; this one is “%(state)s”."
                ),
            )
            comment = Comment.objects.create(
                draft=self,
                author=by,
                revision=revision or self.revision,
                text=text,
                is_change_request=True,
            )
            Action.record(by, Action.Kind.REQUEST_CHANGES, draft=self, note=text)
            notices.reviewed(self, by=by, site_url=site_url, comment=text)
        return comment

    def comment(self, text: str, *, by: Any, revision: int | None = None) -> Comment:
        """A comment on the revision the editor read (by default the text as it is now);
        it does not change the state."""
        if not text.strip():
            raise ReviewError(_("Write the comment first."))
        if not self.is_open:
            raise ReviewError(_("This draft is already published."))
        with transaction.atomic():
            comment = Comment.objects.create(
                draft=self, author=by, revision=revision or self.revision, text=text
            )
            Action.record(by, Action.Kind.COMMENT, draft=self, note=text)
        return comment

    def _move(self, sources: Iterable[str], target: str, refusal: Any, **fields: Any) -> None:
        """Move to `target` from one of `sources` in one statement, so two editors acting
        at once cannot both succeed; `refusal` names the state found otherwise. Call it
        inside the transaction that records the action."""
        rows = Draft.objects.filter(pk=self.pk, state__in=list(sources), published_as__isnull=True)
        if "revision" in fields:
            rows = rows.filter(revision=fields.pop("revision"))
        if not rows.update(state=target, **fields):
            self.refresh_from_db()
            raise ReviewError(refusal % {"state": self.get_state_display()})
        self.refresh_from_db()

    def _check_request(self) -> None:
        if self.kind == self.Kind.KEEP_VARIANT and self.is_stale_request:
            raise ReviewError(_("This trial has already ended."))

    def check_publishable(self) -> None:
        """Raise ReviewError unless the review rules let this draft be published (as the
        live version or as a trial's variant: a variant reaches real sellers too)."""
        if not self.is_open:
            raise ReviewError(_("This draft is already published."))
        if self.kind == self.Kind.KEEP_VARIANT:
            raise ReviewError(_("Keep the variant on the trial's page, by ending the trial."))
        if settings.FLOW_REVIEW_REQUIRED and not self.is_approved:
            raise ReviewError(_("A second editor must approve this draft before it is published."))

    def publish(self, *, by: Any, note: str) -> FlowVersion:
        """Publish the draft as a new live version with the editor's note (a rollback's
        is logged as a rollback)."""
        self.check_publishable()
        kind = Action.Kind.ROLLBACK if self.kind == self.Kind.ROLLBACK else Action.Kind.PUBLISH
        try:
            with transaction.atomic():
                version = FlowVersion.publish(self.document, by=by, note=note)
                self.mark_published(version)
                Action.record(by, kind, draft=self, version=version, note=note)
        except FlowError as error:
            raise ReviewError(_("The checker refuses this draft: %s") % error) from error
        self.refresh_from_db()
        return version

    def mark_published(self, version: FlowVersion) -> None:
        """Record that the draft reached sellers as `version`."""
        Draft.objects.filter(pk=self.pk).update(published_as=version, state=self.State.PUBLISHED)


class Comment(models.Model):
    """An editor's comment on a draft, on the revision they read; a request for changes
    is a comment too."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revision = models.PositiveIntegerField()
    text = models.TextField()
    is_change_request = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"comment {self.pk} on draft {self.draft_id}"


class Action(models.Model):
    """One thing an editor did in the workshop, with who and when: the audit log."""

    class Kind(models.TextChoices):
        START = "start", _("started a draft")
        SAVE = "save", _("saved a draft")
        APPROVE = "approve", _("approved a draft")
        PUBLISH = "publish", _("published a draft")
        ROLLBACK = "rollback", _("rolled back")
        SUBMIT = "submit", _("asked for a review")
        REQUEST_CHANGES = "changes", _("requested changes")
        COMMENT = "comment", _("commented")
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
