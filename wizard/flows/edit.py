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
    except (tomlkit.exceptions.ParseError, RecursionError):
        return False
    return True


def _parse(text: str) -> tomlkit.TOMLDocument:
    try:
        return tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as error:
        raise EditError(f"not valid TOML: {error}") from error
    except RecursionError as error:
        raise EditError("not valid TOML: nested too deeply") from error


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
        kept = [word for word in keywords if word]
        if kept or "keywords" in option:  # an option without keywords stays as written
            _set(option, "keywords", kept)
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


SOLUTION_TEXTS = ("title", "cause", "check")
SOLUTION_LISTS = ("who", "sources", "tips")


def part_keys(text: str, part: str) -> list[str]:
    """The keys of one part of the document ("questions", "solutions", …), in order."""
    return list(_parse(text).get(part, {}))


def solution_fields(text: str, key: str) -> dict[str, Any]:
    """A solution's fields as stored: texts in both languages, its steps as (id, en)
    pairs, who acts, confidence, sources, tips and checked date."""
    solution = _table(_parse(text), "solutions", key)
    fields: dict[str, Any] = {}
    for name in SOLUTION_TEXTS:
        fields.update(_text_fields(solution, name))
    fields["steps"] = [
        (str(step.get("id", "")), str(step.get("en", ""))) for step in solution.get("steps", [])
    ]
    for name in SOLUTION_LISTS:
        fields[name] = [str(item) for item in solution.get(name, [])]
    fields["confidence"] = str(solution.get("confidence", ""))
    fields["checked"] = solution.get("checked")
    return fields


def edit_solution(text: str, key: str, fields: dict[str, Any]) -> str:
    """The document with a solution's fields changed, each only where it differs.

    `fields` has the names `solution_fields` gives. Steps are edited in place, removed
    from the end and appended, so an unchanged step keeps its line; a list keeps the
    order of the items it already had, with new ones after them.
    """
    document = _parse(text)
    solution = _table(document, "solutions", key)
    for name in SOLUTION_TEXTS:
        _set_text(solution, name, fields[f"{name}_id"], fields[f"{name}_en"])
    _set_steps(solution, fields["steps"])
    for name in SOLUTION_LISTS:
        old = [str(item) for item in solution.get(name, [])]
        chosen = list(fields[name])
        kept = [item for item in old if item in chosen] + [i for i in chosen if i not in old]
        if kept != old:
            if kept or name != "tips":
                solution[name] = kept
            else:
                del solution[name]
    _set(solution, "confidence", fields["confidence"])
    if fields.get("checked") is not None:
        _set(solution, "checked", fields["checked"])
    return tomlkit.dumps(document)


def _set_steps(solution: Any, steps: list[tuple[str, str]]) -> None:
    array = solution.get("steps")
    if array is None:
        solution["steps"] = array = tomlkit.array()
    for number, (id_text, en_text) in enumerate(steps):
        if number < len(array):
            _set(array[number], "id", id_text)
            _set(array[number], "en", en_text)
        else:
            array.append(_inline(id=id_text, en=en_text))
    while len(array) > len(steps):
        del array[len(array) - 1]


def _inline(**values: object) -> InlineTable:
    table = tomlkit.inline_table()
    table.update(values)
    return table


def add_solution(text: str, key: str, fields: dict[str, Any]) -> str:
    """The document with a new solution appended at its end, written as the shipped
    solutions are (inline texts, one step a line)."""
    document = _parse(text)
    if key in document.get("solutions", {}) or key in document.get("questions", {}):
        raise EditError(f"a step {key!r} is already in the document")
    table = tomlkit.table()
    for name in SOLUTION_TEXTS:
        table[name] = _inline(id=fields[f"{name}_id"], en=fields[f"{name}_en"])
    steps = tomlkit.array()
    for id_text, en_text in fields["steps"]:
        steps.add_line(_inline(id=id_text, en=en_text), indent="  ")
    steps.add_line(indent="")
    table["steps"] = steps
    table["who"] = list(fields["who"])
    table["confidence"] = fields["confidence"]
    table["sources"] = list(fields["sources"])
    table["checked"] = fields["checked"]
    if fields["tips"]:
        table["tips"] = list(fields["tips"])
    addition = tomlkit.document()
    addition.add("solutions", tomlkit.table(is_super_table=True))
    addition["solutions"][key] = table
    return text.rstrip("\n") + "\n\n" + tomlkit.dumps(addition).lstrip("\n")


# The kinds whose options an editor lists (the others' answers are typed or fixed).
OPEN_KINDS = ("choice", "multi")


def takes_new_options(text: str, key: str) -> bool:
    """Whether an option can be added to a question: it is a choice or multiple choice."""
    return _table(_parse(text), "questions", key).get("kind") in OPEN_KINDS


def add_option(
    text: str,
    key: str,
    *,
    value: str,
    label_id: str,
    label_en: str,
    keywords: list[str],
    go: str,
) -> str:
    """The document with an option added to a choice or multiple-choice question (before
    its catch-all option, if it has one), and the route that sends it to `go`: placed
    before the question's closing route without `when` (which would otherwise catch the
    new answer first), or last."""
    document = _parse(text)
    question = _table(document, "questions", key)
    kind = question.get("kind")
    if kind not in OPEN_KINDS:
        raise EditError(f"question {key!r} is not a choice question: its options are fixed")
    if value in (str(option.get("value", "")) for option in question.get("options", [])):
        raise EditError(f"question {key!r} already has an option {value!r}")
    option = _inline(value=value, label=_inline(id=label_id, en=label_en))
    if keywords:
        option["keywords"] = keywords
    options = question.setdefault("options", tomlkit.array())
    # Before the way out ("something else / not sure"): it stays the last thing offered.
    catch_all = [n for n, o in enumerate(options) if o.get("catch_all") is True]
    if catch_all:
        options.insert(catch_all[0], option)
    else:
        options.append(option)
    when = f"{key} == {value}" if kind == "choice" else f"{key} has {value}"
    route = _inline(when=when, go=go)
    routes = question.setdefault("routes", tomlkit.array())
    closing = [n for n, r in enumerate(routes) if "when" not in r and "go" in r]
    if closing:
        routes.insert(closing[0], route)
    else:
        routes.append(route)
    return tomlkit.dumps(document)
