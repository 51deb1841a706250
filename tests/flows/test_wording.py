"""A route's condition in words: the diagram's arrows and its outline say what a reader
would, in the page's language, never the document's expression."""

import re

import pytest

from tests.documents import SMALL
from wizard.flows import Flow, load_flow
from wizard.flows.diagram import arrows, draw_dot, draw_svg
from wizard.flows.outline import outline

FLOW = load_flow(SMALL)
# What only an expression would show: a fact's `$`, `.hours_ago`, `==`, a snake_case key.
EXPRESSION = re.compile(r"\$|\.hours_ago|==|!=|\b[a-z]+_[a-z_]+\b")


def labels(flow: Flow, language: str, source: str, target: str) -> list[str]:
    return next(
        edge.labels
        for edge in arrows(flow, language)
        if (edge.source, edge.target) == (source, target)
    )


def test_an_answer_picked_here_is_its_option_label() -> None:
    assert labels(FLOW, "en", "where", "placed_at") == ["Cannot ship"]
    assert labels(FLOW, "id", "where", "placed_at") == ["Tidak bisa kirim"]


def test_the_age_of_a_date_answer_reads_as_hours_ago_with_the_fact_value() -> None:
    assert labels(FLOW, "en", "placed_at", "late") == ["if: more than 24 hours ago"]
    assert labels(FLOW, "id", "placed_at", "late") == ["jika: lebih dari 24 jam lalu"]


def test_a_comparison_with_another_answer_names_that_question() -> None:
    assert labels(FLOW, "en", "stock", "out_of_stock") == [
        "if: less than the answer to “How many were ordered?”"
    ]
    # Asked from a later question, the compared answer is named too.
    assert labels(FLOW, "id", "settings", "out_of_stock") == [
        "jika: “Berapa stok Anda?”: kurang dari jawaban “Berapa yang dipesan?”"
    ]


def test_a_checklist_item_left_unticked_and_an_empty_answer_read_in_words() -> None:
    assert labels(FLOW, "en", "settings", "address") == ["if: not ticked “Address”"]
    assert labels(FLOW, "id", "settings", "address") == ["jika: belum dicentang “Alamat”"]
    assert labels(FLOW, "en", "app_version", "update_app") == [
        "if: left empty",
        "if: less than 43.3.0",
    ]
    assert labels(FLOW, "id", "app_version", "update_app")[1] == "jika: kurang dari 43.3.0"


def test_the_shipped_flow_says_the_buyer_asked_more_than_the_response_time_ago(
    shipped_flow: Flow,
) -> None:
    hours = shipped_flow.facts["cancel_response_hours"].value
    assert labels(shipped_flow, "en", "requested_at", "auto_cancelled") == [
        f"if: more than {hours} hours ago"
    ]
    assert labels(shipped_flow, "en", "ship_by", "overdue") == ["if: the ship-by time has passed"]
    assert labels(shipped_flow, "id", "settings", "unsure_settings") == [
        "jika: ada yang tidak yakin"
    ]
    assert labels(shipped_flow, "id", "service", "handover_deadline") == [
        "jika: “Pengiriman sudah diatur, tapi masih Menunggu diambil, atau kurir / label / "
        "resi bermasalah” dan "
        "“Kapan pesanan ini dibuat?”: lebih dari 12 jam lalu"
    ]


@pytest.mark.parametrize("language", ["id", "en"])
def test_no_arrow_of_the_shipped_flow_shows_an_expression(
    shipped_flow: Flow, language: str
) -> None:
    words = [label for edge in arrows(shipped_flow, language) for label in edge.labels]
    assert words
    assert [label for label in words if EXPRESSION.search(label)] == []
    svg = draw_svg(shipped_flow, language)
    assert "$" not in svg
    assert ".hours_ago" not in svg
    dot = draw_dot(shipped_flow, language)
    assert "$" not in dot
    assert ".hours_ago" not in dot


def test_answers_sharing_an_arrow_are_one_bullet_each_in_the_dot_label() -> None:
    dot = draw_dot(FLOW, "en")
    assert (
        '"app_version" -> "update_app" [label="• if: left empty\\n• if: less than 43.3.0"];' in dot
    )


def test_the_outline_lists_each_question_with_its_answers_and_where_they_lead() -> None:
    stops = outline(FLOW, "en", traffic={("where", "placed_at"): 7}, urls={"late": "/cases/"})
    assert [stop.key for stop in stops][:2] == ["where", "placed_at"]
    assert len(stops) == len(FLOW.questions)
    where = stops[0]
    assert where.text == "Where is the problem?"
    first = where.ways[0]
    assert (first.answers, first.target, first.title, first.is_question) == (
        ("Cannot ship",),
        "placed_at",
        "When was the order placed?",
        True,
    )
    assert first.sessions == 7
    late = stops[1].ways[0]
    assert (late.title, late.is_question, late.is_finding) == ("Title late", False, True)
    assert late.url == "/cases/"
    assert late.sessions is None  # a finding is noted, not walked along
