"""The shipped flow the content tests read, and helpers to walk and read it.

`CONTENT_UNDER_TEST` names another copy of the flow (e.g. main's) so each test can be
shown to fail on the content it corrects.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

from wizard.flows import Flow, Solution, Text, load_flow, walk

from ..flows.test_shipped_flow import NOW, sample_answers

__all__ = ["NOW", "every_text", "flow", "other_country", "raw", "said", "walks"]

CONTENT = Path(__file__).resolve().parents[2] / "wizard" / "content" / "orders.toml"
# Seller University hosts of other countries: a claim resting on them is not Indonesia's rule.
OTHER_COUNTRY_HOSTS = ("seller-vn.tiktok.com", "seller-th.tiktok.com", "seller-us.tiktok.com")


@cache
def flow() -> Flow:
    """The flow under test: the shipped one unless CONTENT_UNDER_TEST names another file."""
    path = Path(os.environ.get("CONTENT_UNDER_TEST", CONTENT))
    return load_flow(path.read_text(encoding="utf-8"))


def texts(solution: Solution) -> list[Text]:
    """Every text of a solution: title, cause, how to check, steps."""
    return [solution.title, solution.cause, solution.check, *solution.steps]


def said(key: str, language: str) -> str:
    """All of a solution's texts in one language, facts filled in, in lower case."""
    shipped = flow()
    return " ".join(
        shipped.render(text, language) for text in texts(shipped.solutions[key])
    ).lower()


def raw(key: str, language: str) -> str:
    """All of a solution's texts in one language with placeholders left in, in lower case."""
    return " ".join(text.get(language) for text in texts(flow().solutions[key])).lower()


def every_text() -> Iterator[tuple[str, Text]]:
    """Every human text of the flow, with where it is."""
    shipped = flow()
    for key, solution in shipped.solutions.items():
        for number, text in enumerate(texts(solution)):
            yield f"solution {key} text {number}", text
    for key, question in shipped.questions.items():
        yield f"question {key}", question.text
        if question.help is not None:
            yield f"question {key} help", question.help
        for option in question.options:
            yield f"question {key} option {option.value}", option.label
    for key, tip in shipped.tips.items():
        yield f"tip {key}", tip.text


def other_country(source_key: str) -> bool:
    """Whether a source is another country's Seller University page."""
    return urlparse(flow().sources[source_key].url).hostname in OTHER_COUNTRY_HOSTS


def walks(start: dict[str, object]) -> Iterator[tuple[dict[str, object], str, list[str]]]:
    """Every sample walk from these first answers: answers, end step, findings noted."""
    shipped = flow()
    stack = [dict(start)]
    while stack:
        answers = stack.pop()
        position = walk(shipped, answers, NOW)
        if position.current is None:
            yield answers, position.step, [finding.key for finding in position.findings]
            continue
        for value in sample_answers(position.current):
            stack.append({**answers, position.current.key: value})
