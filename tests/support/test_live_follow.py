"""An agent follows a seller live: the case page polls a small fragment, which answers
nothing (204) until the seller's session changes, then the new path and answers."""

from __future__ import annotations

from django.test import Client

from tests.staff import answer_all, signed_in, staff_user
from wizard.sellers.models import Session


def test_following_live_polls_a_fragment_every_few_seconds(staff: Client, session: Session) -> None:
    page = staff.get(f"/staff/cases/{session.code}/").content.decode()
    assert f'href="/staff/cases/{session.code}/?live=1"' in page
    assert 'hx-trigger="every 3s"' not in page  # only when asked for
    page = staff.get(f"/staff/cases/{session.code}/?live=1").content.decode()
    assert (
        f'hx-get="/staff/cases/{session.code}/live/?revision={session.revision}" '
        'hx-trigger="every 3s" hx-swap="outerHTML"'
    ) in page


def test_a_new_answer_appears_in_the_fragment_and_nothing_is_sent_until_then(
    staff: Client, session: Session
) -> None:
    live = f"/staff/cases/{session.code}/live/?revision={session.revision}"
    assert staff.get(live, HTTP_HX_REQUEST="true").status_code == 204
    answer_all(session, ("where", "ship"))  # the seller taps, on their phone
    response = staff.get(live, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.strip().startswith('<div id="live"')
    assert "<html" not in fragment
    assert "Cannot ship" in fragment
    assert f"?revision={session.revision}" in fragment  # polls on from the new revision
    again = f"/staff/cases/{session.code}/live/?revision={session.revision}"
    assert staff.get(again, HTTP_HX_REQUEST="true").status_code == 204


def test_polling_costs_few_queries_while_nothing_changes(
    staff: Client, session: Session, django_assert_num_queries: object
) -> None:
    live = f"/staff/cases/{session.code}/live/?revision={session.revision}"
    staff.get(live)
    # Auth session, user, permissions (2), the session.
    with django_assert_num_queries(5):
        assert staff.get(live).status_code == 204


def test_sellers_and_editors_cannot_follow(session: Session) -> None:
    live = f"/staff/cases/{session.code}/live/"
    assert Client().get(live).status_code == 302
    assert signed_in(staff_user("editors")).get(live).status_code == 403
