"""The flow diagram: standalone, accessible SVG without inline styles, and DOT for export."""

import dataclasses
import itertools
import xml.etree.ElementTree as ET

from tests.documents import SMALL, SOURCES, solution
from wizard.flows import Flow, Text, load_flow
from wizard.flows.diagram import draw_dot, draw_svg

SVG = "{http://www.w3.org/2000/svg}"
FLOW = load_flow(SMALL)


def wide_flow(questions: int = 30) -> str:
    """A flow the size of the real one: three ways out of each question, edges skipping ahead."""
    parts = ['[flow]\nkey = "wide"\ntitle = {id = "Lebar", en = "Wide"}\nstart = "q1"\n']
    solutions = []
    for number in range(1, questions + 1):
        onward = []
        for option, target in (("a", 2 * number), ("b", 2 * number + 1), ("c", number + 5)):
            if target > questions:
                solutions.append(f"s{number}{option}")
                onward.append(f"s{number}{option}")
            else:
                onward.append(f"q{target}")
        parts.append(f"""
[questions.q{number}]
kind = "choice"
text = {{id = "Pertanyaan nomor {number} yang agak panjang supaya terbungkus?", en = "Question {number}?"}}
options = [
  {{value = "a", label = {{id = "Pilihan A", en = "Option A"}}}},
  {{value = "b", label = {{id = "Pilihan B", en = "Option B"}}}},
  {{value = "c", label = {{id = "Pilihan C", en = "Option C"}}}},
]
routes = [
  {{when = "q{number} == a", go = "{onward[0]}", note = "shared"}},
  {{when = "q{number} == b", go = "{onward[1]}"}},
  {{go = "{onward[2]}"}},
]
""")
    parts.append(SOURCES)
    parts += [solution(key) for key in [*solutions, "shared"]]
    return "".join(parts)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def step_keys(flow: Flow) -> list[str]:
    return [*flow.questions, *flow.solutions]


def boxes(root: ET.Element) -> dict[str, tuple[float, ...]]:
    found = {}
    for group in root.iter(f"{SVG}g"):
        rect = group.find(f"{SVG}rect")
        if group.get("id", "").startswith("step-") and rect is not None:
            found[group.get("id", "")[5:]] = tuple(
                float(rect.get(name, "0")) for name in ("x", "y", "width", "height")
            )
    return found


def texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def test_the_svg_is_standalone_xml_with_a_title() -> None:
    root = parse(draw_svg(FLOW, "id"))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None
    assert title.text == "Alur kecil"


def test_every_step_is_drawn_with_its_key() -> None:
    root = parse(draw_svg(FLOW, "en"))
    assert set(boxes(root)) == set(step_keys(FLOW))
    assert set(step_keys(FLOW)) <= set(texts(root))


def test_questions_and_solutions_look_different() -> None:
    drawn = {
        group.get("class"): group.find(f"{SVG}rect")
        for group in parse(draw_svg(FLOW, "en")).iter(f"{SVG}g")
    }
    question, answer = drawn["question"], drawn["solution"]
    assert question is not None
    assert answer is not None
    assert question.get("fill") != answer.get("fill")
    assert answer.get("rx") != "0"


def test_no_inline_styles_or_scripts_so_a_strict_csp_allows_it() -> None:
    root = parse(draw_svg(FLOW, "id", traffic={("where", "placed_at"): 3}))
    for element in root.iter():
        assert "style" not in element.attrib
        assert element.tag not in (f"{SVG}style", f"{SVG}script")


def test_edges_are_labelled_with_the_option_or_the_condition_in_words_or_otherwise() -> None:
    english = texts(parse(draw_svg(FLOW, "en")))
    assert "Cannot ship" in english
    assert "otherwise" in english
    assert "if: more than 24 hours ago" in english
    indonesian = texts(parse(draw_svg(FLOW, "id")))
    assert "selain itu" in indonesian
    assert "jika: lebih dari 24 jam lalu" in indonesian


def test_findings_are_dashed_arrows() -> None:
    paths = list(parse(draw_svg(FLOW, "en")).iter(f"{SVG}path"))
    dashed = [path for path in paths if path.get("stroke-dasharray")]
    assert len(dashed) == 2  # placed_at notes late; stock notes out_of_stock


def test_labels_are_escaped() -> None:
    where = FLOW.questions["where"]
    option = dataclasses.replace(where.options[0], label=Text("<&> kirim", "<&> ship"))
    odd = dataclasses.replace(
        FLOW,
        title=Text('Alur "<kecil>" & co', "Small"),
        questions={**FLOW.questions, "where": dataclasses.replace(where, options=(option,))},
    )
    svg = draw_svg(odd, "id")
    assert "<&>" not in svg
    root = parse(svg)
    assert "<&> kirim" in texts(root)
    assert 'label="Alur \\"<kecil>\\" & co"' in draw_dot(odd, "id")


def test_traffic_thickens_edges_and_labels_their_counts() -> None:
    svg = draw_svg(FLOW, "en", traffic={("where", "placed_at"): 10, ("where", "everyone"): 5})
    widths = sorted(float(path.get("stroke-width", "0")) for path in parse(svg).iter(f"{SVG}path"))
    assert widths[-1] > widths[-2] > widths[0]
    assert "Cannot ship (10)" in texts(parse(svg))


def test_dot_export_names_every_step_and_dashes_findings() -> None:
    dot = draw_dot(FLOW, "en")
    assert dot.startswith("digraph flow {")
    for key in step_keys(FLOW):
        assert f'"{key}" [label=' in dot
    assert '"where" -> "placed_at" [label="Cannot ship"];' in dot
    assert '"placed_at" -> "late" [label="if: more than 24 hours ago", style=dashed];' in dot


def test_a_flow_the_size_of_the_real_one_is_drawn_without_overlapping_boxes() -> None:
    flow = load_flow(wide_flow())
    root = parse(draw_svg(flow, "id"))
    drawn = boxes(root)
    assert set(drawn) == set(step_keys(flow))
    for (_, a), (_, b) in itertools.combinations(drawn.items(), 2):
        apart = a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0]
        apart = apart or a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1]
        assert apart


def test_a_loop_is_still_drawn() -> None:
    looping = load_flow(SMALL.replace('routes = [{go = "stock"}]', 'routes = [{go = "placed_at"}]'))
    root = parse(draw_svg(looping, "en"))
    assert "placed_at" in texts(root)


def test_the_real_orders_flow_is_drawn(shipped_flow: Flow) -> None:
    flow = shipped_flow
    for language in ("id", "en"):
        root = parse(draw_svg(flow, language))
        assert set(boxes(root)) == set(step_keys(flow))
    assert draw_dot(flow, "id").count(" -> ") >= len(flow.questions)


def test_a_far_solution_is_shown_beside_its_question_instead_of_a_long_line() -> None:
    root = parse(draw_svg(load_flow(wide_flow()), "en"))
    assert "→ shared" in texts(root)  # q1 notes `shared`, drawn many columns away
