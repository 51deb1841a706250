"""The parts of a flow document, as frozen dataclasses built by the loader."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .conditions import Condition

LANGUAGES = ("id", "en")
QUESTION_KINDS = ("choice", "yesno", "multi", "version", "number", "datetime")
CONFIDENCES = ("solid", "partial", "uncertain")
ACTORS = ("seller", "platform", "courier", "buyer")
DEADLINES = ("ship", "cancel_response", "preorder")
UNITS = (
    "hours",
    "days",
    "minutes",
    "months",
    "percent",
    "rupiah",
    "points",
    "count",
    "hour_of_day",
)
SOURCE_KINDS = ("id_official", "other_country", "news", "vendor", "unreadable")
# A fact resting on one of these cannot carry a page tagged solid.
WEAK_SOURCE_KINDS = ("other_country", "vendor", "unreadable")
# How many of each unit one of the other makes; a `{fact|days}` placeholder converts.
CONVERSIONS: dict[tuple[str, str], float] = {
    ("hours", "days"): 1 / 24,
    ("days", "hours"): 24,
    ("hours", "minutes"): 60,
    ("minutes", "hours"): 1 / 60,
    ("days", "minutes"): 24 * 60,
}
FILTERS = ("unit", "days", "hours", "minutes")
UNIT_WORDS = {
    "hours": ("jam", "hours"),
    "days": ("hari", "days"),
    "minutes": ("menit", "minutes"),
    "months": ("bulan", "months"),
    "percent": ("%", "%"),
    "rupiah": ("Rp", "Rp"),
    "points": ("poin", "points"),
    "count": ("", ""),
    "hour_of_day": ("", ""),
}

Kind = Literal["choice", "yesno", "multi", "version", "number", "datetime"]
# What an answer looks like once stored: choice/yesno/version/datetime are strings
# (datetimes in ISO 8601 with an offset), number an int; multi is a checklist answer, its
# three sets `{"ticked": [...], "unticked": [...], "unsure": [...]}` (see checklist.py), or
# the list of ticked option values that answers were before "not sure" (still read so).
Value = str | int | list[str] | dict[str, list[str]]

# `{fact}` or `{fact|filter}`: group 1 the fact, group 2 the filter (a unit or "unit").
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)(?:\|([a-z]+))?\}")
KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
# Step keys appear in session URLs beside these.
RESERVED_KEYS = frozenset(
    {"restart", "feedback", "language", "share", "summary", "next", "incident", "latest"}
)


@dataclass(frozen=True)
class Text:
    """A text in both languages, with `{fact}` placeholders still in it."""

    id: str
    en: str

    def get(self, language: str) -> str:
        """The text in `language`, falling back to Bahasa Indonesia."""
        return self.en if language == "en" else self.id


@dataclass(frozen=True)
class Option:
    """One answer a seller can pick in a choice or multiple-choice question."""

    value: str
    label: Text
    keywords: tuple[str, ...] = ()
    # "Something else / not sure": the way out when no other option fits.
    catch_all: bool = False


@dataclass(frozen=True)
class Route:
    """An ordered rule: when the condition holds, note a finding and/or go on."""

    condition: Condition | None
    go: str | None
    note: str | None
    source_text: str = ""


@dataclass(frozen=True)
class Question:
    """A step that asks the seller something."""

    key: str
    kind: Kind
    text: Text
    help: Text | None
    options: tuple[Option, ...]
    routes: tuple[Route, ...]
    optional: bool = False
    minimum: int = 0
    maximum: int = 1_000_000
    # Part of the platform-fault branch: while staff have declared an incident, the
    # question shows it and the seller may end there.
    shows_incidents: bool = False
    # A checklist (multi) offers "not sure" beside each item; on unless the author says no.
    unsure: bool = False
    # The seller may answer by showing a screenshot of the message they see.
    asks_screenshot: bool = False
    # The context this question asks (e.g. "service"), shared by questions on other branches.
    context: str | None = None

    @property
    def asks(self) -> frozenset[str]:
        """The names a solution's `needs` may use for this question: its key and context."""
        return frozenset({self.key} | ({self.context} if self.context else set()))

    def option(self, value: str) -> Option | None:
        """The option with this value, if the question has one."""
        for option in self.options:
            if option.value == value:
                return option
        return None

    @property
    def values(self) -> tuple[str, ...]:
        """Every value a choice, yes/no or multiple-choice answer may contain."""
        return tuple(option.value for option in self.options)


@dataclass(frozen=True)
class Source:
    """Where a fact comes from, and how far we trust it."""

    key: str
    title: str
    url: str
    confidence: str
    checked: dt.date


@dataclass(frozen=True)
class Fact:
    """A number or value that a platform rule may change, kept in one place."""

    key: str
    value: int | float | str
    label: Text
    source: str
    checked: dt.date
    unit: str | None = None
    # None: as sure as its source.
    confidence: str | None = None
    source_kind: str | None = None

    def show(self, language: str, conversion: str | None = None) -> str:
        """The value as a text shows it, optionally with its unit word or converted."""
        value = self.value
        if conversion is None or self.unit is None or isinstance(value, str):
            return _show(value, language)
        unit = self.unit
        if conversion != "unit":
            value = value * CONVERSIONS[(unit, conversion)]
            unit = conversion
            value = round(value, 1)
            if float(value).is_integer():
                value = int(value)
        return _with_unit(_show(value, language), unit, language)


@dataclass(frozen=True)
class Tip:
    """A prevention tip."""

    key: str
    text: Text


@dataclass(frozen=True)
class Solution:
    """A step that ends the walk: the cause and what to do about it."""

    key: str
    title: Text
    cause: Text
    check: Text
    steps: tuple[Text, ...]
    who: tuple[str, ...]
    confidence: str
    sources: tuple[str, ...]
    checked: dt.date | None
    tips: tuple[str, ...] = ()
    deadline: str | None = None
    shows_incidents: bool = False
    # The date/time question the deadline counts from (default: the first one asked).
    deadline_from: str | None = None
    # A short list: other solutions, likeliest first, shown as the likely causes.
    likely: tuple[str, ...] = ()
    # Context names or question keys every path reaching this solution must have asked.
    needs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Flow:
    """A whole troubleshooting flow: questions, solutions and what they rest on."""

    key: str
    title: Text
    start: str
    questions: dict[str, Question]
    solutions: dict[str, Solution]
    sources: dict[str, Source] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    tips: dict[str, Tip] = field(default_factory=dict)

    def step(self, key: str) -> Question | Solution | None:
        """The question or solution with this key."""
        return self.questions.get(key) or self.solutions.get(key)

    def sources_of(self, solution: Solution) -> list[Source]:
        """The sources a solution cites, in its order."""
        return [self.sources[key] for key in solution.sources]

    def render(self, text: Text, language: str) -> str:
        """A text in `language` with its `{fact}` placeholders filled in."""
        return PLACEHOLDER.sub(
            lambda match: self.facts[match.group(1)].show(language, match.group(2)),
            text.get(language),
        )

    def facts_in(self, text: Text) -> set[str]:
        """The facts a text names through placeholders, in either language."""
        return {
            match.group(1)
            for language in LANGUAGES
            for match in PLACEHOLDER.finditer(text.get(language))
        }


ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
MONTHS = {
    "id": "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember",
    "en": "January February March April May June July August September October November December",
}


def _show(value: int | float | str, language: str) -> str:
    # A date fact reads as prose in the page's language: "26 Maret 2025".
    if isinstance(value, str) and (date := ISO_DATE.fullmatch(value)):
        year, month, day = (int(part) for part in date.groups())
        return f"{day} {MONTHS[language if language == 'en' else 'id'].split()[month - 1]} {year}"
    if isinstance(value, float) and language == "id":
        return f"{value:g}".replace(".", ",")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _with_unit(number: str, unit: str, language: str) -> str:
    if unit == "hour_of_day":  # a time on the clock: 12.00 in Indonesian, 12:00 in English
        return f"{number}{'.' if language == 'id' else ':'}00" if number.isdigit() else number
    word = UNIT_WORDS[unit][language == "en"]
    if unit == "rupiah":
        return f"{word}{number}"
    if unit == "percent":
        return f"{number}{word}"
    if language == "en" and number == "1":
        word = word.removesuffix("s")
    return f"{number} {word}".strip()
