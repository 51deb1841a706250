"""Edits to a flow document's TOML that keep its comments and layout (via tomlkit).

Only the values an edit names are rewritten, so a line diff of the document shows just
the edited lines.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import tomlkit
from tomlkit.items import InlineTable, Table


class EditError(ValueError):
    """The document cannot take this edit (it does not parse, or lacks the part)."""


def fact_fields(text: str, key: str) -> dict[str, Any]:
    """A fact's fields as stored: value, labels, source and checked date."""
    fact = _fact(tomlkit.parse(text) if _parses(text) else None, key)
    label = fact.get("label", {})
    return {
        "value": str(fact.get("value", "")),
        "label_id": str(label.get("id", "")),
        "label_en": str(label.get("en", "")),
        "source": str(fact.get("source", "")),
        "checked": fact.get("checked"),
    }


def edit_fact(
    text: str,
    key: str,
    *,
    value: str,
    label_id: str,
    label_en: str,
    source: str,
    checked: dt.date,
) -> str:
    """The document with one fact changed; the value keeps its type (number or text)."""
    document = _parse(text)
    fact = _fact(document, key)
    _set(fact, "value", _typed(value, fact.get("value")))
    label = fact.get("label")
    if isinstance(label, InlineTable | Table):
        _set(label, "id", label_id)
        _set(label, "en", label_en)
    else:
        fact["label"] = {"id": label_id, "en": label_en}
    _set(fact, "source", source)
    _set(fact, "checked", checked)
    return tomlkit.dumps(document)


def _set(table: Any, name: str, value: object) -> None:
    # Rewriting an equal value could still change its spelling (quotes, spacing).
    if table.get(name) != value:
        table[name] = value


def source_keys(text: str) -> list[str]:
    """The keys of the document's sources, in document order."""
    return list(_parse(text).get("sources", {}))


def _typed(value: str, old: object) -> int | float | str:
    cleaned = value.strip()
    if isinstance(old, bool) or not isinstance(old, int | float):
        return value
    try:
        return int(cleaned) if isinstance(old, int) else float(cleaned.replace(",", "."))
    except ValueError:
        return value  # the checker then says what a fact's text does where a number was


def _parses(text: str) -> bool:
    try:
        tomlkit.parse(text)
    except tomlkit.exceptions.ParseError:
        return False
    return True


def _parse(text: str) -> tomlkit.TOMLDocument:
    try:
        return tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as error:
        raise EditError(f"not valid TOML: {error}") from error


def _fact(document: tomlkit.TOMLDocument | None, key: str) -> Any:
    facts = document.get("facts", {}) if document is not None else {}
    if key not in facts:
        raise EditError(f"no fact {key!r} in the document")
    return facts[key]
