"""A session's token is in the seller's link only: the database keeps its hash."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from tests.conftest import opened
from wizard.sellers.models import FlowVersion, Session, TokenUnknown


def stored_row(session: Session) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM wizard_session WHERE id = %s", [session.pk])
        return repr(cursor.fetchone())


def test_starting_stores_the_hash_of_the_token_the_seller_is_sent_to(
    client: Client, version: FlowVersion
) -> None:
    location = client.post("/start/")["Location"]
    token = location.split("/")[2]
    session = Session.objects.get()
    assert session.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in stored_row(session)


def test_a_session_found_by_its_token_carries_it_and_one_found_otherwise_does_not(
    session: Session, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        found = Session.opened_by(session.token)
    assert found == session
    assert found is not None
    assert found.step_url() == session.step_url()
    by_code = Session.objects.get(code=session.code)
    with pytest.raises(TokenUnknown):
        by_code.step_url()
    assert Session.opened_by(session.token[:-1] + "x") is None


def test_a_seller_page_builds_its_links_from_the_token_in_its_path(session: Session) -> None:
    page = Client().get(session.get_absolute_url(), follow=True)
    assert page.status_code == 200
    assert f'href="/s/{session.token}/share/"' in page.content.decode()
    assert opened(session.step_url()) == session
