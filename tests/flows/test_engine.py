"""The engine: the walk is a pure function of the flow and the answers."""

import datetime as dt

import pytest

from tests.documents import SMALL
from wizard.flows import accepts, load_flow, walk
from wizard.flows.changes import carried_answers, fact_changes
from wizard.flows.engine import kept_answers
from wizard.flows.graph import reachable

NOW = dt.datetime(2026, 11, 30, 5, 0, tzinfo=dt.UTC)  # Monday 12:00 in Jakarta
FLOW = load_flow(SMALL)
SHIP = {"where": "ship", "placed_at": "2026-11-30T09:00:00+07:00", "ordered": 2, "stock": 5}


def keys(questions: tuple) -> list[str]:
    return [question.key for question in questions]


def test_an_empty_session_stands_at_the_first_question() -> None:
    position = walk(FLOW, {}, NOW)
    assert position.step == "where"
    assert position.path == ()
    assert not position.is_solved


def test_answers_lead_along_the_routes_to_a_solution() -> None:
    position = walk(FLOW, {**SHIP, "settings": ["address", "bank"]}, NOW)
    assert keys(position.path) == ["where", "placed_at", "ordered", "stock", "settings"]
    assert position.solution is not None
    assert position.solution.key == "contact"
    assert position.remaining == 0


def test_a_choice_routes_by_its_value() -> None:
    assert walk(FLOW, {"where": "open"}, NOW).step == "everyone"
    assert walk(FLOW, {"where": "open", "everyone": "yes"}, NOW).step == "outage"


def test_multiple_choice_routes_on_what_is_missing() -> None:
    position = walk(FLOW, {**SHIP, "settings": ["bank"]}, NOW)
    assert position.step == "address"


def test_stock_below_the_quantity_ordered_is_noted_as_a_finding_and_the_walk_goes_on() -> None:
    position = walk(FLOW, {**SHIP, "stock": 1}, NOW)
    assert position.step == "settings"
    assert [finding.key for finding in position.findings] == ["out_of_stock"]


def test_a_finding_that_became_the_solution_is_not_repeated_under_also_check() -> None:
    position = walk(FLOW, {**SHIP, "stock": 1, "settings": ["address"]}, NOW)
    assert position.step == "out_of_stock"
    assert position.findings == ()


def test_an_old_order_is_noted_from_its_age_in_hours() -> None:
    old = {**SHIP, "placed_at": "2026-11-28T09:00:00+07:00"}
    assert [finding.key for finding in walk(FLOW, old, NOW).findings] == ["late"]
    assert walk(FLOW, SHIP, NOW).findings == ()


@pytest.mark.parametrize(
    ("version", "step"),
    [("43.2.9", "update_app"), ("43.3.0", "network"), ("43.10", "network"), ("", "update_app")],
)
def test_an_app_version_is_compared_part_by_part_with_the_latest_known(
    version: str, step: str
) -> None:
    assert walk(FLOW, {"where": "open", "everyone": "no", "app_version": version}, NOW).step == step


@pytest.mark.parametrize(
    "bad",
    [None, 3, ["ship"], "shipping", "", True],
)
def test_a_malformed_stored_answer_counts_as_not_given(bad: object) -> None:
    assert walk(FLOW, {"where": bad}, NOW).step == "where"


def test_a_number_outside_the_question_range_is_not_accepted() -> None:
    ordered = FLOW.questions["ordered"]
    assert accepts(ordered, 1)
    assert not accepts(ordered, 0)
    assert not accepts(ordered, 1001)
    assert not accepts(ordered, True)
    assert not accepts(ordered, "3")


def test_a_date_without_a_time_zone_is_not_accepted() -> None:
    placed_at = FLOW.questions["placed_at"]
    assert accepts(placed_at, "2026-11-30T09:00:00+07:00")
    assert not accepts(placed_at, "2026-11-30T09:00:00")
    assert not accepts(placed_at, "yesterday")


def test_progress_counts_questions_left_on_the_likeliest_path() -> None:
    assert walk(FLOW, {}, NOW).remaining == 5  # where, placed_at, ordered, stock, settings
    # A yes/no question is assumed answered "yes": here that ends at the outage.
    assert walk(FLOW, {"where": "open"}, NOW).remaining == 1


def test_the_walk_is_deterministic() -> None:
    answers = {**SHIP, "stock": 1}
    assert walk(FLOW, answers, NOW) == walk(FLOW, answers, NOW)


def test_answers_off_the_new_path_are_dropped_and_those_ahead_are_kept() -> None:
    answers = {**SHIP, "where": "open", "everyone": "no"}
    position = walk(FLOW, answers, NOW)
    kept = kept_answers(FLOW, answers, position)
    assert kept == {"where": "open", "everyone": "no"}


def test_answers_to_questions_still_ahead_survive_a_change_before_them() -> None:
    answers = {"where": "ship", "ordered": 2, "stock": 5}  # placed_at now unanswered
    position = walk(FLOW, answers, NOW)
    assert position.step == "placed_at"
    assert kept_answers(FLOW, answers, position) == answers


def test_reachable_follows_every_route() -> None:
    assert reachable(FLOW, "stock") == {"settings"}
    assert reachable(FLOW, "where") == set(FLOW.questions) - {"where"}


# --- What a newer version changes for one seller --------------------------------------

SHOWN = SMALL.replace(
    'help = {id = "Lihat halaman pesanan.", en = "Look at the orders page."}',
    'help = {id = "Lihat pesanan {late_hours|unit}.", en = "Orders {late_hours|unit} old."}',
)


def test_a_fact_named_on_a_page_the_seller_saw_and_changed_is_a_change() -> None:
    old = load_flow(SHOWN)
    new = load_flow(SHOWN.replace('value = 24\nunit = "hours"', 'value = 36\nunit = "hours"'))
    position = walk(old, {"where": "open"}, NOW)
    (change,) = fact_changes(old, new, position)
    assert (change.key, change.old, change.new) == ("late_hours", 24, 36)
    assert change.shown(old, "id") == ("24 jam", "36 jam")
    assert fact_changes(old, old, position) == []


def test_a_fact_only_a_route_reads_is_not_shown() -> None:
    old = load_flow(SMALL)
    new = load_flow(SMALL.replace('value = 24\nunit = "hours"', 'value = 36\nunit = "hours"'))
    assert fact_changes(old, new, walk(old, {"where": "open"}, NOW)) == []


def test_the_answers_carried_are_those_the_new_version_still_accepts() -> None:
    new = load_flow(
        SMALL.replace(
            '{value = "open", label = {id = "Tidak bisa buka", en = "Cannot open"}, '
            'keywords = ["tidak bisa buka"]},',
            '{value = "closed", label = {id = "Tutup", en = "Closed"}},',
        ).replace(
            '{when = "where == ship", go = "placed_at"},',
            '{when = "where == ship", go = "placed_at"},\n  {when = "where == closed", go = "everyone"},',
        )
    )
    assert carried_answers({"where": "ship", "ordered": 3, "gone": "x"}, new, NOW) == {
        "where": "ship",
        "ordered": 3,
    }
    assert carried_answers({"where": "open", "everyone": "yes"}, new, NOW) == {"everyone": "yes"}
