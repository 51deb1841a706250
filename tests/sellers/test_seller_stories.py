"""Real sellers' stories, told in their own words, walked through the pages to the
solution each must reach. The words must land the seller on the right branch."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import opened
from wizard.flows import Value
from wizard.sellers.models import FlowVersion, Session

FILLED = {
    "verified",
    "pickup_addr",
    "return_addr",
    "shipping_opts",
    "holiday_off",
    "bank",
    "integration",
}


def hours_ago(hours: float) -> str:
    """A wall-clock time in WIB, as the browser's date-time field sends it."""
    return timezone.localtime(timezone.now() - dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def settings_without(*missing: str) -> list[str]:
    return sorted(FILLED - set(missing))


@dataclass
class Story:
    """What the seller typed, how they answer what is then asked, and where they must end."""

    words: str
    language: str
    solution: str
    branch: str | None  # the `where` answer the words must suggest (None: words are unclear)
    answers: dict[str, Value] = field(default_factory=dict)
    findings: tuple[str, ...] = ()
    pick: str | None = None  # where the words point two ways: the candidate the seller picks


STORIES = {
    "kurir belum jemput, sudah 2 hari": Story(
        "kurir belum jemput padahal sudah atur pengiriman 2 hari lalu",
        "id",
        "courier_no_show",
        "courier",
        {"placed_at": hours_ago(50), "service": "regular", "shipment": "not_picked"},
        findings=("overdue", "address"),
    ),
    "pickup gak datang (chat spelling)": Story(
        "pickup gak dateng2 dr kmrn",
        "id",
        "courier_no_show",
        "courier",
        {"placed_at": hours_ago(20), "service": "regular", "shipment": "not_picked"},
    ),
    "resi belum update": Story(
        "paket udah diambil kurir tp resi belum update",
        "id",
        "tracking_stuck",
        "courier",
        {"placed_at": hours_ago(30), "service": "regular", "shipment": "not_updated"},
    ),
    "courier did not come (English)": Story(
        "The courier didn't come to pick up my parcel",
        "en",
        "courier_no_show",
        "courier",
        {"placed_at": hours_ago(5), "service": "regular", "shipment": "not_picked"},
    ),
    "wrong address printed on the label": Story(
        "alamat di label salah, masih alamat gudang lama",
        "id",
        "wrong_label",
        "courier",
        {"placed_at": hours_ago(3), "service": "regular", "shipment": "wrong_label"},
    ),
    "stok kosong tapi ada orderan": Story(
        "stok kosong tapi ada orderan masuk",
        "id",
        "out_of_stock",
        "cannot_ship",
        {
            "placed_at": hours_ago(2),
            "service": "regular",
            "status": "to_ship",
            "error": "stock",
            "ordered": 3,
            "stock": 0,
        },
    ),
    "orderan nyangkut, label gagal": Story(
        "orderan nyangkut gak bisa atur pengiriman",
        "id",
        "label_error",
        "cannot_ship",
        {
            "placed_at": hours_ago(4),
            "service": "regular",
            "status": "to_ship",
            "error": "label_fail",
        },
    ),
    "can't arrange shipment, no courier available": Story(
        "I can't arrange shipment for an order",
        "en",
        "shipping_options",
        "cannot_ship",
        {
            "placed_at": hours_ago(1),
            "service": "regular",
            "status": "to_ship",
            "error": "no_courier",
            "settings": settings_without("shipping_opts"),
        },
    ),
    "order unpaid": Story(
        "gak bisa atur pengiriman, statusnya belum dibayar",
        "id",
        "unpaid",
        "cannot_ship",
        {"placed_at": hours_ago(1), "service": "regular", "status": "unpaid"},
    ),
    "just paid, button missing": Story(
        "tombol atur pengiriman hilang",
        "id",
        "on_hold",
        "cannot_ship",
        {"placed_at": hours_ago(0.3), "service": "regular", "status": "on_hold"},
    ),
    "buyer asked to cancel (two ways: the seller picks)": Story(
        "pesanan tidak bisa diproses, pembeli minta batal",
        "id",
        "cancel_request",
        None,
        {
            "placed_at": hours_ago(6),
            "service": "regular",
            "status": "cancel_req",
            "requested_at": hours_ago(2),
        },
        pick="where:cannot_ship",
    ),
    "pre-order": Story(
        "order stuck, it is a pre-order",
        "en",
        "preorder",
        "cannot_ship",
        {
            "placed_at": hours_ago(24),
            "service": "regular",
            "status": "preorder",
            "preorder_days": 7,
        },
    ),
    "sub-account without permission": Story(
        "tombol atur pengiriman hilang di akun staf",
        "id",
        "sub_account",
        "cannot_ship",
        {
            "placed_at": hours_ago(3),
            "service": "regular",
            "status": "to_ship",
            "error": "greyed",
            "account_role": "staff_limited",
        },
    ),
    "third-party tool authorization expired": Story(
        "Ginee error, orderan nyangkut",
        "id",
        "third_party",
        "cannot_ship",
        {
            "placed_at": hours_ago(3),
            "service": "regular",
            "status": "to_ship",
            "error": "tool",
            "direct": "yes",
        },
    ),
    "old Tokopedia orders missing after binding": Story(
        "orderan hilang setelah gabung toko tokopedia",
        "id",
        "integration",
        None,
        {
            "where": "cannot_ship",
            "placed_at": hours_ago(10),
            "service": "regular",
            "status": "not_visible",
            "account_role": "owner",
            "tokopedia": "yes",
        },
    ),
    "ship by seller": Story(
        "harus kirim sendiri pakai kurir sendiri, gak bisa atur pengiriman",
        "id",
        "ship_method",
        "cannot_ship",
        {
            "placed_at": hours_ago(3),
            "service": "regular",
            "status": "to_ship",
            "error": "own_courier",
        },
    ),
    "kena auto cancel": Story(
        "kena auto cancel padahal sudah packing",
        "id",
        "auto_cancelled",
        "cancelled",
        {"cancel_reason": "deadline", "holiday_on": "no"},
        findings=("order_limit",),
    ),
    "risk-flagged order": Story(
        "order cancelled by the platform for suspicious activity",
        "en",
        "risk_order",
        "cancelled",
        {"cancel_reason": "risk"},
    ),
    "holiday mode left on": Story(
        "gak ada orderan masuk sejak libur lebaran, mode libur",
        "id",
        "holiday_mode",
        "no_orders",
        {"buyers": "quiet", "settings": settings_without("holiday_off")},
    ),
    "toko kena limit": Story(
        "toko kena limit, produk sold out semua",
        "id",
        "order_limit",
        "no_orders",
        # "kena limit" and "sold out" name two answers to one question: it is asked.
        {"buyers": "limit", "settings": settings_without(), "shop_health": "limit"},
    ),
    "kena poin pelanggaran": Story(
        "toko kena poin, gak ada orderan",
        "id",
        "violation_points",
        "no_orders",
        {"buyers": "quiet", "settings": settings_without(), "shop_health": "points"},
    ),
    "buyers cannot choose COD": Story(
        "buyers can't buy with cod",
        "en",
        "cod",
        "no_orders",
        {"buyers": "no_cod"},
    ),
    "product frozen": Story(
        "keranjang kuning hilang, produk dibekukan",
        "id",
        "product_status",
        None,
        {"where": "no_orders", "buyers": "product_status"},
    ),
    "Seller Center down for everyone": Story(
        "seller center error loading terus",
        "id",
        "outage",
        "cannot_open",
        {"others_too": "everyone"},
    ),
    "old app version": Story(
        "the app won't open",
        "en",
        "update_app",
        "cannot_open",
        {"others_too": "only_me", "other_device": "yes", "app_version": "update"},
    ),
    "login loop, cache": Story(
        "gak bisa login ke seller center",
        "id",
        "cache_login",
        "cannot_open",
        {"others_too": "only_me", "other_device": "no", "tried_basics": "no"},
    ),
    "account banned": Story(
        "akun di-banned, gak bisa login",
        "id",
        "violation_points",
        "cannot_open",
        {
            "others_too": "only_me",
            "other_device": "no",
            "tried_basics": "yes",
            "account_notice": "violation",
        },
    ),
    "saldo ketahan": Story(
        "saldo ketahan gak bisa ditarik",
        "id",
        "balance_held",
        "balance",
        {"payout": "held"},  # "ketahan" and "tidak bisa ditarik" both fit: asked
    ),
    "withdrawal password forgotten": Story(
        "I can't withdraw, it asks for a withdrawal password",
        "en",
        "bank_account",
        "balance",
        {"payout": "password"},
    ),
    "vague words still get a start": Story(
        "tolong bantu",
        "id",
        "escalate",
        None,
        {
            "where": "cannot_open",
            "others_too": "only_me",
            "other_device": "no",
            "tried_basics": "yes",
            "account_notice": "none",
        },
        findings=("outage",),
    ),
}


def suggested(page: str) -> list[str]:
    """The `question:value` pairs the landing page sends as it stands: hidden answers,
    and the ticked boxes and the checked candidate."""
    inputs = re.findall(r'<input [^>]*name="answer"[^>]*>', page)
    return [
        re.findall(r'value="([a-z_]+:[a-z_]+)"', tag)[0]
        for tag in inputs
        if 'type="hidden"' in tag or " checked" in tag
    ]


def offered(page: str) -> list[str]:
    """Every `question:value` pair the landing page shows, ticked or not."""
    return re.findall(r'<input [^>]*name="answer" [^>]*value="([a-z_]+:[a-z_]+)"', page)


@pytest.mark.parametrize("story", STORIES.values(), ids=STORIES.keys())
def test_a_seller_story_reaches_its_solution(shipped: FlowVersion, story: Story) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=story.language)
    page = client.get("/", {"words": story.words}).content.decode()
    sent = suggested(page)
    if story.pick is not None:
        assert 'type="radio" name="answer"' in page
        assert f'value="{story.pick}"' in page
        question = story.pick.split(":")[0]
        start = {"answer": [a for a in sent if not a.startswith(question + ":")] + [story.pick]}
    elif story.branch is not None:
        assert sent[:1] == [f"where:{story.branch}"], f"{story.words!r} suggested {sent}"
        start = {"answer": sent}
    else:
        start = {}
    session = opened(client.post("/start/", start)["Location"])
    assert session.language == story.language
    for _ in range(12):
        position = session.walk()
        if position.current is None:
            break
        key = position.current.key
        assert key in story.answers, f"the flow asked {key!r}, which the story does not answer"
        value = story.answers[key]
        response = client.post(
            session.step_url(key), {"revision": session.revision, "value": value}
        )
        assert response.status_code == 303, response.content.decode()[:2000]
        session.refresh_from_db()
    assert session.outcome == story.solution
    solution_page = client.get(session.step_url()).content.decode()
    assert "<h1" in solution_page
    found = {finding.key for finding in session.walk().findings}
    assert set(story.findings) <= found


def test_there_are_at_least_25_stories_in_both_languages() -> None:
    assert len(STORIES) >= 25
    assert {story.language for story in STORIES.values()} == {"id", "en"}


def test_words_that_point_two_ways_offer_candidates_instead_of_guessing(
    shipped: FlowVersion,
) -> None:
    page = Client().get("/", {"words": "kurir"}).content.decode()
    assert 'type="radio" name="answer"' in page or "could not tell" in page
    assert 'type="hidden" name="answer"' not in page


def test_typing_words_creates_nothing_until_the_seller_confirms(shipped: FlowVersion) -> None:
    Client().get("/", {"words": "kurir belum jemput"})
    assert not Session.objects.exists()


def test_forged_start_answers_are_ignored(shipped: FlowVersion) -> None:
    client = Client()
    session = opened(
        client.post("/start/", {"answer": ["where:teleport", "status:to_ship"]})["Location"]
    )
    assert session.answers == {}
    assert session.current_step == "where"
