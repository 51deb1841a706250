"""Read a TOML flow document into a Flow, or fail with errors that name the place."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping
from typing import Any, cast
from urllib.parse import urlsplit

from .conditions import ConditionError, parse_condition
from .document import (
    ACTORS,
    CONFIDENCES,
    CONVERSIONS,
    DEADLINES,
    FILTERS,
    KEY_PATTERN,
    PLACEHOLDER,
    QUESTION_KINDS,
    RESERVED_KEYS,
    SOURCE_KINDS,
    UNITS,
    Fact,
    Flow,
    Kind,
    Option,
    Question,
    Route,
    Solution,
    Source,
    Text,
    Tip,
)
from .words import Words, gettext_noop

# A short list names this many likely causes: fewer is no list, more is no help.
LIKELY_MIN, LIKELY_MAX = 2, 5
# The context the deadline engine reads to pick the ship rule.
SERVICE = "service"
YES_NO = (
    Option("yes", Text("Ya", "Yes")),
    Option("no", Text("Tidak", "No")),
)


class FlowError(ValueError):
    """A document that cannot be loaded; `problems` lists every place that is wrong, in
    English, and `said` the same as (place, words) for a page to say in its language."""

    def __init__(self, problems: list[str], said: list[tuple[str, Words]] | None = None) -> None:
        self.problems = problems
        self.said = said if said is not None else [("document", Words(p)) for p in problems]
        super().__init__("\n".join(problems))


# The matcher scores every keyword on anonymous requests: an editor's slip must not make
# that cost unbounded, and no seller reads a text longer than a few paragraphs.
MAX_KEYWORDS = 40
MAX_KEYWORD_LENGTH = 80
MAX_TEXT_LENGTH = 4000


def load_flow(text: str) -> Flow:
    """Parse and validate a flow document."""
    document = read_toml(text)
    reader = _Reader()
    flow = reader.flow(document)
    if reader.problems:
        raise FlowError(reader.problems, reader.said)
    assert flow is not None
    return flow


def read_toml(text: str) -> dict[str, Any]:
    """The document's tables, or FlowError naming the line that keeps it from parsing."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # tomllib's own account of the error stays in English.
        words = Words(gettext_noop("not valid TOML: %(error)s"), {"error": str(error)})
        raise FlowError([words.say()], [("document", words)]) from error
    except RecursionError as error:
        # tomllib recurses once per nesting level, so a deeply nested value exhausts the stack.
        words = Words(
            gettext_noop("not valid TOML: nested too deeply (line %(line)s)"),
            {"line": _deepest_line(text)},
        )
        raise FlowError([words.say()], [("document", words)]) from error


def _deepest_line(text: str) -> int:
    """The line where bracket nesting is deepest: where the author should look."""
    depth = deepest = 0
    line = where = 1
    for character in text:
        if character == "\n":
            line += 1
        elif character in "[{":
            depth += 1
            if depth > deepest:
                deepest, where = depth, line
        elif character in "]}":
            depth -= 1
    return where


class _Reader:
    """Collects every problem in one pass, so an author fixes them all at once."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.said: list[tuple[str, Words]] = []
        self.texts: list[tuple[str, Text]] = []

    def fail(self, where: str, text: str, values: Mapping[str, object] | None = None) -> None:
        words = Words(text, values or {})
        self.problems.append(f"{where}: {words.say()}")
        self.said.append((where, words))

    def flow(self, document: dict[str, Any]) -> Flow | None:
        head = self.table(document, "flow", "[flow]")
        flow_key = self.string(head, "key", "[flow]")
        title = self.text(head.get("title"), "[flow] title")
        start = self.string(head, "start", "[flow]")
        sources = {
            key: self.source(key, body)
            for key, body in self.table(document, "sources", "[sources]").items()
        }
        facts = {
            key: self.fact(key, body, sources)
            for key, body in self.table(document, "facts", "[facts]").items()
        }
        tips = {
            key: Tip(key, self.text(self.entry(body, f"tip {key!r}").get("text"), f"tip {key!r}"))
            for key, body in self.table(document, "tips", "[tips]").items()
        }
        raw_questions = self.table(document, "questions", "[questions]")
        raw_solutions = self.table(document, "solutions", "[solutions]")
        for name in list(raw_questions) + list(raw_solutions) + list(tips) + list(facts):
            if not KEY_PATTERN.fullmatch(name) or name in RESERVED_KEYS:
                self.fail(
                    repr(name), gettext_noop("keys are lower snake_case and not a reserved word")
                )
        for name in set(raw_questions) & set(raw_solutions):
            self.fail(f"step {name!r}", gettext_noop("is both a question and a solution"))
        kinds = {
            key: self.entry(body, f"question {key!r}").get("kind", "")
            for key, body in raw_questions.items()
        }
        service = tuple(
            key
            for key, body in raw_questions.items()
            if isinstance(body, dict) and body.get("context") == SERVICE
        )
        questions = {
            key: self.question(key, body, kinds, facts, service)
            for key, body in raw_questions.items()
        }
        solutions = {
            key: self.solution(key, body, sources, tips) for key, body in raw_solutions.items()
        }
        steps = set(questions) | set(solutions)
        if start and start not in questions:
            self.fail("[flow] start", gettext_noop("no question '%(start)s'"), {"start": start})
        for question in questions.values():
            for number, route in enumerate(question.routes, 1):
                where = f"question {question.key!r} route {number}"
                if route.go is not None and route.go not in steps:
                    self.fail(
                        where,
                        gettext_noop("goes to '%(go)s', which does not exist"),
                        {"go": route.go},
                    )
                if route.note is not None and route.note not in solutions:
                    self.fail(
                        where,
                        gettext_noop("notes '%(note)s', which is not a solution"),
                        {"note": route.note},
                    )
        for solution in solutions.values():
            since = solution.deadline_from
            if since is not None and (since not in questions or kinds[since] != "datetime"):
                self.fail(
                    f"solution {solution.key!r}",
                    gettext_noop("`deadline_from` '%(since)s' is no date/time question"),
                    {"since": since},
                )
        asked = {name for question in questions.values() for name in question.asks}
        for solution in solutions.values():
            where = f"solution {solution.key!r}"
            for name in solution.likely:
                if name not in solutions or name == solution.key:
                    self.fail(
                        where,
                        gettext_noop("`likely`: '%(name)s' is no other solution"),
                        {"name": name},
                    )
            for name in solution.needs:
                if name not in asked:
                    self.fail(
                        where,
                        gettext_noop("needs '%(name)s', which no question asks (key or context)"),
                        {"name": name},
                    )
        for where, text in self.texts:
            for language in ("id", "en"):
                for name, conversion in PLACEHOLDER.findall(text.get(language)):
                    if name not in facts:
                        self.fail(where, gettext_noop("{%(name)s} names no fact"), {"name": name})
                    elif conversion:
                        self.conversion(where, facts[name], conversion)
        if self.problems:
            return None
        return Flow(
            key=flow_key,
            title=title,
            start=start,
            questions=questions,
            solutions=solutions,
            sources=sources,
            facts=facts,
            tips=tips,
        )

    def conversion(self, where: str, fact: Fact, conversion: str) -> None:
        placeholder = f"{{{fact.key}|{conversion}}}"
        if conversion not in FILTERS:
            self.fail(
                where,
                gettext_noop("%(placeholder)s: write one of %(choices)s after the `|`"),
                {"placeholder": placeholder, "choices": _listed(FILTERS)},
            )
        elif fact.unit is None or isinstance(fact.value, str):
            self.fail(
                where,
                gettext_noop("%(placeholder)s: the fact has no `unit` (or is not a number)"),
                {"placeholder": placeholder},
            )
        elif conversion not in ("unit", fact.unit) and (fact.unit, conversion) not in CONVERSIONS:
            self.fail(
                where,
                gettext_noop("%(placeholder)s: cannot convert %(unit)s to %(conversion)s"),
                {"placeholder": placeholder, "unit": fact.unit, "conversion": conversion},
            )

    def question(
        self,
        key: str,
        body: object,
        kinds: Mapping[str, str],
        facts: Mapping[str, Fact],
        service: tuple[str, ...] = (),
    ) -> Question:
        where = f"question {key!r}"
        body = self.entry(body, where)
        kind = body.get("kind")
        if kind not in QUESTION_KINDS:
            self.fail(
                where,
                gettext_noop("`kind` must be one of %(choices)s, not '%(kind)s'"),
                {"choices": _listed(QUESTION_KINDS), "kind": kind},
            )
            kind = "choice"
        options: tuple[Option, ...] = ()
        if kind in ("choice", "multi"):
            options = tuple(
                self.option(raw, f"{where} option {number}")
                for number, raw in enumerate(self.array(body, "options", where), 1)
            )
            if len(options) < 2:
                self.fail(where, gettext_noop("needs at least two options"))
            values = [option.value for option in options]
            for value in {value for value in values if values.count(value) > 1}:
                self.fail(where, gettext_noop("option '%(value)s' appears twice"), {"value": value})
        elif kind == "yesno":
            options = YES_NO
        unsure = self.flag(body, "unsure", where, default=kind == "multi")
        if unsure and kind != "multi":
            self.fail(
                where, gettext_noop("only a multiple-choice question (multi) offers `unsure`")
            )
            unsure = False
        routes = tuple(
            self.route(raw, f"{where} route {number}", kinds, facts, service)
            for number, raw in enumerate(self.array(body, "routes", where), 1)
        )
        context = body.get("context")
        if context is not None and (
            not isinstance(context, str) or not KEY_PATTERN.fullmatch(context)
        ):
            self.fail(
                where, gettext_noop('`context` must be a lower snake_case name, e.g. "service"')
            )
            context = None
        if kind != "choice" and any(option.catch_all for option in options):
            self.fail(where, gettext_noop("only a choice question has a catch-all option"))
        if not routes:
            self.fail(where, gettext_noop("has no routes"))
        help_text = body.get("help")
        return Question(
            key=key,
            kind=cast(Kind, kind),
            text=self.text(body.get("text"), f"{where} text"),
            help=None if help_text is None else self.text(help_text, f"{where} help"),
            options=options,
            routes=routes,
            optional=bool(body.get("optional", False)),
            minimum=self.integer(body, "min", where, 0),
            maximum=self.integer(body, "max", where, 1_000_000),
            shows_incidents=self.flag(body, "incident", where),
            unsure=unsure,
            asks_screenshot=self.screenshot(body, kind, where),
            context=context,
        )

    def screenshot(self, body: Mapping[str, Any], kind: object, where: str) -> bool:
        asks = self.flag(body, "screenshot", where)
        if asks and kind != "choice":
            # What a screenshot says is matched against options: only a choice has them.
            self.fail(where, gettext_noop("only a choice question offers `screenshot`"))
            return False
        return asks

    def option(self, raw: object, where: str) -> Option:
        body = self.entry(raw, where)
        value = self.string(body, "value", where)
        if value and not KEY_PATTERN.fullmatch(value):
            self.fail(
                where,
                gettext_noop("`value` '%(value)s' must be lower snake_case"),
                {"value": value},
            )
        keywords = body.get("keywords", [])
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            self.fail(where, gettext_noop("`keywords` must be a list of strings"))
            keywords = []
        if len(keywords) > MAX_KEYWORDS:
            self.fail(
                where,
                gettext_noop("at most %(most)s keywords, not %(count)s"),
                {"most": MAX_KEYWORDS, "count": len(keywords)},
            )
        for keyword in keywords:
            if len(keyword) > MAX_KEYWORD_LENGTH:
                self.fail(
                    where,
                    gettext_noop("keyword '%(keyword)s'… is over %(most)s characters"),
                    {"keyword": keyword[:30], "most": MAX_KEYWORD_LENGTH},
                )
        return Option(
            value,
            self.text(body.get("label"), f"{where} label"),
            tuple(keywords),
            catch_all=self.flag(body, "catch_all", where),
        )

    def route(
        self,
        raw: object,
        where: str,
        kinds: Mapping[str, str],
        facts: Mapping[str, Fact],
        service: tuple[str, ...] = (),
    ) -> Route:
        body = self.entry(raw, where)
        unknown = set(body) - {"when", "go", "note"}
        if unknown:
            self.fail(
                where,
                gettext_noop("unknown field(s) %(choices)s"),
                {"choices": _listed(sorted(unknown))},
            )
        go, note, when = body.get("go"), body.get("note"), body.get("when")
        if go is None and note is None:
            self.fail(where, gettext_noop("needs `go` or `note`"))
        condition = None
        if when is not None:
            try:
                condition = parse_condition(str(when), kinds, service)
            except ConditionError as error:
                self.fail(where, error.words.text, error.words.values)
            else:
                for name in condition.facts - set(facts):
                    self.fail(where, gettext_noop("$%(name)s names no fact"), {"name": name})
        return Route(condition, go, note, str(when or ""))

    def solution(
        self, key: str, body: object, sources: Mapping[str, Source], tips: Mapping[str, Tip]
    ) -> Solution:
        where = f"solution {key!r}"
        body = self.entry(body, where)
        steps = tuple(
            self.text(raw, f"{where} step {number}")
            for number, raw in enumerate(self.array(body, "steps", where), 1)
        )
        if not steps:
            self.fail(where, gettext_noop("needs at least one fix step"))
        who = tuple(self.array(body, "who", where))
        for actor in who:
            if actor not in ACTORS:
                self.fail(
                    where,
                    gettext_noop("`who`: '%(actor)s' is not one of %(choices)s"),
                    {"actor": actor, "choices": _listed(ACTORS)},
                )
        confidence = body.get("confidence")
        if confidence not in CONFIDENCES:
            self.fail(
                where,
                gettext_noop("`confidence` must be one of %(choices)s"),
                {"choices": _listed(CONFIDENCES)},
            )
        cited = tuple(self.array(body, "sources", where))
        for name in cited:
            if name not in sources:
                self.fail(
                    where, gettext_noop("source '%(name)s' is not in [sources]"), {"name": name}
                )
        linked = tuple(self.array(body, "tips", where))
        for name in linked:
            if name not in tips:
                self.fail(where, gettext_noop("tip '%(name)s' is not in [tips]"), {"name": name})
        deadline = body.get("deadline")
        if deadline is not None and deadline not in DEADLINES:
            self.fail(
                where,
                gettext_noop("`deadline` must be one of %(choices)s"),
                {"choices": _listed(DEADLINES)},
            )
        checked = body.get("checked")
        if checked is not None and not isinstance(checked, dt.date):
            self.fail(where, gettext_noop("`checked` must be a date (2026-11-30)"))
            checked = None
        return Solution(
            key=key,
            title=self.text(body.get("title"), f"{where} title"),
            cause=self.text(body.get("cause"), f"{where} cause"),
            check=self.text(body.get("check"), f"{where} check"),
            steps=steps,
            who=who,
            confidence=str(confidence),
            sources=cited,
            checked=checked,
            tips=linked,
            deadline=deadline,
            shows_incidents=self.flag(body, "incident", where),
            deadline_from=body.get("deadline_from"),
            likely=self.names(body, "likely", where),
            needs=self.names(body, "needs", where),
        )

    def source(self, key: str, body: object) -> Source:
        where = f"source {key!r}"
        body = self.entry(body, where)
        confidence = body.get("confidence")
        if confidence not in CONFIDENCES:
            self.fail(
                where,
                gettext_noop("`confidence` must be one of %(choices)s"),
                {"choices": _listed(CONFIDENCES)},
            )
        url = self.string(body, "url", where)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.fail(
                where,
                gettext_noop("`url` must be an http(s) link, not '%(url)s'"),
                {"url": url[:60]},
            )
        return Source(
            key=key,
            title=self.string(body, "title", where),
            url=url,
            confidence=str(confidence),
            checked=self.date(body, where),
        )

    def fact(self, key: str, body: object, sources: Mapping[str, Source]) -> Fact:
        where = f"fact {key!r}"
        body = self.entry(body, where)
        value = body.get("value")
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.fail(where, gettext_noop("`value` must be a number or a string"))
            value = ""
        source = self.string(body, "source", where)
        if source and source not in sources:
            self.fail(
                where, gettext_noop("source '%(source)s' is not in [sources]"), {"source": source}
            )
        return Fact(
            key=key,
            value=value,
            label=self.text(body.get("label"), f"{where} label"),
            source=source,
            checked=self.date(body, where),
            unit=self.choice(body, "unit", where, UNITS),
            confidence=self.choice(body, "confidence", where, CONFIDENCES),
            source_kind=self.choice(body, "source_kind", where, SOURCE_KINDS),
        )

    # --- small readers that record a problem and return something harmless ----

    def text(self, raw: object, where: str) -> Text:
        if not isinstance(raw, dict):
            self.fail(where, gettext_noop("must be a text: {id = ..., en = ...}"))
            return Text("", "")
        for language in ("id", "en"):
            value = raw.get(language)
            if not isinstance(value, str) or not value.strip():
                name = gettext_noop("Indonesian") if language == "id" else gettext_noop("English")
                self.fail(
                    where,
                    gettext_noop("missing the %(name)s text (%(language)s)"),
                    {"name": Words(name), "language": language},
                )
        unknown = set(raw) - {"id", "en"}
        if unknown:
            self.fail(
                where,
                gettext_noop("unknown language(s) %(choices)s"),
                {"choices": _listed(sorted(unknown))},
            )
        text = Text(str(raw.get("id", "")).strip(), str(raw.get("en", "")).strip())
        if max(len(text.id), len(text.en)) > MAX_TEXT_LENGTH:
            self.fail(
                where,
                gettext_noop("a text is at most %(most)s characters"),
                {"most": MAX_TEXT_LENGTH},
            )
        self.texts.append((where, text))
        return text

    def table(self, document: Mapping[str, Any], name: str, where: str) -> dict[str, Any]:
        value = document.get(name, {})
        if not isinstance(value, dict):
            self.fail(where, gettext_noop("must be a table"))
            return {}
        return value

    def entry(self, raw: object, where: str) -> dict[str, Any]:
        if not isinstance(raw, dict):
            self.fail(where, gettext_noop("must be a table"))
            return {}
        return raw

    def array(self, body: Mapping[str, Any], name: str, where: str) -> list[Any]:
        value = body.get(name, [])
        if not isinstance(value, list):
            self.fail(where, gettext_noop("%(name)s must be a list"), {"name": f"`{name}`"})
            return []
        return value

    def string(self, body: Mapping[str, Any], name: str, where: str) -> str:
        value = body.get(name)
        if not isinstance(value, str) or not value:
            self.fail(where, gettext_noop("needs `%(name)s` (a string)"), {"name": name})
            return ""
        return value

    def integer(self, body: Mapping[str, Any], name: str, where: str, default: int) -> int:
        value = body.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, gettext_noop("%(name)s must be a whole number"), {"name": f"`{name}`"})
            return default
        return value

    def choice(
        self, body: Mapping[str, Any], name: str, where: str, allowed: tuple[str, ...]
    ) -> str | None:
        value = body.get(name)
        if value is not None and value not in allowed:
            self.fail(
                where,
                gettext_noop("%(name)s must be one of %(choices)s, not '%(value)s'"),
                {"name": f"`{name}`", "choices": _listed(allowed), "value": value},
            )
            return None
        return value if isinstance(value, str) else None

    def names(self, body: Mapping[str, Any], name: str, where: str) -> tuple[str, ...]:
        value = self.array(body, name, where)
        if not all(isinstance(item, str) for item in value):
            self.fail(where, gettext_noop("%(name)s must be a list of keys"), {"name": f"`{name}`"})
            return ()
        if name == "likely" and value and not LIKELY_MIN <= len(value) <= LIKELY_MAX:
            self.fail(
                where,
                gettext_noop("`likely` lists %(fewest)s to %(most)s solutions"),
                {"fewest": LIKELY_MIN, "most": LIKELY_MAX},
            )
        return tuple(value)

    def flag(self, body: Mapping[str, Any], name: str, where: str, default: bool = False) -> bool:
        value = body.get(name, default)
        if not isinstance(value, bool):
            self.fail(where, gettext_noop("%(name)s must be true or false"), {"name": name})
            return default
        return value

    def date(self, body: Mapping[str, Any], where: str) -> dt.date:
        value = body.get("checked")
        if not isinstance(value, dt.date):
            self.fail(
                where, gettext_noop("needs `checked`, the date it was last checked (2026-11-30)")
            )
            return dt.date.min
        return value


def _listed(names: Iterable[str]) -> str:
    """Names a document may use, as code: `solid`, `partial`, `uncertain`."""
    return ", ".join(f"`{name}`" for name in names)
