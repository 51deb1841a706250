"""Every path a seller can take: the answers (picked, or typed ones sampled on each side
of their routes' thresholds) and where they end, and every way the routes can reach a
solution (for the checker's reachability and context rules)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .checklist import STATES, TICKED, UNSURE, UNTICKED
from .conditions import OVERDUE, Condition, Operand
from .document import Flow, Question, Value
from .engine import walk

PICKED = ("choice", "yesno")  # kinds whose every answer can be listed
TYPED = ("number", "version", "datetime", "multi")  # kinds whose answers are sampled
# Ages of an order (hours) tried for a date/time question with no threshold of its own:
# just placed, a day and a half, and well past any ship-by time.
AGES = (1.0, 36.0, 200.0)


@dataclass(frozen=True)
class AnswerPath:
    """Answers picked in order, and the solution they end on; or, when a typed answer
    (a number, a date) comes next, the question where the seller would type it."""

    answers: tuple[tuple[str, Value], ...]
    ends_at: str
    is_solved: bool

    def steps(self, flow: Flow, language: str) -> list[tuple[str, str]]:
        """Each answer as (question text, option label or typed answer) in `language`."""
        shown = []
        for key, value in self.answers:
            question = flow.questions[key]
            shown.append(
                (flow.render(question.text, language), _shown(flow, question, value, language))
            )
        return shown

    def end(self, flow: Flow, language: str) -> str:
        """The solution's title, or the question still to answer."""
        step = flow.step(self.ends_at)
        text = step.title if self.is_solved else step.text  # type: ignore[union-attr]
        return flow.render(text, language)


def answer_paths(flow: Flow, now: dt.datetime, limit: int = 500) -> list[AnswerPath]:
    """The paths from the first question, depth first, at most `limit` of them: every
    option of a picked question, and a typed answer for each way a typed one can go."""
    found: list[AnswerPath] = []
    fanned: set[str] = set()

    def visit(answers: dict[str, Value], *, sole: bool = False) -> None:
        if len(found) >= limit:
            return
        position = walk(flow, answers, now)
        picked = tuple(position.answers.items())
        if position.solution is not None:
            found.append(AnswerPath(picked, position.solution.key, True))
            return
        question = position.current
        if question is None or question.key in answers:
            found.append(AnswerPath(picked, question.key if question else flow.start, False))
            return
        if question.kind in PICKED:
            values: list[Value] = list(question.values)
        else:
            values = _branches(flow, question, position.answers, now)
        # Past a typed question the paths would multiply past any limit: picked questions
        # then take their first option, and a typed question fans out only where it is
        # first reached (one path for each way it can go).
        if question.kind in PICKED and sole:
            values = values[:1]
        elif question.kind not in PICKED:
            values = values[:1] if question.key in fanned else values
            fanned.add(question.key)
        for value in values:
            visit({**position.answers, question.key: value}, sole=sole or question.kind in TYPED)

    visit({})
    return found


def _branches(
    flow: Flow, question: Question, answers: Mapping[str, Value], now: dt.datetime
) -> list[Value]:
    """Typed answers to a question, one for each way the flow can go from it: samples on
    each side of every threshold its routes (and later routes reading it) compare with,
    kept when they lead somewhere the others do not."""
    kept: dict[tuple[object, ...], Value] = {}
    for value in _samples(flow, question, answers, now):
        kept.setdefault(_ending(flow, {**answers, question.key: value}, now), value)
    return list(kept.values())


def _ending(flow: Flow, answers: dict[str, Value], now: dt.datetime) -> tuple[object, ...]:
    """Where the walk goes on to end (and what it notes) if every later question gets
    its first answer: a typed answer often matters only some questions later."""
    for _ in range(len(flow.questions)):
        position = walk(flow, answers, now)
        question = position.current
        if question is None or question.key in answers:
            ended = position.solution.key if position.solution else None
            return ended, tuple(finding.key for finding in position.findings)
        first: Value = (
            question.values[0]
            if question.kind in PICKED
            else next(iter(_samples(flow, question, answers, now)), "")
        )
        answers = {**answers, question.key: first}
    return (None, ())


def _samples(
    flow: Flow, question: Question, answers: Mapping[str, Value], now: dt.datetime
) -> Iterator[Value]:
    if question.optional:
        yield ""
    if question.kind == "multi":
        yield from _checklists(question)
        return
    thresholds = [t for t in _thresholds(flow, question.key, answers, now) if t is not None]
    if question.kind == "number":
        yield max(question.minimum, min(question.maximum, 1))
        for threshold in thresholds:
            if isinstance(threshold, float):
                for number in (int(threshold) - 1, int(threshold), int(threshold) + 1):
                    if question.minimum <= number <= question.maximum:
                        yield number
    elif question.kind == "version":
        for threshold in thresholds:
            if isinstance(threshold, tuple):
                major, *rest = threshold
                for parts in ((max(0, major - 1), *rest), threshold, (major + 1, *rest)):
                    yield ".".join(str(part) for part in parts[:3])
    else:  # a date and time: hours ago on each side of a threshold, and typical ages
        hours = [t for t in thresholds if isinstance(t, float)]
        for age in (*AGES, *(h + step for h in hours for step in (-0.5, 0.5))):
            if age > 0:
                yield (now - dt.timedelta(hours=age)).isoformat(timespec="minutes")


def _checklists(question: Question) -> Iterator[Value]:
    """Every item done; then each item not done (and, where offered, not sure) alone."""
    items = question.values

    def answer(ticked: list[str], unticked: list[str], unsure: list[str]) -> Value:
        if not question.unsure:
            return ticked
        return {TICKED: ticked, UNTICKED: unticked, UNSURE: unsure}

    yield answer(list(items), [], [])
    for item in items:
        rest = [other for other in items if other != item]
        yield answer(rest, [item], [])
        if question.unsure:
            yield answer(rest, [], [item])


def _thresholds(
    flow: Flow, key: str, answers: Mapping[str, Value], now: dt.datetime
) -> Iterator[object]:
    """What routes compare this answer with (a number, a version tuple, hours for a date),
    where the other side is known: a literal, a fact, or an answer already given."""
    facts = {name: fact.value for name, fact in flow.facts.items()}
    for other in flow.questions.values():
        for route in other.routes:
            for clause in route.condition.clauses if route.condition else ():
                if clause.op == OVERDUE or clause.left is None or clause.right is None:
                    continue
                sides: tuple[Operand, Operand] = (clause.left, clause.right)
                for mine, theirs in (sides, sides[::-1]):
                    if mine.answer == key and theirs.answer != key:
                        yield theirs.resolve(answers, facts, now)


def _shown(flow: Flow, question: Question, value: Value, language: str) -> str:
    """An answer as the paths page lists it: an option's label, a checklist's items by
    state, a date and time as written, a typed number or version; "—" for none."""
    option = question.option(str(value)) if isinstance(value, str) else None
    if option is not None:
        return flow.render(option.label, language)
    if value in ("", None, []):
        return "—"
    if question.kind == "multi" and isinstance(value, dict | list):
        marks = {TICKED: "✓", UNTICKED: "✗", UNSURE: "?"}
        given = value if isinstance(value, dict) else {TICKED: value}
        labels = {o.value: flow.render(o.label, language) for o in question.options}
        return " · ".join(
            f"{marks[state]} {labels.get(item, item)}"
            for state in STATES
            for item in given.get(state, [])
        )
    if question.kind == "datetime" and isinstance(value, str):
        return value.replace("T", " ")[:16]
    return str(value)


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
