"""The engine: where a seller stands, computed from a flow and their answers alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from .checklist import read_ticks
from .conditions import VERSION
from .document import Flow, Question, Solution, Value
from .graph import reachable


@dataclass(frozen=True)
class Walk:
    """The seller's position: questions answered on the path, what comes next, the end."""

    path: tuple[Question, ...]
    current: Question | None
    solution: Solution | None
    findings: tuple[Solution, ...]
    answers: dict[str, Value]
    # What the progress figures below are worked out from, when a page asks for them:
    # a plain answer (a redirect) and insight's rollup never do, and each figure walks
    # the likeliest rest of the flow once per question on the path.
    flow: Flow = field(repr=False, compare=False)
    facts: Mapping[str, object] = field(repr=False, compare=False)
    now: dt.datetime = field(repr=False, compare=False)

    @cached_property
    def remaining(self) -> int:
        """Questions left if the seller keeps giving the likeliest answer."""
        if self.current is None:
            return 0
        return _likely_remaining(self.flow, self.current, self.answers, self.facts, self.now)

    @cached_property
    def percent(self) -> int:
        """Share of the likeliest path answered, never below what an earlier step showed:
        an answer that leads onto a longer branch adds questions left, not lost progress."""
        given = list(self.answers.items())
        flow, facts, now = self.flow, self.facts, self.now
        shown = max(
            (
                _percent(count, _likely_remaining(flow, question, dict(given[:count]), facts, now))
                for count, question in enumerate(self.path)
            ),
            default=0,
        )
        return max(shown, _percent(len(self.path), self.remaining))

    @property
    def step(self) -> str:
        """The key of the page the seller should see now."""
        if self.current is not None:
            return self.current.key
        assert self.solution is not None
        return self.solution.key

    @property
    def is_solved(self) -> bool:
        """Whether the walk reached a solution."""
        return self.solution is not None

    @property
    def transcript(self) -> list[tuple[Question, Value]]:
        """Each question on the path with the answer that counts."""
        return [(question, self.answers[question.key]) for question in self.path]

    def is_on_path(self, key: str) -> bool:
        """Whether `key` is a question the seller answered on this path, or the current one."""
        return key == self.step or any(question.key == key for question in self.path)


def walk(flow: Flow, answers: Mapping[str, Value], now: dt.datetime) -> Walk:
    """Follow the routes from the start, using the answers given, until one is missing."""
    facts = {key: fact.value for key, fact in flow.facts.items()}
    counting: dict[str, Value] = {}
    path: list[Question] = []
    findings: list[str] = []
    key = flow.start
    while key in flow.questions and key not in counting:
        question = flow.questions[key]
        value = answers.get(key)
        if value is None or not accepts(question, value):
            break
        counting[key] = value
        path.append(question)
        target = follow(question, counting, facts, now, findings)
        if target is None:  # only a broken flow gets here; the checker refuses those
            path.pop()
            del counting[key]
            break
        key = target
    solution = flow.solutions.get(key)
    current = None if solution is not None else flow.questions[key]
    return Walk(
        path=tuple(path),
        current=current,
        solution=solution,
        findings=tuple(
            flow.solutions[note]
            for note in dict.fromkeys(findings)
            if solution is None or note != solution.key
        ),
        answers=counting,
        flow=flow,
        facts=facts,
        now=now,
    )


def _percent(answered: int, remaining: int) -> int:
    return round(100 * answered / (answered + remaining)) if remaining else 100


def follow(
    question: Question,
    answers: Mapping[str, Value],
    facts: Mapping[str, object],
    now: dt.datetime,
    findings: list[str],
) -> str | None:
    """The step a question's routes lead to; findings noted on the way are appended."""
    for route in question.routes:
        if route.condition is not None and not route.condition.holds(answers, facts, now):
            continue
        if route.note is not None:
            findings.append(route.note)
        if route.go is not None:
            return route.go
    return None


def accepts(question: Question, value: object) -> bool:
    """Whether a stored value is a well-formed answer to this question."""
    match question.kind:
        case "choice" | "yesno":
            return isinstance(value, str) and value in question.values
        case "multi":  # a list of ticked items, or the three sets where "not sure" is offered
            if isinstance(value, dict) and not question.unsure:
                return False
            return read_ticks(question.values, value) is not None
        case "version":
            if value == "":
                return question.optional
            return isinstance(value, str) and VERSION.fullmatch(value) is not None
        case "number":
            return (
                isinstance(value, int)
                and not isinstance(value, bool)
                and question.minimum <= value <= question.maximum
            )
        case "datetime":
            if value == "":
                return question.optional  # "I can't see the order / don't know"
            if not isinstance(value, str):
                return False
            try:
                return dt.datetime.fromisoformat(value).tzinfo is not None
            except ValueError:
                return False
    return False


def _likely_remaining(
    flow: Flow,
    current: Question,
    answers: Mapping[str, Value],
    facts: Mapping[str, object],
    now: dt.datetime,
) -> int:
    """Questions left if the seller keeps giving the likeliest answer (the first option)."""
    assumed = dict(answers)
    count = 0
    question: Question | None = current
    while question is not None and question.key not in assumed and count <= len(flow.questions):
        count += 1
        if question.options:
            assumed[question.key] = [] if question.kind == "multi" else question.options[0].value
        target = follow(question, assumed, facts, now, [])
        if target is None:
            target = next((r.go for r in reversed(question.routes) if r.go), None)
        question = flow.questions.get(target or "")
    return count


def kept_answers(flow: Flow, answers: Mapping[str, Value], after: Walk) -> dict[str, Value]:
    """The answers worth keeping after a change: those on the path, and those to
    questions the path may still pass through; the rest are dropped."""
    ahead = set() if after.current is None else reachable(flow, after.current.key)
    return dict(after.answers) | {key: value for key, value in answers.items() if key in ahead}
