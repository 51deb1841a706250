""" "Delete my answers": with a confirmation, the session's answers, share links and the
notes' link to it go; anonymous counts stay, and a share link says the case was deleted.
Purging on the retention schedule does the same."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.staff import share, solved, staff_user
from wizard.sellers.models import Answer, Session
from wizard.support.models import Case, DeletedSession, Note, ShareLink, ShareView


def test_deleting_asks_first_and_a_stray_post_deletes_nothing(session: Session) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    session.set_language("en")
    page = client.get(f"/s/{session.token}/delete/").content.decode()
    assert "It cannot be undone" in page
    assert f'<form method="post" action="/s/{session.token}/delete/">' in page
    response = client.post(f"/s/{session.token}/delete/")
    assert response.status_code == 200
    assert "Tick the box to confirm" in response.content.decode()
    assert Session.objects.filter(pk=session.pk).exists()


def test_deleting_removes_answers_links_and_the_notes_link_and_keeps_counts(
    session: Session,
) -> None:
    solved(session)
    session.record_feedback(False, revision=session.revision)
    token = share(session)
    ShareLink.for_support(session)
    Client().get(f"/share/{token}/")
    agent: User = staff_user("support")
    Note.record(session, author=agent, text="Called back", status="")
    response = Client().post(f"/s/{session.token}/delete/", {"confirm": "on"})
    assert response.status_code == 303
    assert response["Location"] == "/"
    assert not Session.objects.exists()
    assert not Answer.objects.exists()
    assert not ShareLink.objects.exists()
    assert not ShareView.objects.exists()
    assert not Case.objects.exists()
    note = Note.objects.get()
    assert (note.text, note.session) == ("Called back", None)
    counts = DeletedSession.objects.get()
    assert (counts.outcome, counts.helped, counts.language, counts.reason) == (
        "outage",
        False,
        "id",
        "seller",
    )
    assert Client().get(f"/s/{session.token}/").status_code == 404
    shared = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/share/{token}/")
    assert shared.status_code == 410
    assert "This case was deleted" in shared.content.decode()


def test_the_seller_sees_that_it_is_done_in_their_language(session: Session) -> None:
    client = Client()
    response = client.post(f"/s/{session.token}/delete/", {"confirm": "on"}, follow=True)
    assert "Jawaban Anda sudah dihapus" in response.content.decode()


def test_purging_keeps_the_same_anonymous_counts_and_says_deleted_on_links(
    session: Session,
) -> None:
    solved(session)
    token = share(session)
    Session.objects.filter(pk=session.pk).update(updated_at=timezone.now() - dt.timedelta(days=400))
    call_command("purge_sessions", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Session.objects.exists()
    assert DeletedSession.objects.get().reason == "retention"
    assert Client().get(f"/share/{token}/").status_code == 410


def test_the_question_page_links_to_deleting(session: Session) -> None:
    page = Client().get(session.step_url()).content.decode()
    assert f'href="/s/{session.token}/delete/"' in page
