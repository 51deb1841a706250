"""A session seen as a support case: staff notes, status changes and the answer timeline."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from .flows import Question, Value, Walk

if TYPE_CHECKING:
    import datetime as dt

    from .models import Answer, Session


class Note(models.Model):
    """A staff note on a case; a note may also record a change of status."""

    session = models.ForeignKey("wizard.Session", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(blank=True)
    # The status the case was set to with this note; empty when it stayed the same.
    status = models.CharField(max_length=12, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["session", "created_at"], name="note_session_time")]

    def __str__(self) -> str:
        return f"note on {self.session_id} at {self.created_at:%Y-%m-%d %H:%M}"

    @classmethod
    def record(cls, session: Session, *, author: Any, text: str, status: str) -> Note | None:
        """Add a note and/or change the status; nothing is stored when neither is new."""
        text = text.strip()
        changed = status if status and status != session.status else ""
        if not text and not changed:
            return None
        with transaction.atomic():
            if changed:
                session.set_status(changed)
            else:
                session.touch()
            return cls.objects.create(session=session, author=author, text=text, status=changed)


@dataclass(frozen=True)
class Moment:
    """One answer in a case's timeline, beside the answer it replaced."""

    question: Question | None
    key: str
    value: Value
    previous: Value | None
    answered_at: dt.datetime
    answered_by: Any
    is_change: bool
    counts: bool

    @property
    def by_staff(self) -> bool:
        """Whether staff gave this answer (agent mode), not the seller."""
        return self.answered_by is not None


def timeline(log: Iterable[Answer], walk: Walk, questions: dict[str, Question]) -> list[Moment]:
    """Every answer ever given, oldest first, marking changes and what still counts."""
    last: dict[str, Value] = {}
    moments = []
    for entry in log:
        moments.append(
            Moment(
                question=questions.get(entry.question),
                key=entry.question,
                value=entry.value,
                previous=last.get(entry.question),
                answered_at=entry.answered_at,
                answered_by=entry.answered_by,
                is_change=entry.question in last,
                counts=False,
            )
        )
        last[entry.question] = entry.value
    # The answer that counts is the latest one to each question on the current path.
    counted = {moment.key: index for index, moment in enumerate(moments)}
    return [
        _counting(moment) if counted[moment.key] == index and moment.key in walk.answers else moment
        for index, moment in enumerate(moments)
    ]


def _counting(moment: Moment) -> Moment:
    return Moment(**{**moment.__dict__, "counts": True})
