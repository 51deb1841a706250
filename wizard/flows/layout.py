"""Where the diagram's boxes go: columns by longest path, rows ordered to cross less."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field

from .document import Flow

ROW_GAP = 18
THROUGH_HEIGHT = 26  # the room a long edge takes in a column it passes through
SWEEPS = 12


def steps_of(flow: Flow) -> list[str]:
    """Every question and solution key, questions first."""
    return [*flow.questions, *flow.solutions]


@dataclass
class Edge:
    """An arrow of the diagram: a route, or several routes between the same two steps."""

    source: str
    target: str
    labels: list[str]
    is_finding: bool
    is_loop: bool = False
    through: list[str] = field(default_factory=list)  # placeholders in the columns it crosses
    reference: str | None = None  # a far solution's small "→ key" box in the next column


def columns(flow: Flow, edges: list[Edge], heights: Mapping[str, float]) -> list[list[str]]:
    """Longest-path layers from the start, long edges threaded through placeholders."""
    forward = [edge for edge in edges if not edge.is_loop]
    layer = dict.fromkeys(steps_of(flow), 0)
    for _ in range(len(layer)):  # relax until stable; a DAG settles within that many rounds
        changed = False
        for edge in forward:
            if layer[edge.target] < layer[edge.source] + 1:
                layer[edge.target] = layer[edge.source] + 1
                changed = True
        if not changed:
            break
    columns: list[list[str]] = [[] for _ in range(max(layer.values(), default=0) + 1)]
    for key in discovery_order(flow):
        columns[layer[key]].append(key)
    links: list[tuple[str, str]] = []  # (left, right) between neighbouring columns
    for number, edge in enumerate(forward):
        chain = [edge.source]
        if edge.target in flow.solutions and layer[edge.target] - layer[edge.source] > 1:
            # A far solution is shown by a small "→ key" box beside the question instead of
            # a long line across the diagram: a solution ends the walk, nothing follows it.
            edge.reference = f" see {number}"  # a space: never a step key
            columns[layer[edge.source] + 1].append(edge.reference)
            chain.append(edge.reference)
        else:
            for between in range(layer[edge.source] + 1, layer[edge.target]):
                placeholder = f" {number}.{between}"
                columns[between].append(placeholder)
                edge.through.append(placeholder)
                chain.append(placeholder)
            chain.append(edge.target)
        links += itertools.pairwise(chain)
    return _order(columns, links, heights)


def _order(
    columns: list[list[str]], links: list[tuple[str, str]], heights: Mapping[str, float]
) -> list[list[str]]:
    """Barycentre sweeps, right then left, keeping the order with the fewest crossings."""
    left_of: dict[str, list[str]] = {}
    right_of: dict[str, list[str]] = {}
    for left, right in links:
        right_of.setdefault(left, []).append(right)
        left_of.setdefault(right, []).append(left)
    best = [list(column) for column in columns]
    fewest = _crossings(columns, links, heights)
    for sweep in range(SWEEPS):
        rightwards = sweep % 2 == 0
        sides = left_of if rightwards else right_of
        order = range(1, len(columns)) if rightwards else range(len(columns) - 2, -1, -1)
        for number in order:
            middle = {key: y for column in columns for key, y in stack(column, heights).items()}
            columns[number].sort(
                key=lambda key: (
                    sum(middle[n] for n in sides[key]) / len(sides[key])
                    if sides.get(key)
                    else middle[key]
                )
            )
        crossings = _crossings(columns, links, heights)
        if crossings < fewest:
            best, fewest = [list(column) for column in columns], crossings
    return best


def _crossings(
    columns: list[list[str]], links: list[tuple[str, str]], heights: Mapping[str, float]
) -> int:
    """How many pairs of links between the same two columns cross."""
    middle = {key: y for column in columns for key, y in stack(column, heights).items()}
    column_of = {key: number for number, column in enumerate(columns) for key in column}
    between: dict[int, list[tuple[float, float]]] = {}
    for left, right in links:
        between.setdefault(column_of[left], []).append((middle[left], middle[right]))
    return sum(
        1
        for lines in between.values()
        for (a, b), (c, d) in itertools.combinations(lines, 2)
        if (a - c) * (b - d) < 0
    )


def stack(column: list[str], heights: Mapping[str, float]) -> dict[str, float]:
    """The middle height of each box in a column stacked from the top."""
    middles = {}
    top = 0.0
    for key in column:
        tall = heights.get(key, THROUGH_HEIGHT)
        middles[key] = top + tall / 2
        top += tall + ROW_GAP
    return middles


def discovery_order(flow: Flow) -> list[str]:
    """Steps in the order a reader meets them from the start, then any left over."""
    seen: dict[str, None] = {}
    waiting = [flow.start]
    while waiting:
        key = waiting.pop(0)
        if key in seen or flow.step(key) is None:
            continue
        seen[key] = None
        question = flow.questions.get(key)
        if question is not None:
            waiting += [target for r in question.routes for target in (r.go, r.note) if target]
    return [*seen, *(key for key in steps_of(flow) if key not in seen)]
