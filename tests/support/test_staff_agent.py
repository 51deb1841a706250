"""Agent mode: staff start a session for a seller on the phone, answer it, and hand it over."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import answer, opened
from tests.staff import signed_in, staff_user
from wizard.sellers.models import Answer, FlowVersion, Session


def test_staff_start_a_session_for_a_seller_in_the_sellers_language(
    agent: User, version: FlowVersion
) -> None:
    staff = signed_in(agent, HTTP_ACCEPT_LANGUAGE="en")
    response = staff.post("/staff/agent/", {"language": "id"})
    session = opened(response["Location"])
    assert response.status_code == 303
    assert response["Location"] == session.step_url("where")
    assert session.started_by == agent
    assert session.language == "id"
    assert "Di mana masalahnya?" in staff.get(response["Location"]).content.decode()


def test_the_case_records_who_answered_and_the_seller_continues_from_the_link(
    agent: User, version: FlowVersion
) -> None:
    staff = signed_in(agent, HTTP_ACCEPT_LANGUAGE="en")
    session = opened(staff.post("/staff/agent/", {"language": "en"})["Location"])
    answer(staff, session, "where", "open")
    seller = Client()
    answer(seller, session, "everyone", "yes")
    assert list(Answer.objects.values_list("question", "answered_by")) == [
        ("where", agent.pk),
        ("everyone", None),
    ]
    page = staff.get(f"/staff/cases/{session.code}/").content.decode()
    assert f"by {agent.username} (agent mode)" in page
    timeline = page[page.index("timeline-heading") :]
    assert timeline.index(agent.username) < timeline.index(">seller<")


def test_the_agent_sees_the_session_link_to_hand_over_on_every_step(
    agent: User, version: FlowVersion
) -> None:
    staff = signed_in(agent, HTTP_ACCEPT_LANGUAGE="en")
    session = opened(staff.post("/staff/agent/", {"language": "en"})["Location"])
    page = staff.get(session.step_url()).content.decode()
    assert f'value="http://testserver/s/{session.token}/"' in page
    assert 'data-copy="session-link"' in page
    assert agent.username in page
    assert f'href="/staff/cases/{session.code}/"' in page


def test_sellers_never_see_the_agent_bar(agent: User, version: FlowVersion) -> None:
    session = opened(signed_in(agent).post("/staff/agent/", {"language": "en"})["Location"])
    page = Client().get(session.step_url()).content.decode()
    assert "agent-bar" not in page
    assert agent.username not in page


def test_an_editor_may_not_start_sessions_for_sellers(version: FlowVersion) -> None:
    response = signed_in(staff_user("editors")).post("/staff/agent/", {"language": "id"})
    assert response.status_code == 403
    assert not Session.objects.exists()


def test_agent_mode_needs_a_live_flow(agent: User, db: None) -> None:
    response = signed_in(agent).post("/staff/agent/", {"language": "id"})
    assert response.status_code == 303
    assert response["Location"] == "/staff/cases/"
    assert not Session.objects.exists()


def test_a_staff_step_page_costs_constant_queries(
    agent: User, version: FlowVersion, django_assert_num_queries: object
) -> None:
    staff = signed_in(agent)
    session = opened(staff.post("/staff/agent/", {"language": "en"})["Location"])
    staff.get(session.step_url())
    # The session; auth session, user and permissions (2); the agent's name.
    with django_assert_num_queries(6):
        staff.get(session.step_url())


def test_an_agent_answers_an_existing_case_on_a_staff_page_by_its_code(
    agent: User, session: Session
) -> None:
    """The seller's link is known only to the seller (its hash is stored), so agent mode
    on a case reaches the session by its code, behind staff sign-in."""
    staff = signed_in(agent, HTTP_ACCEPT_LANGUAGE="en")
    case = staff.get(f"/staff/cases/{session.code}/").content.decode()
    assert f'href="/staff/cases/{session.code}/answer/where/"' in case
    page = staff.get(f"/staff/cases/{session.code}/answer/where/").content.decode()
    assert "Where is the problem?" in page
    assert session.token not in page
    response = staff.post(
        f"/staff/cases/{session.code}/answer/where/", {"revision": 0, "value": "open"}
    )
    assert response.status_code == 303
    assert response["Location"] == f"/staff/cases/{session.code}/answer/everyone/"
    response = staff.post(response["Location"], {"revision": 1, "value": "yes"})
    assert response["Location"] == f"/staff/cases/{session.code}/"  # a solution: the case
    session.refresh_from_db()
    assert session.outcome
    assert list(Answer.objects.values_list("question", "answered_by")) == [
        ("where", agent.pk),
        ("everyone", agent.pk),
    ]
    # The seller's own link keeps working, on the answers the agent gave.
    assert "agent-bar" not in Client().get(session.step_url()).content.decode()


def test_an_agent_answer_on_a_stale_page_is_not_saved(agent: User, session: Session) -> None:
    staff = signed_in(agent, HTTP_ACCEPT_LANGUAGE="en")
    answer(Client(), session, "where", "open")  # the seller, meanwhile
    response = staff.post(
        f"/staff/cases/{session.code}/answer/where/", {"revision": 0, "value": "ship"}
    )
    assert response["Location"] == f"/staff/cases/{session.code}/"
    session.refresh_from_db()
    assert session.answers == {"where": "open"}


def test_a_question_off_the_path_goes_back_to_the_case(agent: User, session: Session) -> None:
    staff = signed_in(agent)
    for key in ("everyone", "no-such-question"):
        response = staff.get(f"/staff/cases/{session.code}/answer/{key}/")
        assert response["Location"] == f"/staff/cases/{session.code}/"


def test_only_agents_answer_for_sellers_on_the_staff_page(session: Session) -> None:
    editor = signed_in(staff_user("editors"))
    assert editor.get(f"/staff/cases/{session.code}/answer/where/").status_code == 403
    anonymous = Client().get(f"/staff/cases/{session.code}/answer/where/")
    assert anonymous.status_code == 302
    assert f"/staff/cases/{session.code}/" not in Client().get(session.step_url()).content.decode()


def test_the_staff_answer_page_costs_constant_queries(
    agent: User, session: Session, django_assert_num_queries: object
) -> None:
    staff = signed_in(agent)
    page = f"/staff/cases/{session.code}/answer/where/"
    staff.get(page)
    # The auth session, the user, their permissions (2), the case with its version.
    with django_assert_num_queries(5):
        staff.get(page)
