"""Platform incidents that staff declare, what they did to each (its log), and which
sessions were shown them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from wizard.flows import Question, Solution, Text
from wizard.web.dates import EARLIEST, LATEST, OUT_OF_RANGE, is_sane

if TYPE_CHECKING:
    from .sessions import Session


class IncidentQuerySet(models.QuerySet["Incident"]):
    """Incidents, filtered by time."""

    def readable(self) -> IncidentQuerySet:
        """Incidents whose times lie between 2000 and 2099: a row saved before the range
        was checked (a BC date) cannot even be read, and must not break a page."""
        return self.filter(
            models.Q(ends_at__isnull=True) | models.Q(ends_at__gte=EARLIEST, ends_at__lt=LATEST),
            starts_at__gte=EARLIEST,
            starts_at__lt=LATEST,
        )

    def current(self, now: dt.datetime | None = None) -> IncidentQuerySet:
        """Incidents not over yet: going on, or planned to start later; the latest first."""
        now = now or timezone.now()
        return (
            self.readable()
            .filter(models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=now))
            .order_by("-starts_at", "-id")
        )

    def ended(self, now: dt.datetime | None = None) -> IncidentQuerySet:
        """Incidents that are over, the latest end first."""
        return (
            self.readable().filter(ends_at__lte=now or timezone.now()).order_by("-ends_at", "-id")
        )

    def active(self, now: dt.datetime | None = None) -> IncidentQuerySet:
        """Incidents that have started and not ended, newest first."""
        now = now or timezone.now()
        return (
            self.readable()
            .filter(models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=now), starts_at__lte=now)
            .order_by("-starts_at", "-id")
        )


class Incident(models.Model):
    """A known TikTok Shop problem, declared by staff so sellers stop searching their shop.

    `ends_at` is the expected end while it is ahead, and the end once it has passed:
    ending an incident now sets it to now, and sellers stop seeing it at that moment."""

    title_indonesian = models.CharField(_("title (Bahasa Indonesia)"), max_length=200)
    title_english = models.CharField(_("title (English)"), max_length=200)
    text_indonesian = models.TextField(
        _("what is happening and what to do meanwhile (Bahasa Indonesia)")
    )
    text_english = models.TextField(_("what is happening and what to do meanwhile (English)"))
    starts_at = models.DateTimeField(_("starts"), default=timezone.now)
    ends_at = models.DateTimeField(
        _("ends"), null=True, blank=True, help_text=_("Leave empty while it lasts.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = IncidentQuerySet.as_manager()

    class Meta:
        db_table = "wizard_incident"  # its name from before the apps (no rows moved)
        ordering = ["-starts_at", "-id"]
        verbose_name = _("platform incident")
        verbose_name_plural = _("platform incidents")
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="incident_time")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="incident_ends_after_start",
                violation_error_message=_("An incident must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title_english

    def clean(self) -> None:
        """Refuse times outside 2000 to 2099 (see wizard/web/dates.py)."""
        errors = {
            name: OUT_OF_RANGE
            for name in ("starts_at", "ends_at")
            if getattr(self, name) is not None and not is_sane(getattr(self, name))
        }
        if errors:
            raise ValidationError(errors)

    @property
    def title(self) -> Text:
        """The title in both languages."""
        return Text(self.title_indonesian, self.title_english)

    @property
    def text(self) -> Text:
        """What is happening and what to do meanwhile, in both languages."""
        return Text(self.text_indonesian, self.text_english)

    def is_active(self, now: dt.datetime | None = None) -> bool:
        """Whether the incident is going on now."""
        now = now or timezone.now()
        return self.starts_at <= now and (self.ends_at is None or self.ends_at > now)

    def has_ended(self, now: dt.datetime | None = None) -> bool:
        """Whether the incident is over."""
        return self.ends_at is not None and self.ends_at <= (now or timezone.now())

    def declare(self, *, by: Any, note: str = "") -> None:
        """Save this new incident, logged as declared by `by` (with `note`, e.g. the
        figures that suggested it): sellers see it from its start."""
        with transaction.atomic():
            self.created_by = by
            self.save()
            shown = {name: [None, getattr(self, name)] for name in IncidentChange.FIELDS}
            IncidentChange.record(self, IncidentChange.Kind.DECLARE, by=by, fields=shown, note=note)

    def amend(self, before: dict[str, Any], *, by: Any) -> IncidentChange | None:
        """Save the changes made to this incident since `before` (the values then of the
        fields that may have changed), logged with each field's old and new value; nothing
        is written when none changed."""
        changed = {
            name: [before[name], getattr(self, name)]
            for name in IncidentChange.FIELDS
            if name in before and before[name] != getattr(self, name)
        }
        if not changed:
            return None
        with transaction.atomic():
            self.save(update_fields=list(changed))
            return IncidentChange.record(self, IncidentChange.Kind.EDIT, by=by, fields=changed)

    def end(self, *, by: Any, now: dt.datetime | None = None) -> bool:
        """End the incident now, if it is going on: sellers stop seeing it at once. False
        when it had not started or had already ended (two staff pressing at once log one
        end)."""
        now = now or timezone.now()
        with transaction.atomic():
            ended = (
                Incident.objects.filter(pk=self.pk, starts_at__lt=now)
                .exclude(ends_at__lte=now)
                .update(ends_at=now)
            )
            if ended:
                fields = {"ends_at": [self.ends_at, now]}
                IncidentChange.record(self, IncidentChange.Kind.END, by=by, fields=fields)
        if ended:
            self.ends_at = now
        return bool(ended)

    @classmethod
    def shown_on(cls, session: Session, step: Question | Solution | None) -> list[Incident]:
        """The incidents a step of the platform-fault branch shows now; the session
        records that it saw them. Other steps show none and cost no query."""
        if step is None or not step.shows_incidents:
            return []
        incidents = list(cls.objects.active())
        if incidents:
            Sighting.objects.bulk_create(
                [Sighting(session=session, incident=incident) for incident in incidents],
                ignore_conflicts=True,
            )
        return incidents


class IncidentChange(models.Model):
    """One thing staff did to an incident (declared, edited, ended), by whom and when,
    with each changed field's value before and after: the incidents' audit log."""

    class Kind(models.TextChoices):
        DECLARE = "declare", _("declared")
        EDIT = "edit", _("edited")
        END = "end", _("ended")

    # The fields the log follows, as the staff pages show them.
    FIELDS = (
        "title_indonesian",
        "title_english",
        "text_indonesian",
        "text_english",
        "starts_at",
        "ends_at",
    )

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # Kept when the account goes: the log still says something was done, and when.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    # {field: [before, after]}; times as ISO 8601 text.
    fields = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["-at"], name="incidentchange_recent")]

    def __str__(self) -> str:
        return f"{self.by} {self.kind} incident {self.incident_id} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def changed(self) -> list[FieldChange]:
        """Each changed field with its name and its values before and after, as staff
        read them (times in the site's time zone; no value before a declaration)."""
        return [
            FieldChange(
                str(getattr(Incident._meta.get_field(name), "verbose_name", name)),
                _shown(before),
                _shown(after) or "",
            )
            for name, (before, after) in self.fields.items()
            if name in self.FIELDS
        ]

    @classmethod
    def record(
        cls, incident: Incident, kind: str, *, by: Any, fields: dict[str, Any], note: str = ""
    ) -> IncidentChange:
        """Log what `by` did to `incident`."""
        return cls.objects.create(incident=incident, kind=kind, by=by, fields=fields, note=note)


@dataclass(frozen=True)
class FieldChange:
    """One field of an incident as a change left it."""

    label: str
    before: str | None
    after: str


def _shown(value: Any) -> str | None:
    """A logged value as staff read it: a time (ISO 8601 in the log) in the site's zone."""
    if value is None or not isinstance(value, str):
        return None if value is None else str(value)
    moment = parse_datetime(value) if value[:4].isdigit() and "T" in value else None
    if moment is None or timezone.is_naive(moment):
        return value
    return date_format(timezone.localtime(moment), "j M Y, H:i")


class Sighting(models.Model):
    """A session was shown an incident; `ended_at` is set when the seller stopped there."""

    session = models.ForeignKey(
        "sellers.Session", on_delete=models.CASCADE, related_name="sightings"
    )
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="sightings")
    seen_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "wizard_sighting"  # its name from before the apps (no rows moved)
        ordering = ["seen_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "incident"], name="sighting_once"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} saw incident {self.incident_id}"

    @classmethod
    def end_here(cls, session: Session) -> list[Incident]:
        """The seller stops at the active incidents: "this is not my shop"."""
        now = timezone.now()
        incidents = list(Incident.objects.active(now))
        with transaction.atomic():
            Sighting.objects.bulk_create(
                [Sighting(session=session, incident=i, seen_at=now) for i in incidents],
                ignore_conflicts=True,
            )
            Sighting.objects.filter(
                session=session, incident__in=incidents, ended_at__isnull=True
            ).update(ended_at=now)
        return incidents
