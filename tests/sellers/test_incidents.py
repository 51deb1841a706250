"""Platform incidents: declared by editors, shown to sellers while active, and recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.documents import SMALL, SOURCES, solution
from tests.staff import answer_all, incident, signed_in, staff_user
from wizard.flows import FlowError, load_flow
from wizard.sellers.models import FlowVersion, Incident, Session, Sighting


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def test_the_flow_format_marks_platform_fault_steps() -> None:
    flow = load_flow(SMALL)
    assert flow.questions["everyone"].shows_incidents
    assert not flow.questions["where"].shows_incidents
    assert not flow.solutions["outage"].shows_incidents
    marked = load_flow(
        SMALL.replace("[solutions.outage]\n", "[solutions.outage]\nincident = true\n")
    )
    assert marked.solutions["outage"].shows_incidents


def test_the_incident_mark_must_be_true_or_false() -> None:
    with pytest.raises(FlowError, match="incident must be true or false"):
        load_flow(SMALL.replace("incident = true", 'incident = "yes"'))


def test_incident_is_a_reserved_step_key() -> None:
    document = (
        '[flow]\nkey = "x"\ntitle = {id = "X", en = "X"}\nstart = "incident"\n'
        '[questions.incident]\nkind = "yesno"\ntext = {id = "A?", en = "A?"}\n'
        'routes = [{go = "done"}]\n' + SOURCES + solution("done")
    )
    with pytest.raises(FlowError, match="reserved"):
        load_flow(document)


def test_an_active_incident_is_on_the_landing_page_in_both_languages(
    version: FlowVersion,
) -> None:
    incident(title_id="Gangguan server TikTok Shop", title_en="TikTok Shop servers are down")
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode()
    indonesian = Client(HTTP_ACCEPT_LANGUAGE="id").get("/").content.decode()
    assert "TikTok Shop servers are down" in english
    assert "Wait and try again later." in english
    assert "Gangguan server TikTok Shop" in indonesian
    assert "Tunggu dan coba lagi nanti." in indonesian


@pytest.mark.parametrize(
    ("hours_ago", "ends_in"),
    [(2, -1), (-1, None)],  # ended an hour ago; starts in an hour
    ids=["ended", "not yet started"],
)
def test_an_ended_or_future_incident_is_not_shown(
    client: Client, session: Session, hours_ago: float, ends_in: float | None
) -> None:
    incident(hours_ago=hours_ago, ends_in=ends_in)
    assert "Seller Center is down" not in client.get("/").content.decode()
    answer_all(session, ("where", "open"))
    assert "Seller Center is down" not in client.get(session.step_url("everyone")).content.decode()
    assert not Sighting.objects.exists()


def test_an_incident_with_an_end_still_to_come_is_shown(client: Client, version: object) -> None:
    incident(ends_in=2)
    assert "Seller Center is down" in client.get("/").content.decode()


def test_a_platform_fault_question_shows_the_incident_and_records_the_sighting(
    client: Client, session: Session
) -> None:
    declared = incident()
    answer_all(session, ("where", "open"))
    page = client.get(session.step_url("everyone")).content.decode()
    assert "Seller Center sedang gangguan" in page
    assert f'action="/s/{session.token}/incident/"' in page
    assert list(Sighting.objects.values_list("session", "incident")) == [(session.pk, declared.pk)]
    client.get(session.step_url("everyone"))  # seen twice, recorded once
    assert Sighting.objects.count() == 1


def test_other_questions_do_not_show_the_incident(client: Client, session: Session) -> None:
    incident()
    assert "Seller Center is down" not in client.get(session.step_url("where")).content.decode()
    assert not Sighting.objects.exists()


def test_an_htmx_swap_into_the_platform_fault_question_shows_the_incident(
    client: Client, session: Session
) -> None:
    incident()
    response = client.post(
        session.step_url("where"),
        {"value": "open", "revision": session.revision},
        HTTP_HX_REQUEST="true",
    )
    assert "Seller Center sedang gangguan" in response.content.decode()
    assert Sighting.objects.filter(session=session).exists()


def test_the_seller_may_end_there_and_is_told_what_to_do_meanwhile(
    client: Client, session: Session
) -> None:
    session.set_language("en")
    incident()
    answer_all(session, ("where", "open"))
    client.get(session.step_url("everyone"))
    response = client.post(f"/s/{session.token}/incident/")
    assert response.status_code == 303
    page = client.get(response["Location"]).content.decode()
    assert "This is not your shop" in page
    assert "Wait and try again later." in page
    assert f'href="{session.step_url("everyone")}"' in page  # may still go on
    sighting = Sighting.objects.get()
    assert sighting.ended_at is not None


def test_the_incident_end_page_after_the_incident_is_over(client: Client, session: Session) -> None:
    incident(hours_ago=3, ends_in=-1)
    page = client.get(f"/s/{session.token}/incident/").content.decode()
    assert "Gangguan yang diketahui sudah selesai" in page  # "The known problem is over"


def test_a_marked_solution_shows_the_incident(client: Client, db: None) -> None:
    version, _ = FlowVersion.load(
        SMALL.replace("[solutions.outage]\n", "[solutions.outage]\nincident = true\n")
    )
    session = Session.start(version, language="en")
    answer_all(session, ("where", "open"), ("everyone", "yes"))
    incident()
    page = client.get(session.step_url("outage")).content.decode()
    assert "Seller Center is down" in page
    assert Sighting.objects.filter(session=session).exists()


def test_the_case_page_tells_staff_the_seller_saw_the_incident(session: Session) -> None:
    incident()
    answer_all(session, ("where", "open"))
    Client().get(session.step_url("everyone"))
    Client().post(f"/s/{session.token}/incident/")
    page = (
        signed_in(staff_user("support"), HTTP_ACCEPT_LANGUAGE="en")
        .get(f"/staff/cases/{session.code}/")
        .content.decode()
    )
    assert "Platform incidents shown" in page
    assert "Seller Center is down" in page
    assert "the seller stopped there" in page


def test_an_incident_must_end_after_it_starts(db: None) -> None:
    now = timezone.now()
    declared = Incident(
        title_indonesian="a",
        title_english="a",
        text_indonesian="a",
        text_english="a",
        starts_at=now,
        ends_at=now - dt.timedelta(hours=1),
    )
    with pytest.raises(ValidationError):
        declared.full_clean()


def test_editors_declare_an_incident_in_the_admin(version: FlowVersion) -> None:
    editor = staff_user("editors")
    admin = signed_in(editor)
    response = admin.post(
        "/admin/sellers/incident/add/",
        {
            "title_indonesian": "Atur pengiriman gagal untuk semua",
            "title_english": "Arranging shipment fails for everyone",
            "text_indonesian": "Tunggu 1 jam.",
            "text_english": "Wait an hour.",
            "starts_at_0": timezone.localdate().isoformat(),
            "starts_at_1": "00:00:00",
        },
    )
    assert response.status_code == 302
    declared = Incident.objects.get()
    assert declared.created_by == editor
    assert (
        "Arranging shipment fails for everyone"
        in Client(HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode()
    )
    admin.post(
        "/admin/sellers/incident/",
        {"action": "end_now", "_selected_action": [declared.pk]},
    )
    declared.refresh_from_db()
    assert declared.ends_at is not None
    assert (
        "Arranging shipment fails"
        not in Client(HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode()
    )


def test_flow_versions_are_read_only_in_the_admin(version: FlowVersion) -> None:
    admin = signed_in(staff_user("editors"))
    page = admin.get(f"/admin/sellers/flowversion/{version.pk}/change/").content.decode()
    assert "[questions.everyone]" in page
    assert 'name="_save"' not in page
    assert admin.get("/admin/sellers/flowversion/add/").status_code == 403


# --- queries --------------------------------------------------------------------------


@pytest.mark.parametrize("incidents", [1, 4])
def test_the_landing_page_costs_the_same_queries_whatever_the_incidents(
    client: Client, version: FlowVersion, incidents: int, django_assert_num_queries: object
) -> None:
    for _ in range(incidents):
        incident()
    with django_assert_num_queries(2):  # the live version, the active incidents
        assert client.get("/").status_code == 200


def test_a_question_outside_the_platform_branch_costs_no_incident_query(
    client: Client, session: Session, django_assert_num_queries: object
) -> None:
    incident()
    client.get(session.step_url("where"))
    with django_assert_num_queries(1):
        client.get(session.step_url("where"))


@pytest.mark.parametrize("incidents", [1, 4])
def test_a_platform_fault_question_costs_the_same_queries_whatever_the_incidents(
    client: Client,
    session: Session,
    incidents: int,
    django_assert_num_queries: object,
) -> None:
    for _ in range(incidents):
        incident()
    answer_all(session, ("where", "open"))
    client.get(session.step_url("everyone"))
    # The session, the active incidents, the sightings recorded (one insert).
    with django_assert_num_queries(3):
        assert client.get(session.step_url("everyone")).status_code == 200


@pytest.mark.parametrize("incidents", [1, 4])
def test_the_incident_end_page_costs_constant_queries(
    client: Client, session: Session, incidents: int, django_assert_num_queries: object
) -> None:
    for _ in range(incidents):
        incident()
    with django_assert_num_queries(2):  # the session, the active incidents
        assert client.get(f"/s/{session.token}/incident/").status_code == 200


def test_the_shipped_flow_marks_its_platform_fault_branch_for_incidents(db: None) -> None:
    # "Do other devices or sellers have it too?", "have you tried the basics?" (both on
    # the "cannot open Seller Center at all" branch) and the outage solution.
    from django.conf import settings

    version, _ = FlowVersion.load(settings.FLOW_FILES[0].read_text(encoding="utf-8"))
    flow = version.flow
    assert flow.questions["others_too"].shows_incidents
    assert flow.questions["tried_basics"].shows_incidents
    assert flow.solutions["outage"].shows_incidents
    marked = {key for key, question in flow.questions.items() if question.shows_incidents}
    assert marked == {"others_too", "tried_basics"}
