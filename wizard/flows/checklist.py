"""Checklist answers: every item of a multiple-choice question is ticked, not ticked, or
marked "not sure".

A plain tick box cannot tell "this is not done" from "I do not know whether it is", and
support needs the difference to see what is missing. A checklist answer is therefore
stored as the three sets, `{"ticked": [...], "unticked": [...], "unsure": [...]}`, in the
options' order. Answers stored before checklists had three states are a plain list of the
ticked items; they still read as before: those ticked, the rest not, none unsure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

TICKED, UNTICKED, UNSURE = "ticked", "unticked", "unsure"
STATES = (TICKED, UNTICKED, UNSURE)


@dataclass(frozen=True)
class Ticks:
    """A checklist answer read as its three sets, each in the options' order."""

    ticked: tuple[str, ...]
    unticked: tuple[str, ...]
    unsure: tuple[str, ...]

    def stored(self) -> dict[str, list[str]]:
        """The answer as it is stored (plain JSON)."""
        return {TICKED: list(self.ticked), UNTICKED: list(self.unticked), UNSURE: list(self.unsure)}


def read_ticks(items: Sequence[str], answer: object) -> Ticks | None:
    """A stored answer to a checklist of `items` as its three sets; None when malformed.

    A list is an answer of the days before "not sure" (or of a question without it): the
    items in it are ticked, every other item is not. A mapping must place each item in
    exactly one of the three sets."""
    if isinstance(answer, list):
        if not all(isinstance(item, str) and item in items for item in answer):
            return None
        if len(set(answer)) != len(answer):
            return None
        return Ticks(
            ticked=tuple(item for item in items if item in answer),
            unticked=tuple(item for item in items if item not in answer),
            unsure=(),
        )
    if not isinstance(answer, dict) or set(answer) != set(STATES):
        return None
    placed: list[str] = []
    for state in STATES:
        group = answer[state]
        if not isinstance(group, list) or not all(isinstance(item, str) for item in group):
            return None
        placed += group
    if sorted(placed) != sorted(items):  # every item once, nothing else
        return None
    return Ticks(*(tuple(item for item in items if item in answer[state]) for state in STATES))


def ticked_items(answer: object) -> list[str] | None:
    """The ticked items of a stored answer (either shape) without knowing the question."""
    if isinstance(answer, list):
        return answer
    if isinstance(answer, dict) and isinstance(answer.get(TICKED), list):
        return list(answer[TICKED])
    return None


def unsure_items(answer: object) -> list[str] | None:
    """The items marked "not sure" of a stored answer; an old list has none."""
    if isinstance(answer, list):
        return []
    if isinstance(answer, dict) and isinstance(answer.get(UNSURE), list):
        return list(answer[UNSURE])
    return None
