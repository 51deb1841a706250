"""Two versions side by side: the change of each rate, its interval, and a plain verdict."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from tests.documents import SMALL
from tests.staff import signed_in, staff_user
from wizard.editors.insight import Difference, Rate
from wizard.sellers.models import FlowVersion, Session


def feedback(version: FlowVersion, helped: int, not_helped: int) -> None:
    """Sessions solved at `outage` that said it helped, and that said it did not."""
    for number in range(helped + not_helped):
        session = Session.start(version, language="id")
        session.answer("where", "open", revision=session.revision)
        session.answer("everyone", "yes", revision=session.revision)
        session.record_feedback(number < helped, revision=session.revision)


@pytest.fixture
def two_versions(version: FlowVersion) -> tuple[FlowVersion, FlowVersion]:
    newer, _ = FlowVersion.load(SMALL.replace('title = {id = "Alur kecil"', 'title = {id = "Alur"'))
    return version, newer


def test_a_clear_change_is_called_clear_and_a_small_one_not_yet() -> None:
    clear = Difference.of("solution", "outage", "", Rate.of(5, 20), Rate.of(18, 20))
    assert clear.change == pytest.approx(0.65)
    assert clear.low is not None
    assert clear.low > 0
    assert clear.is_significant
    unclear = Difference.of("solution", "outage", "", Rate.of(5, 10), Rate.of(6, 10))
    assert unclear.low is not None
    assert unclear.low < 0 < (unclear.high or 0)
    assert not unclear.is_significant
    assert not Difference.of("solution", "outage", "", Rate.of(0, 0), Rate.of(1, 2)).is_significant


def test_the_page_and_the_json_compare_two_versions_on_the_same_days(
    two_versions: tuple[FlowVersion, FlowVersion],
) -> None:
    older, newer = two_versions
    feedback(older, helped=5, not_helped=15)
    feedback(newer, helped=18, not_helped=2)
    lead: Client = signed_in(staff_user("support", "lead"))
    page = lead.get(
        f"/staff/insight/?version={newer.pk}&compare={older.pk}", headers={"accept-language": "en"}
    )
    rows = {(row.kind, row.key): row for row in page.context["comparison"]}
    outage = rows[("solution", "outage")]
    assert (outage.before.hits, outage.before.total) == (5, 20)
    assert (outage.after.hits, outage.after.total) == (18, 20)
    assert outage.is_significant
    assert "+65.0 pp" in page.content.decode()
    out = io.StringIO()
    call_command("insight", "--json", "--version", "2", "--compare", "1", stdout=out)
    compared: dict[str, Any] = json.loads(out.getvalue())
    [row] = [r for r in compared["comparison"] if r["key"] == "outage"]
    assert row["change"] == pytest.approx(outage.change)
    assert row["is_significant"] is True
    csv_text = lead.get(
        f"/staff/insight/comparison.csv?version={newer.pk}&compare={older.pk}"
    ).content.decode()
    assert "outage" in csv_text
    assert "True" in csv_text
