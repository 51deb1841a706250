"""Checklists: each item is yes, no or "not sure"; old answers (a list of the ticked
items) still read as before; routes may read "not sure", and the checker keeps them honest."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.documents import SMALL
from tests.flows.test_shipped_flow import sample_answers
from wizard.flows import FlowError, Value, accepts, load_flow, read_words, walk
from wizard.flows.check import check
from wizard.flows.checklist import Ticks, read_ticks

NOW = dt.datetime(2026, 11, 30, 5, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
SHIP = {"where": "ship", "placed_at": "2026-11-30T09:00:00+07:00", "ordered": 2, "stock": 5}
ITEMS = ("address", "bank")
# The small flow's checklist, noting `network` for an unsure bank and `late` for any unsure.
ROUTED = SMALL.replace(
    '  {when = "settings lacks address", go = "address"},',
    '  {when = "settings unsure bank", note = "network"},\n'
    '  {when = "settings unsure", note = "late"},\n'
    '  {when = "settings lacks address", go = "address"},',
)
FLOW = load_flow(ROUTED)


def sets(ticked: list[str], unticked: list[str], unsure: list[str]) -> dict[str, list[str]]:
    return {"ticked": ticked, "unticked": unticked, "unsure": unsure}


# --- the format ---------------------------------------------------------------------


def test_a_checklist_offers_not_sure_unless_the_author_says_no() -> None:
    assert load_flow(SMALL).questions["settings"].unsure
    plain = load_flow(SMALL.replace('kind = "multi"', 'kind = "multi"\nunsure = false'))
    assert not plain.questions["settings"].unsure
    assert not load_flow(SMALL).questions["where"].unsure


def test_only_a_checklist_may_offer_not_sure() -> None:
    text = SMALL.replace(
        '[questions.where]\nkind = "choice"', '[questions.where]\nkind = "choice"\nunsure = true'
    )
    assert text != SMALL
    with pytest.raises(FlowError) as error:
        load_flow(text)
    assert "question 'where': only a multiple-choice question (multi) offers `unsure`" in str(
        error.value
    )


def test_unsure_must_be_true_or_false() -> None:
    with pytest.raises(FlowError, match="question 'settings': unsure must be true or false"):
        load_flow(SMALL.replace('kind = "multi"', 'kind = "multi"\nunsure = "yes"'))


# --- reading answers -------------------------------------------------------------------


def test_an_old_answer_lists_the_ticked_items_and_leaves_the_rest_unticked() -> None:
    assert read_ticks(ITEMS, ["bank"]) == Ticks(("bank",), ("address",), ())
    assert read_ticks(ITEMS, []) == Ticks((), ITEMS, ())


def test_the_three_sets_are_read_in_the_options_order() -> None:
    given = read_ticks(ITEMS, sets([], [], ["bank", "address"]))
    assert given == Ticks((), (), ("address", "bank"))
    assert given is not None
    assert given.stored() == sets([], [], ["address", "bank"])


@pytest.mark.parametrize(
    "bad",
    [
        ["bank", "bank"],
        ["wifi"],
        sets(["bank"], [], []),  # address placed nowhere
        sets(["bank"], ["bank"], ["address"]),  # bank twice
        sets(["bank"], ["address"], ["wifi"]),  # not an item
        {"ticked": ["bank"], "unticked": ["address"]},
        sets("bank", ["address"], []),
        "bank",
        None,
    ],
)
def test_a_malformed_checklist_answer_is_refused(bad: object) -> None:
    assert read_ticks(ITEMS, bad) is None
    assert not accepts(FLOW.questions["settings"], bad)


def test_the_three_sets_are_accepted_only_where_not_sure_is_offered() -> None:
    answer = sets(["bank"], ["address"], [])
    assert accepts(FLOW.questions["settings"], answer)
    plain = load_flow(SMALL.replace('kind = "multi"', 'kind = "multi"\nunsure = false'))
    assert not accepts(plain.questions["settings"], answer)
    assert accepts(plain.questions["settings"], ["bank"])


# --- routes ----------------------------------------------------------------------------


def test_an_old_answer_routes_as_before() -> None:
    assert walk(FLOW, {**SHIP, "settings": ["bank"]}, NOW).step == "address"
    position = walk(FLOW, {**SHIP, "settings": ["address", "bank"]}, NOW)
    assert (position.step, position.findings) == ("contact", ())


def test_lacks_is_true_of_an_item_marked_not_sure() -> None:
    position = walk(FLOW, {**SHIP, "settings": sets(["bank"], [], ["address"])}, NOW)
    assert position.step == "address"


def test_a_route_reads_one_item_marked_not_sure() -> None:
    position = walk(FLOW, {**SHIP, "settings": sets(["address"], [], ["bank"])}, NOW)
    assert position.step == "contact"
    assert [finding.key for finding in position.findings] == ["network", "late"]


def test_a_route_reads_whether_any_item_is_marked_not_sure() -> None:
    position = walk(FLOW, {**SHIP, "settings": sets(["bank"], [], ["address"])}, NOW)
    assert [finding.key for finding in position.findings] == ["late"]
    sure = walk(FLOW, {**SHIP, "settings": sets(["bank"], ["address"], [])}, NOW)
    assert (sure.step, sure.findings) == ("address", ())


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("where unsure", "`unsure` needs a checklist (multi) question, 'where' is not"),
        ("wifi unsure bank", "no question 'wifi'"),
        ("settings unsure bank extra", "cannot read"),
    ],
)
def test_a_bad_unsure_condition_is_a_load_error(condition: str, message: str) -> None:
    text = ROUTED.replace('"settings unsure bank"', f'"{condition}"')
    with pytest.raises(FlowError) as error:
        load_flow(text)
    assert "question 'settings' route 1" in str(error.value)
    assert message in str(error.value)


# --- the checker -----------------------------------------------------------------------


def test_the_checker_accepts_routes_on_not_sure() -> None:
    assert check(FLOW, today=TODAY).problems == ()


@pytest.mark.parametrize("op", ["unsure", "has", "lacks"])
def test_the_checker_refuses_an_item_the_checklist_does_not_list(op: str) -> None:
    flow = load_flow(ROUTED.replace('"settings unsure bank"', f'"settings {op} wifi"'))
    [problem] = check(flow, today=TODAY).problems
    assert problem.step == "settings"
    assert problem.message == (
        "route 1 reads item 'wifi', which 'settings' does not list (it has 'address', 'bank')"
    )


def test_the_checker_refuses_not_sure_on_a_checklist_that_does_not_offer_it() -> None:
    flow = load_flow(ROUTED.replace('kind = "multi"', 'kind = "multi"\nunsure = false'))
    problems = [problem.message for problem in check(flow, today=TODAY).problems]
    assert problems == [
        "route 1 reads `unsure` of 'settings', which does not offer \"not sure\" (unsure = false)",
        "route 2 reads `unsure` of 'settings', which does not offer \"not sure\" (unsure = false)",
    ]


# --- "describe it in your words" ---------------------------------------------------------


def test_words_prefill_answers_beyond_a_checklist_that_routes_on_not_sure(
    shipped_text: str,
) -> None:
    """The matcher cannot answer a checklist; a route reading "not sure" is, like `lacks`,
    an answer it does not know, so the search goes past it the same as before."""
    shipped = shipped_text
    flow = load_flow(shipped)
    assert any(
        route.condition is not None and any(c.op == "unsure" for c in route.condition.clauses)
        for route in flow.questions["settings"].routes
    )
    without = load_flow(
        shipped.replace('  {when = "settings unsure", note = "unsure_settings"},\n', "")
    )
    words = "tidak bisa atur pengiriman, dikirim melalui platform"
    suggestion = read_words(flow, words)
    assert suggestion.answers == read_words(without, words).answers
    assert suggestion.answers["ship_by"] == "platform"  # asked after the checklist

    # Some way on from the prefilled answers passes the checklist (every setting done,
    # given as the three sets) and then takes the prefilled ship_by answer.
    stack: list[dict[str, Value]] = [dict(suggestion.answers)]
    passed = []
    while stack:
        answers = stack.pop()
        position = walk(flow, answers, NOW)
        if position.current is None:
            keys = [question.key for question in position.path]
            if "settings" in keys and "ship_by" in keys:
                passed.append(position)
            continue
        question = position.current
        if question.kind == "multi":
            values: list[Value] = [Ticks(question.values, (), ()).stored()]
        else:
            values = sample_answers(question)
        stack += [{**answers, question.key: value} for value in values]
    assert passed
    assert all(position.answers["ship_by"] == "platform" for position in passed)
