"""A session seen as a support case: staff notes, status changes and the answer timeline."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wizard.flows import Question, Value, Walk

if TYPE_CHECKING:
    import datetime as dt

    from wizard.sellers.models import Answer


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
