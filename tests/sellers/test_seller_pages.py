"""The seller's pages: full pages on GET, partials for htmx, redirects for plain forms."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.conftest import answer, opened, path_of
from tests.documents import SOURCES, solution
from tests.sellers.queries import answer_queries
from wizard.sellers.models import Answer, FlowVersion, Session

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="id")


def test_the_landing_page_offers_a_start_button_and_creates_nothing(
    client: Client, version: FlowVersion
) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert b'action="/start/"' in response.content
    assert Session.objects.count() == 0


def test_starting_is_a_post_that_leads_to_the_first_question(
    client: Client, version: FlowVersion
) -> None:
    assert client.get("/start/").status_code == 405
    response = client.post("/start/")
    session = opened(response["Location"])
    assert response.status_code == 303
    assert response["Location"] == f"/s/{session.token}/where/"
    assert session.flow_version == version
    assert session.language == "id"


def test_a_session_token_carries_at_least_128_random_bits(version: FlowVersion) -> None:
    tokens = {Session.start(version, language="id").token for _ in range(20)}
    assert len(tokens) == 20
    assert all(len(token) >= 43 for token in tokens)  # 32 bytes of base64url


def test_a_question_page_is_a_real_form_that_works_without_javascript(
    client: Client, session: Session
) -> None:
    response = client.get(session.step_url("where"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<form method="post" action="/s/{session.token}/where/"' in html
    assert 'hx-post="/s/' in html
    assert 'type="radio"' in html
    assert "<html" in html


def test_a_plain_answer_redirects_with_303_to_the_next_question(
    client: Client, session: Session
) -> None:
    response = answer(client, session, "where", "ship")
    assert response.status_code == 303
    assert response["Location"] == session.step_url("placed_at")


def test_an_htmx_answer_returns_the_next_step_card_and_pushes_its_url(
    client: Client, session: Session
) -> None:
    response = answer(client, session, "where", "ship", **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert response["HX-Push-Url"] == session.step_url("placed_at")
    assert html.lstrip().startswith("<title>")
    assert 'id="step"' in html
    assert "<html" not in html
    assert 'type="datetime-local"' in html


def test_a_get_always_returns_the_full_page_even_for_htmx(client: Client, session: Session) -> None:
    response = client.get(session.step_url("where"), **HTMX)
    assert b"<html" in response.content


def test_invalid_input_returns_200_with_the_error_and_stores_nothing(
    client: Client, session: Session
) -> None:
    response = answer(client, session, "where", "teleport")
    assert response.status_code == 200
    assert b"is-invalid" in response.content
    session.refresh_from_db()
    assert session.answers == {}
    assert session.revision == 0
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("ordered", "0"),
        ("ordered", "-4"),
        ("ordered", "1e9"),
        ("ordered", "tiga"),
        ("placed_at", "2099-01-01T10:00"),
        ("placed_at", "2000-01-01T10:00"),
        ("placed_at", "kemarin"),
    ],
)
def test_forged_or_malformed_values_are_form_errors(
    client: Client, session: Session, key: str, value: str
) -> None:
    answer(client, session, "where", "ship")
    if key == "ordered":
        answer(client, session, "placed_at", "2026-11-30T09:00")
    response = answer(client, session, key, value)
    assert response.status_code == 200
    assert b"invalid-feedback" in response.content


def test_a_whole_session_reaches_the_solution_page(client: Client, session: Session) -> None:
    answer(client, session, "where", "ship")
    answer(client, session, "placed_at", "2020-01-01T09:00")  # too old: refused
    answer(client, session, "placed_at", _recent())
    answer(client, session, "ordered", "3")
    answer(client, session, "stock", "1")
    response = answer(client, session, "settings", ["address", "bank"])
    session.refresh_from_db()
    assert session.outcome == "out_of_stock"
    assert response["Location"] == session.step_url("out_of_stock")
    page = client.get(response["Location"]).content.decode()
    assert "Judul out_of_stock" in page
    assert "Langkah satu" in page
    assert "Seller manual" in page
    assert "Proses pesanan setiap hari." in page
    assert f'action="/s/{session.token}/feedback/"' in page


def test_the_answer_log_keeps_every_answer_including_changed_ones(
    client: Client, session: Session
) -> None:
    answer(client, session, "where", "open")
    answer(client, session, "where", "ship")
    assert list(Answer.objects.values_list("question", "value", "revision")) == [
        ("where", "open", 1),
        ("where", "ship", 2),
    ]


def test_changing_an_early_answer_keeps_later_answers_still_on_the_path(
    client: Client, session: Session
) -> None:
    answer(client, session, "where", "ship")
    answer(client, session, "placed_at", _recent())
    answer(client, session, "ordered", "3")
    answer(client, session, "where", "ship")  # the same answer again
    assert path_of(session) == ["where", "placed_at", "ordered"]


def test_changing_an_early_answer_drops_answers_no_longer_on_the_path(
    client: Client, session: Session
) -> None:
    answer(client, session, "where", "ship")
    answer(client, session, "placed_at", _recent())
    response = answer(client, session, "where", "open")
    assert response["Location"] == session.step_url("everyone")
    session.refresh_from_db()
    assert session.answers == {"where": "open"}
    answer(client, session, "where", "ship")
    assert path_of(session) == ["where"]  # the dropped answer does not come back


def test_a_question_off_the_path_redirects_to_the_current_one_with_a_message(
    client: Client, session: Session
) -> None:
    answer(client, session, "where", "open")
    response = client.get(session.step_url("stock"), follow=True)
    assert response.redirect_chain == [(session.step_url("everyone"), 303)]
    assert "bukan bagian dari jalur Anda" in response.content.decode()
    response = answer(client, session, "stock", "5")
    assert response.status_code == 303
    session.refresh_from_db()
    assert "stock" not in session.answers


def test_an_unknown_step_of_the_flow_redirects_too(client: Client, session: Session) -> None:
    assert client.get(session.step_url("no_such_step")).status_code == 303


def test_an_answer_from_a_stale_page_is_refused_and_shows_the_current_state(
    client: Client, session: Session
) -> None:
    stale = session.revision
    answer(client, session, "where", "ship")
    response = client.post(
        session.step_url("where"), {"revision": stale, "value": "open"}, follow=True
    )
    session.refresh_from_db()
    assert session.answers == {"where": "ship"}
    assert response.redirect_chain[-1][0] == session.step_url("placed_at")
    assert "tab atau jendela lain" in response.content.decode()


def test_a_stale_htmx_answer_gets_the_current_step_card_with_the_message(
    client: Client, session: Session
) -> None:
    answer(client, session, "where", "ship")
    response = client.post(session.step_url("where"), {"revision": 0, "value": "open"}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Push-Url"] == session.step_url("placed_at")
    assert "tab atau jendela lain" in response.content.decode()


def test_an_unknown_token_gets_a_friendly_404(client: Client, version: FlowVersion) -> None:
    response = client.get("/s/not-a-real-token/")
    assert response.status_code == 404
    assert "Kami tidak menemukan halaman itu" in response.content.decode()
    assert client.get("/s/not-a-real-token/where/").status_code == 404
    assert client.post("/s/not-a-real-token/where/", {"value": "ship"}).status_code == 404


def test_the_session_link_of_a_new_session_goes_straight_to_the_first_question(
    client: Client, session: Session
) -> None:
    response = client.get(session.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == session.step_url("where")


def test_the_session_link_resumes_on_another_device_with_continue_or_start_over(
    client: Client, session: Session
) -> None:
    answer(client, session, "where", "ship")
    other_device = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = other_device.get(session.get_absolute_url()).content.decode()
    assert f'href="{session.step_url("placed_at")}"' in page
    assert f'action="/s/{session.token}/restart/"' in page
    assert "Kapan pesanan dibuat?" in page  # the session's language, not the device's


def test_starting_over_clears_the_answers_but_keeps_the_log(
    client: Client, session: Session
) -> None:
    answer(client, session, "where", "open")
    session.refresh_from_db()
    response = client.post(f"/s/{session.token}/restart/", {"revision": session.revision})
    assert response["Location"] == session.step_url("where")
    session.refresh_from_db()
    assert session.answers == {}
    assert Answer.objects.count() == 1


def test_did_it_help_is_stored(client: Client, session: Session) -> None:
    _solve(client, session)
    session.refresh_from_db()
    response = client.post(
        f"/s/{session.token}/feedback/", {"revision": session.revision, "helped": "no"}
    )
    assert response.status_code == 303
    session.refresh_from_db()
    assert session.helped is False
    page = client.get(session.step_url()).content.decode()
    assert "Maaf, masalahnya belum selesai." in page
    assert session.code in page


def test_changing_an_answer_after_the_solution_clears_did_it_help(
    client: Client, session: Session
) -> None:
    _solve(client, session)
    session.refresh_from_db()
    client.post(f"/s/{session.token}/feedback/", {"revision": session.revision, "helped": "yes"})
    answer(client, session, "everyone", "no")
    session.refresh_from_db()
    assert session.helped is None
    assert session.outcome == ""


def test_the_interface_follows_the_browser_language_on_the_landing_page(
    version: FlowVersion,
) -> None:
    english = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/").content.decode()
    indonesian = Client(HTTP_ACCEPT_LANGUAGE="id-ID,id;q=0.9").get("/").content.decode()
    assert '<html lang="en">' in english
    assert "Orders stuck in TikTok Shop?" in english
    assert '<html lang="id">' in indonesian
    assert "Pesanan macet di TikTok Shop?" in indonesian


def test_a_session_started_in_english_shows_english_content(version: FlowVersion) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/start/", follow=True)
    html = response.content.decode()
    assert "Where is the problem?" in html
    assert "Cannot ship" in html
    assert Session.objects.get().language == "en"


def test_switching_language_mid_session_is_kept_with_the_session(
    client: Client, session: Session
) -> None:
    answer(client, session, "where", "ship")
    response = client.post(
        f"/s/{session.token}/language/",
        {"language": "en", "next": session.step_url("where")},
    )
    assert response.status_code == 303
    assert response["Location"] == session.step_url("where")
    session.refresh_from_db()
    assert session.language == "en"
    page = Client(HTTP_ACCEPT_LANGUAGE="id").get(session.step_url("placed_at")).content.decode()
    assert "When was the order placed?" in page


def test_switching_language_never_redirects_off_site(client: Client, session: Session) -> None:
    response = client.post(
        f"/s/{session.token}/language/", {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == session.step_url()


def test_the_footer_says_this_is_not_a_tiktok_product(client: Client, session: Session) -> None:
    assert "tidak dibuat oleh" in client.get("/").content.decode()


# --- queries: a step costs the same whatever the path length ----------------------

CHAIN_LENGTH = 9


def chain_flow() -> str:
    """A line of number questions, long enough to answer eight of them; a big number
    leaves early, which keeps the median path short enough to publish."""
    questions = "".join(
        f"""
[questions.q{n}]
kind = "number"
text = {{id = "Pertanyaan {n}", en = "Question {n}"}}
routes = [{{when = "q{n} > 100", go = "done"}}, {{go = "{f"q{n + 1}" if n < CHAIN_LENGTH else "done"}"}}]
"""
        for n in range(1, CHAIN_LENGTH + 1)
    )
    head = '[flow]\nkey = "chain"\ntitle = {id = "Rantai", en = "Chain"}\nstart = "q1"\n'
    return head + questions + SOURCES + solution("done")


@pytest.fixture
def chain(db: None) -> Session:
    loaded, _ = FlowVersion.load(chain_flow())
    return Session.start(loaded, language="id")


def answer_chain(client: Client, session: Session, count: int) -> None:
    for n in range(1, count + 1):
        answer(client, session, f"q{n}", "1")


@pytest.mark.parametrize("answered", [1, 8])
def test_a_question_page_costs_one_query_whatever_the_path_length(
    client: Client, chain: Session, answered: int, django_assert_num_queries: object
) -> None:
    answer_chain(client, chain, answered)
    url = chain.step_url(f"q{answered + 1}")
    client.get(url)  # the flow version is parsed once per process
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("answered", [1, 8])
def test_an_answer_costs_the_same_queries_whatever_the_path_length(
    client: Client, chain: Session, answered: int, django_assert_num_queries: object
) -> None:
    answer_chain(client, chain, answered - 1)
    chain.refresh_from_db()
    key = f"q{answered}"
    with django_assert_num_queries(answer_queries()):
        response = client.post(chain.step_url(key), {"revision": chain.revision, "value": "2"})
    assert response.status_code == 303


def _recent() -> str:
    from django.utils import timezone

    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def _solve(client: Client, session: Session) -> None:
    answer(client, session, "where", "open")
    answer(client, session, "everyone", "yes")
    session.refresh_from_db()
    assert session.outcome == "outage"


def test_an_invalid_htmx_answer_gets_the_step_card_with_the_error(
    client: Client, session: Session
) -> None:
    response = answer(client, session, "where", "teleport", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="step"' in html
    assert "is-invalid" in html


def test_an_htmx_answer_to_a_question_off_the_path_gets_the_current_card_and_its_url(
    client: Client, session: Session
) -> None:
    answer(client, session, "where", "open")
    response = answer(client, session, "stock", "5", **HTMX)
    assert response.status_code == 200
    assert response["HX-Push-Url"] == session.step_url("everyone")
    assert "bukan bagian dari jalur Anda" in response.content.decode()


def test_head_requests_are_answered_like_get(client: Client, session: Session) -> None:
    # Uptime monitors and load balancers probe with HEAD.
    assert client.head("/").status_code == 200
    assert client.head(session.step_url("where")).status_code == 200
    assert client.head(session.get_absolute_url()).status_code == 302


def test_going_back_shows_the_earlier_answer_checked_and_a_new_session_does_not(
    client: Client, session: Session, version: FlowVersion
) -> None:
    fresh = Session.start(version, language="id")
    client.get(fresh.step_url("where"))  # renders (and keeps) the empty field first
    answer(client, session, "where", "ship")
    back = client.get(session.step_url("where")).content.decode()
    assert re.search(r'value="ship"[^>]*checked', back)
    again = client.get(fresh.step_url("where")).content.decode()
    assert not re.search(r'value="ship"[^>]*checked', again)
    assert f'name="revision" value="{fresh.revision}"' in again


def test_the_version_field_brings_up_the_phones_number_keyboard_with_a_dot(
    client: Client, session: Session
) -> None:
    answer(client, session, "where", "open")
    answer(client, session, "everyone", "no")
    page = client.get(session.step_url("app_version")).content.decode()
    [field] = re.findall(r'<input[^>]*name="value"[^>]*>', page)
    assert 'inputmode="decimal"' in field
    assert 'type="text"' in field  # a number field would refuse "43.2.1"


def test_the_session_code_says_what_it_is_for_wherever_it_is_shown(
    client: Client, session: Session
) -> None:
    hint = "sebutkan kode ini ke tim dukungan agar kasus Anda langsung ditemukan"
    pages = [session.step_url("where")]
    answer(client, session, "where", "open")
    answer(client, session, "everyone", "yes")  # the solution page
    pages += [session.step_url(), f"/s/{session.token}/share/"]
    for path in pages:
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get(path).content.decode()))
        assert f"Kode: {session.code} ({hint})" in text, path
