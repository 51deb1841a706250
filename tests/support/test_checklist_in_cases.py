"""Support sees a checklist's items apart — yes, no and not sure — on the case page and
its timeline, the share page, the plain-text summary and the message to support."""

from __future__ import annotations

import datetime as dt
import html
import re
from urllib.parse import parse_qs, urlsplit

from django.test import Client
from django.utils import timezone

from tests.staff import answer_all, share
from tests.support.test_contact_channels import team
from tests.support.test_summary import say_no
from wizard.sellers.models import Session

UNSURE_BANK = {"ticked": ["address"], "unticked": [], "unsure": ["bank"]}


def at_contact(session: Session, settings: object) -> Session:
    """5 ordered, 5 in stock, then the checklist: the small flow ends on `contact`."""
    placed = (timezone.now() - dt.timedelta(hours=2)).astimezone(dt.UTC).isoformat()
    answer_all(
        session,
        ("where", "ship"),
        ("placed_at", placed),
        ("ordered", 5),
        ("stock", 5),
        ("settings", settings),
    )
    return session


def text_of(response: object) -> str:
    """The page's text, tags dropped and spaces folded."""
    page = response.content.decode()  # type: ignore[attr-defined]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_the_case_page_lists_yes_and_not_sure_apart_and_the_change(
    staff: Client, session: Session
) -> None:
    at_contact(session, ["address"])  # first as before "not sure": bank simply unticked
    answer_all(session, ("settings", UNSURE_BANK))
    page = text_of(staff.get(f"/staff/cases/{session.code}/"))
    assert "Which are set up? Yes: Address · Not sure: Bank account" in page
    assert (
        "Which are set up? Yes: Address · No: Bank account no longer counts seller" in page
    )  # the timeline keeps the first answer
    assert (
        "changed: Yes: Address · No: Bank account → Yes: Address · Not sure: Bank account" in page
    )


def test_the_share_page_lists_them_apart(session: Session) -> None:
    at_contact(session, UNSURE_BANK)
    page = text_of(Client(HTTP_ACCEPT_LANGUAGE="id").get(f"/share/{share(session)}/"))
    assert "Ya: Alamat · Tidak yakin: Rekening" in page


def test_the_plain_text_summary_lists_them_apart_in_the_sellers_language(
    staff: Client, session: Session
) -> None:
    at_contact(session, UNSURE_BANK)
    text = staff.get(f"/staff/cases/{session.code}/summary.txt").content.decode()
    assert "5. Mana yang sudah diatur? — Ya: Alamat · Tidak yakin: Rekening\n" in text


def test_an_old_answer_shows_what_was_not_ticked(staff: Client, session: Session) -> None:
    at_contact(session, ["address", "bank"])
    text = staff.get(f"/staff/cases/{session.code}/summary.txt").content.decode()
    assert "5. Mana yang sudah diatur? — Ya: Alamat, Rekening\n" in text


def test_the_message_to_support_and_its_whatsapp_link_list_them_apart(session: Session) -> None:
    team()
    session.set_language("en")
    at_contact(session, {"ticked": [], "unticked": ["address"], "unsure": ["bank"]})
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    say_no(client, session)
    page = text_of(client.post(f"/s/{session.token}/summary/"))  # the message to copy
    assert "5. Which are set up? — No: Address · Not sure: Bank account" in page
    response = client.post(f"/s/{session.token}/summary/", {"channel": "whatsapp"})
    [message] = parse_qs(urlsplit(response["Location"]).query)["text"]
    assert "5. Which are set up? — No: Address · Not sure: Bank account\n" in message
