"""Walking a draft as a seller would: pinned to the draft, marked, never a case, purged."""

from __future__ import annotations

import datetime as dt
import html
import re
from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.conftest import opened
from tests.documents import SMALL
from tests.staff import signed_in, staff_user
from wizard.editors.models import Draft
from wizard.sellers.models import FlowVersion, Session

CHANGED = SMALL.replace("Di mana masalahnya?", "Masalahnya di mana?")


def preview(client: Client, draft: Draft, language: str = "id") -> Session:
    response = client.post(f"/staff/flows/drafts/{draft.pk}/preview/", {"language": language})
    assert response.status_code == 303
    session = opened(response["Location"])
    assert session.is_preview
    assert session.flow_version.checksum == _checksum(draft)
    assert response["Location"] == session.step_url()
    return session


def _checksum(draft: Draft) -> str:
    import hashlib

    return hashlib.sha256(draft.document.encode()).hexdigest()


def editing(version: FlowVersion) -> tuple[User, Client, Draft]:
    author = staff_user("editors", "ayu")
    draft = Draft.start(version, by=author)
    draft.save_document(CHANGED, revision=1, by=author)
    return author, signed_in(author), draft


def test_a_preview_walks_the_drafts_text_and_is_marked_on_every_page(
    version: FlowVersion,
) -> None:
    _, client, draft = editing(version)
    session = preview(client, draft)
    page = Client().get(session.step_url()).content.decode()
    assert "Masalahnya di mana?" in page
    assert "Pratinjau" in page
    english = preview(client, draft, "en")
    assert english.flow_version_id == session.flow_version_id  # one version per text
    assert "Preview" in Client().get(english.step_url()).content.decode()
    assert FlowVersion.live("small") == version  # nothing was published
    share = Client().get(f"/s/{session.token}/share/").content.decode()
    assert "Pratinjau" in share


def test_a_preview_stays_on_the_text_it_started_with(version: FlowVersion) -> None:
    author, client, draft = editing(version)
    session = preview(client, draft)
    draft.save_document(SMALL.replace("Di mana masalahnya?", "Lagi"), revision=2, by=author)
    page = Client().get(session.step_url()).content.decode()
    assert "Masalahnya di mana?" in page


def test_a_draft_that_does_not_load_cannot_be_previewed(version: FlowVersion) -> None:
    author, client, draft = editing(version)
    draft.save_document("not = [toml", revision=2, by=author)
    response = client.post(f"/staff/flows/drafts/{draft.pk}/preview/", follow=True)
    assert "Draf belum bisa dimuat" in response.content.decode()
    assert not Session.objects.exists()


def test_a_preview_is_not_a_case_nor_found_by_its_code_nor_in_progress(
    version: FlowVersion,
) -> None:
    _, client, draft = editing(version)
    session = preview(client, draft)
    support = signed_in(staff_user("support"))
    assert session.code not in support.get("/staff/").content.decode()
    assert session.code not in support.get("/staff/cases/?abandoned=on").content.decode()
    search = support.get(f"/staff/cases/?q={session.code}")
    assert search.status_code == 200
    assert search.context["not_found"]
    assert support.get(f"/staff/cases/{session.code}/").status_code == 404
    assert Session.in_progress("small") == 0


def test_preview_versions_are_never_numbered_live_or_public(version: FlowVersion) -> None:
    _, client, draft = editing(version)
    preview(client, draft)
    preview_version = FlowVersion.objects.get(is_preview=True)
    assert preview_version.published_at is None
    assert Client().get(f"/flow/{preview_version.pk}/").status_code == 404
    draft.refresh_from_db()
    draft.submit(by=draft.author)
    draft.approve(by=staff_user("editors", "budi"))
    assert draft.publish(by=draft.author, note="n").number == 2


def test_previews_are_purged_after_a_day(version: FlowVersion) -> None:
    _, client, draft = editing(version)
    old = preview(client, draft)
    Session.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(hours=25))
    FlowVersion.objects.filter(is_preview=True).update(
        loaded_at=timezone.now() - dt.timedelta(hours=25)
    )
    seller = Session.start(version, language="id")
    call_command("purge_sessions", stdout=StringIO())
    assert list(Session.objects.all()) == [seller]
    assert not FlowVersion.objects.filter(is_preview=True).exists()


def test_the_path_list_shows_every_picked_path_and_opens_a_preview_there(
    version: FlowVersion,
) -> None:
    _, client, draft = editing(version)
    page = client.get(f"/staff/flows/drafts/{draft.pk}/paths/", HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    # open → yes → outage, open → no → (no version) / (the latest); the catch-all too;
    # ship → typed answers, one path for each way they go.
    assert body.count('name="path"') == 9
    assert "Title outage" in body
    assert "To answer:" not in body  # typed questions get sample answers now
    response = client.post(
        f"/staff/flows/drafts/{draft.pk}/preview/", {"language": "en", "path": 4}
    )
    session = opened(response["Location"])
    assert session.answers == {"where": "open", "everyone": "yes"}
    assert session.outcome == "outage"
    assert response["Location"] == session.step_url()


def test_the_path_list_covers_typed_answers_one_path_per_threshold_branch(
    version: FlowVersion,
) -> None:
    _, client, draft = editing(version)
    page = client.get(f"/staff/flows/drafts/{draft.pk}/paths/", HTTP_ACCEPT_LANGUAGE="en")
    body = html.unescape(page.content.decode())
    # stock < ordered and stock >= ordered; no version and the latest; address done or not.
    for solution in ("Title out_of_stock", "Title contact", "Title update_app", "Title network"):
        assert solution in body
    assert "App version? <strong>43.3.0</strong>" in body
    assert "✗ Address" in body
    # A typed path opens in the preview with its typed answers.
    paths = re.findall(r'name="path" value="(\d+)"', body)
    response = client.post(
        f"/staff/flows/drafts/{draft.pk}/preview/", {"language": "en", "path": paths[2]}
    )
    session = opened(response["Location"])
    assert (session.answers["ordered"], session.answers["stock"]) == (1, 0)
    assert session.outcome == "out_of_stock"


def test_a_path_number_that_is_not_in_the_list_starts_at_the_first_question(
    version: FlowVersion,
) -> None:
    _, client, draft = editing(version)
    client.post(f"/staff/flows/drafts/{draft.pk}/preview/", {"language": "id", "path": 99})
    assert Session.objects.get(is_preview=True).answers == {}


def test_the_drafts_diagram_is_drawn_from_its_text(version: FlowVersion) -> None:
    _, client, draft = editing(version)
    page = client.get(f"/staff/flows/drafts/{draft.pk}/diagram/").content.decode()
    assert "<svg" in page
    assert "Masalahnya di mana?" in page
    assert 'id="flow-where"' in page  # the same flow as a list, for phones and screen readers
    assert f'href="/staff/flows/drafts/{draft.pk}/diagram.svg"' in page
    alone = client.get(f"/staff/flows/drafts/{draft.pk}/diagram.svg")
    assert alone["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert "Masalahnya di mana?" in alone.content.decode()


def test_a_preview_is_never_counted_in_insight(version: FlowVersion) -> None:
    from tests.conftest import answer
    from wizard.sellers.models import Tally

    _, client, draft = editing(version)
    before = list(Tally.objects.values_list("step", "measure", "count"))
    session = preview(client, draft)
    answer(client, session, "where", "open")
    session.refresh_from_db()
    assert session.is_preview
    assert session.answers == {"where": "open"}
    assert list(Tally.objects.values_list("step", "measure", "count")) == before
    seller = Session.start(version, language="id")
    assert Tally.objects.filter(flow_version=seller.flow_version).exists()
