"""'Tell us in your words' on the landing page and "explain instead" on every question:
the reading is shown to confirm (a GET stores nothing), the confirmed answers count, and
the words are kept masked for support."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import opened
from tests.staff import signed_in, staff_user
from wizard.sellers.models import FlowVersion, Session
from wizard.support.summary import case_summary

CONTENT = Path(__file__).resolve().parents[2] / "wizard/content/orders.toml"


@pytest.fixture
def shipped(db: None) -> FlowVersion:
    version, _ = FlowVersion.load(CONTENT.read_text(encoding="utf-8"))
    return version


def ticked(page: str) -> list[str]:
    return re.findall(r'type="checkbox" name="answer" [^>]*value="([a-z_]+:[a-z_]+)" checked', page)


def radios(page: str) -> list[str]:
    return re.findall(r'type="radio" name="answer" [^>]*value="([a-z_]*:?[a-z_]*)"', page)


def test_the_landing_page_shows_what_the_words_state_and_why(shipped: FlowVersion) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/", {"words": "pakai ginee, gagal terus"})
    text = page.content.decode()
    assert ticked(text) == ["error:tool"]
    assert "you wrote “ginee”" in text
    assert radios(text)[0] == "where:cannot_ship"  # implied: offered first, not chosen
    assert "None of these — ask me the questions" in text
    assert not re.search(r'type="radio"[^>]*checked', text)
    assert not Session.objects.exists()


def test_the_reading_speaks_bahasa_indonesia(shipped: FlowVersion) -> None:
    text = Client(HTTP_ACCEPT_LANGUAGE="id").get("/", {"words": "pakai ginee"}).content.decode()
    assert "Anda menulis “ginee”" in text
    assert "Tidak ada yang cocok — tanyakan saja pertanyaannya" in text


def test_vague_words_abstain_with_nothing_chosen(shipped: FlowVersion) -> None:
    text = Client().get("/", {"words": "tolong bantu min"}).content.decode()
    assert ticked(text) == []
    assert not re.search(r'type="radio"[^>]*checked', text)


def test_starting_from_words_keeps_them_masked_and_the_start_mode(shipped: FlowVersion) -> None:
    words = "pakai ginee gagal, wa 0812-3456-7890, pesanan 578123456789012345"
    response = Client().post(
        "/start/", {"answer": ["error:tool", ""], "words": words, "source": "words"}
    )
    session = opened(response["Location"])
    assert session.start_mode == "words"
    assert session.answers == {"error": "tool"}  # not on the path yet: it waits there
    assert session.current_step == "where"
    [kept] = session.words
    assert kept["source"] == "words"
    assert "3456" not in kept["text"]
    assert "578123" not in kept["text"]
    assert "ginee" in kept["text"]


def test_pressing_start_is_a_start_from_the_questions(shipped: FlowVersion) -> None:
    session = opened(Client().post("/start/")["Location"])
    assert session.start_mode == "questions"
    assert session.words == []


def test_two_answers_to_one_question_choose_neither(shipped: FlowVersion) -> None:
    session = opened(
        Client().post("/start/", {"answer": ["where:courier", "where:balance"]})["Location"]
    )
    assert session.answers == {}


def start(client: Client, answers: list[str]) -> Session:
    return opened(client.post("/start/", {"answer": answers})["Location"])


def test_every_question_page_offers_explain_instead(shipped: FlowVersion) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    session = start(client, ["where:cannot_ship"])
    page = client.get(session.step_url()).content.decode()
    assert "Explain in your own words instead" in page
    assert f'action="/s/{session.token}/explain/{session.current_step}/"' in page


def test_explaining_on_a_question_reads_from_there_and_stores_nothing(
    shipped: FlowVersion,
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    session = start(client, ["where:courier"])
    url = f"/s/{session.token}/explain/shipment/"
    assert session.walk().is_on_path("shipment") is False  # a date comes first
    response = client.get(f"/s/{session.token}/explain/placed_at/", {"words": "kurir belum jemput"})
    assert response.status_code == 200
    assert ticked(response.content.decode()) == ["shipment:not_picked"]
    session.refresh_from_db()
    assert session.revision == 1
    assert client.get(url, {"words": "x"}).status_code == 303  # not on the path


def test_confirming_the_reading_answers_and_keeps_the_words(shipped: FlowVersion) -> None:
    client = Client()
    session = start(client, ["where:cannot_ship"])
    for key, value in (("placed_at", ""), ("service", "regular")):
        if session.current_step == key:
            client.post(session.step_url(key), {"revision": session.revision, "value": value})
            session.refresh_from_db()
    assert session.current_step == "status"
    response = client.post(
        f"/s/{session.token}/explain/status/",
        {
            "answer": ["status:to_ship", "error:tool", "where:courier"],
            "words": "perlu dikirim, pakai ginee, hp 081234567890",
            "source": "words",
            "revision": session.revision,
        },
    )
    assert response.status_code == 303
    session.refresh_from_db()
    assert session.answers["status"] == "to_ship"
    assert session.answers["error"] == "tool"
    assert session.answers["where"] == "cannot_ship"  # a question before `status`: ignored
    assert session.words[-1]["at"] == "status"
    assert "081234567890" not in session.words[-1]["text"]
    assert session.log.filter(question="error", value="tool").exists()


def test_none_of_these_keeps_only_the_words(shipped: FlowVersion) -> None:
    client = Client()
    session = start(client, ["where:cannot_ship"])
    before = dict(session.answers)
    client.post(
        f"/s/{session.token}/explain/placed_at/",
        {"answer": [""], "words": "bingung", "revision": session.revision},
    )
    session.refresh_from_db()
    assert session.answers == before
    assert [said["text"] for said in session.words] == ["bingung"]


def test_a_stale_explanation_is_refused_with_a_message(shipped: FlowVersion) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    session = start(client, ["where:cannot_ship"])
    response = client.post(
        f"/s/{session.token}/explain/placed_at/",
        {"answer": ["status:to_ship"], "words": "x", "revision": session.revision + 5},
        follow=True,
    )
    assert response.status_code == 200
    assert "changed in another tab" in response.content.decode()
    session.refresh_from_db()
    assert "status" not in session.answers


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"revision": "abc"},
        {"revision": "0", "answer": ["nope"], "words": "x" * 5000},
        {"revision": "0", "answer": ["where:teleport"], "source": "camera"},
        {"revision": "-1", "words": "\x00"},
    ],
)
def test_bad_explanations_get_a_clear_answer_never_a_5xx(
    shipped: FlowVersion, data: dict[str, object]
) -> None:
    client = Client()
    session = start(client, [])
    response = client.post(f"/s/{session.token}/explain/where/", data, follow=True)
    assert response.status_code == 200
    bad = client.get(f"/s/{session.token}/explain/where/", {"words": "x" * 400})
    assert bad.status_code == 200
    assert client.get(f"/s/{session.token}/explain/nowhere/").status_code in (200, 303)


def test_support_reads_the_words_on_the_case_page_and_in_the_summary(
    shipped: FlowVersion,
) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/start/", {"words": "saldo ketahan, hub 0812 3456 7890", "source": "words"}
    )
    session = opened(response["Location"])
    text = case_summary(session, session.walk())
    assert "What I wrote: “saldo ketahan, hub [phone]”" in text
    short = case_summary(session, session.walk(), terse=3)
    assert "saldo ketahan" in short
    staff = signed_in(staff_user("support"))
    page = staff.get(f"/staff/cases/{session.code}/").content.decode()
    assert "saldo ketahan, hub [phone]" in page
    assert "0812" not in page


def test_insight_shows_help_rates_by_how_sessions_started(shipped: FlowVersion) -> None:
    words = Session.start(shipped, language="id", words="gak bisa atur pengiriman")
    screenshot = Session.start(
        shipped, language="id", words="Terjadi kesalahan", source="screenshot"
    )
    Session.start(shipped, language="id")
    words.record_feedback(True, revision=words.revision)
    screenshot.record_feedback(False, revision=screenshot.revision)
    lead = signed_in(staff_user("support", "lead"), HTTP_ACCEPT_LANGUAGE="en")
    page = lead.get("/staff/insight/").content.decode()
    table = page.split('id="start-heading"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><th scope=\"row\">([^<]+)</th>(.*?)</tr>", table)
    figures = {html.unescape(label): re.findall(r">([^<]+)</td>", c) for label, c in rows}
    assert figures["from the seller's words"] == ["1", "1", "1", "100%"]
    assert figures["from a screenshot"] == ["1", "1", "0", "0%"]
    assert figures["from the questions"] == ["1", "0", "0", "—"]
