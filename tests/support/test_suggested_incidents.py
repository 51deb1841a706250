"""Suggested incidents: a wave of new sessions saying "other sellers too" puts a banner on
the queue with the figures and a one-click way to declare it; normal traffic does not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.documents import SMALL
from tests.staff import incident
from wizard.sellers.models import FlowVersion, IncidentChange, Session
from wizard.sellers.models.tallies import rebuild
from wizard.support.waves import signals, waves

# The small flow with its outage solution in the platform-fault branch, as the shipped one.
MARKED = SMALL.replace("[solutions.outage]\n", "[solutions.outage]\nincident = true\n")
EVERYONE = {"where": "open", "everyone": "yes"}  # "other sellers too" → outage
ONLY_ME = {"where": "open", "everyone": "no"}
NETWORK = {**ONLY_ME, "app_version": "43.3.0"}  # the latest version: → network


@pytest.fixture
def marked(db: None) -> FlowVersion:
    loaded, _ = FlowVersion.load(MARKED)
    return loaded


def started(
    version: FlowVersion, answers: dict[str, str], count: int, *, days_ago: int = 0
) -> None:
    """`count` sellers' sessions with these answers, started `days_ago` days ago."""
    made = [Session.start(version, language="id", answers=answers).pk for _ in range(count)]
    if days_ago:
        moved = timezone.now() - dt.timedelta(days=days_ago)
        Session.objects.filter(pk__in=made).update(created_at=moved, updated_at=moved)


def usual_fortnight(version: FlowVersion) -> None:
    """Fourteen ordinary days: 20 sessions a day, one of them saying "other sellers too"."""
    for days_ago in range(1, 15):
        started(version, EVERYONE, 1, days_ago=days_ago)
        started(version, ONLY_ME, 19, days_ago=days_ago)
    rebuild()  # the day rollup, as it would have been kept on those days


def test_the_flow_says_which_answer_points_at_the_platform(marked: FlowVersion) -> None:
    answers = [signal for signal in signals(marked.flow) if signal.kind == "answer"]
    assert [(signal.answer, signal.step) for signal in answers] == [
        (("everyone", "yes"), "everyone outage")
    ]
    assert answers[0].label.en == "Yes"


def test_the_shipped_flow_watches_other_sellers_too(shipped: FlowVersion) -> None:
    answers = [signal for signal in signals(shipped.flow) if signal.kind == "answer"]
    assert [signal.answer for signal in answers] == [("others_too", "everyone")]
    assert answers[0].label.en == "Yes, other sellers too"


def test_a_wave_of_other_sellers_too_puts_a_banner_on_the_queue(
    staff: Client, marked: FlowVersion
) -> None:
    usual_fortnight(marked)
    started(marked, EVERYONE, 12)
    started(marked, ONLY_ME, 8)
    page = staff.get("/staff/").content.decode()
    # Usually 14 of 280 sessions (with half a session of doubt: 14.5 / 281).
    assert "12 of 20 new sessions in the last hour answered “Yes” — usually 5.2 %." in page
    assert "/staff/incidents/new/?wave=everyone%3Dyes" in page
    # The same sessions landed on the outage solution: one wave, one banner.
    assert page.count('class="wave-banner"') == 1


def test_a_wave_landing_on_the_same_solution_puts_a_banner_on_the_queue(
    staff: Client, marked: FlowVersion
) -> None:
    usual_fortnight(marked)
    started(marked, NETWORK, 9)
    started(marked, ONLY_ME, 11)
    page = staff.get("/staff/").content.decode()
    assert (
        "9 of 20 new sessions in the last hour landed on “Title network” — usually 0.2 %." in page
    )
    assert "/staff/incidents/new/?wave=network" in page


def test_normal_traffic_puts_no_banner_on_the_queue(staff: Client, marked: FlowVersion) -> None:
    usual_fortnight(marked)
    started(marked, EVERYONE, 2)
    started(marked, ONLY_ME, 18)
    assert waves() == []
    assert "new sessions in the last hour" not in staff.get("/staff/").content.decode()


def test_a_few_sessions_with_no_history_suggest_nothing(marked: FlowVersion) -> None:
    started(marked, EVERYONE, 6)  # a new site: no usual level to be far above
    assert waves() == []


def test_agent_mode_and_previews_are_not_sellers_in_the_wave(
    agent: Any, marked: FlowVersion
) -> None:
    usual_fortnight(marked)
    for _ in range(12):
        Session.start(marked, language="id", answers=EVERYONE, started_by=agent)
        Session.start(marked, language="id", answers=EVERYONE, is_preview=True)
    started(marked, ONLY_ME, 20)
    assert waves() == []


def test_declare_incident_opens_the_form_filled_in_with_the_figures(
    staff: Client, agent: Any, marked: FlowVersion
) -> None:
    usual_fortnight(marked)
    started(marked, EVERYONE, 12)
    started(marked, ONLY_ME, 8)
    page = staff.get("/staff/incidents/new/?wave=everyone%3Dyes").content.decode()
    assert 'value="Title outage"' in page
    # The figures stay in sight while staff word it, and go to the log with it.
    assert "12 of 20 new sessions in the last hour answered “Yes”" in page
    assert "Many sellers are reporting the same problem right now" in page
    assert 'name="note"' in page
    assert "12 of 20 new sessions" in page
    form = {
        "title_indonesian": "Judul outage",
        "title_english": "Title outage",
        "text_indonesian": "Tunggu.",
        "text_english": "Wait.",
        "starts_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "ends_at": "",
        "note": "suggested by everyone=yes: 12 of 20 new sessions in the last hour",
    }
    assert staff.post("/staff/incidents/new/", form).status_code == 303
    declared = IncidentChange.objects.get()
    assert declared.note.startswith("suggested by everyone=yes: 12 of 20")
    # Declared: the queue says it is going on and suggests nothing more.
    page = staff.get("/staff/").content.decode()
    assert "Incident going on: Title outage." in page
    assert "new sessions in the last hour" not in page


def test_a_wave_no_longer_suggested_opens_an_empty_form(staff: Client, marked: FlowVersion) -> None:
    page = staff.get("/staff/incidents/new/?wave=everyone%3Dyes").content.decode()
    assert "Title outage" not in page


def test_nothing_is_suggested_while_an_incident_is_going_on(
    staff: Client, marked: FlowVersion
) -> None:
    usual_fortnight(marked)
    incident()
    started(marked, EVERYONE, 12)
    page = staff.get("/staff/").content.decode()
    assert "Incident going on: Seller Center is down." in page
    assert "new sessions in the last hour" not in page


@pytest.mark.parametrize("hour", [20, 200])
def test_the_suggestions_cost_the_same_queries_whatever_the_traffic(
    marked: FlowVersion, hour: int, django_assert_num_queries: Any
) -> None:
    usual_fortnight(marked)
    started(marked, EVERYONE, hour // 2)
    started(marked, ONLY_ME, hour - hour // 2)
    marked.flow  # noqa: B018  (parsed once per process)
    # The live version, the last hour's sessions, the fortnight's rollup.
    with django_assert_num_queries(3):
        assert [wave.key for wave in waves()] == ["everyone=yes"]
