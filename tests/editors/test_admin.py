"""The editors' admin: incidents and flow versions, at their addresses since the apps."""

from __future__ import annotations

from django.test import Client


def test_a_bookmark_from_before_the_apps_lands_on_the_same_admin_page(client: Client) -> None:
    response = client.get("/admin/wizard/incident/7/change/?_changelist_filters=active")
    assert response.status_code == 301
    assert response["Location"] == "/admin/sellers/incident/7/change/?_changelist_filters=active"
    assert client.get("/admin/wizard/note/")["Location"] == "/admin/support/note/"


def test_only_the_models_that_moved_are_redirected(client: Client) -> None:
    # The admin's own answer to an unknown page: sign in first (nothing was moved there).
    assert client.get("/admin/wizard/user/")["Location"].startswith("/admin/login/")
