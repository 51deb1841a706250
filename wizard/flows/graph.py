"""The flow as a graph of `go` routes: edges, loops, reachability and path lengths."""

from __future__ import annotations

from collections import Counter

from .document import Flow


def go_graph(flow: Flow) -> dict[str, list[str]]:
    """Each question's distinct `go` targets that exist, in route order."""
    steps = flow.questions.keys() | flow.solutions.keys()
    return {
        key: list(dict.fromkeys(r.go for r in q.routes if r.go is not None and r.go in steps))
        for key, q in flow.questions.items()
    }


def back_edges(flow: Flow, graph: dict[str, list[str]]) -> list[tuple[str, str]]:
    """The `go` edges that close a loop, found by a depth-first walk from the start."""
    state: dict[str, str] = {}  # "open" while on the current path, "done" after
    found: list[tuple[str, str]] = []

    def visit(key: str) -> None:
        state[key] = "open"
        for target in graph.get(key, []):
            if state.get(target) == "open":
                found.append((key, target))
            elif target not in state:
                visit(target)
        state[key] = "done"

    for key in [flow.start, *graph]:
        if key in graph and key not in state:
            visit(key)
    return found


def path_lengths(flow: Flow, graph: dict[str, list[str]]) -> tuple[Counter[int], list[str]]:
    """How many start-to-solution paths ask how many questions, and one longest path.

    Counting per step instead of listing paths keeps a wide flow cheap; loops are
    already problems, so their closing edges are left out.
    """
    loops = set(back_edges(flow, graph))
    known: dict[str, tuple[Counter[int], list[str]]] = {}

    def visit(key: str) -> tuple[Counter[int], list[str]]:
        if key in flow.solutions:
            return Counter({0: 1}), [key]
        if key not in known:
            lengths: Counter[int] = Counter()
            longest: list[str] = []
            for target in graph[key]:
                if (key, target) in loops:
                    continue
                below, chain = visit(target)
                lengths.update({length + 1: count for length, count in below.items()})
                if below and len(chain) + 1 > len(longest):
                    longest = [key, *chain]
            known[key] = lengths, longest
        return known[key]

    if flow.start not in flow.questions:
        return Counter(), []
    return visit(flow.start)


def reachable(flow: Flow, key: str) -> set[str]:
    """The questions that can follow `key` (not counting `key` itself)."""
    # A parsed flow never changes, and every answer asks this once: keep its graph and
    # each key's answer on the flow itself (frozen, so beside its fields, not in them).
    known: dict[str, set[str]] = flow.__dict__.setdefault("_reachable", {})
    if key not in known:
        known[key] = _reachable(flow.__dict__.setdefault("_go_graph", go_graph(flow)), key)
    return set(known[key])


def _reachable(graph: dict[str, list[str]], key: str) -> set[str]:
    seen: set[str] = set()
    stack = list(graph.get(key, []))
    while stack:
        target = stack.pop()
        if target in seen or target not in graph:
            continue
        seen.add(target)
        stack.extend(graph[target])
    seen.discard(key)
    return seen
