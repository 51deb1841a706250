"""Platform incidents that staff declare, and which sessions were shown them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
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

    def active(self, now: dt.datetime | None = None) -> IncidentQuerySet:
        """Incidents that have started and not ended, newest first."""
        now = now or timezone.now()
        return (
            self.readable()
            .filter(models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=now), starts_at__lte=now)
            .order_by("-starts_at", "-id")
        )


class Incident(models.Model):
    """A known TikTok Shop problem, declared by editors so sellers stop searching their shop."""

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
