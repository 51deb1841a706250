"""What a newer version of a flow changed for one seller: the facts their pages show, and
the answers that still hold when they move to it (pure Python)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from .deadlines import FACTS as DEADLINE_FACTS
from .deadlines import SHOWN_FACTS
from .document import Flow, Text, Value
from .engine import Walk, accepts, kept_answers, walk


@dataclass(frozen=True)
class FactChange:
    """A fact a seller's pages show, as their version has it and as the newer one does."""

    key: str
    label: Text
    old: int | float | str
    # None: the newer version no longer has the fact.
    new: int | float | str | None

    def shown(self, flow: Flow, language: str) -> tuple[str, str]:
        """The old and new values as the pages write them (`flow` is the older version)."""
        old = flow.facts[self.key].show(language, "unit")
        if self.new is None:
            return old, ""
        return old, replace(flow.facts[self.key], value=self.new).show(language, "unit")


def shown_facts(flow: Flow, position: Walk) -> set[str]:
    """The facts the seller's pages name: in the questions on the path and the one asked
    now, in the solution reached and the findings noted, and in their deadline rules."""
    return {name for text in _texts_shown(flow, position) for name in flow.facts_in(text)} | {
        name
        for step in (position.solution, *position.findings)
        if step is not None and step.deadline
        for name in (*DEADLINE_FACTS.get(step.deadline, ()), *SHOWN_FACTS.get(step.deadline, ()))
        if name in flow.facts
    }


def fact_changes(old: Flow, new: Flow, position: Walk) -> list[FactChange]:
    """The facts shown to the seller on `old` whose value `new` changed or dropped."""
    changes = []
    for name in sorted(shown_facts(old, position)):
        before = old.facts[name]
        after = new.facts.get(name)
        if after is None or after.value != before.value:
            changes.append(
                FactChange(name, before.label, before.value, None if after is None else after.value)
            )
    return changes


def carried_answers(answers: Mapping[str, Value], new: Flow, now: dt.datetime) -> dict[str, Value]:
    """The answers that still hold on `new`: the same question key with an answer it
    still accepts (an option it still has), kept as after any answer."""
    same = {
        key: value
        for key, value in answers.items()
        if key in new.questions and accepts(new.questions[key], value)
    }
    return kept_answers(new, same, walk(new, same, now))


def _texts_shown(flow: Flow, position: Walk) -> Iterator[Text]:
    asked = (*position.path, *((position.current,) if position.current else ()))
    for question in asked:
        yield question.text
        if question.help is not None:
            yield question.help
        yield from (option.label for option in question.options)
    for solution in (position.solution, *position.findings):
        if solution is None:
            continue
        yield from (solution.title, solution.cause, solution.check, *solution.steps)
        yield from (flow.tips[key].text for key in solution.tips if key in flow.tips)
