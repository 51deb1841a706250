"""Contacting *this* support team: the channels a team sets up, links that open them with
the message written (within WhatsApp's length), office hours, and the plain fallback."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.template import Context
from django.test import Client
from django.utils import timezone

from tests.conftest import SHIPPED_FLOW
from tests.support.test_summary import say_no, with_findings
from wizard.flows import walk
from wizard.sellers.models import FlowVersion, Session
from wizard.sellers.templatetags.sellers import answer_label
from wizard.support import channels
from wizard.support.channels import WIB, SupportChannel, fitted
from wizard.support.models import Case, ShareLink
from wizard.support.outbox import Outbox


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def team(**fields: object) -> SupportChannel:
    defaults: dict[str, object] = {
        "whatsapp_number": "6281234567890",
        "email": "help@pesanan.example",
        "chat_url": "https://t.me/pesanan_help",
        "chat_name_id": "Telegram kami",
        "chat_name_en": "our Telegram",
        "open_days": "1234567",
        "opens_at": dt.time(0, 0),
        "closes_at": dt.time(23, 59),
    }
    return SupportChannel.objects.create(**(defaults | fields))


def contact(client: Client, session: Session, channel: str = "") -> Any:
    session.set_language("en")  # the message is in the seller's language
    with_findings(session)
    say_no(client, session)
    data = {"channel": channel} if channel else {}
    return client.post(f"/s/{session.token}/summary/", data)


def share_path(text: str) -> str:
    found = re.search(r"http://testserver(/share/[\w-]{43}/)", text)
    assert found is not None, text
    return found.group(1)


def test_whatsapp_opens_with_the_whole_message_and_a_working_share_link(
    client: Client, session: Session
) -> None:
    team()
    response = contact(client, session, "whatsapp")
    assert response.status_code == 303
    url = urlsplit(response["Location"])
    assert (url.scheme, url.netloc, url.path) == ("https", "wa.me", "/6281234567890")
    text = parse_qs(url.query)["text"][0]
    assert text.startswith(f"Pesanan Lancar — case {session.code}\n")
    assert "1. Where is the problem? — Cannot ship" in text
    assert "Judul address" not in text
    assert "Title address" in text
    assert Client().get(share_path(text)).status_code == 200
    assert session.token not in response["Location"]
    session.refresh_from_db()
    assert session.status == "escalated"
    assert Case.objects.filter(session=session, assigned_to=None).exists()


def test_the_message_is_encoded_so_nothing_in_it_breaks_the_link(session: Session) -> None:
    link = SupportChannel(whatsapp_number="628123").whatsapp_url(
        lambda shown: "a & b = c?\nd #e 100%"
    )
    assert link == "https://wa.me/628123?text=a%20%26%20b%20%3D%20c%3F%0Ad%20%23e%20100%25"
    assert parse_qs(urlsplit(link).query)["text"] == ["a & b = c?\nd #e 100%"]


def test_a_long_message_loses_boilerplate_never_an_answer_or_the_share_link(
    client: Client, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    team()
    monkeypatch.setattr(channels, "MAX_LINK_LENGTH", 900)
    response = contact(client, session, "whatsapp")
    link = response["Location"]
    assert len(link) <= 900
    text = parse_qs(urlsplit(link).query)["text"][0]
    assert "Steps suggested:" not in text  # the first boilerplate to go
    for number, answer in enumerate(["Cannot ship", "3", "1", "Yes: Bank account"], 1):
        assert f"{number}. " in text
        assert answer in text
    assert Client().get(share_path(text)).status_code == 200


def test_the_shortening_stops_as_soon_as_it_fits() -> None:
    def message(level: int) -> str:
        return "\n".join(["boilerplate " * (40 // (level + 1))] + ["answer"] * 10 + ["link"])

    link = fitted("https://wa.me/1?text=", message)
    assert len(link) <= channels.MAX_LINK_LENGTH
    assert unquote(link).count("answer") == 10
    assert unquote(link).count("boilerplate") == 40  # the whole message fitted


def test_a_case_too_long_for_any_link_points_to_the_share_link() -> None:
    def message(level: int) -> str:
        return "x" * 3000 if level < 4 else "all answers on the link: https://s.example/share/t/"

    assert unquote(fitted("https://wa.me/1?text=", message)).endswith("/share/t/")


def test_every_press_of_a_contact_button_carries_the_same_share_link(
    client: Client, session: Session
) -> None:
    team()
    first = share_path(
        parse_qs(urlsplit(contact(client, session, "whatsapp")["Location"]).query)["text"][0]
    )
    again = client.post(f"/s/{session.token}/summary/", {"channel": "email"})
    body = parse_qs(urlsplit(again["Location"]).query)["body"][0]
    assert share_path(body) == first
    assert ShareLink.objects.filter(session=session, is_for_support=True).count() == 1
    ShareLink.objects.get(session=session).revoke(by=None)
    third = client.post(f"/s/{session.token}/summary/", {"channel": "email"})
    body = parse_qs(urlsplit(third["Location"]).query)["body"][0]
    assert share_path(body) != first
    assert Client().get(share_path(body)).status_code == 200


def test_email_opens_with_subject_and_body(client: Client, session: Session) -> None:
    team()
    response = contact(client, session, "email")
    assert response.status_code == 303
    url = urlsplit(response["Location"])
    assert (url.scheme, url.path) == ("mailto", "help@pesanan.example")
    fields = parse_qs(url.query)
    assert fields["subject"] == [f"Pesanan Lancar — case {session.code}"]
    assert Client().get(share_path(fields["body"][0])).status_code == 200


def test_the_written_message_offers_every_channel_and_the_chat_with_a_message_to_copy(
    client: Client, session: Session
) -> None:
    team()
    page = contact(client, session).content.decode()
    assert 'href="https://wa.me/6281234567890?text=' in page
    assert 'href="mailto:help@pesanan.example?subject=' in page
    assert 'href="https://t.me/pesanan_help"' in page
    assert "Open our Telegram, then paste the message" in page
    assert '<textarea id="summary"' in page
    assert "Pusat Bantuan" not in page  # not sent away to the platform's help centre


def test_the_contact_page_offers_the_channels_as_buttons_before_anything_is_made(
    client: Client, session: Session
) -> None:
    team()
    session.set_language("en")
    page = client.get(f"/s/{session.token}/summary/").content.decode()
    assert 'name="channel" value="whatsapp"' in page
    assert 'name="channel" value="email"' in page
    assert "Write it for our Telegram" in page
    assert not ShareLink.objects.exists()


def test_with_no_channel_configured_it_says_so_and_keeps_the_message_to_paste(
    client: Client, session: Session
) -> None:
    SupportChannel.objects.create(is_active=True)  # saved, but with no way in filled in
    session.set_language("en")
    assert (
        client.get(f"/s/{session.token}/summary/")
        .content.decode()
        .count("has not set up a direct channel")
    )
    page = contact(client, session, "whatsapp").content.decode()
    assert "wa.me" not in page
    assert "Pusat Bantuan" in page
    assert '<textarea id="summary"' in page


def test_the_team_answers_only_in_its_office_hours_in_wib() -> None:
    hours = SupportChannel(open_days="12345", opens_at=dt.time(8), closes_at=dt.time(17))
    monday_morning = dt.datetime(2026, 11, 30, 9, 0, tzinfo=WIB)
    assert hours.is_open(monday_morning)
    assert hours.next_opening(monday_morning) is None
    monday_evening = monday_morning.replace(hour=17)
    assert not hours.is_open(monday_evening)
    assert hours.next_opening(monday_evening) == dt.datetime(2026, 12, 1, 8, 0, tzinfo=WIB)
    friday_night = dt.datetime(2026, 12, 4, 22, 0, tzinfo=WIB)
    assert hours.next_opening(friday_night) == dt.datetime(2026, 12, 7, 8, 0, tzinfo=WIB)
    # 07:30 WITA is 06:30 WIB: not open yet; the zone of the clock reading does not matter.
    early = dt.datetime(2026, 12, 1, 7, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert hours.next_opening(early) == dt.datetime(2026, 12, 1, 8, 0, tzinfo=WIB)


def test_outside_office_hours_the_page_says_when_someone_will_answer(
    client: Client, session: Session
) -> None:
    # Closed every day but one minute: the page names the next opening.
    team(open_days="1", opens_at=dt.time(3, 0), closes_at=dt.time(3, 1))
    session.set_language("en")
    page = client.get(f"/s/{session.token}/summary/").content.decode()
    assert "answers on Mon, 03:00\u201303:01 WIB." in page
    assert re.search(r"It is closed now: someone will answer from Monday \d+ \w+, 03:00 WIB", page)


def test_channels_and_hours_in_indonesian(session: Session) -> None:
    team(open_days="12345", opens_at=dt.time(3, 0), closes_at=dt.time(3, 1))
    page = Client().get(f"/s/{session.token}/summary/").content.decode()
    assert "Kirim lewat WhatsApp" in page
    assert "Tulis untuk Telegram kami" in page
    assert "menjawab pada Sen, Sel, Rab, Kam, Jum, 03:00\u201303:01 WIB." in page


def test_only_the_contact_page_may_send_a_form_on_to_whatsapp_or_the_mail_app(
    client: Client, session: Session
) -> None:
    contact_page = client.get(f"/s/{session.token}/summary/")["Content-Security-Policy"]
    assert "form-action 'self' https://wa.me https://api.whatsapp.com whatsapp: mailto:" in (
        contact_page
    )
    question = client.get(session.step_url())["Content-Security-Policy"]
    assert "form-action 'self';" in question + ";"
    assert "wa.me" not in question


def longest_path(flow: Any, now: dt.datetime) -> dict[str, Any]:
    """Answers to the shipped flow that take the most questions to reach a solution: every
    option tried at each choice, a plausible value typed where a seller types one."""
    typed: dict[str, Any] = {
        "number": 1,
        "version": "",
        "datetime": (now - dt.timedelta(hours=30)).isoformat(),
    }
    best: dict[str, Any] = {}
    stack: list[dict[str, Any]] = [{}]
    while stack:
        answers = stack.pop()
        position = walk(flow, answers, now)
        question = position.current
        if question is None:
            if position.solution is not None and len(answers) > len(best):
                best = answers
            continue
        if question.kind in ("choice", "yesno"):
            stack += [answers | {question.key: value} for value in question.values]
        elif question.kind == "multi":
            stack.append(answers | {question.key: []})
        else:
            value = typed[question.kind]
            if question.kind == "number":
                value = max(question.minimum, 1)
            stack.append(answers | {question.key: value})
    return best


def test_the_longest_case_keeps_every_answer_in_whatsapp_email_and_the_teams_email(
    db: None, client: Client, settings: Any, mailoutbox: list[Any]
) -> None:
    settings.SUPPORT_INBOX = "team@pesanan.example"
    version, _ = FlowVersion.load(SHIPPED_FLOW.read_text(encoding="utf-8"))
    session = Session.start(version, language="id")
    for key, value in longest_path(version.flow, timezone.now()).items():
        session.answer(key, value, revision=session.revision)
    walked = session.walk()
    assert walked.solution is not None
    assert len(walked.path) >= 6, "the longest path is a long case"
    context = Context({"flow": version.flow})
    labels = [answer_label(context, q, walked.answers[q.key]) for q in walked.path]
    team()
    texts = []
    for channel, part in (("whatsapp", "text"), ("email", "body")):
        response = client.post(f"/s/{session.token}/summary/", {"channel": channel})
        assert len(response["Location"]) <= channels.MAX_LINK_LENGTH
        texts.append(parse_qs(urlsplit(response["Location"]).query)[part][0])
    for row in Outbox.objects.all():
        row.send()
    texts.append(mailoutbox[-1].body)  # the team's notification
    for text in texts:
        assert session.code in text.splitlines()[0]
        for number, label in enumerate(labels, 1):
            assert f"{number}. " in text
            assert label in text, (label, text)
