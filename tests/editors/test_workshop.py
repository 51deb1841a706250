"""The editors' workshop: drafts, both ways of editing, review, publishing and rollback."""

from __future__ import annotations

import difflib
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.documents import SMALL
from tests.staff import signed_in, staff_user
from wizard.editors.models import Action, Draft, ReviewError
from wizard.flows import load_flow
from wizard.flows.diff import diff_flows
from wizard.sellers.models import FlowVersion, Session

COMMENTED = SMALL.replace(
    "[facts.late_hours]", "# The hour limit comes from the manual, page 3.\n[facts.late_hours]"
)


@pytest.fixture
def author(db: None) -> User:
    return staff_user("editors", "ayu")


@pytest.fixture
def reviewer(db: None) -> User:
    return staff_user("editors", "budi")


@pytest.fixture
def draft(version: FlowVersion, author: User) -> Draft:
    return Draft.start(version, by=author)


def in_english(user: User) -> Client:
    """A signed-in browser that asks for English (the pages default to Indonesian)."""
    return signed_in(user, HTTP_ACCEPT_LANGUAGE="en")


def save_text(client: Client, draft: Draft, text: str, revision: int | None = None) -> Any:
    revision = draft.revision if revision is None else revision
    return client.post(f"/staff/flows/drafts/{draft.pk}/", {"document": text, "revision": revision})


def fact_form(draft: Draft, **changes: str) -> dict[str, Any]:
    fields = {
        "value": "24",
        "label_id": "Batas jam",
        "label_en": "Hour limit",
        "source": "manual",
        "checked": "2026-11-01",
        "revision": draft.revision,
    }
    return {**fields, **changes}


def approve_and_publish(draft: Draft, reviewer: User, author: User, note: str) -> FlowVersion:
    draft.refresh_from_db()
    draft.submit(by=author)
    draft.approve(by=reviewer)
    return draft.publish(by=author, note=note)


def test_a_draft_starts_from_a_version_and_says_when_the_live_version_moved_on(
    version: FlowVersion, author: User, reviewer: User
) -> None:
    old = Draft.start(version, by=author)
    assert old.document == SMALL
    assert old.base == version
    newer = Draft.start(version, by=author)
    newer.save_document(SMALL.replace("Alur kecil", "Alur baru"), revision=1, by=author)
    approve_and_publish(newer, reviewer, author, "new title")
    page = in_english(author).get(f"/staff/flows/drafts/{old.pk}/")
    assert "The live version has moved on since" in page.content.decode()
    listing = in_english(author).get("/staff/flows/").content.decode()
    assert "the live version has moved on" in listing


def test_support_reads_the_history_but_sees_no_drafts(draft: Draft) -> None:
    page = in_english(staff_user("support")).get("/staff/flows/")
    assert page.status_code == 200
    assert "small v1" in page.content.decode()
    assert f"/staff/flows/drafts/{draft.pk}/" not in page.content.decode()


def test_saving_the_text_stores_it_and_shows_the_checkers_report(
    draft: Draft, author: User
) -> None:
    client = in_english(author)
    broken = SMALL.replace('  {go = "app_version"},\n', "")
    response = save_text(client, draft, broken)
    assert response.status_code == 303
    draft.refresh_from_db()
    assert draft.document == broken
    assert draft.revision == 2
    page = client.get(f"/staff/flows/drafts/{draft.pk}/").content.decode()
    assert "4 problems block publishing." in page
    assert "question &#x27;everyone&#x27;" in page
    assert f'href="/staff/flows/drafts/{draft.pk}/questions/everyone/"' in page  # to its form
    assert "Paths" in page


def test_a_document_that_does_not_parse_keeps_the_editors_text_and_names_the_line(
    draft: Draft, author: User
) -> None:
    client = in_english(author)
    broken = SMALL.replace('key = "small"', 'key = "small')
    save_text(client, draft, broken)
    draft.refresh_from_db()
    assert draft.document == broken
    page = client.get(f"/staff/flows/drafts/{draft.pk}/").content.decode()
    assert "not valid TOML" in page
    assert "line 3" in page
    assert "key = &quot;small\n" in page


def test_the_second_of_two_concurrent_saves_is_refused_and_keeps_its_text(
    draft: Draft, author: User, reviewer: User
) -> None:
    first = save_text(in_english(author), draft, SMALL.replace("Alur kecil", "Alur A"), 1)
    assert first.status_code == 303
    second = save_text(in_english(reviewer), draft, SMALL.replace("Alur kecil", "Alur B"), 1)
    assert second.status_code == 409
    body = second.content.decode()
    assert "Another editor saved this draft while you were editing it" in body
    assert "Alur B" in body  # the second editor's text is still in the box
    assert 'name="revision" value="2"' in body  # saving again replaces knowingly
    draft.refresh_from_db()
    assert "Alur A" in draft.document


def test_the_fact_form_changes_only_the_edited_lines_and_keeps_comments(
    author: User,
) -> None:
    version, _ = FlowVersion.load(COMMENTED)
    draft = Draft.start(version, by=author)
    client = in_english(author)
    response = client.post(
        f"/staff/flows/drafts/{draft.pk}/facts/late_hours/", fact_form(draft, value="36")
    )
    assert response.status_code == 303
    draft.refresh_from_db()
    assert "# The hour limit comes from the manual, page 3." in draft.document
    changed = [
        line
        for line in difflib.unified_diff(COMMENTED.splitlines(), draft.document.splitlines())
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert changed == ["-value = 24", "+value = 36"]
    assert load_flow(draft.document).facts["late_hours"].value == 36


def test_mark_checked_today_sets_the_date_in_one_click(draft: Draft, author: User) -> None:
    data = {**fact_form(draft), "checked": "", "checked_today": "1"}
    in_english(author).post(f"/staff/flows/drafts/{draft.pk}/facts/late_hours/", data)
    draft.refresh_from_db()
    assert load_flow(draft.document).facts["late_hours"].checked == timezone.localdate()


def test_a_fact_form_saved_over_a_newer_draft_is_refused_and_keeps_the_entries(
    draft: Draft, author: User
) -> None:
    stale = fact_form(draft, value="48")
    draft.save_document(SMALL.replace("Alur kecil", "Alur A"), revision=1, by=author)
    response = in_english(author).post(f"/staff/flows/drafts/{draft.pk}/facts/late_hours/", stale)
    assert response.status_code == 200
    assert "Another editor saved this draft first" in response.content.decode()
    assert 'value="48"' in response.content.decode()
    draft.refresh_from_db()
    assert load_flow(draft.document).facts["late_hours"].value == 24


def test_the_semantic_diff_names_changed_texts_in_both_languages() -> None:
    old = load_flow(SMALL)
    new = load_flow(
        SMALL.replace("Di mana masalahnya?", "Masalahnya di mana?").replace(
            "value = 24", "value = 36"
        )
    )
    parts = {(part.part, part.key): part for part in diff_flows(old, new)}
    assert set(parts) == {("questions", "where"), ("facts", "late_hours")}
    (change,) = parts["questions", "where"].changes
    assert (change.field, change.old, change.new) == (
        "text (id)",
        "Di mana masalahnya?",
        "Masalahnya di mana?",
    )
    added = load_flow(
        SMALL.replace("[tips.daily]", '[tips.weekly]\ntext = {id = "a", en = "b"}\n\n[tips.daily]')
    )
    (tip,) = diff_flows(old, added)
    assert (tip.part, tip.key, tip.status) == ("tips", "weekly", "added")


def test_the_diff_page_shows_old_and_new_text(draft: Draft, author: User) -> None:
    draft.save_document(
        SMALL.replace("Lihat halaman pesanan.", "Buka Pesanan."), revision=1, by=author
    )
    page = in_english(author).get(f"/staff/flows/drafts/{draft.pk}/diff/").content.decode()
    assert "Lihat halaman pesanan." in page
    assert "Buka Pesanan." in page
    assert "help (Bahasa Indonesia)" in page
    assert "Question changed" in page
    assert "+help = " in page  # the line diff


def test_the_author_cannot_approve_their_own_draft(draft: Draft, author: User) -> None:
    with pytest.raises(ReviewError):
        draft.approve(by=author)
    response = in_english(author).post(f"/staff/flows/drafts/{draft.pk}/approve/", follow=True)
    assert "cannot approve it" in response.content.decode()


def test_publishing_needs_a_second_editors_approval_of_the_current_text(
    draft: Draft, author: User, reviewer: User
) -> None:
    with pytest.raises(ReviewError):
        draft.publish(by=author, note="too soon")
    draft.submit(by=author)
    draft.approve(by=reviewer)
    draft.save_document(SMALL.replace("Alur kecil", "Alur A"), revision=1, by=author)
    assert not draft.is_approved  # a save after the approval needs a new one
    with pytest.raises(ReviewError):
        draft.publish(by=author, note="changed after approval")
    draft.submit(by=author)
    draft.approve(by=reviewer)
    version = draft.publish(by=author, note="title")
    assert version.published_by == author
    assert version.change_note == "title"


def test_without_review_required_an_editor_publishes_alone(
    draft: Draft, author: User, settings: Any
) -> None:
    settings.FLOW_REVIEW_REQUIRED = False
    assert draft.publish(by=author, note="alone").number == 2


def test_a_draft_the_checker_refuses_cannot_be_approved_or_published(
    draft: Draft, author: User, reviewer: User, settings: Any
) -> None:
    draft.save_document(SMALL.replace('  {go = "app_version"},\n', ""), revision=1, by=author)
    with pytest.raises(ReviewError):
        draft.approve(by=reviewer)
    settings.FLOW_REVIEW_REQUIRED = False
    with pytest.raises(ReviewError):
        draft.publish(by=author, note="broken")
    assert FlowVersion.objects.count() == 1


def test_publishing_says_how_many_sessions_are_in_progress_and_leaves_them_on_their_version(
    version: FlowVersion, draft: Draft, author: User, reviewer: User
) -> None:
    old = Session.start(version, language="id")
    Session.start(version, language="en")
    draft.save_document(
        SMALL.replace("Di mana masalahnya?", "Masalahnya di mana?"), revision=1, by=author
    )
    draft.submit(by=author)
    draft.approve(by=reviewer)
    client = in_english(author)
    page = client.get(f"/staff/flows/drafts/{draft.pk}/publish/").content.decode()
    assert "2 sessions are in progress on the versions being replaced" in page
    response = client.post(f"/staff/flows/drafts/{draft.pk}/publish/", {"note": "clearer"})
    assert response.status_code == 303
    new = FlowVersion.live("small")
    assert new is not None
    assert new.number == 2
    assert "Di mana masalahnya?" in Client().get(f"/s/{old.token}/where/").content.decode()
    fresh = Session.start(new, language="id")
    assert "Masalahnya di mana?" in Client().get(f"/s/{fresh.token}/where/").content.decode()


def test_history_shows_who_published_with_the_note_and_the_diff_to_the_one_before(
    draft: Draft, author: User, reviewer: User
) -> None:
    draft.save_document(SMALL.replace("Alur kecil", "Alur A"), revision=1, by=author)
    version = approve_and_publish(draft, reviewer, author, "renamed the flow")
    page = in_english(reviewer).get(f"/staff/flows/versions/{version.pk}/").content.decode()
    assert "ayu" in page
    assert "renamed the flow" in page
    assert "Alur kecil" in page
    assert "Alur A" in page
    download = in_english(reviewer).get(f"/staff/flows/versions/{version.pk}/flow.toml")
    assert download.content.decode() == draft.document
    assert "attachment" in download["Content-Disposition"]


def test_rollback_republishes_an_old_version_as_a_new_one_once_a_second_editor_approves(
    version: FlowVersion, draft: Draft, author: User, reviewer: User
) -> None:
    draft.save_document(SMALL.replace("Alur kecil", "Alur A"), revision=1, by=author)
    approve_and_publish(draft, reviewer, author, "renamed")
    response = in_english(reviewer).post(
        f"/staff/flows/versions/{version.pk}/rollback/", {"note": "the old name was right"}
    )
    assert response.status_code == 303
    rollback = Draft.objects.get(kind=Draft.Kind.ROLLBACK)
    assert (rollback.state, rollback.author, rollback.document) == ("waiting", reviewer, SMALL)
    # Nothing published yet.
    assert FlowVersion.objects.filter(published_at__isnull=False).count() == 2
    with pytest.raises(ReviewError, match="second editor must approve"):
        rollback.publish(by=reviewer, note="alone")
    rollback.approve(by=author)
    page = in_english(reviewer).get(f"/staff/flows/drafts/{rollback.pk}/publish/")
    assert "the old name was right" in page.content.decode()  # the note, offered again
    response = in_english(reviewer).post(
        f"/staff/flows/drafts/{rollback.pk}/publish/", {"note": "the old name was right"}
    )
    assert response.status_code == 303
    live = FlowVersion.live("small")
    assert live is not None
    assert live.number == 3
    assert live.document == SMALL
    assert live.published_by == reviewer
    assert FlowVersion.objects.count() == 3  # nothing rewritten


def test_without_review_required_a_rollback_is_published_at_once(
    version: FlowVersion, draft: Draft, author: User, reviewer: User, settings: Any
) -> None:
    draft.save_document(SMALL.replace("Alur kecil", "Alur A"), revision=1, by=author)
    approve_and_publish(draft, reviewer, author, "renamed")
    settings.FLOW_REVIEW_REQUIRED = False
    response = in_english(reviewer).post(
        f"/staff/flows/versions/{version.pk}/rollback/", {"note": "back"}
    )
    live = FlowVersion.live("small")
    assert live is not None
    assert response["Location"] == f"/staff/flows/versions/{live.pk}/"
    assert (live.number, live.document) == (3, SMALL)


def test_every_review_step_publish_and_rollback_is_in_the_audit_log(
    version: FlowVersion, draft: Draft, author: User, reviewer: User
) -> None:
    draft.save_document(SMALL.replace("Alur kecil", "Alur A"), revision=1, by=author)
    draft.submit(by=author)
    draft.comment("Why the new name?", by=reviewer)
    draft.request_changes("Say it in English too.", by=reviewer)
    draft.submit(by=author)
    draft.approve(by=reviewer)
    draft.publish(by=author, note="renamed")
    in_english(reviewer).post(f"/staff/flows/versions/{version.pk}/rollback/", {"note": "back"})
    rollback = Draft.objects.get(kind=Draft.Kind.ROLLBACK)
    rollback.approve(by=author)
    rollback.publish(by=reviewer, note="back")
    kinds = [(action.kind, action.by.username) for action in Action.objects.order_by("pk")]
    assert kinds == [
        ("start", "ayu"),
        ("save", "ayu"),
        ("submit", "ayu"),
        ("comment", "budi"),
        ("changes", "budi"),
        ("submit", "ayu"),
        ("approve", "budi"),
        ("publish", "ayu"),
        ("start", "budi"),
        ("submit", "budi"),
        ("approve", "ayu"),
        ("rollback", "budi"),
    ]
    page = in_english(author).get("/staff/flows/log/").content.decode()
    assert "rolled back" in page
    assert "approved a draft" in page
    assert "requested changes" in page
    assert "asked for a review" in page


def test_the_stale_facts_page_lists_facts_oldest_first_and_opens_a_draft_at_one(
    version: FlowVersion, author: User, settings: Any
) -> None:
    settings.FLOW_MAX_AGE_DAYS = 1
    client = in_english(author)
    page = client.get("/staff/flows/facts/").content.decode()
    assert page.index("latest_app_version") < page.index("late_hours")
    assert "due" in page
    response = client.post("/staff/flows/facts/late_hours/draft/")
    draft = Draft.objects.get()
    assert response["Location"] == f"/staff/flows/drafts/{draft.pk}/facts/late_hours/"


def test_text_editors_write_is_escaped_where_sellers_see_it(
    draft: Draft, author: User, reviewer: User
) -> None:
    draft.save_document(
        SMALL.replace("Di mana masalahnya?", "<b>Di mana?</b>"), revision=1, by=author
    )
    version = approve_and_publish(draft, reviewer, author, "bold")
    session = Session.start(version, language="id")
    page = Client().get(f"/s/{session.token}/where/").content.decode()
    assert "&lt;b&gt;Di mana?&lt;/b&gt;" in page
    assert "<b>Di mana?</b>" not in page


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def test_loadflow_refuses_to_undo_a_publish_from_the_workshop_unless_forced(
    tmp_path: Path, draft: Draft, author: User, reviewer: User
) -> None:
    draft.save_document(SMALL.replace("Alur kecil", "Alur A"), revision=1, by=author)
    published = approve_and_publish(draft, reviewer, author, "renamed")
    old_file = tmp_path / "orders.toml"
    old_file.write_text(SMALL, encoding="utf-8")
    with pytest.raises(CommandError, match="published in the workshop by ayu") as refusal:
        run("loadflow", "--strict", str(old_file))
    assert "content of small v1" in str(refusal.value)
    assert "--force" in str(refusal.value)
    assert FlowVersion.live("small") == published
    assert "loaded as small v3" in run("loadflow", "--force", str(old_file))


def test_dumpflow_writes_the_live_version_so_loadflow_then_finds_it_unchanged(
    tmp_path: Path, draft: Draft, author: User, reviewer: User
) -> None:
    draft.save_document(SMALL.replace("Alur kecil", "Alur A"), revision=1, by=author)
    approve_and_publish(draft, reviewer, author, "renamed")
    target = tmp_path / "orders.toml"
    run("dumpflow", "--flow", "small", str(target))
    assert target.read_text(encoding="utf-8") == draft.document
    assert "unchanged, small v2 stays live" in run("loadflow", str(target))


@pytest.mark.parametrize("page", ["/staff/flows/", "/staff/flows/log/", "/staff/flows/facts/"])
def test_workshop_pages_cost_the_same_queries_however_many_drafts_and_versions(
    page: str,
    version: FlowVersion,
    author: User,
    reviewer: User,
    django_assert_num_queries: Any,
    settings: Any,
) -> None:
    settings.FLOW_REVIEW_REQUIRED = False
    client = in_english(author)
    client.get(page)  # the flow is parsed once per process

    def measure() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        return len(queries)

    few = measure()
    for number in range(3):
        draft = Draft.start(version, by=author)
        draft.save_document(SMALL.replace("Alur kecil", f"Alur {number}"), revision=1, by=author)
        draft.publish(by=reviewer, note=f"n{number}")
        Draft.start(version, by=reviewer)
    client.get(page)
    assert measure() == few
    with django_assert_num_queries(few):
        client.get(page)


def test_the_draft_page_costs_the_same_queries_however_many_versions(
    draft: Draft, author: User, reviewer: User, django_assert_num_queries: Any, settings: Any
) -> None:
    settings.FLOW_REVIEW_REQUIRED = False
    client = in_english(author)
    with django_assert_num_queries(7):
        client.get(f"/staff/flows/drafts/{draft.pk}/")
    for number in range(3):
        other = Draft.start(draft.base, by=reviewer)
        other.save_document(SMALL.replace("Alur kecil", f"Alur {number}"), revision=1, by=reviewer)
        other.publish(by=reviewer, note="n")
        draft.comment(f"comment {number}", by=reviewer)
    with django_assert_num_queries(7):
        client.get(f"/staff/flows/drafts/{draft.pk}/")


def test_the_question_form_edits_texts_labels_and_keywords_in_place(
    draft: Draft, author: User
) -> None:
    client = in_english(author)
    page = client.get(f"/staff/flows/drafts/{draft.pk}/questions/where/").content.decode()
    assert "Seller keywords for ship, comma-separated" in page
    data = {
        "text_id": "Di mana masalahnya?",
        "text_en": "Where does it go wrong?",
        "help_id": "",
        "help_en": "",
        "option_ship_label_id": "Tidak bisa kirim",
        "option_ship_label_en": "Cannot ship",
        "option_ship_keywords": "atur pengiriman, orderan nyangkut, gagal kirim",
        "option_open_label_id": "Tidak bisa buka",
        "option_open_label_en": "Cannot open",
        "option_open_keywords": "tidak bisa buka",
        "option_other_label_id": "Lainnya / tidak yakin",
        "option_other_label_en": "Something else / not sure",
        "option_other_keywords": "",
        "revision": draft.revision,
    }
    response = client.post(f"/staff/flows/drafts/{draft.pk}/questions/where/", data)
    assert response.status_code == 303
    draft.refresh_from_db()
    flow = load_flow(draft.document)
    where = flow.questions["where"]
    assert where.text.en == "Where does it go wrong?"
    assert where.help is None
    assert where.options[0].keywords == ("atur pengiriman", "orderan nyangkut", "gagal kirim")
    changed = [
        line
        for line in difflib.unified_diff(SMALL.splitlines(), draft.document.splitlines())
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert len(changed) == 5  # text, help removed, ship's option line: nothing else moved


@pytest.mark.parametrize(
    "broken",
    [
        "value = " + "[" * 5000 + "]" * 5000,  # deeper than the parser's recursion
        'x = "\\ud800"',  # a lone surrogate escape
        "[flow]\nkey = 'small'\n[flow]",  # a table declared twice
    ],
)
def test_a_draft_that_does_not_parse_is_saved_and_every_page_of_it_opens(
    draft: Draft, author: User, broken: str
) -> None:
    client = in_english(author)
    save_text(client, draft, SMALL + "\n" + broken + "\n")
    draft.refresh_from_db()
    assert broken in draft.document
    for name in (
        "draft",
        "draft_diff",
        "draft_paths",
        "draft_diagram",
    ):
        # A page that needs a loaded flow sends the editor back to the text, with the error.
        response = client.get(reverse(name, args=[draft.pk]), follow=True)
        assert response.status_code == 200, name
    page = client.get(reverse("draft", args=[draft.pk])).content.decode()
    assert "not valid TOML" in page
