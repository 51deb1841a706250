"""Every page with a date filter: any value a URL can carry gives a page or a form error, never a 5xx."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.staff import signed_in, staff_user
from wizard.sellers.models import FlowVersion

# (url, the date parameters it reads)
DATE_FILTERS = [
    ("/staff/insight/", ("since", "until")),
    ("/staff/insight/days.csv", ("since", "until")),
    ("/staff/cases/", ("active_from", "active_to")),
]
EDGES = [
    "0001-01-01",
    "9999-12-31",
    "1999-12-31",
    "2100-01-01",
    "2026-02-30",
    "-1",
    "0",
    "20261207",
    "2026-12-07T25:00",
    "\x00",
    "9" * 400,
]


@pytest.fixture
def editor(version: FlowVersion) -> Client:
    user: User = staff_user("editors", "ed")
    user.groups.add(*staff_user("support", "sup").groups.all())
    return signed_in(user, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize(("url", "names"), DATE_FILTERS)
@pytest.mark.parametrize("value", EDGES)
def test_an_out_of_range_or_malformed_date_is_never_a_server_error(
    editor: Client, url: str, names: tuple[str, ...], value: str
) -> None:
    for name in names:
        response = editor.get(url, {name: value})
        assert response.status_code < 500, (url, name, value)
    response = editor.get(url, dict.fromkeys(names, value))
    assert response.status_code < 500


def test_an_out_of_range_date_is_named_on_the_page(editor: Client) -> None:
    page = editor.get("/staff/insight/", {"until": "0001-01-01"}).content.decode()
    assert "Choose a date between 2000 and 2099." in page


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    since=st.one_of(st.dates().map(str), st.text(max_size=12)),
    until=st.one_of(st.dates().map(str), st.text(max_size=12)),
)
def test_fuzzed_date_filters_never_give_a_server_error(
    editor: Client, since: str, until: str
) -> None:
    for url, (first, second) in DATE_FILTERS:
        assert editor.get(url, {first: since, second: until}).status_code < 500
