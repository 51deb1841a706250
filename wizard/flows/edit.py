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


def question_fields(text: str, key: str) -> dict[str, Any]:
    """A question's texts, and each option's label and keywords, as stored."""
    question = _table(_parse(text), "questions", key)
    fields: dict[str, Any] = {**_text_fields(question, "text"), **_text_fields(question, "help")}
    for option in question.get("options", []):
        value = str(option.get("value", ""))
        fields.update(_text_fields(option, "label", prefix=f"option_{value}_"))
        fields[f"option_{value}_keywords"] = ", ".join(map(str, option.get("keywords", [])))
    return fields


def option_values(text: str, key: str) -> list[str]:
    """The values of a question's options, in order."""
    question = _table(_parse(text), "questions", key)
    return [str(option.get("value", "")) for option in question.get("options", [])]


def edit_question(text: str, key: str, fields: dict[str, str]) -> str:
    """The document with a question's texts and its options' labels and keywords changed.

    `fields` has the names `question_fields` gives; an empty help is removed.
    """
    document = _parse(text)
    question = _table(document, "questions", key)
    _set_text(question, "text", fields["text_id"], fields["text_en"])
    if fields.get("help_id") or fields.get("help_en"):
        _set_text(question, "help", fields["help_id"], fields["help_en"])
    elif "help" in question:
        del question["help"]
    for option in question.get("options", []):
        prefix = f"option_{option.get('value', '')}_"
        if f"{prefix}label_id" not in fields:
            continue
        _set_text(option, "label", fields[f"{prefix}label_id"], fields[f"{prefix}label_en"])
        keywords = [word.strip() for word in fields[f"{prefix}keywords"].split(",")]
        _set(option, "keywords", [word for word in keywords if word])
    return tomlkit.dumps(document)


def tip_fields(text: str, key: str) -> dict[str, Any]:
    """A tip's text in both languages."""
    return _text_fields(_table(_parse(text), "tips", key), "text")


def edit_tip(text: str, key: str, *, text_id: str, text_en: str) -> str:
    """The document with one tip's text changed."""
    document = _parse(text)
    _set_text(_table(document, "tips", key), "text", text_id, text_en)
    return tomlkit.dumps(document)


def _table(document: tomlkit.TOMLDocument, part: str, key: str) -> Any:
    tables = document.get(part, {})
    if key not in tables:
        raise EditError(f"no {part[:-1]} {key!r} in the document")
    return tables[key]


def _text_fields(table: Any, name: str, prefix: str = "") -> dict[str, str]:
    body = table.get(name) or {}
    return {
        f"{prefix}{name}_id": str(body.get("id", "")),
        f"{prefix}{name}_en": str(body.get("en", "")),
    }


def _set_text(table: Any, name: str, id_text: str, en_text: str) -> None:
    body = table.get(name)
    if isinstance(body, InlineTable | Table):
        _set(body, "id", id_text)
        _set(body, "en", en_text)
    else:
        inline = tomlkit.inline_table()
        inline.update({"id": id_text, "en": en_text})
        table[name] = inline
