"""The flow checker: what blocks publishing a flow, what to look at again, and path lengths."""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass

from .conditions import MEMBERSHIP, UNSURE, Condition
from .deadlines import FACTS as DEADLINE_FACTS
from .document import PLACEHOLDER, Flow, Question, Text
from .graph import back_edges, go_graph, path_lengths
from .loader import FlowError, load_flow
from .match import ANSWERABLE, normalise

MAX_MEDIAN_QUESTIONS = 5
MAX_LONGEST_QUESTIONS = 10
LANGUAGE_NAMES = {"id": "Indonesian", "en": "English"}
STEP_IN_PLACE = re.compile(r"^(?:question|solution|step) '([^']+)'")
PART_IN_PLACE = re.compile(r"^(question|solution|step|fact|tip) '([^']+)'")
LOADER_PLACE = re.compile(r"^(?:\[|'|(?:question|solution|source|fact|tip|step) ')")


@dataclass(frozen=True)
class Problem:
    """One thing to fix, in a sentence, and the part of the document it is in."""

    where: str
    message: str

    @property
    def step(self) -> str | None:
        """The question or solution key the problem is in, if it is in one."""
        found = STEP_IN_PLACE.match(self.where)
        return found.group(1) if found else None

    @property
    def part(self) -> tuple[str, str] | None:
        """What the problem is in, as (kind, key): a question, solution, fact or tip, or
        a "step" (a question or a solution); None when it is in none of them."""
        found = PART_IN_PLACE.match(self.where)
        return (found.group(1), found.group(2)) if found else None

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class Report:
    """Problems that block publishing, warnings, and how long the paths are."""

    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    paths: int
    median_questions: float
    longest_questions: int
    solutions: int

    @property
    def is_publishable(self) -> bool:
        """Whether nothing blocks publishing the flow."""
        return not self.problems

    def lines(self) -> list[str]:
        """The report as the `checkflow` command prints it."""
        return [
            *(f"error: {problem}" for problem in self.problems),
            *(f"warning: {warning}" for warning in self.warnings),
            f"paths: {self.paths}, median questions: {self.median_questions:g}, "
            f"longest: {self.longest_questions}, solutions: {self.solutions}",
        ]


def check_document(
    text: str,
    *,
    today: dt.date,
    max_age_days: int = 365,
    max_median: float = MAX_MEDIAN_QUESTIONS,
    max_longest: int = MAX_LONGEST_QUESTIONS,
) -> Report:
    """Load a flow document and check it; load errors come back as problems."""
    try:
        flow = load_flow(text)
    except FlowError as error:
        problems = tuple(Problem(*_split_place(line)) for line in error.problems)
        return Report(problems, (), paths=0, median_questions=0, longest_questions=0, solutions=0)
    return check(
        flow, today=today, max_age_days=max_age_days, max_median=max_median, max_longest=max_longest
    )


def check(
    flow: Flow,
    *,
    today: dt.date,
    max_age_days: int = 365,
    max_median: float = MAX_MEDIAN_QUESTIONS,
    max_longest: int = MAX_LONGEST_QUESTIONS,
) -> Report:
    """Check a loaded (or hand-built) flow against every publishing rule."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    graph = go_graph(flow)
    problems += _targets(flow)
    problems += _reachability(flow, graph)
    problems += _loops(flow, graph)
    problems += filter(None, (_coverage(question) for question in flow.questions.values()))
    problems += _items(flow)
    problems += _texts(flow)
    problems += _grounding(flow)
    problems += _menu_paths(flow)
    problems += _confidence(flow)
    warnings += _staleness(flow, today, max_age_days)
    keyword_problems, keyword_warnings = _keywords(flow)
    problems += keyword_problems
    warnings += keyword_warnings
    lengths, longest = path_lengths(flow, graph)
    median = float(statistics.median(lengths.elements())) if lengths else 0.0
    if median > max_median:
        problems.append(
            Problem(
                f"question {flow.start!r}",
                f"half the paths ask more than {max_median:g} questions (median {median:g}): "
                "ask the most telling questions first",
            )
        )
    if len(longest) - 1 > max_longest:
        problems.append(
            Problem(
                f"solution {longest[-1]!r}",
                f"the longest path asks {len(longest) - 1} questions (at most {max_longest}): "
                + " → ".join(longest),
            )
        )
    return Report(
        problems=tuple(problems),
        warnings=tuple(warnings),
        paths=sum(lengths.values()),
        median_questions=median,
        longest_questions=max(lengths, default=0),
        solutions=len(flow.solutions),
    )


def _targets(flow: Flow) -> Iterator[Problem]:
    if flow.start not in flow.questions:
        yield Problem("[flow]", f"start {flow.start!r} is not a question")
    for question in flow.questions.values():
        for number, route in enumerate(question.routes, 1):
            if route.go is not None and flow.step(route.go) is None:
                yield Problem(
                    f"question {question.key!r}",
                    f"route {number} goes to {route.go!r}, which does not exist",
                )
            if route.note is not None and route.note not in flow.solutions:
                yield Problem(
                    f"question {question.key!r}",
                    f"route {number} notes {route.note!r}, which is not a solution",
                )


def _reachability(flow: Flow, graph: dict[str, list[str]]) -> Iterator[Problem]:
    reached: set[str] = set()
    waiting = [flow.start]
    while waiting:
        key = waiting.pop()
        if key in reached or flow.step(key) is None:
            continue
        reached.add(key)
        # A solution shown only as a finding ("also check") is reachable too.
        notes = [r.note for r in flow.questions[key].routes] if key in flow.questions else []
        waiting += graph.get(key, []) + [note for note in notes if note in flow.solutions]
    for kind, steps in (("question", flow.questions), ("solution", flow.solutions)):
        for key in steps.keys() - reached:
            yield Problem(f"{kind} {key!r}", f"cannot be reached from the start {flow.start!r}")


def _loops(flow: Flow, graph: dict[str, list[str]]) -> Iterator[Problem]:
    for source, target in back_edges(flow, graph):
        yield Problem(
            f"question {source!r}",
            f"goes back to {target!r}, which makes a loop: a seller could answer forever",
        )


def _coverage(question: Question) -> Problem | None:
    where = f"question {question.key!r}"
    leaving = [route for route in question.routes if route.go is not None]
    if not leaving:
        return Problem(
            where, "has no route with `go`: every path through it ends without a solution"
        )
    if any(route.condition is None for route in leaving):
        return None
    if question.kind not in ("choice", "yesno"):
        return Problem(
            where,
            "some answers may reach no route with `go`, so the path ends without a solution: "
            "end the routes with one that has `go` and no `when`",
        )
    covered: set[str] = set()
    for route in leaving:
        assert route.condition is not None
        covered |= _values_meeting(question, route.condition)
    uncovered = [value for value in question.values if value not in covered]
    if not uncovered:
        return None
    return Problem(
        where,
        f"answer(s) {', '.join(map(repr, uncovered))} reach no route with `go`, so the path "
        "ends without a solution: cover every option or end with a route without `when`",
    )


def _items(flow: Flow) -> Iterator[Problem]:
    """`has`, `lacks` and `unsure` name an item of their checklist, and `unsure` only
    reads a checklist that offers "not sure": otherwise the route could never be taken."""
    for question in flow.questions.values():
        for number, route in enumerate(question.routes, 1):
            for clause in route.condition.clauses if route.condition else ():
                if clause.op not in (*MEMBERSHIP, UNSURE):
                    continue
                read = flow.questions.get(clause.key)
                if read is None:
                    continue
                where = f"question {question.key!r}"
                if clause.value and clause.value not in read.values:
                    yield Problem(
                        where,
                        f"route {number} reads item {clause.value!r}, which {clause.key!r} "
                        f"does not list (it has {', '.join(map(repr, read.values))})",
                    )
                if clause.op == UNSURE and not read.unsure:
                    yield Problem(
                        where,
                        f"route {number} reads `{UNSURE}` of {clause.key!r}, which does not "
                        'offer "not sure" (unsure = false)',
                    )


def _values_meeting(question: Question, condition: Condition) -> set[str]:
    """The answers certain to meet a condition; none when it reads anything else."""
    values = set(question.values)
    for clause in condition.clauses:
        if clause.key != question.key or clause.left is not None or clause.op not in ("==", "!="):
            return set()
        values = {v for v in values if (v == clause.value) == (clause.op == "==")}
    return values


def _texts(flow: Flow) -> Iterator[Problem]:
    for where, name, text in _every_text(flow):
        for language, language_name in LANGUAGE_NAMES.items():
            written = text.get(language)
            if not written.strip():
                yield Problem(where, f"{name} is missing the {language_name} text ({language})")
            for fact in PLACEHOLDER.findall(written):
                if fact not in flow.facts:
                    yield Problem(where, f"{name} names {{{fact}}}, which is not a fact")


def _every_text(flow: Flow) -> Iterator[tuple[str, str, Text]]:
    yield "[flow]", "the title", flow.title
    for question in flow.questions.values():
        where = f"question {question.key!r}"
        yield where, "the question text", question.text
        if question.help is not None:
            yield where, "the help", question.help
        for option in question.options:
            yield where, f"the label of option {option.value!r}", option.label
    for solution in flow.solutions.values():
        where = f"solution {solution.key!r}"
        yield where, "the title", solution.title
        yield where, "the cause", solution.cause
        yield where, "the check", solution.check
        for number, step in enumerate(solution.steps, 1):
            yield where, f"step {number}", step
    for fact in flow.facts.values():
        yield f"fact {fact.key!r}", "the label", fact.label
    for tip in flow.tips.values():
        yield f"tip {tip.key!r}", "the text", tip.text


def _grounding(flow: Flow) -> Iterator[Problem]:
    """Every solution rests on a source and a date, and every reference exists."""
    for solution in flow.solutions.values():
        where = f"solution {solution.key!r}"
        if not solution.sources:
            yield Problem(where, "cites no source: add one to `sources`")
        for name in solution.sources:
            if name not in flow.sources:
                yield Problem(where, f"cites source {name!r}, which is not in [sources]")
        if solution.checked is None:
            yield Problem(where, "has no `checked` date: when did a person last check it?")
        for name in solution.tips:
            if name not in flow.tips:
                yield Problem(where, f"links tip {name!r}, which is not in [tips]")
        for name in DEADLINE_FACTS.get(solution.deadline or "", ()):
            if name not in flow.facts:
                yield Problem(where, f"deadline {solution.deadline!r} needs the fact {name!r}")
    for fact in flow.facts.values():
        if fact.source not in flow.sources:
            yield Problem(
                f"fact {fact.key!r}", f"cites source {fact.source!r}, which is not in [sources]"
            )


# A step that sends the seller to act "in Seller Center" must say where to tap there.
SENDS_TO_SELLER_CENTER = re.compile(r"\b(?:in|di|lewat) Seller Center\b(?! web)")
MENU_PATH = ">"
TRUST = {"uncertain": 0, "partial": 1, "solid": 2}


def _menu_paths(flow: Flow) -> Iterator[Problem]:
    """Steps that say "do it in Seller Center" without the menu path that gets there."""
    for solution in flow.solutions.values():
        for number, step in enumerate(solution.steps, 1):
            for language, language_name in LANGUAGE_NAMES.items():
                text = step.get(language)
                if SENDS_TO_SELLER_CENTER.search(text) and MENU_PATH not in text:
                    yield Problem(
                        f"solution {solution.key!r}",
                        f"step {number} ({language_name}) sends the seller into Seller Center "
                        "without a menu path: write where to tap, e.g. 'Kelola Pesanan > …'",
                    )


def _confidence(flow: Flow) -> Iterator[Problem]:
    """A solution's confidence may claim no more than its best source gives, and no
    less than its weakest one: "from sellers' experience" must not cite only rules."""
    for solution in flow.solutions.values():
        trusts = [TRUST[flow.sources[k].confidence] for k in solution.sources if k in flow.sources]
        if not trusts or solution.confidence not in TRUST:
            continue
        claimed = TRUST[solution.confidence]
        if claimed > max(trusts):
            yield Problem(
                f"solution {solution.key!r}",
                f"is marked {solution.confidence!r}, but no source it cites is that sure",
            )
        elif claimed < min(trusts):
            yield Problem(
                f"solution {solution.key!r}",
                f"is marked {solution.confidence!r}, but every source it cites is surer",
            )


def _staleness(flow: Flow, today: dt.date, max_age_days: int) -> Iterator[Problem]:
    dated = [
        *((f"solution {s.key!r}", s.checked) for s in flow.solutions.values()),
        *((f"source {s.key!r}", s.checked) for s in flow.sources.values()),
        *((f"fact {f.key!r}", f.checked) for f in flow.facts.values()),
    ]
    for where, checked in dated:
        if checked is not None and (today - checked).days > max_age_days:
            yield Problem(
                where,
                f"was last checked on {checked.isoformat()}, more than {max_age_days} days "
                "ago: check it again",
            )


def _keywords(flow: Flow) -> tuple[list[Problem], list[Problem]]:
    problems: list[Problem] = []
    warnings: list[Problem] = []
    asked_by: dict[str, str] = {}  # normalised keyword → the first question that uses it
    for question in flow.questions.values():
        where = f"question {question.key!r}"
        if question.kind not in ANSWERABLE and any(o.keywords for o in question.options):
            warnings.append(Problem(where, "has keywords, but only choice and yes/no are matched"))
        owner: dict[str, str] = {}  # normalised keyword → option value, in this question
        for option in question.options:
            for keyword in option.keywords:
                words = normalise(keyword)
                if not words:
                    problems.append(Problem(where, f"option {option.value!r} has an empty keyword"))
                    continue
                if owner.setdefault(words, option.value) != option.value:
                    problems.append(
                        Problem(
                            where,
                            f"keyword {keyword!r} is on both option {owner[words]!r} "
                            f"and option {option.value!r}",
                        )
                    )
                if asked_by.setdefault(words, question.key) != question.key:
                    warnings.append(
                        Problem(where, f"keyword {keyword!r} is also used by {asked_by[words]!r}")
                    )
    return problems, warnings


def _split_place(line: str) -> tuple[str, str]:
    """A loader message split into its place and what is wrong; TOML errors have no place."""
    where, separator, message = line.partition(": ")
    return (where, message) if separator and LOADER_PLACE.match(where) else ("document", line)
