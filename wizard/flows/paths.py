"""Every path a seller can take by picking options: the answers and where they end, and
every way the routes can reach a solution (for the checker's reachability and context rules)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from .conditions import Condition
from .document import Flow, Question, Value
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


@dataclass(frozen=True)
class Arrival:
    """One way a solution can be reached: the questions on the way (with the option picked,
    or None for a typed answer) and whether it ends there (`go`) or is noted as a finding."""

    steps: tuple[tuple[str, str | None], ...]
    solution: str
    as_finding: bool

    @property
    def entry(self) -> str | None:
        """The answer to the first question, when it is one a seller picks."""
        return self.steps[0][1] if self.steps else None


# A route's condition, told only the picked answers: it holds, fails, or depends on more.
HOLDS, FAILS, MAYBE = "holds", "fails", "maybe"


def arrivals(flow: Flow, limit: int = 50_000) -> list[Arrival]:
    """Every way the routes can reach a solution, picking each option in turn and letting
    typed answers (numbers, dates, checklists) go every way their routes allow."""
    found: list[Arrival] = []

    def visit(key: str, known: dict[str, str], steps: tuple[tuple[str, str | None], ...]) -> None:
        question = flow.questions[key]
        picks: tuple[str | None, ...] = question.values if question.kind in PICKED else (None,)
        for value in picks:
            if len(found) >= limit:
                return
            given = known if value is None else {**known, key: value}
            here = (*steps, (key, value))
            notes, targets = route_targets(question, given)
            found.extend(Arrival(here, note, True) for note in notes if note in flow.solutions)
            for target in targets:
                if target in flow.solutions:
                    found.append(Arrival(here, target, False))
                elif target in flow.questions and all(target != k for k, _ in here):
                    visit(target, given, here)

    if flow.start in flow.questions:
        visit(flow.start, {}, ())
    return found


def route_targets(question: Question, known: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """The findings a question may note and the steps it may go to, given picked answers."""
    notes: list[str] = []
    targets: list[str] = []
    for route in question.routes:
        verdict = HOLDS if route.condition is None else judge(route.condition, known)
        if verdict == FAILS:
            continue
        if route.note is not None:
            notes.append(route.note)
        if route.go is not None:
            targets.append(route.go)
            if verdict == HOLDS:
                break
    return notes, targets


def judge(condition: Condition, known: Mapping[str, str]) -> str:
    """Whether a condition holds given only the picked answers, fails, or may go either way."""
    verdict = HOLDS
    for clause in condition.clauses:
        if clause.left is None and clause.op in ("==", "!=") and clause.key in known:
            if (known[clause.key] == clause.value) != (clause.op == "=="):
                return FAILS
        else:
            verdict = MAYBE
    return verdict
