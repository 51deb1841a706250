"""Share links: unguessable, stored hashed, read-only, expiring, revocable, and logged."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from tests.staff import answer_all, share, signed_in, solved, staff_user
from wizard.sellers.models import Session
from wizard.support.models import Note, ShareLink, ShareView


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def outage(session: Session) -> Session:
    return solved(session)


def made_link(client: Client, session: Session) -> str:
    """Make a link from the seller's share page; returns the share URL shown once."""
    response = client.post(f"/s/{session.token}/share/")
    assert response.status_code == 200
    match = re.search(r'value="(http://testserver/share/[^"]+/)"', response.content.decode())
    assert match is not None
    return match.group(1).removeprefix("http://testserver")


def test_a_share_token_has_256_random_bits_and_only_its_hash_is_stored(session: Session) -> None:
    tokens = {share(session) for _ in range(10)}
    assert len(tokens) == 10
    assert all(len(token) >= 43 for token in tokens)
    stored = set(ShareLink.objects.values_list("token_hash", flat=True))
    assert stored == {hashlib.sha256(token.encode()).hexdigest() for token in tokens}
    assert not stored & tokens


def test_the_seller_makes_a_link_from_the_session_and_it_is_shown_once(
    client: Client, outage: Session
) -> None:
    url = made_link(client, outage)
    assert client.get(url).status_code == 200
    listing = client.get(f"/s/{outage.token}/share/").content.decode()
    assert url not in listing  # shown only in the response that made it
    assert "dibuka 1 kali" in listing  # the session's language: "opened 1 time"


def test_every_session_page_links_to_sharing(client: Client, outage: Session) -> None:
    for url in (outage.step_url(), outage.step_url("where"), outage.get_absolute_url()):
        assert f'href="/s/{outage.token}/share/"' in client.get(url).content.decode()


def test_the_share_page_shows_the_transcript_and_the_solution(
    client: Client, outage: Session
) -> None:
    page = client.get(f"/share/{share(outage)}/").content.decode()
    assert "Where is the problem?" in page
    assert "Cannot open" in page
    assert "Other sellers too?" in page
    assert "Yes" in page
    assert "Title outage" in page
    assert "Cause outage" in page
    assert "Check outage" in page
    assert "Step one" in page
    assert "Step two" in page
    assert "Seller manual" in page
    assert outage.code in page


def test_the_share_page_follows_the_readers_language(outage: Session) -> None:
    token = share(outage)
    indonesian = Client(HTTP_ACCEPT_LANGUAGE="id").get(f"/share/{token}/").content.decode()
    assert "Penjual lain juga?" in indonesian
    assert "Judul outage" in indonesian


def test_the_share_page_changes_nothing_and_never_reveals_the_session_link(
    client: Client, outage: Session
) -> None:
    before = Session.objects.values().get(pk=outage.pk)
    page = client.get(f"/share/{share(outage)}/").content.decode()
    assert outage.token not in page
    assert re.findall(r'<form[^>]*action="([^"]*)"', page) == ["/i18n/setlang/"]
    assert Session.objects.values().get(pk=outage.pk) == before


def test_an_unfinished_session_shows_the_question_it_waits_on(
    client: Client, session: Session
) -> None:
    answer_all(session, ("where", "ship"))
    page = client.get(f"/share/{share(session)}/").content.decode()
    assert "No solution reached yet" in page
    assert "When was the order placed?" in page


def test_every_view_is_recorded_as_anonymous_or_as_the_staff_member(
    client: Client, outage: Session
) -> None:
    token = share(outage)
    client.get(f"/share/{token}/")
    support = staff_user("support")
    signed_in(support).get(f"/share/{token}/")
    signed_in(support).get(f"/share/{token}/summary.txt")
    viewers = list(ShareView.objects.order_by("viewed_at", "id").values_list("viewer", flat=True))
    assert viewers == [None, support.pk, support.pk]


def test_an_expired_link_no_longer_opens(client: Client, outage: Session) -> None:
    token = share(outage)
    ShareLink.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(f"/share/{token}/")
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert "Title outage" not in response.content.decode()
    assert client.get(f"/share/{token}/summary.txt").status_code == 410
    assert not ShareView.objects.exists()


def test_links_expire_after_the_configured_days(outage: Session, settings: object) -> None:
    settings.SHARE_LINK_DAYS = 3  # type: ignore[attr-defined]
    link, _ = ShareLink.create(outage)
    assert link.expires_at - link.created_at == dt.timedelta(days=3)


def test_the_seller_revokes_a_link_from_the_session(client: Client, outage: Session) -> None:
    token = share(outage)
    link = ShareLink.objects.get()
    response = client.post(f"/s/{outage.token}/share/{link.pk}/revoke/")
    assert response.status_code == 303
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert link.revoked_by is None
    response = client.get(f"/share/{token}/")
    assert response.status_code == 410
    assert "This link was revoked" in response.content.decode()


def test_a_seller_cannot_revoke_another_sessions_link(
    client: Client, outage: Session, version: object
) -> None:
    share(outage)
    other = Session.start(outage.flow_version, language="id")
    link = ShareLink.objects.get()
    assert client.post(f"/s/{other.token}/share/{link.pk}/revoke/").status_code == 404
    link.refresh_from_db()
    assert link.is_usable


def test_staff_revoke_a_link_from_the_case_page(outage: Session) -> None:
    token = share(outage)
    link = ShareLink.objects.get()
    support = staff_user("support")
    response = signed_in(support).post(f"/staff/cases/{outage.code}/links/{link.pk}/revoke/")
    assert response.status_code == 303
    link.refresh_from_db()
    assert link.revoked_by == support
    assert Client().get(f"/share/{token}/").status_code == 410


def test_an_unknown_token_is_a_plain_404(client: Client, outage: Session) -> None:
    response = client.get("/share/this-is-not-a-real-share-token-at-all-0000000/")
    assert response.status_code == 404
    assert "We could not find this link" in response.content.decode()


def test_anonymous_holders_never_see_staff_only_data(client: Client, outage: Session) -> None:
    token = share(outage)
    support = staff_user("support", "agent_rina")
    Note.record(outage, author=support, text="Seller is angry, call back at 3", status="escalated")
    answer_all(outage, ("everyone", "no"), ("everyone", "yes"))  # a changed answer
    signed_in(support).get(f"/share/{token}/")  # a staff view in the viewer log
    for reader in (client, signed_in(staff_user("editors"))):
        page = reader.get(f"/share/{token}/").content.decode()
        assert "Seller is angry" not in page
        assert "agent_rina" not in page
        assert "Who opened the share links" not in page
        assert "including changed ones" not in page
        assert "For staff" not in page


def test_signed_in_support_sees_notes_status_changed_answers_and_viewers(
    client: Client, outage: Session
) -> None:
    token = share(outage)
    support = staff_user("support", "agent_rina")
    Note.record(outage, author=support, text="Seller is angry, call back at 3", status="escalated")
    answer_all(outage, ("everyone", "no"), ("everyone", "yes"))
    client.get(f"/share/{token}/")
    page = signed_in(support, HTTP_ACCEPT_LANGUAGE="en").get(f"/share/{token}/").content.decode()
    assert "Seller is angry, call back at 3" in page
    assert "agent_rina" in page
    assert "escalated" in page
    assert "changed" in page
    assert "<del>No</del>" in page
    assert "someone with the link, not signed in" in page
    assert f'href="/staff/cases/{outage.code}/"' in page


def test_the_plain_text_summary_of_a_share_link(client: Client, outage: Session) -> None:
    token = share(outage)
    response = client.get(f"/share/{token}/summary.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "Judul outage" in text  # in the seller's language
    assert f"http://testserver/share/{token}/" in text
    assert "<" not in text


def test_the_share_page_is_printable(client: Client, outage: Session) -> None:
    page = client.get(f"/share/{share(outage)}/").content.decode()
    assert "data-print" in page
    with open("static/css/app.css", encoding="utf-8") as css:
        assert "@media print" in css.read()


def test_share_and_staff_pages_are_not_cached_or_indexed(client: Client, outage: Session) -> None:
    response = client.get(f"/share/{share(outage)}/")
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


# --- queries: constant, whatever the number of answers, notes, links and views ---------


@pytest.mark.parametrize("rounds", [1, 6])
def test_the_share_page_costs_the_same_queries_for_anonymous_holders(
    client: Client, outage: Session, rounds: int, django_assert_num_queries: object
) -> None:
    token = share(outage)
    for _ in range(rounds):
        answer_all(outage, ("everyone", "no"), ("everyone", "yes"))
        client.get(f"/share/{token}/")
    cache.clear()  # a reader not seen before: their opening is logged
    # The link with its session, and the view logged.
    with django_assert_num_queries(2):
        assert client.get(f"/share/{token}/").status_code == 200


@pytest.mark.parametrize("rounds", [1, 6])
def test_the_share_page_costs_the_same_queries_for_staff(
    outage: Session, rounds: int, django_assert_num_queries: object
) -> None:
    token = share(outage)
    support = staff_user("support")
    staff = signed_in(support)
    for number in range(rounds):
        answer_all(outage, ("everyone", "no"), ("everyone", "yes"), by=support)
        Note.record(outage, author=support, text=f"note {number}", status="")
        staff.get(f"/share/{token}/")
    cache.clear()  # as if first opened: the view is logged
    # Auth session and user, their permissions (2), the link, the view logged; the log,
    # notes and viewers (3).
    with django_assert_num_queries(9):
        assert staff.get(f"/share/{token}/").status_code == 200


@pytest.mark.parametrize("links", [1, 6])
def test_the_sellers_share_page_costs_the_same_queries_whatever_the_links(
    client: Client, outage: Session, links: int, django_assert_num_queries: object
) -> None:
    for _ in range(links):
        client.get(f"/share/{share(outage)}/")
    with django_assert_num_queries(2):  # the session; its links with their views
        assert client.get(f"/s/{outage.token}/share/").status_code == 200


def test_the_plain_text_summary_costs_two_queries(
    client: Client, outage: Session, django_assert_num_queries: object
) -> None:
    token = share(outage)
    client.get(f"/share/{token}/summary.txt")
    cache.clear()  # a reader not seen before: their opening is logged
    with django_assert_num_queries(2):  # the link with its session, the view logged
        client.get(f"/share/{token}/summary.txt")


def test_a_closed_link_costs_one_query(
    client: Client, outage: Session, django_assert_num_queries: object
) -> None:
    token = share(outage)
    ShareLink.objects.get().revoke()
    with django_assert_num_queries(1):
        assert client.get(f"/share/{token}/").status_code == 410
