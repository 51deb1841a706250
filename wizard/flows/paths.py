"""Every path a seller can take by picking options: the answers and where they end."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .document import Flow, Value
from .engine import walk

PICKED = ("choice", "yesno")  # kinds whose every answer can be listed


@dataclass(frozen=True)
class AnswerPath:
    """Answers picked in order, and the solution they end on; or, when a typed answer
    (a number, a date) comes next, the question where the seller would type it."""

    answers: tuple[tuple[str, Value], ...]
    ends_at: str
    is_solved: bool

    def steps(self, flow: Flow, language: str) -> list[tuple[str, str]]:
        """Each answer as (question text, option label) in `language`."""
        shown = []
        for key, value in self.answers:
            question = flow.questions[key]
            option = question.option(str(value))
            label = flow.render(option.label, language) if option else str(value)
            shown.append((flow.render(question.text, language), label))
        return shown

    def end(self, flow: Flow, language: str) -> str:
        """The solution's title, or the question still to answer."""
        step = flow.step(self.ends_at)
        text = step.title if self.is_solved else step.text  # type: ignore[union-attr]
        return flow.render(text, language)


def answer_paths(flow: Flow, now: dt.datetime, limit: int = 500) -> list[AnswerPath]:
    """The paths from the first question, depth first, at most `limit` of them."""
    found: list[AnswerPath] = []

    def visit(answers: dict[str, Value]) -> None:
        if len(found) >= limit:
            return
        position = walk(flow, answers, now)
        picked = tuple(position.answers.items())
        if position.solution is not None:
            found.append(AnswerPath(picked, position.solution.key, True))
            return
        question = position.current
        if question is None or question.kind not in PICKED or question.key in answers:
            found.append(AnswerPath(picked, question.key if question else flow.start, False))
            return
        for value in question.values:
            visit({**position.answers, question.key: value})

    visit({})
    return found
