"""Graphviz lays the flow out: no box on another, no label on another, and an SVG fit
for a strict CSP; a missing `dot` says so plainly."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest

from wizard.flows import Flow, draw_dot
from wizard.flows.diagram import Mark
from wizard.flows.graphviz import GraphvizError, clean_svg, render_svg

SVG = "{http://www.w3.org/2000/svg}"
needs_dot = pytest.mark.needs("graphviz")

Box = tuple[float, float, float, float]


def boxes(svg: str) -> tuple[list[Box], list[Box]]:
    """The nodes' boxes and the edge labels' (estimated from their text) in a drawing."""
    root = ET.fromstring(svg)
    nodes, labels = [], []
    for group in root.iter(f"{SVG}g"):
        kind = group.get("class", "")
        if "node" in kind:
            polygon = next(group.iter(f"{SVG}polygon"), None)
            if polygon is None:  # a rounded box is drawn as a path
                polygon = next(group.iter(f"{SVG}path"))
            numbers = [
                float(n)
                for n in (polygon.get("points") or polygon.get("d") or "")
                .replace("M", " ")
                .replace("C", " ")
                .replace(",", " ")
                .split()
            ]
            xs, ys = numbers[0::2], numbers[1::2]
            nodes.append((min(xs), min(ys), max(xs), max(ys)))
        if "edge" in kind:
            for text in group.iter(f"{SVG}text"):
                x, y = float(text.get("x", 0)), float(text.get("y", 0))
                size = float(text.get("font-size", 10))
                half = len(text.text or "") * size * 0.25
                labels.append((x - half, y - size * 0.7, x + half, y))
    return nodes, labels


def overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@needs_dot
@pytest.mark.parametrize("language", ["id", "en"])
def test_no_box_or_label_of_the_shipped_flow_lies_on_another(
    language: str, shipped_flow: Flow
) -> None:
    flow = shipped_flow
    svg = render_svg(draw_dot(flow, language), label="flow")
    nodes, labels = boxes(svg)
    assert len(nodes) == len(flow.questions) + len(flow.solutions)
    assert len(labels) > len(flow.questions)
    assert not [pair for pair in itertools.combinations(nodes, 2) if overlap(*pair)]
    assert not [pair for pair in itertools.combinations(labels, 2) if overlap(*pair)]
    assert not [(n, label) for n in nodes for label in labels if overlap(n, label)]


@needs_dot
def test_the_drawing_is_clean_for_a_strict_csp_and_named_for_screen_readers(
    shipped_flow: Flow,
) -> None:
    flow = shipped_flow
    marks = {"where": Mark("#fecaca", 'gave up "here" <a lot>', "/staff/?stopped_at=where")}
    svg = render_svg(draw_dot(flow, "en", marks=marks), label="Orders", role="group")
    root = ET.fromstring(svg)
    assert root.get("role") == "group"
    assert root.get("aria-label") == "Orders"
    assert "style=" not in svg
    assert "<style" not in svg
    assert "<script" not in svg
    assert "<!DOCTYPE" not in svg
    assert 'id="step-where"' in svg
    assert "/staff/?stopped_at=where" in svg


def test_style_script_and_handlers_are_taken_out() -> None:
    dirty = (
        '<?xml version="1.0"?><!-- made --><svg xmlns="http://www.w3.org/2000/svg">'
        '<style>g{}</style><script>alert(1)</script><g style="fill:red" onclick="x()">'
        '<polygon fill="transparent" stroke="black"/></g></svg>'
    )
    assert clean_svg(dirty) == (
        '<svg xmlns="http://www.w3.org/2000/svg"><g><polygon fill="none" stroke="black"/></g></svg>'
    )


def test_a_missing_graphviz_is_named_with_how_to_install_it() -> None:
    with pytest.raises(GraphvizError, match="apt-get install graphviz"):
        render_svg("digraph {}", label="x", executable="no-such-dot-program")


@needs_dot
def test_a_broken_drawing_gives_graphviz_own_words() -> None:
    with pytest.raises(GraphvizError, match="refused"):
        render_svg("digraph {", label="x")


@needs_dot
def test_traffic_widens_the_busiest_arrow_most(shipped_flow: Flow) -> None:
    flow = shipped_flow
    first = next(iter(flow.questions.values()))
    targets = list(dict.fromkeys(route.go for route in first.routes if route.go))
    dot = draw_dot(flow, "en", traffic={(first.key, targets[0]): 90, (first.key, targets[1]): 10})
    assert "penwidth=8.0" in dot
    assert "penwidth=1.8" in dot
