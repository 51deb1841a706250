"""Sellers who answered truthfully and used to land on the wrong page (issue 14), walked
through the real pages of the shipped flow to the solution each must reach."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import opened
from wizard.flows import Flow, Question, Value, walk
from wizard.sellers.models import FlowVersion, Incident, Session

ALL_SETTINGS = [
    "verified",
    "pickup_addr",
    "return_addr",
    "shipping_opts",
    "holiday_off",
    "bank",
    "integration",
]


def hours_ago(hours: float) -> str:
    """A wall-clock time in WIB, as the browser's date-time field sends it."""
    return timezone.localtime(timezone.now() - dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def seller(language: str = "en") -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language)


def walk_pages(
    client: Client,
    answers: dict[str, Value],
    start: list[str] | None = None,
    *,
    partial: bool = False,
) -> Session:
    """Start a session (with any confirmed answers) and answer each question it asks;
    `partial` stops at the first question the seller has no answer for."""
    session = opened(client.post("/start/", {"answer": start or []})["Location"])
    for _ in range(12):
        position = session.walk()
        if position.current is None:
            break
        key = position.current.key
        if partial and key not in answers:
            break
        assert key in answers, f"the flow asked {key!r}, which the seller does not answer"
        response = client.post(
            session.step_url(key), {"revision": session.revision, "value": answers[key]}
        )
        assert response.status_code == 303, response.content.decode()[:1500]
        session.refresh_from_db()
    return session


def solution_page(client: Client, session: Session) -> str:
    return client.get(session.step_url()).content.decode()


# --- 1. The outage check wherever a platform fault is plausible ------------------------


def test_a_generic_error_on_every_order_asks_about_other_sellers_and_ends_on_the_outage(
    shipped: FlowVersion,
) -> None:
    client = seller()
    session = walk_pages(
        client,
        {
            "where": "cannot_ship",
            "placed_at": hours_ago(2),
            "service": "regular",
            "status": "to_ship",
            "error": "generic",
            "others_too": "everyone",
        },
    )
    assert session.outcome == "outage"


def test_an_active_incident_shows_on_the_outage_question_reached_from_an_order_error(
    shipped: FlowVersion,
) -> None:
    Incident.objects.create(
        title_indonesian="Seller Center sedang gangguan",
        title_english="Seller Center is down",
        text_indonesian="Tunggu dan coba lagi nanti.",
        text_english="Wait and try again later.",
    )
    client = seller()
    session = walk_pages(
        client,
        {
            "where": "cannot_ship",
            "placed_at": hours_ago(2),
            "service": "regular",
            "status": "to_ship",
        },
        partial=True,
    )
    client.post(session.step_url("error"), {"revision": session.revision, "value": "generic"})
    session.refresh_from_db()
    assert session.current_step == "others_too"
    page = client.get(session.step_url("others_too")).content.decode()
    assert "Seller Center is down" in page
    assert f'action="/s/{session.token}/incident/"' in page  # the seller may end there


# --- 2. An error that names a shop setting ------------------------------------------


@pytest.mark.parametrize(
    ("setting", "solution"),
    [("pickup_addr", "address"), ("return_addr", "address"), ("shipping_opts", "shipping_options")],
)
def test_an_error_naming_a_setting_leads_to_that_setting(
    shipped: FlowVersion, setting: str, solution: str
) -> None:
    session = walk_pages(
        seller(),
        {
            "where": "cannot_ship",
            "placed_at": hours_ago(2),
            "service": "regular",
            "status": "to_ship",
            "error": "names_setting",
            "setting_named": setting,
        },
    )
    assert session.outcome == solution
    assert "Warehouse Settings" in solution_page(seller(), session)


def test_no_on_the_label_page_offers_the_warehouse_settings_next(shipped: FlowVersion) -> None:
    client = seller()
    session = walk_pages(
        client,
        {
            "where": "cannot_ship",
            "placed_at": hours_ago(2),
            "service": "regular",
            "status": "to_ship",
            "error": "label_fail",
        },
    )
    assert session.outcome == "label_error"
    response = client.post(
        f"/s/{session.token}/feedback/", {"revision": session.revision, "helped": "no"}
    )
    page = client.get(response["Location"]).content.decode()
    assert "Warehouse or return address incomplete" in page
    assert "Shipping options off" in page


# --- 3. "Your words" tick what they state; the answers on the way there are asked --------


@pytest.mark.parametrize(
    ("words", "first", "understood"),
    [
        ("alamat di label salah", "", {"where": "courier", "shipment": "wrong_label"}),
        ("saldo ditahan", "", {"where": "balance", "payout": "held"}),
        ("batas pesanan harian", "no_orders", {"buyers": "limit"}),
        ("belum dibayar", "cannot_ship", {"status": "unpaid"}),
        ("ginee error", "cannot_ship", {"error": "tool"}),
        ("tidak ada pilihan kurir", "no_orders", {"buyers": "no_courier"}),
        ("paket abnormal", "cannot_ship", {"error": "label_fail"}),
    ],
)
def test_words_tick_what_they_state_and_offer_the_answer_that_leads_there(
    shipped: FlowVersion, words: str, first: str, understood: dict[str, str]
) -> None:
    """`first` is the first question's answer the words lead to without stating it."""
    page = seller("id").get("/", {"words": words}).content.decode()
    ticked = dict(
        pair.split(":")
        for pair in re.findall(
            r'type="checkbox" name="answer" [^>]*value="([a-z_]+:[a-z_]+)" checked', page
        )
    )
    assert ticked == understood, f"{words!r} understood {ticked}"
    offered = re.findall(r'type="radio" name="answer" [^>]*value="where:([a-z_]+)"', page)
    assert offered[:1] == ([first] if first else [])  # a stated first answer is ticked instead
    assert not re.search(r'type="radio"[^>]*checked', page)  # implied: asked, not assumed


def test_the_words_box_lands_on_the_wrong_label_page_after_the_one_question_it_cannot_answer(
    shipped: FlowVersion,
) -> None:
    client = seller("id")
    session = walk_pages(
        client,
        {"placed_at": hours_ago(3), "service": "regular"},
        start=["where:courier", "shipment:wrong_label"],
    )
    assert session.outcome == "wrong_label"


def test_an_unticked_pre_filled_answer_is_asked_instead(shipped: FlowVersion) -> None:
    client = seller("id")
    session = walk_pages(
        client,
        {"placed_at": hours_ago(3), "service": "regular", "shipment": "not_picked"},
        start=["where:courier"],  # "shipment: wrong label" unticked
    )
    assert session.outcome == "courier_no_show"


def test_a_pre_filled_wrong_branch_is_undone_by_changing_the_first_answer(
    shipped: FlowVersion,
) -> None:
    client = seller("en")
    session = opened(
        client.post("/start/", {"answer": ["where:balance", "payout:held"]})["Location"]
    )
    assert session.outcome == "balance_held"
    client.post(session.step_url("where"), {"revision": session.revision, "value": "cannot_open"})
    session.refresh_from_db()
    assert session.current_step == "others_too"
    assert "payout" not in session.answers  # off the new path: no longer counts


def test_candidates_are_ranked_by_the_words_they_explain(shipped: FlowVersion) -> None:
    page = seller("id").get("/", {"words": "pesanan tidak bisa diproses, pembeli minta batal"})
    radios = re.findall(
        r'type="radio" name="answer" [^>]*value="([a-z_]+:[a-z_]+)"', page.content.decode()
    )
    # Both halves are explained about as well: both lead, and neither is chosen for them.
    assert set(radios[:2]) == {"where:cannot_ship", "where:cancel_request"}
    assert "checked" not in page.content.decode().split('id="reading"')[1]


# --- 4. Questions a seller can answer honestly ----------------------------------------


def test_a_seller_who_cannot_see_the_order_leaves_its_time_empty_and_gets_no_deadline(
    shipped: FlowVersion,
) -> None:
    client = seller()
    session = walk_pages(
        client,
        {
            "where": "cannot_ship",
            "placed_at": "",
            "service": "regular",
            "status": "not_visible",
            "account_role": "owner",
            "tokopedia": "yes",
        },
    )
    assert session.outcome == "integration"
    assert session.answers["placed_at"] == ""
    assert "Ship by" not in solution_page(client, session)


def test_a_cancellation_request_has_its_own_first_answer_and_points_at_action_needed(
    shipped: FlowVersion,
) -> None:
    client = seller()
    session = opened(client.post("/start/")["Location"])
    client.post(session.step_url("where"), {"revision": 0, "value": "cancel_request"})
    session.refresh_from_db()
    assert session.current_step == "requested_at"
    assert "Action Needed" in client.get(session.step_url()).content.decode()
    client.post(
        session.step_url("requested_at"), {"revision": session.revision, "value": hours_ago(2)}
    )
    session.refresh_from_db()
    assert session.outcome == "cancel_request"


def test_other_sellers_and_other_devices_are_asked_apart(shipped: FlowVersion) -> None:
    flow = shipped.flow
    assert "device" not in flow.questions["others_too"].text.en
    assert "sellers" not in flow.questions["other_device"].text.en


def test_the_just_paid_status_does_not_read_like_a_missing_button(shipped: FlowVersion) -> None:
    label = shipped.flow.questions["status"].option("on_hold")
    assert label is not None
    assert "button" not in label.label.en


def test_the_stock_questions_name_the_variant(shipped: FlowVersion) -> None:
    for key in ("ordered", "stock"):
        assert "that variant" not in shipped.flow.questions[key].text.en
        assert "varian itu" not in shipped.flow.questions[key].text.id


def test_a_price_mistake_goes_straight_to_the_listing_without_counting_stock(
    shipped: FlowVersion,
) -> None:
    session = walk_pages(
        seller(),
        {
            "where": "cannot_ship",
            "placed_at": hours_ago(2),
            "service": "regular",
            "status": "to_ship",
            "error": "wrong_price",
        },
    )
    assert session.outcome == "wrong_info"
    assert "stock" not in session.answers


def test_a_browser_user_who_leaves_the_app_version_empty_is_not_told_to_update(
    shipped: FlowVersion,
) -> None:
    session = walk_pages(
        seller(),
        {
            "where": "cannot_open",
            "others_too": "only_me",
            "other_device": "yes",
            "app_version": "browser",
        },
    )
    assert session.outcome == "cache_login"
    assert "update_app" not in {finding.key for finding in session.walk().findings}


# --- 5. Progress never goes backwards ---------------------------------------------------

NOW = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC)  # a Monday, 10:00 in Jakarta
WIB = dt.timezone(dt.timedelta(hours=7))


def sample_answers(question: Question) -> list[Value]:
    """A few answers per question that, between them, take every route."""
    match question.kind:
        case "choice" | "yesno":
            return list[Value](question.values)
        case "multi":
            everything = list(question.values)
            return [everything, [], *([v for v in everything if v != left] for left in everything)]
        case "number":
            return [question.minimum, min(10, question.maximum), question.maximum]
        case "version":
            return ["", "1.0", "999.0"] if question.optional else ["1.0", "999.0"]
        case _:
            times: list[Value] = [
                (NOW - dt.timedelta(hours=h)).astimezone(WIB).isoformat() for h in (1, 20, 100)
            ]
            return [*times, ""] if question.optional else times


def every_path(flow: Flow) -> Iterator[dict[str, Value]]:
    """Each distinct sequence of sample answers, in the order they are asked."""
    stack: list[dict[str, Value]] = [{}]
    while stack:
        answers = stack.pop()
        position = walk(flow, answers, NOW)
        if position.current is None:
            yield answers
            continue
        for value in sample_answers(position.current):
            stack.append({**answers, position.current.key: value})


def test_progress_never_decreases_along_any_path_of_the_shipped_flow(shipped_flow: Flow) -> None:
    flow = shipped_flow
    paths = 0
    for answers in every_path(flow):
        paths += 1
        items = list(answers.items())
        shown = [walk(flow, dict(items[:count]), NOW).percent for count in range(len(items) + 1)]
        assert shown == sorted(shown), f"progress went {shown} along {list(answers)}"
        assert shown[-1] == 100
    assert paths > 100


def test_the_question_page_shows_the_walks_progress(shipped: FlowVersion) -> None:
    client = seller()
    session = walk_pages(client, {"where": "cannot_ship"}, partial=True)
    percent = session.walk().percent
    page = client.get(session.step_url()).content.decode()
    assert f'value="{percent}"' in page


# --- 6. Next causes and steps that fit what the seller said ----------------------------


def test_an_arranged_shipment_is_not_told_to_arrange_it(shipped: FlowVersion) -> None:
    client = seller()
    session = walk_pages(
        client,
        {
            "where": "courier",
            "placed_at": hours_ago(20),
            "service": "regular",
            "shipment": "dropoff_late",
        },
    )
    assert session.outcome == "handover_deadline"
    page = solution_page(client, session)
    assert "arrange shipment" not in page.lower()
    assert "Ship by" in page


def test_an_old_awaiting_collection_order_notes_the_handover_deadline(shipped: FlowVersion) -> None:
    session = walk_pages(
        seller(),
        {
            "where": "cannot_ship",
            "placed_at": hours_ago(30),
            "service": "regular",
            "status": "awaiting_collection",
            "shipment": "not_picked",
        },
    )
    findings = {finding.key for finding in session.walk().findings}
    assert "handover_deadline" in findings
    assert "ship_deadline" not in findings


def test_a_cancelled_pre_order_is_not_told_to_ship(shipped: FlowVersion) -> None:
    client = seller()
    session = walk_pages(client, {"where": "cancelled", "cancel_reason": "preorder"})
    assert session.outcome == "preorder_missed"
    page = solution_page(client, session)
    assert "Ship this pre-order by" not in page
    assert "Don&#x27;t ship the goods" in page or "Don't ship the goods" in page


def test_the_cancel_response_deadline_box_does_not_cite_the_ship_by_time(
    shipped: FlowVersion,
) -> None:
    client = seller()
    session = walk_pages(client, {"where": "cancel_request", "requested_at": hours_ago(2)})
    page = solution_page(client, session)
    assert "Answer the cancellation request by" in page
    assert "ship by" not in page.lower()
