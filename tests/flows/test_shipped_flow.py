"""The shipped flow: every path, walked with every kind of answer, ends on a solution."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from wizard.flows import Flow, Question, Value, load_flow, walk

CONTENT = Path(__file__).resolve().parents[2] / "wizard" / "content" / "orders.toml"
NOW = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC)  # a Monday, 10:00 in Jakarta
WIB = dt.timezone(dt.timedelta(hours=7))


def shipped() -> Flow:
    return load_flow(CONTENT.read_text(encoding="utf-8"))


def sample_answers(question: Question) -> list[Value]:
    """A few answers per question that, between them, take every route."""
    match question.kind:
        case "choice" | "yesno":
            return list(question.values)
        case "multi":
            everything = list(question.values)
            but_one = [[v for v in everything if v != left] for left in everything]
            if not question.unsure:
                return [everything, [], *but_one]
            # Each item in turn not sure, the others ticked: routes on "not sure" are taken.
            unsure = [
                {"ticked": ticked, "unticked": [], "unsure": [left]}
                for left, ticked in zip(everything, but_one, strict=True)
            ]
            return [everything, [], *but_one, *unsure]
        case "number":
            return [question.minimum, min(10, question.maximum), question.maximum]
        case "version":
            return ["", "1.0", "999.0"] if question.optional else ["1.0", "999.0"]
        case _:
            return [(NOW - dt.timedelta(hours=h)).astimezone(WIB).isoformat() for h in (1, 20, 100)]


def every_walk(flow: Flow) -> Iterator[tuple[dict[str, Value], str]]:
    """Each distinct sequence of sample answers, with the step it ends on."""
    stack: list[dict[str, Value]] = [{}]
    while stack:
        answers = stack.pop()
        position = walk(flow, answers, NOW)
        if position.current is None:
            yield answers, position.step
            continue
        for value in sample_answers(position.current):
            stack.append({**answers, position.current.key: value})


def test_every_path_of_the_shipped_flow_walks_to_a_solution() -> None:
    flow = shipped()
    ends = [end for _, end in every_walk(flow)]
    assert ends
    assert all(end in flow.solutions for end in ends)


def test_every_solution_of_the_shipped_flow_is_reached_by_some_answers() -> None:
    flow = shipped()
    reached: set[str] = set()
    for answers, end in every_walk(flow):
        reached.add(end)
        reached.update(finding.key for finding in walk(flow, answers, NOW).findings)
    assert set(flow.solutions) - reached == set()


def test_no_path_of_the_shipped_flow_is_longer_than_ten_questions() -> None:
    flow = shipped()
    assert max(len(walk(flow, answers, NOW).path) for answers, _ in every_walk(flow)) <= 10
