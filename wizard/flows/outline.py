"""The diagram as a list, question → answers → next step: what a phone shows instead of
the drawing, and what a screen reader reads on any screen."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .diagram import arrows
from .document import Flow
from .layout import discovery_order


@dataclass(frozen=True)
class Way:
    """One arrow out of a question: the answers or conditions in words, and where it goes."""

    answers: tuple[str, ...]  # the options or conditions in words; none: always
    target: str
    title: str
    is_question: bool
    is_finding: bool
    sessions: int | None = None
    url: str = ""  # where the target's own page is, if it has one (insight: its cases)


@dataclass(frozen=True)
class Stop:
    """A question with the ways on from it."""

    key: str
    text: str
    ways: tuple[Way, ...]
    url: str = ""


def outline(
    flow: Flow,
    language: str,
    traffic: Mapping[tuple[str, str], int] | None = None,
    urls: Mapping[str, str] | None = None,
) -> list[Stop]:
    """Every question in the order a reader meets it, each with its arrows in words;
    `traffic` (step → step: sessions) counts the sessions along each arrow, `urls` (step:
    address) link the steps, as the drawing's boxes do."""
    urls = urls or {}
    leaving: dict[str, list[Way]] = {}
    for edge in arrows(flow, language):
        target = flow.questions.get(edge.target)
        title = target.text if target is not None else flow.solutions[edge.target].title
        count = (
            None
            if traffic is None or edge.is_finding
            else traffic.get((edge.source, edge.target), 0)
        )
        way = Way(
            tuple(edge.labels),
            edge.target,
            flow.render(title, language),
            target is not None,
            edge.is_finding,
            count,
            urls.get(edge.target, ""),
        )
        leaving.setdefault(edge.source, []).append(way)
    return [
        Stop(
            key,
            flow.render(flow.questions[key].text, language),
            tuple(leaving.get(key, ())),
            urls.get(key, ""),
        )
        for key in discovery_order(flow)
        if key in flow.questions
    ]
