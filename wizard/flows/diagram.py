"""The flow drawn as a diagram: a standalone SVG for the browser, or Graphviz DOT to export.

The SVG uses presentation attributes only (no `style`), so it passes a strict CSP.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from .document import Flow, Route
from .graph import back_edges, go_graph
from .layout import THROUGH_HEIGHT, Edge, columns, stack, steps_of
from .wording import condition_in_words, otherwise

BOX_WIDTH = 190
LINE_HEIGHT = 15
PADDING = 8
COLUMN_GAP = 210  # room for the answer labels between columns
MARGIN = 20
LEGEND_HEIGHT = 50
WRAP = 26
LABEL_WRAP = 30
LABEL_HEIGHT = 12
CHARACTER_WIDTH = 5.6  # an average letter at font-size 10, to keep labels apart
# Where along an edge's first stretch a label may sit when the arrowhead is crowded:
# where edges from one box have spread apart, then nearer either end.
LABEL_SPOTS = (0.6, 0.45, 0.75, 0.3, 0.85, 0.2)
QUESTION_COLOURS = ("#e8f0fe", "#1a56db")
SOLUTION_COLOURS = ("#e6f4ea", "#1e7e34")
EDGE_COLOUR = "#4b5563"
WORDS = {
    "id": {"question": "Pertanyaan", "solution": "Solusi",
           "finding": "- - - juga periksa (temuan)", "summary": "{q} pertanyaan, {s} solusi"},
    "en": {"question": "Question", "solution": "Solution",
           "finding": "- - - also check (finding)", "summary": "{q} questions, {s} solutions"},
}  # fmt: skip


Box = tuple[float, float, float]  # x, top, height; every box is BOX_WIDTH wide
Area = tuple[float, float, float, float]  # x, top, width, height


def draw_svg(
    flow: Flow, language: str, traffic: Mapping[tuple[str, str], int] | None = None
) -> str:
    """The flow as an accessible SVG; `traffic` (step → step: sellers) thickens edges."""
    words = WORDS["en" if language == "en" else "id"]
    edges = arrows(flow, language)
    lines = {key: _node_lines(flow, key, language) for key in steps_of(flow)}
    heights = {key: len(rows) * LINE_HEIGHT + PADDING * 2 for key, rows in lines.items()}
    layout = columns(flow, edges, heights)
    boxes: dict[str, Box] = {}
    for number, column in enumerate(layout):
        x = MARGIN + number * (BOX_WIDTH + COLUMN_GAP)
        for key, middle in stack(column, heights).items():
            tall = heights.get(key, THROUGH_HEIGHT)
            boxes[key] = (x, MARGIN + LEGEND_HEIGHT + middle - tall / 2, tall)
    width = MARGIN * 2 + len(layout) * (BOX_WIDTH + COLUMN_GAP) - COLUMN_GAP
    height = max((y + h for _, y, h in boxes.values()), default=0.0) + MARGIN
    busiest = max([*(traffic or {}).values(), 1])
    title = flow.render(flow.title, language)
    summary = words["summary"].format(q=len(flow.questions), s=len(flow.solutions))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-labelledby="flow-title flow-desc" '
        f'font-family="sans-serif" font-size="12">',
        f'<title id="flow-title">{escape(title)}</title>',
        f'<desc id="flow-desc">{escape(summary)}</desc>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        f'fill="{EDGE_COLOUR}"/></marker></defs>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        *_legend(words),
    ]
    labels: list[str] = []
    # Labels keep off the boxes and off each other.
    taken: list[Area] = [(x, y, BOX_WIDTH, h) for key, (x, y, h) in boxes.items() if key in lines]
    for edge in edges:
        count = None if traffic is None else traffic.get((edge.source, edge.target), 0)
        line, label = _draw_edge(edge, boxes, count, busiest, taken)
        out += line
        labels += label
    out += labels  # over every line, so no line hides a label
    for key in lines:
        out += _draw_node(flow, key, lines[key], boxes[key])
    for edge in edges:
        if edge.reference is not None:
            out += _draw_reference(flow, edge, boxes[edge.reference], language)
    out.append("</svg>")
    return "\n".join(out)


@dataclass(frozen=True)
class Mark:
    """How one step is drawn beside its traffic: a fill colour, a hover text, a link."""

    fill: str
    tooltip: str
    url: str = ""


def draw_dot(
    flow: Flow,
    language: str,
    *,
    traffic: Mapping[tuple[str, str], int] | None = None,
    marks: Mapping[str, Mark] | None = None,
) -> str:
    """The flow as Graphviz DOT text, for `dot -Tsvg` or another tool; `traffic`
    (step → step: sessions) widens the arrows, `marks` colour and link the steps."""
    busiest = max([*(traffic or {}).values(), 1])
    out = [
        "digraph flow {",
        # mclimit=2: twice dot's default effort against crossings; with the default, dot
        # has stacked two arrows' labels on one spot in this flow.
        "  rankdir=LR; nodesep=0.3; ranksep=0.6; mclimit=2;",
        f'  label={_dot(flow.render(flow.title, language))}; fontname="sans-serif";',
        '  node [shape=box, fontname="sans-serif", fontsize=12, color="#374151"];',
        f'  edge [fontname="sans-serif", fontsize=10, color="{EDGE_COLOUR}"];',
    ]
    for key in steps_of(flow):
        shape = "style=filled" if key in flow.questions else 'style="rounded,filled"'
        fill = QUESTION_COLOURS[0] if key in flow.questions else SOLUTION_COLOURS[0]
        label = "\n".join(_node_lines(flow, key, language))
        extra = ""
        mark = (marks or {}).get(key)
        if mark is not None:
            fill = mark.fill
            extra = f", tooltip={_dot(mark.tooltip)}"
            extra += f', URL={_dot(mark.url)}, target="_top"' if mark.url else ""
        kind = "question" if key in flow.questions else "solution"
        extra += f", id={_dot('step-' + key)}, class={kind}"
        out.append(f'  {_dot(key)} [label={_dot(label)}, {shape}, fillcolor="{fill}"{extra}];')
    for edge in arrows(flow, language):
        style = ", style=dashed" if edge.is_finding else ""
        label = _dot_label(edge.labels)
        if traffic is not None and not edge.is_finding:
            count = traffic.get((edge.source, edge.target), 0)
            label = f"{label}\n({count})" if label else f"({count})"
            style += f", penwidth={1 + 7 * count / busiest:.1f}, tooltip={_dot(label)}"
        out.append(f"  {_dot(edge.source)} -> {_dot(edge.target)} [label={_dot(label)}{style}];")
    out.append("}")
    return "\n".join(out) + "\n"


def arrows(flow: Flow, language: str) -> list[Edge]:
    """One edge per step pair and kind; routes that share it share its label."""
    loops = set(back_edges(flow, go_graph(flow)))
    steps = set(steps_of(flow))
    merged: dict[tuple[str, str, bool], Edge] = {}
    for question in flow.questions.values():
        has_choices = any(route.condition is not None for route in question.routes)
        for route in question.routes:
            for target, is_finding in ((route.go, False), (route.note, True)):
                if target is None or target not in steps:
                    continue
                label = _route_label(flow, question.key, route, language, has_choices)
                edge = merged.setdefault(
                    (question.key, target, is_finding),
                    Edge(question.key, target, [], is_finding, (question.key, target) in loops),
                )
                if label and label not in edge.labels:
                    edge.labels.append(label)
    return list(merged.values())


def _dot_label(labels: list[str]) -> str:
    """Wrapped, so words do not stretch a rank across the page; several answers sharing an
    arrow one bullet each, since a label may hold a slash of its own."""
    if len(labels) < 2:
        return "\n".join(textwrap.wrap("".join(labels), LABEL_WRAP))
    rows = []
    for label in labels:
        rows += textwrap.wrap(label, LABEL_WRAP, initial_indent="• ", subsequent_indent="  ")
    return "\n".join(rows)


def _route_label(flow: Flow, key: str, route: Route, language: str, has_choices: bool) -> str:
    if route.condition is None:
        return otherwise(language) if has_choices else ""
    return condition_in_words(flow, key, route.condition, language)


def _node_lines(flow: Flow, key: str, language: str) -> list[str]:
    question = flow.questions.get(key)
    if question is not None:
        text = flow.render(question.text, language)
    else:
        text = flow.render(flow.solutions[key].title, language)
    return [*textwrap.wrap(text, WRAP), key]


def _draw_node(flow: Flow, key: str, lines: list[str], box: Box) -> list[str]:
    x, y, height = box
    is_question = key in flow.questions
    fill, stroke = QUESTION_COLOURS if is_question else SOLUTION_COLOURS
    corner = 0 if is_question else 12
    kind = "question" if is_question else "solution"
    out = [
        f'<g id={quoteattr("step-" + key)} class="{kind}">',
        f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_WIDTH}" height="{height:.0f}" '
        f'rx="{corner}" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>',
    ]
    for number, line in enumerate(lines):
        is_key = number == len(lines) - 1
        colour = ' fill="#6b7280" font-size="10"' if is_key else ' fill="#111827"'
        baseline = y + PADDING + (number + 1) * LINE_HEIGHT - 3
        out.append(f'<text x="{x + PADDING:.0f}" y="{baseline:.0f}"{colour}>{escape(line)}</text>')
    out.append("</g>")
    return out


def _draw_edge(
    edge: Edge, boxes: Mapping[str, Box], count: int | None, busiest: int, taken: list[Area]
) -> tuple[list[str], list[str]]:
    """The edge's line, and its label placed where no other label is yet (`taken`)."""
    sx, sy, sh = boxes[edge.source]
    tx, ty, th = boxes[edge.reference or edge.target]
    start = (sx + BOX_WIDTH, sy + sh / 2)
    end = (tx, ty + th / 2)
    points = [start]
    for placeholder in edge.through:
        x, y, h = boxes[placeholder]
        points += [(x, y + h / 2), (x + BOX_WIDTH, y + h / 2)]
    points.append(end)
    path = "M" + " L".join(f"{px:.0f},{py:.0f}" for px, py in points)
    width = 1.5 if count is None else 1.5 + 4.5 * count / busiest
    dashes = ' stroke-dasharray="5 4"' if edge.is_finding else ""
    colour = "#b91c1c" if edge.is_loop else EDGE_COLOUR  # a loop runs back: the checker refuses it
    line = [
        f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="{width:.1f}"{dashes} '
        'marker-end="url(#arrow)"/>'
    ]
    label = " / ".join(edge.labels)
    if count is not None:
        label = f"{label} ({count})" if label else f"({count})"
    rows = textwrap.wrap(label, LABEL_WRAP)
    if not rows:
        return line, []
    x, y = _label_spot((points[0], points[1]), rows, taken)
    width = max(len(row) for row in rows) * CHARACTER_WIDTH
    # A pale card under the words keeps a crossing line from striking them through.
    card = (
        f'<rect x="{x - width / 2 - 2:.0f}" y="{y:.0f}" width="{width + 4:.0f}" '
        f'height="{len(rows) * LABEL_HEIGHT:.0f}" fill="#ffffff" fill-opacity="0.85"/>'
    )
    return line, [
        card,
        *(
            f'<text x="{x:.0f}" y="{y + 9 + number * LABEL_HEIGHT:.0f}" text-anchor="middle" '
            f'font-size="10" fill="#374151">{escape(row)}</text>'
            for number, row in enumerate(rows)
        ),
    ]


def _label_spot(
    segment: tuple[tuple[float, float], tuple[float, float]], rows: list[str], taken: list[Area]
) -> tuple[float, float]:
    """The first free place: just before the arrowhead, else along the segment."""
    (ax, ay), (bx, by) = segment
    width = max(len(row) for row in rows) * CHARACTER_WIDTH
    height = len(rows) * LABEL_HEIGHT
    spots = [(bx - 6 - width / 2, by - height - 1)]
    spots += [(ax + (bx - ax) * t, ay + (by - ay) * t - height / 2) for t in LABEL_SPOTS]
    # Still crowded: nudge up or down from the middle, a line at a time.
    middle_x, middle_y = spots[1]
    spots += [(middle_x, middle_y + k * LABEL_HEIGHT) for k in (1, -1, 2, -2, 3, -3, 4, -4)]
    for x, y in spots:
        box = (x - width / 2, y, width, height)
        if not any(_overlaps(box, other) for other in taken):
            taken.append(box)
            return x, y
    taken.append((spots[0][0] - width / 2, spots[0][1], width, height))
    return spots[0]


def _overlaps(a: Area, b: Area) -> bool:
    return not (
        a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0] or a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1]
    )


def _draw_reference(flow: Flow, edge: Edge, box: Box, language: str) -> list[str]:
    x, y, tall = box
    dashes = ' stroke-dasharray="5 4"' if edge.is_finding else ""
    title = flow.render(flow.solutions[edge.target].title, language)
    return [
        "<g>",
        f"<title>{escape(title)}</title>",
        f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_WIDTH}" height="{tall:.0f}" rx="12" '
        f'fill="#ffffff" stroke="{SOLUTION_COLOURS[1]}"{dashes}/>',
        f'<text x="{x + PADDING:.0f}" y="{y + tall / 2 + 4:.0f}" font-size="11" '
        f'fill="#111827">→ {escape(edge.target)}</text>',
        "</g>",
    ]


def _legend(words: Mapping[str, str]) -> list[str]:
    y = MARGIN
    return [
        f'<rect x="{MARGIN}" y="{y}" width="16" height="12" fill="{QUESTION_COLOURS[0]}" '
        f'stroke="{QUESTION_COLOURS[1]}"/>',
        f'<text x="{MARGIN + 22}" y="{y + 10}">{escape(words["question"])}</text>',
        f'<rect x="{MARGIN + 120}" y="{y}" width="16" height="12" rx="4" '
        f'fill="{SOLUTION_COLOURS[0]}" stroke="{SOLUTION_COLOURS[1]}"/>',
        f'<text x="{MARGIN + 142}" y="{y + 10}">{escape(words["solution"])}</text>',
        f'<text x="{MARGIN + 240}" y="{y + 10}">{escape(words["finding"])}</text>',
    ]


def _dot(text: str) -> str:
    """A DOT double-quoted string."""
    quoted = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{quoted}"'
