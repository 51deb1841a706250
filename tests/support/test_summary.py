"""When it did not help: the next likeliest cause, then contacting support with a
ready-made plain-text summary and a share link; and the summary's content."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from tests.staff import answer_all, solved
from wizard.sellers.models import Session
from wizard.support.models import ShareLink
from wizard.support.summary import case_summary


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def with_findings(session: Session) -> Session:
    """At the `address` solution, with `late` and `out_of_stock` noted on the way."""
    two_days_ago = (timezone.now() - dt.timedelta(days=2)).astimezone(dt.UTC).isoformat()
    answer_all(
        session,
        ("where", "ship"),
        ("placed_at", two_days_ago),
        ("ordered", 3),
        ("stock", 1),
        ("settings", ["bank"]),
    )
    assert session.outcome == "address"
    return session


def say_no(client: Client, session: Session) -> object:
    session.refresh_from_db()
    return client.post(
        f"/s/{session.token}/feedback/", {"revision": session.revision, "helped": "no"}
    )


# --- the summary itself ---------------------------------------------------------------


def test_the_summary_in_indonesian(session: Session) -> None:
    with_findings(session)
    session.record_feedback(False, revision=session.revision)
    text = case_summary(
        session,
        session.walk(),
        share_url="https://pesanan.example/share/abc/",
        expires_at=timezone.now(),
    )
    assert text.startswith(f"Pesanan Lancar — kasus {session.code}\n")
    assert "Alur kecil" in text
    assert "1. Di mana masalahnya? — Tidak bisa kirim" in text
    assert "3. Berapa yang dipesan? — 3" in text
    assert "5. Mana yang sudah diatur? — Ya: Rekening · Tidak: Alamat\n" in text
    assert "Kemungkinan penyebab: Judul address" in text
    assert "Sebab address" in text
    assert "1. Langkah satu" in text
    assert "2. Langkah dua" in text
    assert "Apakah masalahnya selesai? belum" in text
    assert "- Judul late" in text
    assert "- Judul out_of_stock" in text
    assert "https://pesanan.example/share/abc/" in text
    assert f"Kode sesi: {session.code}" in text
    assert " WIB" in text


def test_the_summary_in_english(session: Session) -> None:
    session.set_language("en")
    solved(session)
    text = case_summary(session, session.walk())
    assert text.startswith(f"Pesanan Lancar — case {session.code}\n")
    assert "1. Where is the problem? — Cannot open" in text
    assert "2. Other sellers too? — Yes" in text
    assert "Likely cause: Title outage" in text
    assert "Cause outage" in text
    assert "1. Step one" in text
    assert "Did it solve the problem? not answered yet" in text
    assert "link" not in text.lower()  # no share link was given
    assert f"Session code: {session.code}" in text


def test_the_summary_of_an_unfinished_session_names_the_next_question(session: Session) -> None:
    session.set_language("en")
    answer_all(session, ("where", "ship"))
    text = case_summary(session, session.walk())
    assert "No solution reached yet. Next question: When was the order placed?" in text


def test_the_summary_is_plain_text_fit_for_a_chat(session: Session) -> None:
    with_findings(session)
    text = case_summary(session, session.walk(), share_url="https://x.example/share/t/")
    assert "<" not in text
    assert "&amp;" not in text
    assert all(len(line) < 200 for line in text.splitlines())


# --- "No" leads to the next likeliest cause, then to support ----------------------------


def test_no_leads_to_the_next_likeliest_cause_from_the_findings(
    client: Client, session: Session
) -> None:
    session.set_language("en")
    with_findings(session)
    response = say_no(client, session)
    assert response["Location"] == f"/s/{session.token}/next/"  # type: ignore[index]
    page = client.get(f"/s/{session.token}/next/").content.decode()
    assert "The next likeliest cause" in page
    assert "Title late" in page
    assert "Cause late" in page
    assert "Check late" in page
    assert "Title out_of_stock" in page  # the other finding, under "also check"
    assert f'formaction="/s/{session.token}/summary/"' in page


def test_no_with_htmx_redirects_the_whole_page(client: Client, session: Session) -> None:
    with_findings(session)
    session.refresh_from_db()
    response = client.post(
        f"/s/{session.token}/feedback/",
        {"revision": session.revision, "helped": "no"},
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Redirect"] == f"/s/{session.token}/next/"


def test_the_next_cause_solved_it(client: Client, session: Session) -> None:
    session.set_language("en")
    with_findings(session)
    say_no(client, session)
    response = client.post(f"/s/{session.token}/next/", {"helped": "yes", "revision": 0})
    assert response.status_code == 303
    session.refresh_from_db()
    assert session.status == "resolved"
    assert session.helped is False  # the first solution did not help; the next one did
    assert "Glad it is solved" in client.get(f"/s/{session.token}/next/").content.decode()


def test_without_findings_no_goes_straight_to_contact_support(
    client: Client, session: Session
) -> None:
    solved(session)
    say_no(client, session)
    response = client.get(f"/s/{session.token}/next/")
    assert response["Location"] == f"/s/{session.token}/summary/"


def test_the_next_cause_page_is_only_for_a_solution_that_did_not_help(
    client: Client, session: Session
) -> None:
    solved(session)
    assert client.get(f"/s/{session.token}/next/")["Location"] == session.step_url("outage")


def test_contacting_support_writes_the_summary_with_a_working_share_link_and_escalates(
    client: Client, session: Session
) -> None:
    with_findings(session)
    say_no(client, session)
    form = client.get(f"/s/{session.token}/summary/").content.decode()
    assert f'<form method="post" action="/s/{session.token}/summary/">' in form
    response = client.post(f"/s/{session.token}/summary/")
    assert response.status_code == 200
    page = response.content.decode()
    textarea = re.search(r'<textarea id="summary"[^>]*readonly[^>]*>(.*?)</textarea>', page, re.S)
    assert textarea is not None  # selectable by hand without JavaScript
    summary = textarea.group(1)
    assert f"kasus {session.code}" in summary  # in the seller's language (Indonesian)
    assert "Judul address" in summary
    share_url = re.search(r"http://testserver(/share/[\w-]+/)", summary)
    assert share_url is not None
    assert "Judul address" in Client().get(share_url.group(1)).content.decode()
    assert 'data-copy="summary"' in page
    assert "js/copy.js" in page
    assert "<script>" not in page
    session.refresh_from_db()
    assert session.status == "escalated"
    assert ShareLink.objects.get().is_for_support


def test_the_solution_page_after_no_offers_the_next_cause_and_support(
    client: Client, session: Session
) -> None:
    with_findings(session)
    say_no(client, session)
    page = client.get(session.step_url()).content.decode()
    assert f'href="/s/{session.token}/next/"' in page
    assert f'href="/s/{session.token}/summary/"' in page


# --- queries ------------------------------------------------------------------------


@pytest.mark.parametrize("findings", [False, True])
def test_the_next_cause_page_costs_one_query(
    client: Client, session: Session, findings: bool, django_assert_num_queries: object
) -> None:
    with_findings(session) if findings else solved(session)
    say_no(client, session)
    client.get(f"/s/{session.token}/next/")
    with django_assert_num_queries(1):
        client.get(f"/s/{session.token}/next/")


def test_the_contact_support_pages_cost_constant_queries(
    client: Client, session: Session, django_assert_num_queries: object
) -> None:
    with_findings(session)
    # The session, the team's channels.
    with django_assert_num_queries(2):
        client.get(f"/s/{session.token}/summary/")
    # The session, the channels; the case's support links counted, the link made, the
    # status set, insight's rollup moved (its days, its months), the case queued (and two
    # savepoint pairs: the status change nests in the link's transaction).
    with django_assert_num_queries(12):
        client.post(f"/s/{session.token}/summary/")
    # Pressed again: the same link is found (counted, looked up) and nothing is made.
    with django_assert_num_queries(10):
        client.post(f"/s/{session.token}/summary/")
