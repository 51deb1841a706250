"""The workshop's list of every path: picked options, and typed answers sampled on each
side of the thresholds their routes compare them with."""

from __future__ import annotations

import datetime as dt

from tests.documents import SMALL
from wizard.flows import Flow, load_flow
from wizard.flows.paths import answer_paths

NOW = dt.datetime(2026, 12, 7, 4, 0, tzinfo=dt.UTC)


def test_a_number_compared_with_another_answer_gets_a_path_on_each_side() -> None:
    paths = answer_paths(load_flow(SMALL), NOW)
    stocks = {dict(path.answers).get("stock"): path.ends_at for path in paths}
    assert stocks[0] == "out_of_stock"  # fewer in stock than ordered (1)
    assert stocks[1] == "contact"  # enough


def test_an_optional_version_gets_a_path_left_empty_and_one_at_the_latest() -> None:
    paths = answer_paths(load_flow(SMALL), NOW)
    versions = {
        dict(path.answers)["app_version"]: path.ends_at
        for path in paths
        if "app_version" in dict(path.answers)
    }
    assert versions == {"": "update_app", "43.3.0": "network"}


def test_a_checklist_gets_a_path_for_an_item_not_done() -> None:
    paths = answer_paths(load_flow(SMALL), NOW)
    ends = {path.ends_at for path in paths if "settings" in dict(path.answers)}
    assert {"address", "contact"} <= ends


def test_the_shipped_flows_paths_cover_every_first_answer_and_all_end_on_a_solution(
    shipped_flow: Flow,
) -> None:
    paths = answer_paths(shipped_flow, NOW)
    assert len(paths) < 500  # the limit is not what ends the list
    assert {path.answers[0][1] for path in paths} == set(
        shipped_flow.questions[shipped_flow.start].values
    )
    assert all(path.is_solved for path in paths)
    typed = {"number", "version", "datetime", "multi"}
    assert any(shipped_flow.questions[key].kind in typed for p in paths for key, _ in p.answers)
