"""The workshop's structured forms for solutions, tips, new options and new solutions,
the check without saving, and the one-click entries from elsewhere (insight)."""

from __future__ import annotations

import difflib
from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.documents import SMALL
from tests.editors.test_insight_page import walked
from tests.editors.test_workshop import in_english
from tests.staff import staff_user
from wizard.editors.models import Draft
from wizard.flows import load_flow
from wizard.sellers.models import FlowVersion

STEP = '{id = "Langkah satu", en = "Step one"}'
COMMENTED = SMALL.replace(
    "[solutions.outage]", "# Outages: ask the seller groups too.\n[solutions.outage]"
)


@pytest.fixture
def insight_sessions(version: FlowVersion, settings: Any) -> list[Any]:
    """Sellers who stopped at `everyone` and reached `outage`, so insight lists both."""
    settings.INSIGHT_ABANDONED_AFTER_MINUTES = 0
    return [
        walked(version, ("where", "open"), ("everyone", "yes")),
        walked(version, ("where", "open")),
    ]


@pytest.fixture
def author(db: None) -> User:
    return staff_user("editors", "ayu")


@pytest.fixture
def draft(version: FlowVersion, author: User) -> Draft:
    draft = Draft.start(version, by=author)
    draft.save_document(COMMENTED, revision=1, by=author)
    return draft


def solution_form(draft: Draft, **changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "title_id": "Judul outage",
        "title_en": "Title outage",
        "cause_id": "Sebab outage",
        "cause_en": "Cause outage",
        "check_id": "Cek outage",
        "check_en": "Check outage",
        "rows": 2,
        "step_0_id": "Langkah satu",
        "step_0_en": "Step one",
        "step_1_id": "Langkah dua",
        "step_1_en": "Step two",
        "who": ["seller"],
        "confidence": "solid",
        "sources": ["manual"],
        "tips": ["daily"],
        "checked": "2026-11-01",
        "revision": draft.revision,
    }
    return {**fields, **changes}


def changed_lines(old: str, new: str) -> list[str]:
    diff = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_the_solution_form_shows_every_field_in_both_languages(draft: Draft, author: User) -> None:
    page = in_english(author).get(f"/staff/flows/drafts/{draft.pk}/solutions/outage/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'lang="id"' in html
    assert 'lang="en"' in html
    for value in ("Sebab outage", "Check outage", "Langkah dua", "Step two"):
        assert value in html
    assert 'name="remove_step" value="1"' in html
    assert 'value="manual" checked' in html.replace('" id="id_sources_0" checked', '" checked')


def test_editing_a_step_touches_only_its_line_and_keeps_comments(
    draft: Draft, author: User
) -> None:
    before = draft.document
    response = in_english(author).post(
        f"/staff/flows/drafts/{draft.pk}/solutions/outage/",
        solution_form(draft, step_1_en="Step two, now clearer"),
    )
    assert response.status_code == 303
    draft.refresh_from_db()
    assert "# Outages: ask the seller groups too." in draft.document
    lines = changed_lines(before, draft.document)
    assert len(lines) == 2  # the steps line of outage, old and new (the array is inline)
    assert "Step two, now clearer" in lines[1]
    assert load_flow(draft.document).solutions["outage"].steps[1].en == "Step two, now clearer"
    assert load_flow(draft.document).solutions["network"].steps[1].en == "Step two"


def test_adding_a_step_row_without_javascript_saves_nothing_and_keeps_what_was_typed(
    draft: Draft, author: User
) -> None:
    client = in_english(author)
    url = f"/staff/flows/drafts/{draft.pk}/solutions/outage/"
    page = client.post(url, {**solution_form(draft, cause_en="Typed, not saved"), "add_step": "1"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="step_2_id"' in html
    assert "Typed, not saved" in html
    assert 'name="rows" value="3"' in html
    draft.refresh_from_db()
    assert "Typed, not saved" not in draft.document
    data = solution_form(draft, rows=3, step_2_id="Langkah tiga", step_2_en="Step three")
    assert client.post(url, data).status_code == 303
    draft.refresh_from_db()
    steps = load_flow(draft.document).solutions["outage"].steps
    assert [step.en for step in steps] == ["Step one", "Step two", "Step three"]


def test_removing_a_step_shifts_the_rows_below_it_up(draft: Draft, author: User) -> None:
    client = in_english(author)
    url = f"/staff/flows/drafts/{draft.pk}/solutions/outage/"
    page = client.post(url, {**solution_form(draft), "remove_step": "0"}).content.decode()
    assert 'name="rows" value="1"' in page
    assert "Step two" in page
    assert 'name="step_1_id"' not in page
    data = solution_form(draft, rows=1, step_0_id="Langkah dua", step_0_en="Step two")
    del data["step_1_id"], data["step_1_en"]
    assert client.post(url, data).status_code == 303
    draft.refresh_from_db()
    assert [s.en for s in load_flow(draft.document).solutions["outage"].steps] == ["Step two"]


def test_the_solution_form_writes_confidence_sources_and_who(draft: Draft, author: User) -> None:
    before = draft.document
    data = solution_form(draft, confidence="partial", who=["seller", "platform"])
    in_english(author).post(f"/staff/flows/drafts/{draft.pk}/solutions/outage/", data)
    draft.refresh_from_db()
    outage = load_flow(draft.document).solutions["outage"]
    assert outage.confidence == "partial"
    assert outage.who == ("seller", "platform")
    assert len(changed_lines(before, draft.document)) == 4  # who and confidence, old and new


def test_an_htmx_step_row_comes_back_as_the_editor_partial(draft: Draft, author: User) -> None:
    page = in_english(author).post(
        f"/staff/flows/drafts/{draft.pk}/solutions/outage/",
        {**solution_form(draft), "add_step": "1"},
        HTTP_HX_REQUEST="true",
    )
    html = page.content.decode()
    assert html.lstrip().startswith('<div id="editor"')
    assert "<html" not in html
    assert 'name="step_2_en"' in html


def test_an_htmx_change_rechecks_the_unsaved_form_and_returns_the_report(
    draft: Draft, author: User
) -> None:
    page = in_english(author).post(
        f"/staff/flows/drafts/{draft.pk}/solutions/outage/",
        {**solution_form(draft, cause_en=""), "check": "1"},
        HTTP_HX_REQUEST="true",
    )
    html = page.content.decode()
    assert html.lstrip().startswith('<section id="report"')
    assert page.status_code == 200
    # An empty cause is refused by the form before the checker runs (the saved draft's
    # report comes back); a placeholder naming no fact is what the checker itself says.
    page = in_english(author).post(
        f"/staff/flows/drafts/{draft.pk}/solutions/outage/",
        {**solution_form(draft, cause_en="Wait {no_such_fact} hours"), "check": "1"},
        HTTP_HX_REQUEST="true",
    )
    html = page.content.decode()
    assert "{no_such_fact} names no fact" in html
    assert f'href="/staff/flows/drafts/{draft.pk}/solutions/outage/"' in html
    assert "not saved yet" in html
    draft.refresh_from_db()
    assert "no_such_fact" not in draft.document


def test_the_tip_form_edits_one_tip_in_both_languages(draft: Draft, author: User) -> None:
    before = draft.document
    client = in_english(author)
    url = f"/staff/flows/drafts/{draft.pk}/tips/daily/"
    assert "Process orders every day." in client.get(url).content.decode()
    data = {"text_id": "Proses setiap hari kerja.", "text_en": "Process every working day."}
    assert client.post(url, {**data, "revision": draft.revision}).status_code == 303
    draft.refresh_from_db()
    assert load_flow(draft.document).tips["daily"].text.en == "Process every working day."
    assert len(changed_lines(before, draft.document)) == 2


def option_form(draft: Draft, **changes: Any) -> dict[str, Any]:
    fields = {
        "value": "balance",
        "label_id": "Saldo bermasalah",
        "label_en": "A balance problem",
        "keywords": "saldo ketahan, payout",
        "go": "contact",
        "revision": draft.revision,
    }
    return {**fields, **changes}


def test_adding_an_option_adds_its_route_before_the_closing_one(draft: Draft, author: User) -> None:
    before = draft.document
    response = in_english(author).post(
        f"/staff/flows/drafts/{draft.pk}/questions/where/new-option/", option_form(draft)
    )
    assert response.status_code == 303
    draft.refresh_from_db()
    where = load_flow(draft.document).questions["where"]
    assert where.option("balance") is not None
    assert where.option("balance").keywords == ("saldo ketahan", "payout")  # type: ignore[union-attr]
    assert [route.go for route in where.routes] == ["placed_at", "contact", "everyone"]
    assert len(changed_lines(before, draft.document)) == 2  # two lines added, none changed
    assert draft.report().is_publishable


def test_a_new_option_lands_before_the_catch_all_one(draft: Draft, author: User) -> None:
    in_english(author).post(
        f"/staff/flows/drafts/{draft.pk}/questions/where/new-option/", option_form(draft)
    )
    draft.refresh_from_db()
    where = load_flow(draft.document).questions["where"]
    # "Something else / not sure" stays the last thing a seller is offered.
    assert where.values == ("ship", "open", "balance", "other")
    assert [option.catch_all for option in where.options] == [False, False, False, True]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Balance", "Use lower-case letters"),
        ("ship", "already has an option"),
        ("", "This field is required"),
    ],
)
def test_a_new_options_value_is_checked(
    draft: Draft, author: User, value: str, message: str
) -> None:
    page = in_english(author).post(
        f"/staff/flows/drafts/{draft.pk}/questions/where/new-option/",
        option_form(draft, value=value),
    )
    assert page.status_code == 200
    assert message in page.content.decode()


def test_the_options_error_is_in_indonesian_for_an_indonesian_page(
    draft: Draft, author: User
) -> None:
    from tests.staff import signed_in

    page = signed_in(author).post(
        f"/staff/flows/drafts/{draft.pk}/questions/where/new-option/",
        option_form(draft, value="ship"),
    )
    assert "Pertanyaan ini sudah punya pilihan" in page.content.decode()


def test_a_yes_no_question_takes_no_new_option(draft: Draft, author: User) -> None:
    client = in_english(author)
    response = client.get(f"/staff/flows/drafts/{draft.pk}/questions/everyone/new-option/")
    assert response.status_code == 303
    page = client.get(f"/staff/flows/drafts/{draft.pk}/questions/everyone/").content.decode()
    assert "new-option" not in page


def new_solution_form(draft: Draft, **changes: Any) -> dict[str, Any]:
    data = solution_form(draft, key="courier_late", title_en="The courier is late")
    return {**data, **changes}


def test_a_new_solution_is_appended_and_the_checker_says_it_is_unreachable(
    draft: Draft, author: User
) -> None:
    client = in_english(author)
    before = draft.document
    response = client.post(
        f"/staff/flows/drafts/{draft.pk}/new-solution/", new_solution_form(draft)
    )
    assert response.status_code == 303
    assert response["Location"] == f"/staff/flows/drafts/{draft.pk}/#report"
    draft.refresh_from_db()
    assert draft.document.startswith(before.rstrip("\n"))  # nothing above was touched
    assert load_flow(draft.document).solutions["courier_late"].title.en == "The courier is late"
    page = client.get(f"/staff/flows/drafts/{draft.pk}/").content.decode()
    assert "solution &#x27;courier_late&#x27;</a></strong>: cannot be reached" in page
    assert f'href="/staff/flows/drafts/{draft.pk}/solutions/courier_late/"' in page


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("Courier", "Use lower-case letters"),
        ("9lives", "Use lower-case letters"),
        ("outage", "is already used in this flow"),
        ("where", "is already used in this flow"),
        ("summary", "is reserved"),
    ],
)
def test_a_new_solutions_key_is_checked(draft: Draft, author: User, key: str, message: str) -> None:
    page = in_english(author).post(
        f"/staff/flows/drafts/{draft.pk}/new-solution/", new_solution_form(draft, key=key)
    )
    assert page.status_code == 200
    assert message in page.content.decode()
    draft.refresh_from_db()
    assert draft.document == COMMENTED


def test_checking_the_whole_text_without_saving_keeps_it_and_reports_on_it(
    draft: Draft, author: User
) -> None:
    client = in_english(author)
    broken = draft.document.replace('  {go = "app_version"},\n', "")
    data = {"document": broken, "revision": draft.revision}
    page = client.post(f"/staff/flows/drafts/{draft.pk}/check/", data)
    html = page.content.decode()
    assert page.status_code == 200
    assert "problems block publishing" in html
    assert "not saved yet" in html
    assert 'name="document"' in html
    partial = client.post(f"/staff/flows/drafts/{draft.pk}/check/", data, HTTP_HX_REQUEST="true")
    assert partial.content.decode().lstrip().startswith('<section id="report"')
    assert "not saved yet" in partial.content.decode()
    assert f'href="/staff/flows/drafts/{draft.pk}/questions/everyone/"' in partial.content.decode()
    draft.refresh_from_db()
    assert draft.document == COMMENTED


def test_the_draft_page_links_every_part_to_its_form(draft: Draft, author: User) -> None:
    page = in_english(author).get(f"/staff/flows/drafts/{draft.pk}/").content.decode()
    base = f"/staff/flows/drafts/{draft.pk}"
    for url in (
        "questions/where/",
        "solutions/outage/",
        "facts/late_hours/",
        "tips/daily/",
        "new-solution/",
    ):
        assert f'href="{base}/{url}"' in page


def test_report_items_link_to_the_form_of_the_fact_or_tip_they_name(
    draft: Draft, author: User
) -> None:
    text = draft.document.replace("Process orders every day.", "Process within {nope} hours.")
    draft.save_document(text, revision=draft.revision, by=author)
    page = in_english(author).get(f"/staff/flows/drafts/{draft.pk}/").content.decode()
    assert f'href="/staff/flows/drafts/{draft.pk}/tips/daily/">tip &#x27;daily&#x27;</a>' in page


def test_a_second_save_of_the_solution_form_keeps_the_editors_entries(
    draft: Draft, author: User
) -> None:
    data = solution_form(draft, cause_en="Mine")
    draft.save_document(draft.document, revision=draft.revision, by=author)  # someone else
    page = in_english(author).post(f"/staff/flows/drafts/{draft.pk}/solutions/outage/", data)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Another editor saved this draft first" in html
    assert "Mine" in html
    draft.refresh_from_db()
    assert f'name="revision" value="{draft.revision}"' in html


@pytest.mark.parametrize(("part", "form"), [("questions", "where"), ("solutions", "outage")])
def test_a_link_from_insight_opens_or_reuses_the_editors_draft_at_the_form(
    version: FlowVersion, author: User, part: str, form: str
) -> None:
    client = in_english(author)
    url = f"/staff/flows/{part}/{form}/draft/"
    page = client.get(url)
    assert page.status_code == 200
    assert not Draft.objects.exists()  # a GET starts nothing
    response = client.post(url)
    draft = Draft.objects.get()
    assert response["Location"] == f"/staff/flows/drafts/{draft.pk}/{part}/{form}/"
    assert client.get(url)["Location"] == response["Location"]  # reused, not a second one
    assert client.post(url)["Location"] == response["Location"]
    assert Draft.objects.count() == 1


def test_a_link_to_a_part_the_live_version_lacks_says_so(
    version: FlowVersion, author: User
) -> None:
    client = in_english(author)
    response = client.post("/staff/flows/solutions/nope/draft/")
    assert response["Location"] == "/staff/flows/"
    assert "has no “nope”" in client.get("/staff/flows/").content.decode()
    assert not Draft.objects.exists()


@pytest.mark.parametrize(
    "page",
    [
        "solutions/outage/",
        "tips/daily/",
        "questions/where/new-option/",
        "new-solution/",
    ],
)
def test_form_pages_cost_the_same_queries_however_many_drafts_and_versions(
    page: str, version: FlowVersion, author: User
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    draft = Draft.start(version, by=author)
    client = in_english(author)
    url = f"/staff/flows/drafts/{draft.pk}/{page}"
    client.get(url)

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = measure()
    for number in range(3):
        Draft.start(version, by=author)
        FlowVersion.publish(SMALL.replace("Alur kecil", f"Alur {number}"), by=author, note="n")
    assert measure() == few


@pytest.mark.needs("graphviz")  # the traffic diagram is laid out by `dot`
def test_insight_links_editors_to_the_workshop_forms_and_support_not(
    insight_sessions: list[Any],
) -> None:
    editor = in_english(staff_user("editors", "editor")).get("/staff/insight/").content.decode()
    assert 'href="/staff/flows/questions/everyone/draft/"' in editor
    assert 'href="/staff/flows/solutions/outage/draft/"' in editor
    traffic = editor[editor.index("<svg") :]
    assert 'xlink:href="/staff/flows/questions/everyone/draft/"' in traffic  # its node
    support = in_english(staff_user("support", "lead")).get("/staff/insight/").content.decode()
    assert 'id="question-everyone"' in support
    assert "/draft/" not in support


def test_the_diff_page_names_parts_and_fields_in_the_pages_language(
    draft: Draft, author: User
) -> None:
    from tests.staff import signed_in

    text = draft.document.replace("Lihat halaman pesanan.", "Buka Pesanan.")
    draft.save_document(
        text.replace('en = "Step two"', 'en = "Then two"', 1), revision=draft.revision, by=author
    )
    indonesian = signed_in(author).get(f"/staff/flows/drafts/{draft.pk}/diff/").content.decode()
    assert "Pertanyaan diubah" in indonesian
    assert "bantuan (Bahasa Indonesia)" in indonesian
    assert "Solusi diubah" in indonesian
    assert "langkah 2 (Bahasa Inggris)" in indonesian
    english = in_english(author).get(f"/staff/flows/drafts/{draft.pk}/diff/").content.decode()
    assert "Question changed" in english
    assert "step 2 (English)" in english
