"""The support queue: escalated cases, who took each, and how long the seller waited.

A `Case` exists for every session that was ever escalated or taken. "Needs attention" is
the escalated ones nobody took yet, and the sellers who said a solution did not help and
did nothing since (SUPPORT_NOT_HELPED_MINUTES): nobody who said "No" is lost because they
did not press a contact button. It is ordered by urgency: the order's computed deadline
first, then how long the seller has waited. "Mine" is the cases a given agent took. The
first staff action on a case (taking it, a note, a status) is its first response.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from wizard.flows.deadlines import Deadline, seller_zone
from wizard.sellers.models import Session

# Counts in the queue's tabs stop here ("1000+"): each is one bounded index scan, so a
# million sessions cost what a thousand do.
COUNT_CAP = 1000
QUEUE_SHOWN = 100


class Case(models.Model):
    """Support's side of an escalated session."""

    session = models.OneToOneField(
        "sellers.Session", on_delete=models.CASCADE, primary_key=True, related_name="case"
    )
    escalated_at = models.DateTimeField(default=timezone.now)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "support_case"
        indexes = [
            # "Needs attention" (assigned_to null) and "Mine", oldest escalation first.
            models.Index(fields=["assigned_to", "escalated_at"], name="case_queue"),
            # "Needs attention" in its whole order: PostgreSQL then reads the oldest cases
            # and stops, where it otherwise joins every escalated session and sorts them.
            models.Index(
                fields=["escalated_at", "session"],
                condition=Q(assigned_to__isnull=True),
                name="case_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"case of {self.session_id}"

    @classmethod
    def escalated(cls, session: Any, now: dt.datetime | None = None) -> None:
        """A session escalates: into the queue, unless it was there before (a case
        escalating again keeps its agent and its first escalation time)."""
        # One INSERT … ON CONFLICT DO NOTHING, whatever the case's history.
        Case.objects.bulk_create(
            [Case(session=session, escalated_at=now or timezone.now())], ignore_conflicts=True
        )

    @classmethod
    def needs_attention(cls) -> QuerySet[Case]:
        """Escalated cases nobody took yet, oldest first."""
        return cls._listed().filter(assigned_to__isnull=True).order_by("escalated_at", "pk")

    @classmethod
    def taken_by(cls, user: Any) -> QuerySet[Case]:
        """The escalated cases an agent took, oldest first."""
        return cls._listed().filter(assigned_to=user).order_by("escalated_at", "pk")

    @classmethod
    def _listed(cls) -> QuerySet[Case]:
        # "Still escalated" as a subquery per case, not a condition on the join: SQLite
        # would otherwise start from every escalated session (its status index looks
        # narrow to a planner without statistics) and sort them all, a second at a
        # million sessions; this way both databases walk the queue's index and stop.
        escalated = Session.objects.filter(pk=OuterRef("pk"), status="escalated")
        return (
            cls.objects.select_related("session", "session__flow_version")
            .filter(Exists(escalated))
            .defer("session__flow_version__document")
        )

    @classmethod
    def take(cls, session: Any, user: Any, now: dt.datetime | None = None) -> Case:
        """An agent takes the case (a case never escalated joins the queue as theirs: an
        open session, such as a seller silent after a "No", becomes escalated)."""
        now = now or timezone.now()
        if session.status == Session.Status.OPEN:
            session.set_status(Session.Status.ESCALATED)
        case, _ = cls.objects.get_or_create(session=session, defaults={"escalated_at": now})
        case.assigned_to, case.assigned_at = user, now
        case.first_response_at = case.first_response_at or now
        case.save(update_fields=["assigned_to", "assigned_at", "first_response_at"])
        return case

    @classmethod
    def responded(cls, session: Any, now: dt.datetime | None = None) -> None:
        """A staff action on the session: the case's first response, if it is the first."""
        cls.objects.filter(session=session, first_response_at__isnull=True).update(
            first_response_at=now or timezone.now()
        )

    @property
    def age(self) -> dt.timedelta:
        """How long the case has waited since it escalated."""
        return timezone.now() - self.escalated_at

    @property
    def first_response(self) -> dt.timedelta | None:
        """How long the seller waited for the first staff action."""
        if self.first_response_at is None:
            return None
        return self.first_response_at - self.escalated_at


def not_helped_and_silent(now: dt.datetime | None = None) -> QuerySet[Session]:
    """Sellers whose last word was "No, it didn't help" and who did nothing since, not yet
    a case: open, not a preview, quiet for SUPPORT_NOT_HELPED_MINUTES, not abandoned."""
    now = now or timezone.now()
    quiet_since = now - dt.timedelta(minutes=settings.SUPPORT_NOT_HELPED_MINUTES)
    return (
        Session.objects.filter(
            helped=False,
            status=Session.Status.OPEN,
            is_preview=False,
            updated_at__lte=quiet_since,
            updated_at__gte=abandoned_cutoff(now),
        )
        .filter(~Exists(Case.objects.filter(session=OuterRef("pk"))))
        .select_related("flow_version")
        .defer("flow_version__document")
        .order_by("updated_at", "pk")
    )


@dataclass(frozen=True)
class Waiting:
    """One row of the queue: a seller waiting for support, and why."""

    session: Session
    since: dt.datetime
    # "escalated" (asked for support) or "not_helped" (said No, then nothing).
    reason: str
    case: Case | None
    deadline: Deadline | None

    @property
    def words(self) -> str:
        """The seller's own words (masked when they were kept), the latest first."""
        texts = [str(entry.get("text", "")) for entry in self.session.words or []]
        return texts[-1] if texts else ""


def by_urgency(
    cases: list[Case], silent: list[Session], now: dt.datetime | None = None
) -> list[Waiting]:
    """Escalated cases and silent "No"s in one list: the nearest order deadline first
    (a passed one before all), then the longest wait. Deadlines are computed from each
    session's answers over the page's bounded rows, so the database is asked nothing more."""
    now = now or timezone.now()
    rows = [
        Waiting(case.session, case.escalated_at, "escalated", case, _deadline(case.session, now))
        for case in cases
    ] + [
        Waiting(session, session.updated_at, "not_helped", None, _deadline(session, now))
        for session in silent
    ]
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(rows, key=lambda row: (row.deadline.due_at if row.deadline else far, row.since))


def _deadline(session: Session, now: dt.datetime) -> Deadline | None:
    return session.deadline(session.walk(now), now)


def capped_count(queryset: QuerySet[Any]) -> int:
    """How many rows, counting no further than COUNT_CAP + 1."""
    return queryset[: COUNT_CAP + 1].count()


def abandoned_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Sessions with no activity since this, and no solution, are abandoned."""
    return (now or timezone.now()) - dt.timedelta(days=settings.ABANDONED_AFTER_DAYS)


def not_abandoned(now: dt.datetime | None = None) -> Q:
    """The sessions the default views show: active lately, or with a solution reached."""
    return Q(updated_at__gte=abandoned_cutoff(now)) | ~Q(outcome="")


def deadline_mark(session: Any, now: dt.datetime | None = None) -> str:
    """ "passed" or "today" when the case's order deadline is passed or falls today in the
    seller's zone, else "" (the case list marks those cases)."""
    return marked_deadline(session, now)[0]


def marked_deadline(session: Any, now: dt.datetime | None = None) -> tuple[str, Any]:
    """The case's mark ("passed", "today" or "") and its computed deadline, if any."""
    now = now or timezone.now()
    due = session.deadline(session.walk(now), now)
    if due is None:
        return "", None
    if due.is_passed:
        return "passed", due
    zone = seller_zone(session.zone)
    today = due.due_at.astimezone(zone).date() == now.astimezone(zone).date()
    return ("today" if today else ""), due
