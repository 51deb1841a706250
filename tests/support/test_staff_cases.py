"""The staff case list and the case page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.documents import SMALL
from tests.staff import answer_all, share, solved
from wizard.sellers.models import FlowVersion, Session
from wizard.support.caselist import PER_PAGE
from wizard.support.models import Note, ShareLink


def sessions(version: FlowVersion, count: int, **fields: object) -> list[Session]:
    """`count` sessions, the first one the most recently active."""
    now = timezone.now()
    made = []
    for number in range(count):
        session = Session.start(version, language="id")
        Session.objects.filter(pk=session.pk).update(
            updated_at=now - dt.timedelta(minutes=number), **fields
        )
        made.append(session)
    return made


def codes(response: object) -> list[str]:
    return re.findall(r'class="case-code">([A-Z0-9]+)<', response.content.decode())  # type: ignore[attr-defined]


# --- the list ---------------------------------------------------------------------


def test_the_case_list_shows_newest_activity_first(staff: Client, version: FlowVersion) -> None:
    made = sessions(version, 3)
    assert codes(staff.get("/staff/cases/")) == [session.code for session in made]


def test_a_note_brings_a_case_to_the_top(staff: Client, agent: User, version: FlowVersion) -> None:
    made = sessions(version, 3)
    Note.record(made[2], author=agent, text="called the seller", status="")
    assert codes(staff.get("/staff/cases/"))[0] == made[2].code


def test_the_case_list_is_paged_by_keyset_without_gaps_or_repeats(
    staff: Client, version: FlowVersion
) -> None:
    made = sessions(version, PER_PAGE * 2 + 3)
    Session.objects.filter(pk__in=[s.pk for s in made[:5]]).update(
        updated_at=made[0].updated_at  # ties: the id breaks them
    )
    expected = list(Session.objects.order_by("-updated_at", "-pk").values_list("code", flat=True))
    seen: list[str] = []
    url = "/staff/cases/"
    pages = []
    while url:
        response = staff.get(url)
        pages.append(codes(response))
        seen += pages[-1]
        older = re.search(r'href="(\?[^"]*before=[^"]*)"', response.content.decode())
        url = "/staff/cases/" + older.group(1).replace("&amp;", "&") if older else ""
    assert [len(page) for page in pages] == [PER_PAGE, PER_PAGE, 3]
    assert seen == expected
    # And back again towards the newest.
    newer = re.search(r'href="(\?[^"]*after=[^"]*)"', response.content.decode())
    assert newer is not None
    back = staff.get("/staff/cases/" + newer.group(1).replace("&amp;", "&"))
    assert codes(back) == pages[1]


def test_a_malformed_page_cursor_shows_the_first_page(staff: Client, version: FlowVersion) -> None:
    made = sessions(version, 2)
    assert codes(staff.get("/staff/cases/?before=yesterday~x")) == [s.code for s in made]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=escalated", [1]),
        ("outcome=outage", [0]),
        ("outcome=-", [1, 2]),
        ("helped=no", [0]),
        ("helped=unanswered", [1, 2]),
        ("language=en", [2]),
        ("status=open&language=id", []),
    ],
)
def test_filters(staff: Client, version: FlowVersion, query: str, expected: list[int]) -> None:
    made = sessions(version, 3)
    Session.objects.filter(pk=made[0].pk).update(outcome="outage", helped=False)
    Session.objects.filter(pk=made[1].pk).update(status="escalated")
    Session.objects.filter(pk__in=[made[0].pk, made[1].pk]).update(status="escalated")
    Session.objects.filter(pk=made[0].pk).update(status="resolved")
    Session.objects.filter(pk=made[2].pk).update(language="en")
    assert codes(staff.get(f"/staff/cases/?{query}")) == [made[n].code for n in expected]


def test_filter_by_flow_version(staff: Client, version: FlowVersion) -> None:
    old = sessions(version, 1)[0]
    newer, _ = FlowVersion.load(SMALL.replace("Alur kecil", "Alur kecil 2"))
    new = sessions(newer, 1)[0]
    assert codes(staff.get(f"/staff/cases/?version={version.pk}")) == [old.code]
    assert codes(staff.get(f"/staff/cases/?version={newer.pk}")) == [new.code]


def test_filter_by_date_range_of_activity(staff: Client, version: FlowVersion) -> None:
    made = sessions(version, 3)
    today = timezone.localdate()
    Session.objects.filter(pk=made[1].pk).update(updated_at=timezone.now() - dt.timedelta(days=3))
    Session.objects.filter(pk=made[2].pk).update(updated_at=timezone.now() - dt.timedelta(days=9))
    window = f"active_from={today - dt.timedelta(days=5)}&active_to={today - dt.timedelta(days=1)}"
    assert codes(staff.get(f"/staff/cases/?{window}")) == [made[1].code]
    assert codes(staff.get(f"/staff/cases/?active_from={today}")) == [made[0].code]


@pytest.mark.parametrize(
    "typed",
    [
        lambda s: s.code,
        lambda s: s.code.lower(),
        lambda s: f" {s.code[:4]} {s.code[4:]} ",
        lambda s: f"https://pesanan.example/s/{s.token}/where/",
        lambda s: f"http://localhost:8000/s/{s.token}/",
        lambda s: s.token,
    ],
)
def test_search_by_code_or_pasted_session_link_opens_the_case(
    staff: Client, version: FlowVersion, typed: object
) -> None:
    session = sessions(version, 2)[1]
    response = staff.get("/staff/cases/", {"q": typed(session)})
    assert response.status_code == 302
    assert response["Location"] == f"/staff/cases/{session.code}/"


def test_search_by_pasted_share_link_finds_the_case_even_when_revoked(
    staff: Client, version: FlowVersion
) -> None:
    session = sessions(version, 2)[1]
    token = share(session)
    ShareLink.objects.get().revoke()
    for typed in (f"https://pesanan.example/share/{token}/", token):
        response = staff.get("/staff/cases/", {"q": typed})
        assert response["Location"] == f"/staff/cases/{session.code}/"


def test_search_that_finds_nothing_says_so(staff: Client, version: FlowVersion) -> None:
    sessions(version, 1)
    response = staff.get("/staff/cases/", {"q": "ZZZZZZZZ"})
    assert response.status_code == 200
    assert "No case has that code or link" in response.content.decode()
    response = staff.get("/staff/cases/", {"q": "hello there"})
    assert "Paste a session code" in response.content.decode()


@pytest.mark.parametrize("count", [3, PER_PAGE + 5])
def test_the_case_list_costs_the_same_queries_whatever_the_rows(
    staff: Client, version: FlowVersion, count: int, django_assert_num_queries: object
) -> None:
    made = sessions(version, count, outcome="outage", helped=False)
    Session.objects.filter(pk=made[0].pk).update(started_by=User.objects.get())
    staff.get("/staff/cases/?status=open")  # the flow version is parsed once per process
    # Auth session, user, permissions (2), flow versions, one page of cases.
    with django_assert_num_queries(6):
        assert staff.get("/staff/cases/?status=open").status_code == 200


# --- the case page ------------------------------------------------------------------


def test_the_case_page_shows_changed_answers_with_old_and_new_and_who_answered(
    staff: Client, agent: User, session: Session
) -> None:
    answer_all(session, ("where", "ship"))
    answer_all(session, ("where", "open"), by=agent)
    answer_all(session, ("everyone", "yes"))
    page = staff.get(f"/staff/cases/{session.code}/").content.decode()
    timeline = page[page.index("timeline-heading") :]
    assert timeline.index("Cannot ship") < timeline.index("Cannot open")
    assert "<del>Cannot ship</del> → " in timeline
    assert "agent_rina" in timeline
    assert "seller" in timeline
    assert "no longer counts" in timeline
    assert "Title outage" in page  # the outcome


def test_the_case_page_shows_path_outcome_help_notes_links_and_summary(
    staff: Client, agent: User, session: Session
) -> None:
    solved(session)
    session.record_feedback(False, revision=session.revision)
    share(session)
    Note.record(session, author=agent, text="Asked for a screenshot", status="")
    page = staff.get(f"/staff/cases/{session.code}/").content.decode()
    assert "Where is the problem?" in page
    assert "Cannot open" in page
    assert "Title outage" in page
    assert "What happened" in page
    assert "Seller: not helped by “Title outage”; did not ask for support" in page
    assert "Asked for a screenshot" in page
    assert "agent_rina" in page
    assert f'action="/staff/cases/{session.code}/links/' in page  # a revoke button
    assert "Pesanan Lancar — kasus" in page  # the summary, in the seller's language
    # The seller's link is theirs alone (only its hash is stored): agent mode is a staff page.
    assert session.token not in page
    assert f'href="/staff/cases/{session.code}/answer/' in page


def test_a_note_and_a_status_change_are_recorded_with_author_and_time(
    staff: Client, agent: User, session: Session
) -> None:
    response = staff.post(
        f"/staff/cases/{session.code}/note/", {"text": "Called, no answer", "status": "escalated"}
    )
    assert response.status_code == 303
    session.refresh_from_db()
    assert session.status == "escalated"
    note = Note.objects.get()
    assert (note.author, note.text, note.status) == (agent, "Called, no answer", "escalated")
    page = staff.get(f"/staff/cases/{session.code}/").content.decode()
    assert "Called, no answer" in page
    assert "set the status to" in page


def test_a_status_change_does_not_make_the_sellers_page_stale(
    staff: Client, session: Session
) -> None:
    revision = session.revision
    staff.post(f"/staff/cases/{session.code}/note/", {"text": "", "status": "resolved"})
    session.refresh_from_db()
    assert session.revision == revision
    assert session.status == "resolved"


def test_an_empty_note_that_changes_nothing_is_refused(staff: Client, session: Session) -> None:
    response = staff.post(f"/staff/cases/{session.code}/note/", {"text": " ", "status": "open"})
    assert response.status_code == 200
    assert "Write a note or choose another status." in response.content.decode()
    assert not Note.objects.exists()


def test_the_case_summary_as_plain_text(staff: Client, session: Session) -> None:
    solved(session)
    response = staff.get(f"/staff/cases/{session.code}/summary.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Judul outage" in response.content.decode()


def test_an_unknown_case_is_404(staff: Client, version: FlowVersion) -> None:
    assert staff.get("/staff/cases/ZZZZZZZZ/").status_code == 404


@pytest.mark.parametrize("rounds", [1, 5])
def test_the_case_page_costs_the_same_queries_whatever_its_history(
    staff: Client, agent: User, session: Session, rounds: int, django_assert_num_queries: object
) -> None:
    for number in range(rounds):
        answer_all(session, ("where", "ship"), ("where", "open"), by=agent)
        Note.record(session, author=agent, text=f"note {number}", status="")
        Client().get(f"/share/{share(session)}/")
    staff.get(f"/staff/cases/{session.code}/")
    # Auth session, user, permissions (2); the case; its links, log, notes, views and
    # incidents seen (5).
    with django_assert_num_queries(10):
        assert staff.get(f"/staff/cases/{session.code}/").status_code == 200


def test_the_case_summary_costs_constant_queries(
    staff: Client, session: Session, django_assert_num_queries: object
) -> None:
    solved(session)
    staff.get(f"/staff/cases/{session.code}/summary.txt")
    # Auth session, user, permissions (2), the case.
    with django_assert_num_queries(5):
        staff.get(f"/staff/cases/{session.code}/summary.txt")


def test_the_sign_in_page_costs_no_query(db: None, django_assert_num_queries: object) -> None:
    with django_assert_num_queries(0):
        assert Client().get("/staff/login/").status_code == 200


def test_the_case_list_with_a_search_that_finds_nothing_costs_constant_queries(
    staff: Client, version: FlowVersion, django_assert_num_queries: object
) -> None:
    sessions(version, 3)
    staff.get("/staff/cases/?q=ZZZZZZZZ")
    # Auth session, user, permissions (2), flow versions, the code looked up.
    with django_assert_num_queries(6):
        staff.get("/staff/cases/?q=ZZZZZZZZ")
