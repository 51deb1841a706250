"""A question's blank answer fields are cached per flow version, question, language and
zone ({% cache %}): what one seller chose, sent or is shown never reaches another's page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.test import Client

from tests.conftest import answer, opened
from tests.documents import SMALL
from wizard.sellers.models import FlowVersion, Session

CHECKED = re.compile(r'<input[^>]*name="value"[^>]*\bchecked')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def page(client: Client, session: Session, key: str) -> str:
    response = client.get(session.step_url(key))
    assert response.status_code == 200
    return str(response.content.decode())


def started(version: FlowVersion, language: str = "id", **changes: Any) -> Session:
    session = Session.start(version, language=language)
    if changes:
        Session.objects.filter(pk=session.pk).update(**changes)
        session.refresh_from_db()
    return session


def test_the_blank_fields_are_rendered_once_and_then_read_from_the_cache(
    client: Client, version: FlowVersion
) -> None:
    key = make_template_fragment_key("answer_fields", [version.pk, "where", "id", "WIB"])
    fragments = caches["fragments"]
    assert fragments.get(key) is None
    page(client, started(version), "where")
    assert 'value="ship"' in fragments.get(key)
    fragments.set(key, "<p>from the cache</p>")
    assert "<p>from the cache</p>" in page(client, started(version), "where")


def test_a_chosen_answer_shown_to_one_seller_is_never_checked_for_another(
    client: Client, version: FlowVersion
) -> None:
    chose, fresh = started(version), started(version)
    answer(client, chose, "where", "ship")
    assert CHECKED.search(page(client, chose, "where"))  # back at the question: their answer
    assert not CHECKED.search(page(client, fresh, "where"))
    assert CHECKED.search(page(client, chose, "where"))


def test_a_checklist_prefilled_for_one_seller_is_blank_for_the_next(
    client: Client, version: FlowVersion
) -> None:
    done, fresh = started(version), started(version)
    answers = {"where": "ship", "placed_at": "2026-11-30T09:00+07:00", "ordered": 5, "stock": 5}
    for session in (done, fresh):
        Session.objects.filter(pk=session.pk).update(answers=answers, revision=4)
    answer(client, done, "settings", ["bank"])
    states = re.compile(r'name="tick_(\w+)" value="(\w+)"[^>]*\bchecked')
    assert states.findall(page(client, done, "settings")) == [
        ("address", "unticked"),
        ("bank", "ticked"),
    ]
    # A checklist starts with nothing chosen: the first seller's answers are not there.
    assert states.findall(page(client, fresh, "settings")) == []


def test_an_error_shown_to_one_seller_is_not_on_the_next_sellers_page(
    client: Client, version: FlowVersion
) -> None:
    wrong, fresh = started(version), started(version)
    page(client, fresh, "where")  # the blank fields are cached before the error
    refused = answer(client, wrong, "where", "teleport").content.decode()
    assert "is-invalid" in refused
    assert "teleport" in refused
    assert "is-invalid" not in page(client, fresh, "where")


def test_each_page_carries_its_own_revision_and_csrf_token(version: FlowVersion) -> None:
    moved, fresh = started(version), started(version)
    Session.objects.filter(pk=moved.pk).update(revision=7)
    one, other = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first = page(one, moved, "where")
    second = page(other, fresh, "where")
    assert 'name="revision" value="7"' in first
    assert 'name="revision" value="0"' in second
    first_token, second_token = TOKEN.findall(first)[-1], TOKEN.findall(second)[-1]
    assert first_token != second_token
    sent = other.post(
        fresh.step_url("where"),
        {"csrfmiddlewaretoken": second_token, "revision": 0, "value": "ship"},
    )
    assert sent.status_code == 303  # the token on the page is this browser's
    assert opened(sent["Location"]).answers == {"where": "ship"}


def test_another_language_gets_its_own_fields(client: Client, version: FlowVersion) -> None:
    assert "Tidak bisa kirim" in page(client, started(version, "id"), "where")
    english = page(client, started(version, "en"), "where")
    assert "Cannot ship" in english
    assert "Tidak bisa kirim" not in english


def test_another_zone_gets_its_own_time_zone_choice(client: Client, version: FlowVersion) -> None:
    selected = re.compile(r'<option value="(\w+)" selected>')
    west = started(version, zone="WIB", answers={"where": "ship"}, revision=1)
    east = started(version, zone="WIT", answers={"where": "ship"}, revision=1)
    assert selected.findall(page(client, west, "placed_at")) == ["WIB"]
    assert selected.findall(page(client, east, "placed_at")) == ["WIT"]


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_new_flow_version_gets_its_own_fields(
    client: Client, version: FlowVersion, language: str
) -> None:
    old = started(version, language)
    before = page(client, old, "where")
    changed, _ = FlowVersion.load(
        SMALL.replace('"Tidak bisa kirim"', '"Pesanan tidak bisa dikirim"').replace(
            '"Cannot ship"', '"Orders cannot ship"'
        )
    )
    assert changed.pk != version.pk
    new = page(client, started(changed, language), "where")
    label = {"id": "Pesanan tidak bisa dikirim", "en": "Orders cannot ship"}[language]
    assert label in new
    assert label not in before
    assert label not in page(client, old, "where")  # the old version keeps its own
