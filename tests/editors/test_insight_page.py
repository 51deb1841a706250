"""The insight page, its CSV tables and `manage.py insight --json` show the same figures."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.staff import signed_in, staff_user
from wizard.sellers.models import FlowVersion, Session


def walked(version: FlowVersion, *answers: tuple[str, Any], language: str = "id") -> Session:
    session = Session.start(version, language=language)
    for key, value in answers:
        session.answer(key, value, revision=session.revision)
    return session


@pytest.fixture
def sessions(version: FlowVersion, settings: Any) -> list[Session]:
    """Two sellers solved by `outage` (one helped), one stopped at `everyone`, one at
    `placed_at`; one English. No idle window: whoever stopped has given up."""
    settings.INSIGHT_ABANDONED_AFTER_MINUTES = 0
    solved = [walked(version, ("where", "open"), ("everyone", "yes")) for _ in range(2)]
    solved[0].record_feedback(True, revision=solved[0].revision)
    return [
        *solved,
        walked(version, ("where", "open")),
        walked(version, ("where", "ship"), language="en"),
    ]


@pytest.fixture
def lead(db: None) -> Client:
    return signed_in(staff_user("support", "lead"))


def csv_rows(client: Client, name: str, query: str = "") -> list[dict[str, str]]:
    response = client.get(f"/staff/insight/{name}.csv{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def command_json(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("insight", "--json", *args, stdout=out)
    return dict(json.loads(out.getvalue()))


def test_the_page_shows_where_sellers_stopped_and_what_helped(
    lead: Client, sessions: list[Session]
) -> None:
    page = lead.get("/staff/insight/").content.decode()
    assert "Insight" in page or "Wawasan" in page
    assert 'id="question-everyone"' in page
    assert "/staff/cases/?version=" in page
    assert "stopped_at=everyone" in page
    assert "outcome=outage" in page
    assert "<svg" in page
    assert 'role="img"' in page
    assert "style=" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_the_page_the_csv_and_the_json_agree(lead: Client, sessions: list[Session]) -> None:
    today = timezone.localdate().isoformat()
    query = f"?since={today}&until={today}"
    figures = command_json("--version", "1", "--since", today, "--until", today)
    page = lead.get(f"/staff/insight/{query}")
    questions = {row["key"]: row for row in csv_rows(lead, "questions", query)}
    solutions = {row["key"]: row for row in csv_rows(lead, "solutions", query)}
    [outcomes] = csv_rows(lead, "outcomes", query)
    for question in figures["questions"]:
        row = questions[question["key"]]
        assert int(row["views"]) == question["views"]
        assert int(row["dropoffs"]) == question["dropoffs"]
        shown = page.context["figures"]
        on_page = next(q for q in shown.questions if q.key == question["key"])
        assert (on_page.views, on_page.dropoffs) == (question["views"], question["dropoffs"])
    outage = next(s for s in figures["solutions"] if s["key"] == "outage")
    assert (outage["reached"], outage["yes"], outage["unanswered"]) == (2, 1, 1)
    assert int(solutions["outage"]["reached"]) == 2
    assert float(solutions["outage"]["help_rate_value"]) == outage["help_rate"]["value"] == 1.0
    assert int(outcomes["started"]) == figures["outcomes"]["started"] == 4
    assert figures["arrows"] == [
        {"from": a, "to": b, "sessions": n}
        for a, b, n in [(r["from"], r["to"], int(r["sessions"])) for r in csv_rows(lead, "arrows")]
    ]
    english = command_json("--version", "1", "--language", "en")
    assert english["outcomes"]["started"] == 1


def test_the_page_costs_the_same_queries_however_many_sessions_and_days(
    lead: Client, version: FlowVersion, django_assert_num_queries: Any
) -> None:
    lead.get("/staff/insight/")  # the flow version is parsed once per process
    # The signed-in session, the user, their two kinds of permissions, the versions;
    # then the rollup's sums, its days, the active sessions, and the start modes.
    with django_assert_num_queries(9):
        lead.get("/staff/insight/")
    for _ in range(5):
        walked(version, ("where", "open"))
    with django_assert_num_queries(9):
        lead.get("/staff/insight/?since=2025-01-01")


def test_bad_filters_get_a_clear_message_not_an_error(lead: Client, version: FlowVersion) -> None:
    response = lead.get("/staff/insight/?since=2026-12-01&until=2026-11-01&version=x&since=no")
    assert response.status_code == 200
    assert response.context["form"].errors
    response = lead.get("/staff/insight/?since=2026-12-01&until=2026-11-01")
    assert response.status_code == 200
    assert "after the last day" in response.content.decode() or response.context["form"].errors
    assert lead.get("/staff/insight/nothing.csv").status_code == 404


def test_insight_speaks_bahasa_indonesia(lead: Client, sessions: list[Session]) -> None:
    page = lead.get("/staff/insight/", headers={"accept-language": "id"}).content.decode()
    assert "Apa yang diperbaiki dulu" in page
    page = lead.get("/staff/insight/", headers={"accept-language": "en"}).content.decode()
    assert "What to fix first" in page


def test_the_command_refuses_a_version_that_does_not_exist(version: FlowVersion) -> None:
    with pytest.raises(Exception, match="no such flow version"):
        command_json("--version", "9")


@pytest.mark.needs("graphviz")  # the traffic diagram is laid out by `dot`
def test_the_traffic_diagram_links_each_step_to_its_cases_and_widens_busy_arrows(
    lead: Client, sessions: list[Session]
) -> None:
    page = lead.get("/staff/insight/", headers={"accept-language": "en"}).content.decode()
    traffic = page.split('id="traffic"', 1)[1].split("</svg>", 1)[0]
    assert 'role="group"' in traffic
    assert "stopped_at=everyone" in traffic
    assert "outcome=outage" in traffic
    assert "reached 3, gave up 1" in traffic  # `everyone`, on hover
    assert "style=" not in traffic
    assert "<script" not in traffic
    assert 'stroke-width="8"' in traffic  # where → everyone, the busiest arrow


def test_editors_see_the_figures_without_links_to_cases_they_may_not_read(
    sessions: list[Session],
) -> None:
    editor = signed_in(staff_user("editors", "editor"))
    page = editor.get("/staff/insight/").content.decode()
    assert 'id="question-everyone"' in page
    assert "stopped_at=" not in page


def test_the_link_from_a_question_lists_only_the_sessions_that_stopped_there(
    lead: Client, sessions: list[Session], version: FlowVersion
) -> None:
    page = lead.get(f"/staff/cases/?version={version.pk}&stopped_at=everyone&abandoned=on")
    assert [case.code for case in page.context["page"].cases] == [sessions[2].code]
    assert "everyone" in page.content.decode()


@pytest.mark.needs("graphviz")
def test_the_traffic_drawing_opens_alone_and_reads_as_a_list_with_its_sessions(
    lead: Client, sessions: list[Session], version: FlowVersion
) -> None:
    query = f"version={version.pk}"
    page = lead.get(f"/staff/insight/?{query}", headers={"accept-language": "en"})
    html = page.content.decode()
    assert f'href="/staff/insight/traffic.svg?{query}"' in html
    listed = html[html.index('id="traffic-outline"') :].split("</details>", 1)[0]
    assert 'id="traffic-everyone"' in listed
    assert "stopped_at=everyone" in listed  # the question links to its cases, as its box does
    assert "(3 sessions)" in listed  # where → everyone
    alone = lead.get(f"/staff/insight/traffic.svg?{query}", headers={"accept-language": "en"})
    assert alone["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert 'stroke-width="8"' in alone.content.decode()
    assert lead.get("/staff/insight/traffic.svg?version=999").status_code == 404
