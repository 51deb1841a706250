"""The health check, and what sellers see while the database is away."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation
from pytest_django import DjangoAssertNumQueries

from wizard.sellers.models import FlowVersion, Session


def test_the_health_check_answers_200_with_one_cheap_query(
    client: Client, db: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain"
    assert "no-store" in response["Cache-Control"]


def test_the_health_check_answers_head_and_refuses_post(client: Client, db: None) -> None:
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_the_health_check_answers_503_when_the_database_does_not(client: Client, db: None) -> None:
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("server closed")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database unavailable\n"


def test_a_lost_database_gives_sellers_503_and_when_to_retry_not_a_500(
    session: Session,
) -> None:
    client = Client(raise_request_exception=False)
    with mock.patch.object(Session, "with_token", side_effect=OperationalError("connection lost")):
        response = client.get(session.step_url("where"))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Sorry, something went wrong on our side" in response.content.decode()


def test_a_bug_still_answers_500_with_the_friendly_page(version: FlowVersion) -> None:
    client = Client(raise_request_exception=False)
    with mock.patch("wizard.sellers.views.steps.FlowVersion.live", side_effect=RuntimeError("bug")):
        response = client.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Maaf, ada gangguan di sisi kami" in html
    assert "Sorry, something went wrong on our side" in html


def test_the_500_page_needs_neither_the_database_nor_translations() -> None:
    # No `db` fixture: pytest-django fails any query this test would make.
    with translation.override(None):
        html = render_to_string("500.html")
    assert 'lang="id"' in html
    assert 'lang="en"' in html
    assert "/static/css/app.css" in html


@pytest.mark.parametrize(("language", "title"), [("en", "We could not find that page")])
def test_a_mistyped_session_link_gets_the_friendly_404_page(
    client: Client, db: None, language: str, title: str
) -> None:
    response = client.get("/s/not-a-real-token/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    assert title in response.content.decode()


def test_a_malformed_request_gets_the_friendly_400_page(client: Client, db: None) -> None:
    response = client.get("/", HTTP_HOST="evil.example", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Something in that request was not right" in html
    # Rendered with the request: the page's script carries this response's nonce.
    assert 'nonce=""' not in html
