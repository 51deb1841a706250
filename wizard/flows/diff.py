"""What changed between two flows, by meaning: parts added, removed or changed.

A change names its field by codes (the field's name in the document, the option or the
step number it belongs to, the language), not by words: the workshop translates them
(wizard/editors/templatetags/workshop.py), and this package stays free of Django.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .document import Flow, Option, Question, Route, Text

PARTS = ("questions", "solutions", "facts", "tips", "sources")


@dataclass(frozen=True)
class Field:
    """Which field of a part: `name` as in the document ("text", "steps", "route"…, and
    "option_label"/"option_keywords" for an option's), `item` the option value or the
    step/route number ("" for none), `language` "id", "en" or "" for a text."""

    name: str
    item: str = ""
    language: str = ""

    def __str__(self) -> str:
        """In English, for the command line: "option ship: label (id)", "steps 2 (en)"."""
        words = self.name
        if self.name.startswith("option_"):
            words = f"option {self.item}: {self.name.removeprefix('option_')}"
        elif self.item:
            words = f"{self.name} {self.item}"
        return f"{words} ({self.language})" if self.language else words


@dataclass(frozen=True)
class Change:
    """One field of a part that differs: its old and new value ("" when absent)."""

    name: Field
    old: str
    new: str

    @property
    def field(self) -> str:
        """The field in English words (see Field)."""
        return str(self.name)


@dataclass(frozen=True)
class PartDiff:
    """A question, solution, fact, tip or source that was added, removed or changed."""

    part: str  # one of PARTS
    key: str
    status: str  # "added", "removed" or "changed"
    changes: tuple[Change, ...]


def diff_flows(old: Flow, new: Flow) -> list[PartDiff]:
    """Every part that differs between two flows, in the order of PARTS then by key."""
    found: list[PartDiff] = []
    for part in PARTS:
        before: Mapping[str, object] = getattr(old, part)
        after: Mapping[str, object] = getattr(new, part)
        for key in [*before, *(key for key in after if key not in before)]:
            old_fields = _fields(before[key]) if key in before else {}
            new_fields = _fields(after[key]) if key in after else {}
            changes = tuple(
                Change(name, old_fields.get(name, ""), new_fields.get(name, ""))
                for name in dict.fromkeys([*old_fields, *new_fields])
                if old_fields.get(name) != new_fields.get(name)
            )
            status = "added" if key not in before else "removed" if key not in after else "changed"
            if changes:
                found.append(PartDiff(part, key, status, changes))
    return found


def _fields(part: object) -> dict[Field, str]:
    """A part as named, printable fields; a text gives one field per language."""
    assert dataclasses.is_dataclass(part)
    fields: dict[Field, str] = {}
    for field in dataclasses.fields(part):
        if field.name == "key":
            continue
        value = getattr(part, field.name)
        if isinstance(part, Question) and field.name == "options":
            for option in value:
                fields.update(_option(option))
        elif isinstance(part, Question) and field.name == "routes":
            fields.update(_routes(value))
        else:
            fields.update(_named(field.name, value))
    return fields


def _named(name: str, value: object, item: str = "") -> Iterator[tuple[Field, str]]:
    if isinstance(value, Text):
        yield Field(name, item, "id"), value.id
        yield Field(name, item, "en"), value.en
    elif isinstance(value, tuple) and value and isinstance(value[0], Text):
        for number, text in enumerate(value, 1):
            yield from _named(name, text, str(number))
    elif isinstance(value, tuple):
        yield Field(name, item), ", ".join(str(item) for item in value)
    elif value is not None:
        yield Field(name, item), str(value)


def _option(option: Option) -> Iterator[tuple[Field, str]]:
    yield from _named("option_label", option.label, option.value)
    yield Field("option_keywords", option.value), ", ".join(option.keywords)


def _routes(routes: tuple[Route, ...]) -> Iterator[tuple[Field, str]]:
    # A route reads as it is written in the document, whose words are the same in
    # both languages: `when = "…", note = "…", go = "…"`.
    for number, route in enumerate(routes, 1):
        parts = [f'when = "{route.source_text}"'] if route.source_text else []
        if route.note:
            parts.append(f'note = "{route.note}"')
        if route.go:
            parts.append(f'go = "{route.go}"')
        yield Field("route", str(number)), ", ".join(parts)


def line_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The unified diff of two documents as (kind, line): kind is "+", "-", "@" or " "."""
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=2)
    return [(line[:1], line) for line in lines if not line.startswith(("---", "+++"))]
