"""The loader turns a document into a flow, or names every problem it has."""

import pytest

from tests.documents import SMALL
from wizard.flows import FlowError, load_flow


def problems(text: str) -> list[str]:
    with pytest.raises(FlowError) as raised:
        load_flow(text)
    return raised.value.problems


def test_the_small_flow_loads() -> None:
    flow = load_flow(SMALL)
    assert flow.key == "small"
    assert flow.start == "where"
    assert set(flow.questions) == {
        "where",
        "everyone",
        "app_version",
        "placed_at",
        "ordered",
        "stock",
        "settings",
    }
    assert flow.questions["everyone"].values == ("yes", "no")


def test_text_that_is_not_toml_is_a_clear_error() -> None:
    assert problems("[flow\nkey=")[0].startswith("not valid TOML")


def test_a_route_to_a_missing_step_names_the_question_and_route() -> None:
    broken = SMALL.replace('{go = "stock"}', '{go = "stok"}')
    assert "question 'ordered' route 1: goes to 'stok', which does not exist" in problems(broken)


def test_a_condition_typo_names_the_question() -> None:
    broken = SMALL.replace("stock < ordered", "stock < orderd", 1)
    assert any(
        p.startswith("question 'stock' route 1: no question 'orderd'") for p in problems(broken)
    )


def test_an_unknown_operator_is_refused() -> None:
    broken = SMALL.replace("where == ship", "where === ship")
    assert any("unknown operator '==='" in p for p in problems(broken))


def test_comparing_a_choice_with_less_than_is_refused() -> None:
    broken = SMALL.replace("everyone == yes", "everyone < 3")
    assert any("question 'everyone'" in p for p in problems(broken))


def test_a_missing_translation_names_the_text() -> None:
    broken = SMALL.replace('en = "How many were ordered?"', 'en = ""')
    assert "question 'ordered' text: missing the English text (en)" in problems(broken)


def test_an_unknown_fact_placeholder_is_refused() -> None:
    broken = SMALL.replace("Step one", "Answer within {hours_left} hours", 1)
    assert any("{hours_left} names no fact" in p for p in problems(broken))


def test_an_unknown_fact_in_a_condition_is_refused() -> None:
    broken = SMALL.replace("$latest_app_version", "$newest_version")
    assert any("$newest_version names no fact" in p for p in problems(broken))


def test_a_reserved_key_is_refused() -> None:
    broken = (
        SMALL.replace("[questions.ordered]", "[questions.restart]")
        .replace('{go = "ordered"}', '{go = "restart"}')
        .replace("stock < ordered", "stock < restart")
    )
    assert "'restart': keys are lower snake_case and not a reserved word" in problems(broken)


def test_every_problem_is_reported_at_once() -> None:
    broken = SMALL.replace('kind = "number"', 'kind = "slider"', 1).replace(
        'confidence = "solid"', 'confidence = "sure"', 1
    )
    found = problems(broken)
    assert any("`kind` must be one of" in p for p in found)
    assert any("`confidence` must be one of" in p for p in found)


# --- Catch-all options, short lists, context, fact units and conversions -------------


def test_the_new_fields_load_and_default_to_nothing() -> None:
    flow = load_flow(SMALL)
    where = flow.questions["where"]
    assert [option.catch_all for option in where.options] == [False, False, True]
    assert where.context is None
    assert where.asks == {"where"}
    assert flow.solutions["contact"].likely == ()
    assert flow.solutions["contact"].needs == ()
    late = flow.facts["late_hours"]
    assert (late.unit, late.confidence, late.source_kind) == ("hours", None, "id_official")


def test_a_catch_all_on_a_checklist_is_refused() -> None:
    # A checklist offers "not sure" on every item instead.
    text = SMALL.replace(
        '{value = "bank", label = {id = "Rekening", en = "Bank account"}},',
        '{value = "bank", catch_all = true, label = {id = "Rekening", en = "Bank account"}},',
    )
    assert any("only a choice question has a catch-all option" in p for p in problems(text))


def test_a_short_list_names_two_to_five_other_solutions() -> None:
    one = SMALL.replace("[solutions.contact]\n", '[solutions.contact]\nlikely = ["address"]\n')
    assert any("`likely` lists 2 to 5 solutions" in p for p in problems(one))
    itself = SMALL.replace(
        "[solutions.contact]\n", '[solutions.contact]\nlikely = ["contact", "nowhere"]\n'
    )
    found = problems(itself)
    assert any("`likely`: 'contact' is no other solution" in p for p in found)
    assert any("`likely`: 'nowhere' is no other solution" in p for p in found)


def test_needs_names_a_question_or_a_context_some_question_asks() -> None:
    text = SMALL.replace("[solutions.contact]\n", '[solutions.contact]\nneeds = ["service"]\n')
    assert any("needs 'service', which no question asks" in p for p in problems(text))
    asked = text.replace(
        '[questions.ordered]\nkind = "number"',
        '[questions.ordered]\ncontext = "service"\nkind = "number"',
    )
    assert load_flow(asked).questions["ordered"].asks == {"ordered", "service"}


def test_a_context_must_be_a_snake_case_name() -> None:
    text = SMALL.replace(
        '[questions.ordered]\nkind = "number"',
        '[questions.ordered]\ncontext = "Service Type"\nkind = "number"',
    )
    assert any("`context` must be a lower snake_case name" in p for p in problems(text))


def test_fact_units_confidence_and_source_kind_must_be_known_words() -> None:
    text = SMALL.replace(
        'unit = "hours"\nsource_kind = "id_official"',
        'unit = "fortnights"\nconfidence = "sure"\nsource_kind = "blog"',
    )
    found = problems(text)
    assert any("`unit` must be one of" in p and "'fortnights'" in p for p in found)
    assert any("`confidence` must be one of" in p and "'sure'" in p for p in found)
    assert any("`source_kind` must be one of" in p and "'blog'" in p for p in found)


def with_text(placeholder: str) -> str:
    return SMALL.replace('en = "Cause late"', f'en = "Cause late {placeholder}"')


def test_a_placeholder_converts_a_fact_with_a_unit() -> None:
    flow = load_flow(with_text("{late_hours|days} or {late_hours|unit} or {late_hours|minutes}"))
    assert flow.render(flow.solutions["late"].cause, "en") == (
        "Cause late 1 day or 24 hours or 1440 minutes"
    )


def test_a_conversion_the_fact_cannot_make_is_a_load_error() -> None:
    assert any("{late_hours|fortnight}" in p for p in problems(with_text("{late_hours|fortnight}")))
    no_unit = with_text("{latest_app_version|days}")
    assert any("the fact has no `unit`" in p for p in problems(no_unit))
    months = with_text("{late_hours|days}").replace('unit = "hours"', 'unit = "months"')
    assert any("cannot convert months to days" in p for p in problems(months))


def test_overdue_reads_only_a_date_time_question() -> None:
    text = SMALL.replace(
        '{when = "stock < ordered", go = "out_of_stock"},',
        '{when = "stock overdue", go = "out_of_stock"},',
    )
    assert any("`overdue` needs a date/time question" in p for p in problems(text))
    fine = SMALL.replace(
        '{when = "stock < ordered", go = "out_of_stock"},',
        '{when = "placed_at overdue", go = "out_of_stock"},',
    )
    assert load_flow(fine).questions["settings"].routes[1].condition is not None


def test_deep_nesting_is_a_checker_error_with_its_line_not_a_crash() -> None:
    text = SMALL + "\n[deep]\nvalue = " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(FlowError) as error:
        load_flow(text)
    deep_line = text.count("\n", 0, text.index("[[[")) + 1
    assert error.value.problems == [f"not valid TOML: nested too deeply (line {deep_line})"]


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "data:text/html,hi", "ftp://example.com/x", "//example.com", "https:"],
)
def test_a_source_link_must_be_http_or_https(url: str) -> None:
    first = SMALL.index('url = "') + len('url = "')
    text = SMALL[:first] + url + SMALL[SMALL.index('"', first) :]
    with pytest.raises(FlowError) as error:
        load_flow(text)
    assert any("`url` must be an http(s) link" in problem for problem in error.value.problems)
    assert any(problem.startswith("source ") for problem in error.value.problems)


def first_option_keywords(keywords: list[str]) -> str:
    """SMALL with its first keywords list replaced."""
    start = SMALL.index("keywords = [")
    end = SMALL.index("]", start) + 1
    return SMALL[:start] + "keywords = " + repr(keywords).replace("'", '"') + SMALL[end:]


@pytest.mark.parametrize(
    ("keywords", "message"),
    [
        (["kata"] * 41, "at most 40 keywords"),
        (["x" * 81], "is over 80 characters"),
    ],
)
def test_keywords_are_limited_in_number_and_length(keywords: list[str], message: str) -> None:
    with pytest.raises(FlowError) as error:
        load_flow(first_option_keywords(keywords))
    assert any(message in problem for problem in error.value.problems)


def test_a_text_longer_than_a_seller_reads_is_refused() -> None:
    long = "panjang " * 600
    with pytest.raises(FlowError) as error:
        load_flow(SMALL.replace('en = "Hour limit"', f'en = "{long}"'))
    assert any("at most 4000 characters" in problem for problem in error.value.problems)
