"""A checklist on the seller's pages: yes, no or "not sure" per item, sent by a plain
form or by htmx; answers stored before "not sure" still show and route as before."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.documents import SMALL
from tests.sellers.queries import answer_queries
from tests.staff import answer_all
from wizard.sellers.models import Answer, FlowVersion, Session

HTMX = {"HTTP_HX_REQUEST": "true"}
UNSURE_BANK = {"ticked": ["address"], "unticked": [], "unsure": ["bank"]}


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="id")


@pytest.fixture
def at_settings(session: Session) -> Session:
    """At the small flow's checklist, with 5 ordered and 5 in stock (no finding)."""
    placed = (timezone.now() - dt.timedelta(hours=2)).astimezone(dt.UTC).isoformat()
    answer_all(session, ("where", "ship"), ("placed_at", placed), ("ordered", 5), ("stock", 5))
    assert session.walk().step == "settings"
    return session


def post_ticks(client: Client, session: Session, **states: str) -> object:
    session.refresh_from_db()
    data = {"revision": session.revision, **{f"tick_{k}": v for k, v in states.items()}}
    return client.post(session.step_url("settings"), data)


def checked(page: str, item: str) -> str:
    """The state whose radio is checked for an item."""
    [state] = re.findall(rf'name="tick_{item}" value="(\w+)"[^>]*\bchecked', page)
    return str(state)


def test_each_item_is_a_group_of_yes_no_and_not_sure_with_nothing_chosen_yet(
    client: Client, at_settings: Session
) -> None:
    page = client.get(at_settings.step_url("settings")).content.decode()
    assert 'type="checkbox"' not in page
    for item, label in (("address", "Alamat"), ("bank", "Rekening")):
        fieldset = re.search(rf'<div id="div_id_tick_{item}".*?</fieldset>', page, re.DOTALL)
        assert fieldset is not None
        assert re.search(rf"<legend[^>]*>\s*{label}\s*</legend>", fieldset.group(0))
        labels = re.findall(r'class="form-check-label">\s*([^<]+?)\s*</label>', fieldset.group(0))
        assert labels == ["Ya", "Tidak", "Tidak yakin"]
        assert "checked" not in fieldset.group(0)  # the seller has said nothing yet


def test_a_plain_form_stores_the_three_sets_and_routes_on_them(
    client: Client, at_settings: Session
) -> None:
    response = post_ticks(client, at_settings, address="ticked", bank="unsure")
    at_settings.refresh_from_db()
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert at_settings.answers["settings"] == UNSURE_BANK
    assert Answer.objects.filter(session=at_settings).last().value == UNSURE_BANK  # type: ignore[union-attr]
    assert at_settings.outcome == "contact"


def test_an_item_marked_not_sure_counts_as_not_done_for_the_fix(
    client: Client, at_settings: Session
) -> None:
    post_ticks(client, at_settings, address="unsure", bank="ticked")
    at_settings.refresh_from_db()
    assert at_settings.outcome == "address"


def test_a_row_left_unanswered_is_asked_again_and_the_rows_answered_are_kept(
    client: Client, at_settings: Session
) -> None:
    response = post_ticks(client, at_settings, bank="unsure")
    page = html.unescape(response.content.decode())  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "1 baris belum dijawab: pilih Ya, Tidak, atau Tidak yakin di setiap baris." in page
    address = re.search(r'<div id="div_id_tick_address".*?</fieldset>', page, re.DOTALL)
    assert address is not None
    assert "Belum dijawab: pilih salah satu." in address.group(0)
    assert checked(page, "bank") == "unsure"  # nothing the seller said is lost
    at_settings.refresh_from_db()
    assert "settings" not in at_settings.answers
    post_ticks(client, at_settings, bank="unsure", address="unticked")
    at_settings.refresh_from_db()
    assert at_settings.answers["settings"] == {
        "ticked": [],
        "unticked": ["address"],
        "unsure": ["bank"],
    }


def test_a_checklist_sent_with_no_row_answered_is_asked_again(
    client: Client, at_settings: Session
) -> None:
    page = html.unescape(post_ticks(client, at_settings).content.decode())  # type: ignore[attr-defined]
    assert "2 baris belum dijawab: pilih Ya, Tidak, atau Tidak yakin di setiap baris." in page
    at_settings.refresh_from_db()
    assert "settings" not in at_settings.answers


def test_an_unknown_state_is_a_form_error_on_the_htmx_card(
    client: Client, at_settings: Session
) -> None:
    at_settings.refresh_from_db()
    response = client.post(
        at_settings.step_url("settings"),
        {"revision": at_settings.revision, "tick_bank": "maybe"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "invalid-feedback" in response.content.decode()
    at_settings.refresh_from_db()
    assert "settings" not in at_settings.answers


def test_an_htmx_answer_gets_the_next_card_and_the_answers_show_apart(
    client: Client, at_settings: Session
) -> None:
    at_settings.refresh_from_db()
    response = client.post(
        at_settings.step_url("settings"),
        {"revision": at_settings.revision, "tick_address": "ticked", "tick_bank": "unsure"},
        **HTMX,
    )
    assert response.status_code == 200
    card = html.unescape(response.content.decode())
    assert "Judul contact" in card
    assert "Mana yang sudah diatur?" in card
    assert "Ya: Alamat · Tidak yakin: Rekening" in card


def test_a_page_from_before_not_sure_may_still_send_the_ticked_items(
    client: Client, at_settings: Session
) -> None:
    at_settings.refresh_from_db()
    client.post(
        at_settings.step_url("settings"), {"revision": at_settings.revision, "value": ["bank"]}
    )
    at_settings.refresh_from_db()
    assert at_settings.answers["settings"] == {
        "ticked": ["bank"],
        "unticked": ["address"],
        "unsure": [],
    }
    assert at_settings.outcome == "address"


def test_an_old_answer_still_routes_shows_and_prefills_as_before(
    client: Client, at_settings: Session
) -> None:
    answer_all(at_settings, ("settings", ["bank"]))  # stored as the days before "not sure"
    at_settings.refresh_from_db()
    assert at_settings.answers["settings"] == ["bank"]
    assert at_settings.outcome == "address"
    solution = html.unescape(client.get(at_settings.step_url("address")).content.decode())
    assert "Ya: Rekening · Tidak: Alamat" in solution
    page = client.get(at_settings.step_url("settings")).content.decode()
    assert (checked(page, "address"), checked(page, "bank")) == ("unticked", "ticked")


def test_changing_the_answer_prefills_each_items_state(
    client: Client, at_settings: Session
) -> None:
    post_ticks(client, at_settings, address="ticked", bank="unsure")
    page = client.get(at_settings.step_url("settings")).content.decode()
    assert (checked(page, "address"), checked(page, "bank")) == ("ticked", "unsure")
    post_ticks(client, at_settings, address="unsure", bank="unticked")
    page = client.get(at_settings.step_url("settings")).content.decode()
    assert (checked(page, "address"), checked(page, "bank")) == ("unsure", "unticked")


def test_a_checklist_without_not_sure_keeps_its_tick_boxes(client: Client, db: None) -> None:
    version, _ = FlowVersion.load(
        SMALL.replace('kind = "multi"', 'kind = "multi"\nunsure = false').replace(
            'key = "small"', 'key = "plain"'
        )
    )
    session = Session.start(version, language="id")
    placed = (timezone.now() - dt.timedelta(hours=2)).astimezone(dt.UTC).isoformat()
    answer_all(session, ("where", "ship"), ("placed_at", placed), ("ordered", 5), ("stock", 5))
    page = client.get(session.step_url("settings")).content.decode()
    assert page.count('type="checkbox"') == 2
    assert "tick_" not in page
    session.refresh_from_db()
    client.post(session.step_url("settings"), {"revision": session.revision, "value": ["bank"]})
    session.refresh_from_db()
    assert session.answers["settings"] == ["bank"]


def test_the_checklist_page_and_an_htmx_answer_to_it_cost_what_other_questions_do(
    client: Client, at_settings: Session, django_assert_num_queries: Any
) -> None:
    url = at_settings.step_url("settings")
    client.get(url)  # the flow version is parsed once per process
    with django_assert_num_queries(1):  # the session
        assert client.get(url).status_code == 200
    at_settings.refresh_from_db()
    data = {"revision": at_settings.revision, "tick_address": "ticked", "tick_bank": "unsure"}
    # As any answer; the next card and the Save-my-link box cost none.
    with django_assert_num_queries(answer_queries()):
        assert client.post(url, data, **HTMX).status_code == 200
