"""The flow checker: what blocks publishing a flow, what to look at again, and path lengths."""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from .conditions import MEMBERSHIP, UNSURE, Condition
from .deadlines import FACTS as DEADLINE_FACTS
from .deadlines import SHOWN_FACTS
from .document import (
    CONVERSIONS,
    PLACEHOLDER,
    WEAK_SOURCE_KINDS,
    Fact,
    Flow,
    Question,
    Solution,
    Text,
)
from .graph import back_edges, go_graph, path_lengths
from .loader import FlowError, load_flow
from .match import ANSWERABLE, normalise
from .paths import Arrival, arrivals, route_targets
from .words import Words, gettext_noop

MAX_MEDIAN_QUESTIONS = 5
MAX_LONGEST_QUESTIONS = 10
STEP_IN_PLACE = re.compile(r"^(?:question|solution|step) '([^']+)'")
PART_IN_PLACE = re.compile(r"^(question|solution|step|fact|tip) '([^']+)'")
LOADER_PLACE = re.compile(r"^(?:\[|'|(?:question|solution|source|fact|tip|step) ')")


# The parts of a document a problem is in, as their place is said on a page.
PLACES = {
    "question": gettext_noop("question %(key)s"),
    "solution": gettext_noop("solution %(key)s"),
    "step": gettext_noop("step %(key)s"),
    "fact": gettext_noop("fact %(key)s"),
    "tip": gettext_noop("tip %(key)s"),
    "source": gettext_noop("source %(key)s"),
}
# A place as the checker and the loader write it: a part, then maybe a numbered piece of
# it and a field ("question 'where' route 2", "solution 'fix' step 1", "[flow] title").
PLACE = re.compile(
    r"^(?:(?P<kind>question|solution|step|fact|tip|source) '(?P<key>[^']+)'|(?P<whole>\S+))"
    r"(?: (?P<piece>option|route|step) (?P<number>\d+))?"
    r"(?: (?P<field>text|help|label|title|cause|check|start))?$"
)
PIECES = {
    "option": gettext_noop("option %(number)s"),
    "route": gettext_noop("route %(number)s"),
    "step": gettext_noop("step %(number)s"),
}
FIELDS = {
    "text": gettext_noop("the text"),
    "help": gettext_noop("the help"),
    "label": gettext_noop("the label"),
    "title": gettext_noop("the title"),
    "cause": gettext_noop("the cause"),
    "check": gettext_noop("the check"),
    "start": gettext_noop("the start"),
}
WHOLE_PLACES = {"[flow]": gettext_noop("the flow"), "document": gettext_noop("the document")}
LANGUAGES_SAID = {"id": gettext_noop("Indonesian"), "en": gettext_noop("English")}


@dataclass(frozen=True)
class Problem:
    """One thing to fix, in a sentence, and the part of the document it is in."""

    where: str
    text: str
    values: Mapping[str, object] = field(default_factory=dict, hash=False)

    @property
    def message(self) -> str:
        """What is wrong, in English (the `checkflow` command, the logs)."""
        return self.words.say()

    @property
    def words(self) -> Words:
        """What is wrong, to be said in the reader's language."""
        return Words(self.text, self.values)

    @property
    def place(self) -> Words:
        """Where it is, to be said in the reader's language (keys stay as written)."""
        found = PLACE.match(self.where)
        if found is None:
            return Words("%(where)s", {"where": self.where})
        whole = found["whole"]
        if found["kind"]:
            parts = [Words(PLACES[found["kind"]], {"key": f"'{found['key']}'"})]
        elif whole in WHOLE_PLACES:
            parts = [Words(WHOLE_PLACES[whole])]
        else:  # a table ("[sources]") or a key as written: the document's own names
            parts = [Words("%(where)s", {"where": whole})]
        if found["piece"]:
            parts.append(Words(PIECES[found["piece"]], {"number": found["number"]}))
        if found["field"]:
            parts.append(Words(FIELDS[found["field"]]))
        holes = ", ".join(f"%(part{n})s" for n in range(len(parts)))
        return Words(holes, {f"part{n}": part for n, part in enumerate(parts)})

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
        problems = tuple(Problem(*_split_place(where, words)) for where, words in error.said)
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
    found = arrivals(flow)
    problems += _catch_all(flow)
    problems += _needs(flow, found)
    number_problems, number_warnings = _numbers(flow)
    problems += number_problems
    warnings += number_warnings
    warnings += _fact_grounding(flow)
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
                gettext_noop(
                    "half the paths ask more than %(most)s questions (median %(median)s): "
                    "ask the most telling questions first"
                ),
                {"most": f"{max_median:g}", "median": f"{median:g}"},
            )
        )
    if len(longest) - 1 > max_longest:
        problems.append(
            Problem(
                f"solution {longest[-1]!r}",
                gettext_noop(
                    "the longest path asks %(asks)s questions (at most %(most)s): %(path)s"
                ),
                {"asks": len(longest) - 1, "most": max_longest, "path": " → ".join(longest)},
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
        yield Problem(
            "[flow]", gettext_noop("start '%(start)s' is not a question"), {"start": flow.start}
        )
    for question in flow.questions.values():
        for number, route in enumerate(question.routes, 1):
            if route.go is not None and flow.step(route.go) is None:
                yield Problem(
                    f"question {question.key!r}",
                    gettext_noop("route %(number)s goes to '%(go)s', which does not exist"),
                    {"number": number, "go": route.go},
                )
            if route.note is not None and route.note not in flow.solutions:
                yield Problem(
                    f"question {question.key!r}",
                    gettext_noop("route %(number)s notes '%(note)s', which is not a solution"),
                    {"number": number, "note": route.note},
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
            yield Problem(
                f"{kind} {key!r}",
                gettext_noop("cannot be reached from the start '%(start)s'"),
                {"start": flow.start},
            )


def _loops(flow: Flow, graph: dict[str, list[str]]) -> Iterator[Problem]:
    for source, target in back_edges(flow, graph):
        yield Problem(
            f"question {source!r}",
            gettext_noop(
                "goes back to '%(target)s', which makes a loop: a seller could answer forever"
            ),
            {"target": target},
        )


def _coverage(question: Question) -> Problem | None:
    where = f"question {question.key!r}"
    leaving = [route for route in question.routes if route.go is not None]
    if not leaving:
        return Problem(
            where,
            gettext_noop("has no route with `go`: every path through it ends without a solution"),
        )
    if any(route.condition is None for route in leaving):
        return None
    if question.kind not in ("choice", "yesno"):
        return Problem(
            where,
            gettext_noop(
                "some answers may reach no route with `go`, so the path ends without a "
                "solution: end the routes with one that has `go` and no `when`"
            ),
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
        gettext_noop(
            "answer(s) %(answers)s reach no route with `go`, so the path ends without a "
            "solution: cover every option or end with a route without `when`"
        ),
        {"answers": ", ".join(map(repr, uncovered))},
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
                        gettext_noop(
                            "route %(number)s reads item '%(item)s', which '%(key)s' does not "
                            "list (it has %(items)s)"
                        ),
                        {
                            "number": number,
                            "item": clause.value,
                            "key": clause.key,
                            "items": ", ".join(map(repr, read.values)),
                        },
                    )
                if clause.op == UNSURE and not read.unsure:
                    yield Problem(
                        where,
                        gettext_noop(
                            "route %(number)s reads `unsure` of '%(key)s', which does not "
                            'offer "not sure" (unsure = false)'
                        ),
                        {"number": number, "key": clause.key},
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
        for language, language_name in LANGUAGES_SAID.items():
            written = text.get(language)
            if not written.strip():
                yield Problem(
                    where,
                    gettext_noop("%(name)s is missing the %(language)s text (%(code)s)"),
                    {"name": name, "language": Words(language_name), "code": language},
                )
            for fact, _ in PLACEHOLDER.findall(written):
                if fact not in flow.facts:
                    yield Problem(
                        where,
                        gettext_noop("%(name)s names {%(fact)s}, which is not a fact"),
                        {"name": name, "fact": fact},
                    )


# What a text of a document is, as a problem names it.
THE_TITLE = Words(gettext_noop("the title"))
THE_QUESTION_TEXT = Words(gettext_noop("the question text"))
THE_HELP = Words(gettext_noop("the help"))
THE_CAUSE = Words(gettext_noop("the cause"))
THE_CHECK = Words(gettext_noop("the check"))
THE_LABEL = Words(gettext_noop("the label"))
THE_TEXT = Words(gettext_noop("the text"))


def _option_label(option: str) -> Words:
    return Words(gettext_noop("the label of option '%(option)s'"), {"option": option})


def _step(number: int) -> Words:
    return Words(gettext_noop("step %(number)s"), {"number": number})


def _every_text(flow: Flow) -> Iterator[tuple[str, Words, Text]]:
    yield "[flow]", THE_TITLE, flow.title
    for question in flow.questions.values():
        where = f"question {question.key!r}"
        yield where, THE_QUESTION_TEXT, question.text
        if question.help is not None:
            yield where, THE_HELP, question.help
        for option in question.options:
            yield where, _option_label(option.value), option.label
    for solution in flow.solutions.values():
        where = f"solution {solution.key!r}"
        yield where, THE_TITLE, solution.title
        yield where, THE_CAUSE, solution.cause
        yield where, THE_CHECK, solution.check
        for number, step in enumerate(solution.steps, 1):
            yield where, _step(number), step
    for fact in flow.facts.values():
        yield f"fact {fact.key!r}", THE_LABEL, fact.label
    for tip in flow.tips.values():
        yield f"tip {tip.key!r}", THE_TEXT, tip.text


CITES_MISSING_SOURCE = gettext_noop("cites source '%(source)s', which is not in [sources]")


def _grounding(flow: Flow) -> Iterator[Problem]:
    """Every solution rests on a source and a date, and every reference exists."""
    for solution in flow.solutions.values():
        where = f"solution {solution.key!r}"
        if not solution.sources:
            yield Problem(where, gettext_noop("cites no source: add one to `sources`"))
        for name in solution.sources:
            if name not in flow.sources:
                yield Problem(where, CITES_MISSING_SOURCE, {"source": name})
        if solution.checked is None:
            yield Problem(
                where, gettext_noop("has no `checked` date: when did a person last check it?")
            )
        for name in solution.tips:
            if name not in flow.tips:
                yield Problem(
                    where,
                    gettext_noop("links tip '%(tip)s', which is not in [tips]"),
                    {"tip": name},
                )
        for name in DEADLINE_FACTS.get(solution.deadline or "", ()):
            if name not in flow.facts:
                yield Problem(
                    where,
                    gettext_noop("deadline '%(deadline)s' needs the fact '%(fact)s'"),
                    {"deadline": solution.deadline, "fact": name},
                )
    for fact in flow.facts.values():
        if fact.source not in flow.sources:
            yield Problem(f"fact {fact.key!r}", CITES_MISSING_SOURCE, {"source": fact.source})


# A step that sends the seller to act "in Seller Center" must say where to tap there.
SENDS_TO_SELLER_CENTER = re.compile(r"\b(?:in|di|lewat) Seller Center\b(?! web)")
MENU_PATH = ">"
TRUST = {"uncertain": 0, "partial": 1, "solid": 2}


def _menu_paths(flow: Flow) -> Iterator[Problem]:
    """Steps that say "do it in Seller Center" without the menu path that gets there."""
    for solution in flow.solutions.values():
        for number, step in enumerate(solution.steps, 1):
            for language, language_name in LANGUAGES_SAID.items():
                text = step.get(language)
                if SENDS_TO_SELLER_CENTER.search(text) and MENU_PATH not in text:
                    yield Problem(
                        f"solution {solution.key!r}",
                        gettext_noop(
                            "step %(number)s (%(language)s) sends the seller into Seller "
                            "Center without a menu path: write where to tap, e.g. "
                            "'Kelola Pesanan > …'"
                        ),
                        {"number": number, "language": Words(language_name)},
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
                gettext_noop("is marked '%(confidence)s', but no source it cites is that sure"),
                {"confidence": solution.confidence},
            )
        elif claimed < min(trusts):
            yield Problem(
                f"solution {solution.key!r}",
                gettext_noop("is marked '%(confidence)s', but every source it cites is surer"),
                {"confidence": solution.confidence},
            )


def _catch_all(flow: Flow) -> Iterator[Problem]:
    """Every choice question has a way out when no option fits, and it leads somewhere useful:
    a question, or a short list of likely causes, never straight to one solution."""
    for question in flow.questions.values():
        if question.kind != "choice":
            continue
        where = f"question {question.key!r}"
        ways_out = [option for option in question.options if option.catch_all]
        if not ways_out:
            yield Problem(
                where,
                gettext_noop(
                    'has no catch-all option ("something else / not sure", `catch_all = true`): '
                    "a seller whose case is not listed picks the nearest option and is misled"
                ),
            )
        # A route the other answers take too (the question only adds context there) is
        # not a dead end for "not sure": it is where the walk goes whatever the answer.
        shared = {
            target
            for option in question.options
            if not option.catch_all
            for target in route_targets(question, {question.key: option.value})[1]
        }
        for option in ways_out:
            _, targets = route_targets(question, {question.key: option.value})
            for target in targets:
                solution = flow.solutions.get(target)
                if solution is not None and not solution.likely and target not in shared:
                    yield Problem(
                        where,
                        gettext_noop(
                            "the catch-all option '%(option)s' goes straight to solution "
                            "'%(solution)s': lead it to a question or a short list (`likely`)"
                        ),
                        {"option": option.value, "solution": target},
                    )


def _needs(flow: Flow, found: list[Arrival]) -> Iterator[Problem]:
    """A solution that depends on some context is reached only on paths that asked it."""
    asks = {key: question.asks for key, question in flow.questions.items()}
    told: set[tuple[str, str]] = set()
    for arrival in found:
        solution = flow.solutions[arrival.solution]
        if not solution.needs:
            continue
        asked = set().union(*(asks[key] for key, _ in arrival.steps))
        for need in solution.needs:
            if need in asked or (solution.key, need) in told:
                continue
            told.add((solution.key, need))
            way = " → ".join(
                key if value is None else f"{key}={value}" for key, value in arrival.steps
            )
            yield Problem(
                f"solution {solution.key!r}",
                gettext_noop("needs '%(need)s', but a path notes it without asking it: %(way)s")
                if arrival.as_finding
                else gettext_noop(
                    "needs '%(need)s', but a path reaches it without asking it: %(way)s"
                ),
                {"need": need, "way": way},
            )


# A number with its unit as texts write it, in either language; group 1 is the number.
LITERALS = {
    "hours": re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:jam|hours?)\b", re.IGNORECASE),
    "days": re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:hari|days?)\b", re.IGNORECASE),
    "minutes": re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:menit|minutes?)\b", re.IGNORECASE),
    "months": re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:bulan|months?)\b", re.IGNORECASE),
    "percent": re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:%|persen\b|percent\b)", re.IGNORECASE),
    "rupiah": re.compile(r"\bRp\s?(\d{1,3}(?:[.,]\d{3})*|\d+)", re.IGNORECASE),
    "points": re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:poin|points?)\b", re.IGNORECASE),
    "hour_of_day": re.compile(r"(?<![\d.,:])(\d{1,2})[.:]00\b"),
}


def _numbers(flow: Flow) -> tuple[list[Problem], list[Problem]]:
    """A number written by hand beside the fact that holds it goes stale when an editor
    changes the fact: refuse it where the same step names the fact, warn elsewhere."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for where, texts in _texts_by_part(flow):
        named = set().union(*(flow.facts_in(text) for _, text in texts))
        for name, text in texts:
            for language in LANGUAGES_SAID:
                for unit, literal, written in _literals(text.get(language)):
                    for fact in flow.facts.values():
                        beside = fact.key in named
                        if not _means(fact, unit, literal, derived=beside):
                            continue
                        (problems if beside else warnings).append(
                            Problem(
                                where,
                                gettext_noop(
                                    "%(name)s (%(language)s) writes %(written)s by hand, the "
                                    "value of {%(fact)s}: write it through the fact (%(through)s)"
                                ),
                                {
                                    "name": name,
                                    "language": language,
                                    "written": repr(written),
                                    "fact": fact.key,
                                    "through": _through(fact, unit),
                                },
                            )
                        )
    return problems, warnings


def _texts_by_part(flow: Flow) -> Iterator[tuple[str, list[tuple[Words, Text]]]]:
    for question in flow.questions.values():
        texts = [(THE_QUESTION_TEXT, question.text)]
        if question.help is not None:
            texts.append((THE_HELP, question.help))
        texts += [(_option_label(o.value), o.label) for o in question.options]
        yield f"question {question.key!r}", texts
    for solution in flow.solutions.values():
        texts = [
            (THE_TITLE, solution.title),
            (THE_CAUSE, solution.cause),
            (THE_CHECK, solution.check),
        ]
        texts += [(_step(number), step) for number, step in enumerate(solution.steps, 1)]
        yield f"solution {solution.key!r}", texts
    for tip in flow.tips.values():
        yield f"tip {tip.key!r}", [(THE_TEXT, tip.text)]


def _literals(text: str) -> Iterator[tuple[str, float, str]]:
    """Each number-with-unit in a text (outside placeholders): unit, value, as written."""
    bare = PLACEHOLDER.sub(" ", text)
    if not any(character.isdigit() for character in bare):  # most texts: no number at all
        return
    for unit, pattern in LITERALS.items():
        for match in pattern.finditer(bare):
            number = match.group(1)
            if unit == "rupiah":
                number = number.replace(".", "").replace(",", "")
            try:
                yield unit, float(number.replace(",", ".")), match.group(0)
            except ValueError:
                continue


def _means(fact: Fact, unit: str, literal: float, *, derived: bool) -> bool:
    """Whether a literal says this fact's value: in its unit, or (when `derived`) converted."""
    value = fact.value
    if fact.unit is None or isinstance(value, str | bool):
        return False
    if unit == fact.unit:
        return float(value) == literal
    factor = CONVERSIONS.get((fact.unit, unit))
    if factor is None or not derived:
        return False
    converted = float(value) * factor
    return literal in (round(converted, 1), float(-(-converted // 1)))


def _through(fact: Fact, unit: str) -> Words:
    """How to write a number through its fact: `{fact|unit}`, or a conversion of it."""
    plain = f"{{{fact.key}|unit}}"
    if unit == fact.unit:
        return Words("%(plain)s", {"plain": plain})
    return Words(
        gettext_noop("%(plain)s or %(converted)s"),
        {"plain": plain, "converted": f"{{{fact.key}|{unit}}}"},
    )


def _fact_grounding(flow: Flow) -> Iterator[Problem]:
    """Facts say how sure they are and what kind of source they rest on, and a solution
    tagged solid does not rest on a fact from another market, a vendor or an unreadable page."""
    for fact in flow.facts.values():
        # A version or a date has no unit; a number does.
        wanted = ("source_kind",) if isinstance(fact.value, str) else ("unit", "source_kind")
        missing = [name for name in wanted if getattr(fact, name) is None]
        if missing:
            yield Problem(
                f"fact {fact.key!r}",
                gettext_noop("has no %(fields)s")
                if len(missing) == 1
                else gettext_noop("has no %(fields)s or %(other)s"),
                {"fields": f"`{missing[0]}`", "other": f"`{missing[-1]}`"},
            )
    for solution in flow.solutions.values():
        if solution.confidence != "solid":
            continue
        for name in sorted(_facts_under(flow, solution)):
            fact = flow.facts[name]
            weak = fact.source_kind in WEAK_SOURCE_KINDS
            if weak or _fact_confidence(flow, fact) != "solid":
                why = (
                    Words(gettext_noop("source kind %(kind)s"), {"kind": fact.source_kind})
                    if weak
                    else Words(gettext_noop("is not solid"))
                )
                yield Problem(
                    f"solution {solution.key!r}",
                    gettext_noop(
                        "is tagged solid but rests on fact '%(fact)s' (%(why)s): lower the tag "
                        "or find an Indonesian official source"
                    ),
                    {"fact": name, "why": why},
                )


def _facts_under(flow: Flow, solution: Solution) -> set[str]:
    texts = [solution.title, solution.cause, solution.check, *solution.steps]
    named = set().union(*(flow.facts_in(text) for text in texts))
    rule = solution.deadline or ""
    read = (*DEADLINE_FACTS.get(rule, ()), *SHOWN_FACTS.get(rule, ()))
    return (named | set(read)) & flow.facts.keys()


def _fact_confidence(flow: Flow, fact: Fact) -> str:
    if fact.confidence is not None:
        return fact.confidence
    source = flow.sources.get(fact.source)
    return source.confidence if source is not None else "uncertain"


def reachability(flow: Flow) -> dict[str, tuple[list[str], list[str], list[str]]]:
    """Per solution, the first answers from which some path ends on it, those from which
    it is noted as a finding ("also check"), and those from which a short list shows it."""
    table: dict[str, tuple[list[str], list[str], list[str]]] = {
        key: ([], [], []) for key in flow.solutions
    }
    start = flow.questions.get(flow.start)
    order = {value: n for n, value in enumerate(start.values if start else ())}
    for arrival in arrivals(flow):
        entry = arrival.entry or "*"
        ends, noted, listed = table[arrival.solution]
        columns = [noted] if arrival.as_finding else [ends]
        if not arrival.as_finding:
            columns += [table[key][2] for key in flow.solutions[arrival.solution].likely]
        for column in columns:
            if entry not in column:
                column.append(entry)
    for ends, noted, listed in table.values():
        ends.sort(key=lambda value: order.get(value, len(order)))
        for column in (noted, listed):
            column[:] = sorted(set(column) - set(ends), key=lambda v: order.get(v, len(order)))
    return table


def reachability_lines(flow: Flow, language: str = "en") -> list[str]:
    """The reachability table as Markdown: a row per solution, its title and first answers."""
    table = reachability(flow)
    lines = [
        f"First question: `{flow.start}`. A solution is reached (the walk ends on it), noted "
        '(shown under "also check"), or listed (on a short list of likely causes the walk '
        "ends on) from these first answers.",
        "",
        "| solution | title | reached from | noted from | listed from |",
        "| --- | --- | --- | --- | --- |",
    ]
    for key, (ends, noted, listed) in table.items():
        title = flow.render(flow.solutions[key].title, language).replace("|", "/")
        shown = ", ".join(ends) or "**none**"
        lines.append(
            f"| `{key}` | {title} | {shown} | {', '.join(noted) or '—'} | "
            f"{', '.join(listed) or '—'} |"
        )
    return lines


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
                gettext_noop(
                    "was last checked on %(checked)s, more than %(days)s days ago: check it again"
                ),
                {"checked": checked.isoformat(), "days": max_age_days},
            )


def _keywords(flow: Flow) -> tuple[list[Problem], list[Problem]]:
    problems: list[Problem] = []
    warnings: list[Problem] = []
    asked_by: dict[str, str] = {}  # normalised keyword → the first question that uses it
    for question in flow.questions.values():
        where = f"question {question.key!r}"
        if question.kind not in ANSWERABLE and any(o.keywords for o in question.options):
            warnings.append(
                Problem(where, gettext_noop("has keywords, but only choice and yes/no are matched"))
            )
        owner: dict[str, str] = {}  # normalised keyword → option value, in this question
        for option in question.options:
            for keyword in option.keywords:
                words = normalise(keyword)
                if not words:
                    problems.append(
                        Problem(
                            where,
                            gettext_noop("option '%(option)s' has an empty keyword"),
                            {"option": option.value},
                        )
                    )
                    continue
                if owner.setdefault(words, option.value) != option.value:
                    problems.append(
                        Problem(
                            where,
                            gettext_noop(
                                "keyword %(keyword)s is on both option '%(first)s' and "
                                "option '%(second)s'"
                            ),
                            {
                                "keyword": repr(keyword),
                                "first": owner[words],
                                "second": option.value,
                            },
                        )
                    )
                if asked_by.setdefault(words, question.key) != question.key:
                    warnings.append(
                        Problem(
                            where,
                            gettext_noop("keyword %(keyword)s is also used by '%(question)s'"),
                            {"keyword": repr(keyword), "question": asked_by[words]},
                        )
                    )
    return problems, warnings


def _split_place(where: str, words: Words) -> tuple[str, str, Mapping[str, object]]:
    """A loader problem as a Problem's fields; TOML errors have no place."""
    return (where if LOADER_PLACE.match(where) else "document", words.text, words.values)
