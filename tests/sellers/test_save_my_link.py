""" "Save my link": every question page lets the seller keep their session link — copy
it, WhatsApp it or email it to themselves — and says that the link is the way in."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

from django.test import Client

from tests.conftest import answer
from wizard.sellers.models import Session


def links(page: str) -> dict[str, str]:
    found = re.findall(r'<a href="((?:https://wa\.me/|mailto:)[^"]+)"', page)
    return {
        urlsplit(html.unescape(url)).scheme + urlsplit(html.unescape(url)).netloc: html.unescape(
            url
        )
        for url in found
    }


def test_every_question_page_offers_to_save_the_session_link(session: Session) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    session.set_language("en")
    for key, value in [("where", "ship"), ("placed_at", None)]:
        page = client.get(session.step_url()).content.decode()
        assert "Save my link to continue later" in page
        assert "Whoever has the link can continue your session" in page
        assert f'value="http://testserver/s/{session.token}/"' in page  # to copy
        if value is None:
            break
        answer(client, session, key, value)
        session.refresh_from_db()


def test_the_whatsapp_and_email_links_carry_the_session_link_correctly_encoded(
    session: Session,
) -> None:
    session.set_language("en")
    page = Client().get(session.step_url()).content.decode()
    ways = links(page)
    whatsapp = urlsplit(ways["httpswa.me"])
    assert whatsapp.path == "/"  # no number: the seller picks themselves
    [text] = parse_qs(whatsapp.query)["text"]
    assert text == (
        "Continue my Pesanan Lancar session (TikTok Shop orders), at “Where is the problem?”: "
        f"http://testserver/s/{session.token}/"
    )
    assert "%3A%2F%2Ftestserver%2Fs%2F" in whatsapp.query  # the URL inside is encoded
    email = urlsplit(ways["mailto"])
    assert email.path == ""
    fields = parse_qs(email.query)
    assert fields["subject"] == [f"My Pesanan Lancar session {session.code}"]
    assert fields["body"] == [text]


def test_save_my_link_in_indonesian(session: Session) -> None:
    page = Client().get(session.step_url()).content.decode()
    assert "Simpan tautan saya" in page
    [text] = parse_qs(urlsplit(links(page)["httpswa.me"]).query)["text"]
    assert text.startswith("Lanjutkan sesi Pesanan Lancar saya")
    assert text.endswith(f"http://testserver/s/{session.token}/")


def test_the_code_alone_is_not_a_way_back_in(session: Session) -> None:
    assert Client().get(f"/s/{session.code}/").status_code == 404


def whatsapp_text(page: str) -> str:
    [text] = parse_qs(urlsplit(links(page)["httpswa.me"]).query)["text"]
    return text


def test_an_htmx_answer_sends_the_box_again_naming_the_new_step(session: Session) -> None:
    """Only the step card is swapped: the box comes out of band, or it would still name
    the question the seller just answered."""
    client = Client()
    session.set_language("en")
    response = answer(client, session, "where", "open", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<html" not in page
    assert re.search(r'<details class="save-link" id="save-link" hx-swap-oob="innerHTML">', page)
    assert f'value="http://testserver/s/{session.token}/"' in page
    assert whatsapp_text(page) == (
        "Continue my Pesanan Lancar session (TikTok Shop orders), at “Other sellers too?”: "
        f"http://testserver/s/{session.token}/"
    )
    # A full page has the box in place, not out of band.
    full = client.get(session.step_url()).content.decode()
    assert 'id="save-link">' in full
    assert 'hx-swap-oob="innerHTML"' not in full


def test_a_solution_offers_the_box_too_naming_the_solution(session: Session) -> None:
    client = Client()
    answer(client, session, "where", "open")
    response = answer(client, session, "everyone", "yes", HTTP_HX_REQUEST="true")
    assert whatsapp_text(response.content.decode()).endswith(
        f", di “Judul outage”: http://testserver/s/{session.token}/"
    )
    full = client.get(session.step_url("outage")).content.decode()
    assert "Simpan tautan saya" in full
    assert whatsapp_text(full).endswith(
        f", di “Judul outage”: http://testserver/s/{session.token}/"
    )
