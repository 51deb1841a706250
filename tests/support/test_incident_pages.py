"""Platform incidents on the staff pages: support and editors declare, correct and end
one, every change is in the log, and sellers see it exactly while it is going on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.staff import incident, signed_in, staff_user
from wizard.sellers.models import FlowVersion, Incident, IncidentChange

MINUTE = "%Y-%m-%dT%H:%M"


def seller_sees(text: str) -> bool:
    """Whether a seller's landing page (which shows active incidents) says `text`."""
    return text in Client(HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode()


def form(**changes: Any) -> dict[str, str]:
    """The declare form as staff fill it in (times in Jakarta, the site's zone)."""
    start = timezone.localtime() - dt.timedelta(minutes=5)
    return {
        "title_indonesian": "Atur pengiriman gagal untuk semua penjual",
        "title_english": "Arranging shipment fails for every seller",
        "text_indonesian": "Tunggu 1 jam, lalu coba lagi.",
        "text_english": "Wait an hour, then try again.",
        "starts_at": start.strftime(MINUTE),
        "ends_at": (start + dt.timedelta(hours=2)).strftime(MINUTE),
        **changes,
    }


def test_support_declares_an_incident_that_sellers_see_at_once(
    staff: Client, agent: User, version: FlowVersion
) -> None:
    response = staff.post("/staff/incidents/new/", form())
    assert response.status_code == 303
    assert response["Location"] == "/staff/incidents/"
    declared = Incident.objects.get()
    assert declared.created_by == agent
    assert declared.ends_at is not None
    assert declared.ends_at - declared.starts_at == dt.timedelta(hours=2)
    assert seller_sees("Arranging shipment fails for every seller")
    assert "Atur pengiriman gagal" in Client(HTTP_ACCEPT_LANGUAGE="id").get("/").content.decode()
    logged = IncidentChange.objects.get()
    assert (logged.kind, logged.by, logged.incident) == ("declare", agent, declared)
    assert logged.fields["title_english"] == [None, "Arranging shipment fails for every seller"]


def test_ending_an_incident_now_hides_it_from_sellers_and_is_logged(
    staff: Client, agent: User, version: FlowVersion
) -> None:
    declared = incident(ends_in=3)
    assert seller_sees("Seller Center is down")
    response = staff.post(f"/staff/incidents/{declared.pk}/end/")
    assert response.status_code == 303
    declared.refresh_from_db()
    assert declared.ends_at is not None
    assert declared.ends_at <= timezone.now()
    assert not seller_sees("Seller Center is down")
    ended = IncidentChange.objects.get()
    assert (ended.kind, ended.by) == ("end", agent)
    assert [change.label for change in ended.changed] == ["ends"]


def test_ending_an_incident_that_is_not_going_on_changes_nothing(
    staff: Client, version: FlowVersion
) -> None:
    over = incident(hours_ago=3, ends_in=-1)
    planned = incident(hours_ago=-2)
    for declared in (over, planned):
        before = Incident.objects.get(pk=declared.pk).ends_at
        assert staff.post(f"/staff/incidents/{declared.pk}/end/").status_code == 303
        assert Incident.objects.get(pk=declared.pk).ends_at == before
    assert not IncidentChange.objects.exists()
    assert "was not going on" in staff.get("/staff/incidents/").content.decode()


def test_an_edit_logs_only_what_changed_and_untouched_times_keep_their_seconds(
    staff: Client, agent: User, version: FlowVersion
) -> None:
    declared = incident(ends_in=2)  # times to the microsecond, as the admin saves them
    starts_at, ends_at = declared.starts_at, declared.ends_at
    page = staff.get(f"/staff/incidents/{declared.pk}/").content.decode()
    shown = timezone.localtime(starts_at).strftime(MINUTE)
    assert f'value="{shown}"' in page
    response = staff.post(
        f"/staff/incidents/{declared.pk}/",
        {
            "title_indonesian": declared.title_indonesian,
            "title_english": "Seller Center is down in Java",
            "text_indonesian": declared.text_indonesian,
            "text_english": declared.text_english,
            "starts_at": shown,
            "ends_at": timezone.localtime(ends_at).strftime(MINUTE),
        },
    )
    assert response.status_code == 303
    declared.refresh_from_db()
    assert (declared.starts_at, declared.ends_at) == (starts_at, ends_at)
    edited = IncidentChange.objects.get()
    assert (edited.kind, edited.by) == ("edit", agent)
    assert edited.fields == {
        "title_english": ["Seller Center is down", "Seller Center is down in Java"]
    }
    assert seller_sees("Seller Center is down in Java")


def test_an_edit_that_changes_nothing_logs_nothing(staff: Client, version: FlowVersion) -> None:
    declared = incident()
    data = form(
        title_indonesian=declared.title_indonesian,
        title_english=declared.title_english,
        text_indonesian=declared.text_indonesian,
        text_english=declared.text_english,
        starts_at=timezone.localtime(declared.starts_at).strftime(MINUTE),
        ends_at="",
    )
    assert staff.post(f"/staff/incidents/{declared.pk}/", data).status_code == 303
    assert not IncidentChange.objects.exists()


def test_moving_the_expected_end_is_logged_with_both_times(
    staff: Client, version: FlowVersion
) -> None:
    declared = incident()
    later = timezone.localtime() + dt.timedelta(hours=4)
    data = form(
        title_indonesian=declared.title_indonesian,
        title_english=declared.title_english,
        text_indonesian=declared.text_indonesian,
        text_english=declared.text_english,
        starts_at=timezone.localtime(declared.starts_at).strftime(MINUTE),
        ends_at=later.strftime(MINUTE),
    )
    staff.post(f"/staff/incidents/{declared.pk}/", data)
    (moved,) = IncidentChange.objects.get().changed
    assert (moved.label, moved.before, moved.after) == (
        "ends",
        None,
        later.strftime("%-d %b %Y, %H:%M"),
    )
    log = staff.get("/staff/incidents/").content.decode()
    assert later.strftime("%-d %b %Y, %H:%M") in log


def test_an_incident_must_end_after_it_starts_on_the_form(
    staff: Client, version: FlowVersion
) -> None:
    start = timezone.localtime()
    data = form(
        starts_at=start.strftime(MINUTE),
        ends_at=(start - dt.timedelta(hours=1)).strftime(MINUTE),
    )
    response = staff.post("/staff/incidents/new/", data)
    assert response.status_code == 200
    assert "An incident must end after it starts." in response.content.decode()
    assert not Incident.objects.exists()
    assert not IncidentChange.objects.exists()


def test_a_time_outside_any_sane_range_is_a_form_error(staff: Client, version: FlowVersion) -> None:
    response = staff.post("/staff/incidents/new/", form(starts_at="1900-01-01T00:00"))
    assert response.status_code == 200
    assert "Choose a date between 2000 and 2099." in response.content.decode()
    assert not Incident.objects.exists()


def test_editors_declare_and_end_incidents_on_the_staff_pages_too(
    editor: User, version: FlowVersion
) -> None:
    client = signed_in(editor, HTTP_ACCEPT_LANGUAGE="en")
    assert client.post("/staff/incidents/new/", form()).status_code == 303
    declared = Incident.objects.get()
    assert client.post(f"/staff/incidents/{declared.pk}/end/").status_code == 303
    assert list(IncidentChange.objects.values_list("kind", "by")) == [
        ("end", editor.pk),
        ("declare", editor.pk),
    ]


def test_the_incidents_page_lists_going_on_planned_and_ended_with_the_log(
    staff: Client, version: FlowVersion
) -> None:
    staff.post("/staff/incidents/new/", form(title_english="Label printing fails"))
    incident(hours_ago=-3, title_en="Maintenance tonight")
    incident(hours_ago=30, ends_in=-20, title_en="The outage last week")
    page = staff.get("/staff/incidents/").content.decode()
    going_on, ended = page.split('<h2 class="h4 mt-4">Ended</h2>')
    assert "Label printing fails" in going_on
    assert "going on" in going_on
    assert "Maintenance tonight" in going_on
    assert "planned" in going_on
    assert "The outage last week" in ended.split("Log</h2>")[0]
    assert "Declared</strong>: Label printing fails" in ended.split("Log</h2>")[1]
    assert going_on.count("End now") == 1  # only what is going on can end now


@pytest.mark.parametrize("count", [1, 6])
def test_the_incidents_page_costs_the_same_queries_whatever_the_incidents(
    staff: Client, version: FlowVersion, count: int, django_assert_num_queries: Any
) -> None:
    for number in range(count):
        staff.post("/staff/incidents/new/", form(title_english=f"Outage {number}"))
        incident(hours_ago=30, ends_in=-20)
    staff.get("/staff/incidents/")  # the suggestions are computed and cached once a minute
    # Auth session, user, permissions (2), going-on incidents (nothing is suggested while
    # one is), going on or planned, ended, the log.
    with django_assert_num_queries(8):
        assert staff.get("/staff/incidents/").status_code == 200


def test_changes_in_the_admin_are_in_the_log_too(editor: User, version: FlowVersion) -> None:
    admin = signed_in(editor)
    admin.post(
        "/admin/sellers/incident/add/",
        {
            "title_indonesian": "Gangguan",
            "title_english": "Outage",
            "text_indonesian": "Tunggu.",
            "text_english": "Wait.",
            "starts_at_0": timezone.localdate().isoformat(),
            "starts_at_1": "00:00:00",
        },
    )
    declared = Incident.objects.get()
    admin.post("/admin/sellers/incident/", {"action": "end_now", "_selected_action": [declared.pk]})
    assert list(IncidentChange.objects.values_list("kind", flat=True)) == ["end", "declare"]
    assert declared.created_by is None or declared.created_by == editor


def test_support_may_not_delete_an_incident(agent: User) -> None:
    assert agent.has_perm("sellers.add_incident")
    assert agent.has_perm("sellers.change_incident")
    assert not agent.has_perm("sellers.delete_incident")
    assert staff_user("editors").has_perm("sellers.delete_incident")


@pytest.mark.parametrize("edits", [1, 5])
def test_an_incidents_page_costs_the_same_queries_whatever_its_log(
    staff: Client, version: FlowVersion, edits: int, django_assert_num_queries: Any
) -> None:
    declared = incident()
    for number in range(edits):
        data = form(
            title_english=f"Seller Center is down ({number})",
            starts_at=timezone.localtime(declared.starts_at).strftime(MINUTE),
            ends_at="",
        )
        staff.post(f"/staff/incidents/{declared.pk}/", data)
    # Auth session, user, permissions (2), the incident, its log with who made each change.
    with django_assert_num_queries(6):
        assert staff.get(f"/staff/incidents/{declared.pk}/").status_code == 200
    # The declare form: auth session, user, permissions (2); nothing suggested, no query.
    with django_assert_num_queries(4):
        assert staff.get("/staff/incidents/new/").status_code == 200
