"""'Show us the error': a seller's screenshot is read in memory, matched like their words, never kept."""

from __future__ import annotations

import io
import logging
import os
import struct
import zlib
from pathlib import Path
from typing import Any

import hypothesis
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from hypothesis import strategies as st
from PIL import Image

from tests.conftest import answer, opened
from tests.sellers.screenshot_images import (
    BUYER,
    CASES,
    ORDER,
    PARAPHRASED,
    PHONE_NUMBER,
    draw,
    encoded,
    roughened,
)
from wizard.flows import FlowError, load_flow, masking
from wizard.sellers import screenshots
from wizard.sellers.models import FlowVersion, Session

# Without Tesseract the pages offer no screenshot, which test_without_tesseract_* checks.
needs_tesseract = pytest.mark.needs("tesseract-ocr", "tesseract-ocr-ind")
ORDERS = Path(settings.FLOW_FILES[0]).read_text()


@pytest.fixture(autouse=True)
def _time_to_read(settings: Any) -> None:
    # A busy test machine reads slower than a seller's server: only the test of the time
    # limit should ever meet it.
    settings.SCREENSHOT_SECONDS = 30.0


@pytest.fixture
def orders(shipped: FlowVersion) -> FlowVersion:
    """The shipped flow, live: its error question asks for a screenshot."""
    return shipped


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="id")


def case(name: str, language: str) -> Any:
    return next(c for c in CASES if c.name == name and c.language == language)


def upload(data: bytes, name: str = "screenshot.png") -> dict[str, Any]:
    return {"image": SimpleUploadedFile(name, data)}


def send(client: Client, data: bytes, **headers: Any) -> Any:
    return client.post("/screenshot/", upload(data), **headers)


def at_error_question(client: Client, version: FlowVersion) -> Session:
    """A session walked to the question about the message the seller sees: an order to
    ship, of unknown age, whose shipment cannot be arranged."""
    session = Session.start(version, language="en")
    on_the_way = {
        "where": "cannot_ship",
        "placed_at": "",
        "service": "regular",
        "status": "to_ship",
    }
    for _ in range(len(on_the_way) + 1):
        step = session.walk().step
        if step == "error":
            return session
        answer(client, session, step, on_the_way[step])
        session.refresh_from_db()
    raise AssertionError(f"the error question is not on the way any more (at {step})")


# --- The offer --------------------------------------------------------------------------


@needs_tesseract
def test_the_landing_page_offers_a_screenshot_as_a_plain_multipart_form(
    client: Client, orders: FlowVersion
) -> None:
    page = client.get("/").content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'action="/screenshot/"' in page
    assert 'type="file" name="image"' in page
    assert "tidak pernah menyimpannya" in page  # the privacy sentence, in Bahasa Indonesia


@needs_tesseract
def test_the_question_about_the_error_offers_a_screenshot_and_others_do_not(
    client: Client, orders: FlowVersion
) -> None:
    session = Session.start(orders, language="en")
    assert 'name="image"' not in client.get(session.step_url("where")).content.decode()
    session = at_error_question(client, orders)
    page = client.get(session.step_url("error")).content.decode()
    assert f'action="/s/{session.token}/screenshot/error/"' in page
    assert "never keep it" in page  # the privacy sentence, in English


@override_settings(SCREENSHOT_TESSDATA="/nonexistent/tessdata")
def test_without_tesseract_the_pages_hide_the_screenshot_and_still_offer_the_questions(
    client: Client, orders: FlowVersion
) -> None:
    assert not screenshots.is_available()
    page = client.get("/").content.decode()
    assert 'name="image"' not in page
    assert 'action="/start/"' in page
    session = at_error_question(client, orders)
    assert 'name="image"' not in client.get(session.step_url("error")).content.decode()
    # A form sent from an old page gets a clear message and the way on.
    response = send(client, encoded(draw(case("generic", "id"))))
    assert response.status_code == 200
    assert response.context["refusal_reason"] == "unavailable"
    assert 'action="/start/"' in response.content.decode()


def test_only_a_choice_question_may_ask_for_a_screenshot() -> None:
    document = ORDERS.replace(
        '[questions.tokopedia]\nkind = "yesno"\n',
        '[questions.tokopedia]\nkind = "yesno"\nscreenshot = true\n',
    )
    with pytest.raises(FlowError, match="only a choice question offers `screenshot`"):
        load_flow(document)
    assert load_flow(ORDERS).questions["error"].asks_screenshot
    assert not load_flow(ORDERS).questions["where"].asks_screenshot


# --- Reading ----------------------------------------------------------------------------


@needs_tesseract
def test_an_indonesian_error_banner_sent_through_a_chat_app_is_read_and_matched(
    client: Client, orders: FlowVersion
) -> None:
    shot = roughened(draw(case("names_setting", "id")), seed=3)
    response = send(client, encoded(shot, "JPEG", quality=45), HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    assert "Alamat pengambilan belum diatur" in response.context["screenshot"].text
    assert "Kami membaca" in response.content.decode()
    reading = response.context["reading"]
    assert reading.question == orders.flow.start
    assert reading.candidates[0].value == "cannot_ship"
    assert reading.answers.get("error") == "names_setting"


@needs_tesseract
def test_an_english_error_on_the_error_question_points_at_its_answer(
    client: Client, orders: FlowVersion
) -> None:
    session = at_error_question(client, orders)
    shot = draw(case("generic", "en")).resize((720, 1560))
    response = client.post(
        f"/s/{session.token}/screenshot/error/", upload(encoded(shot, "WEBP", quality=70))
    )
    assert response.status_code == 200
    reading = response.context["reading"]
    assert reading.question == "error"
    assert reading.candidates[0].value == "generic"
    assert "We read" in response.content.decode()
    # Reading is not answering: the session is where it was until the seller confirms.
    before = session.revision
    session.refresh_from_db()
    assert (session.revision, session.walk().step) == (before, "error")


@needs_tesseract
def test_the_words_are_matched_before_masking_takes_a_plain_word_for_a_name(
    client: Client, orders: FlowVersion
) -> None:
    session = at_error_question(client, orders)
    stock = next(c for c in PARAPHRASED if c.name == "stock" and c.language == "en")
    response = client.post(f"/s/{session.token}/screenshot/error/", upload(encoded(draw(stock))))
    assert "[name] stock for this order" in response.context["screenshot"].text
    assert response.context["reading"].candidates[0].value == "stock"


@needs_tesseract
def test_a_dark_mode_screenshot_is_read_too(client: Client, orders: FlowVersion) -> None:
    response = send(client, encoded(draw(case("stock", "en"), dark=True)))
    assert response.context["reading"].answers.get("error") == "stock"


@needs_tesseract
def test_with_htmx_only_the_screenshot_section_comes_back(
    client: Client, orders: FlowVersion
) -> None:
    response = send(client, encoded(draw(case("tool", "id"))), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="screenshot"')
    assert "<html" not in page


@needs_tesseract
def test_a_screenshot_on_a_question_that_asks_for_none_is_not_found(
    client: Client, orders: FlowVersion
) -> None:
    session = Session.start(orders, language="id")
    response = client.post(
        f"/s/{session.token}/screenshot/where/", upload(encoded(draw(case("tool", "id"))))
    )
    assert response.status_code == 404


# --- Continuing with what we read ----------------------------------------------------------


@needs_tesseract
def test_continuing_from_the_landing_page_starts_a_screenshot_session_with_the_masked_text(
    client: Client, orders: FlowVersion
) -> None:
    response = send(client, encoded(draw(case("names_setting", "id"))))
    shot, reading = response.context["screenshot"], response.context["reading"]
    page = response.content.decode()
    assert 'action="/start/"' in page
    assert 'name="source" value="screenshot"' in page
    sent = {
        "answer": [f"{key}:{value}" for key, value in reading.answers.items()],
        "words": shot.text,
        "source": "screenshot",
    }
    started = client.post("/start/", sent)
    session = opened(started["Location"])
    assert session.start_mode == Session.StartMode.SCREENSHOT
    assert session.answers["error"] == "names_setting"
    kept = " ".join(entry["text"] for entry in session.words)
    assert "Alamat pengambilan belum diatur" in kept
    for private in (*BUYER.split(), PHONE_NUMBER, ORDER):
        assert private not in kept


@needs_tesseract
def test_on_the_error_question_the_text_is_kept_only_when_the_seller_continues(
    client: Client, orders: FlowVersion
) -> None:
    session = at_error_question(client, orders)
    response = client.post(
        f"/s/{session.token}/screenshot/error/", upload(encoded(draw(case("stock", "en"))))
    )
    session.refresh_from_db()
    assert session.words == []
    page = response.content.decode()
    assert f'action="/s/{session.token}/explain/error/"' in page
    client.post(
        f"/s/{session.token}/explain/error/",
        {
            "answer": "error:stock",
            "words": response.context["screenshot"].text,
            "source": "screenshot",
            "revision": session.revision,
        },
    )
    session.refresh_from_db()
    assert session.answers["error"] == "stock"
    assert [entry["source"] for entry in session.words] == ["screenshot"]
    assert "out of stock" in session.words[0]["text"]


# --- Privacy ----------------------------------------------------------------------------


@needs_tesseract
def test_names_phone_numbers_addresses_and_order_numbers_are_masked_in_what_we_show(
    client: Client, orders: FlowVersion
) -> None:
    response = send(client, encoded(draw(case("names_setting", "en"))))
    text = response.context["screenshot"].text
    page = response.content.decode()
    for private in (*BUYER.split(), PHONE_NUMBER, ORDER, "Melati", "40123"):
        assert private not in text
        assert private not in page
    assert "Warehouse address missing" in text


@needs_tesseract
def test_a_screenshot_is_read_in_memory_and_never_stored_logged_or_sent(
    client: Client,
    orders: FlowVersion,
    caplog: pytest.LogCaptureFixture,
    django_assert_num_queries: Any,
) -> None:
    assert settings.FILE_UPLOAD_HANDLERS == [
        "django.core.files.uploadhandler.MemoryFileUploadHandler"
    ]
    data = encoded(draw(case("generic", "id")))
    caplog.set_level(logging.DEBUG)
    # One read of the live version; no session, no outbox, nothing written.
    with django_assert_num_queries(1):
        response = send(client, data)
    assert response.context["reading"].candidates
    assert Session.objects.count() == 0
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "kesalahan" not in logged.lower()
    assert "Silakan" not in logged


def test_masking_keeps_the_error_and_hides_the_person() -> None:
    known = masking.vocabulary(load_flow(ORDERS))
    text = (
        "Halo Rina Wulandari, pesanan 578201943362019845 gagal\n"
        "Penerima: BUDI SANTOSO\n"
        "Telepon: +62 812-3456-7890\n"
        "Jl. Kenanga Raya No. 5, Kec. Coblong 40132\n"
        "Dikirim ke Dewi Lestari oleh @tokosaribunda\n"
        "Alamat pengambilan belum diatur"
    )
    masked = masking.masked(text, known)
    for private in (
        "Rina",
        "Wulandari",
        "BUDI",
        "SANTOSO",
        "3456",
        "Kenanga",
        "40132",
        "Dewi",
        "Lestari",
        "tokosaribunda",
        "578201943362019845",
    ):
        assert private not in masked, private
    assert masked.splitlines() == [
        "Halo [name], pesanan [number] gagal",
        "Penerima: [name]",
        "Telepon: [phone]",
        "[address]",
        "Dikirim ke [name] oleh [@]",
        "Alamat pengambilan belum diatur",
    ]


def test_a_screens_personal_details_and_item_list_are_not_read_as_the_problem() -> None:
    flow = load_flow(ORDERS)
    screen = (
        "Order details\n"
        "Recipient: Budi Santoso\n"
        "Address: Jl. Melati No. 12, RT 03/RW 05\n"
        "Order ID: 578201943362019845\n"
        "Insufficient stock for this order.\n"
        "Produk 1 - Rp 49.000\n"
        "Harga salah: Rp 49.000 seharusnya Rp 59.000"
    )
    assert masking.about_the_error(screen, flow).splitlines() == [
        "Order details",
        "Insufficient stock for this order.",
        "Harga salah: Rp 49.000 seharusnya Rp 59.000",
    ]


# --- Bad input: a clear message and nothing else ------------------------------------------


def refused(response: Any) -> str:
    assert response.status_code == 200
    assert response.context["refusal"]
    return str(response.context["refusal_reason"])


def chunk(kind: bytes, body: bytes) -> bytes:
    """One PNG chunk: length, type, body, CRC."""
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a size and holds one row: a decompression bomb's front."""
    head = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", head)
        + chunk(b"IDAT", zlib.compress(b"\x00" * (width + 1)))
        + chunk(b"IEND", b"")
    )


@needs_tesseract
@pytest.mark.parametrize(
    ("reason", "data"),
    [
        ("missing", b""),
        ("not_image", b"Pesanan saya gagal dikirim, tolong bantu"),
        ("not_image", b"%PDF-1.7\n1 0 obj<<>>endobj\n"),
        ("not_image", encoded(Image.new("RGB", (300, 300), "white"), "GIF")),
        ("not_image", encoded(Image.new("RGB", (300, 300), "white"))[:-40]),  # cut short
        ("too_many_pixels", png_header_only(5000, 4100)),  # 20.5 megapixels
        ("too_many_pixels", png_header_only(100_000, 100_000)),  # Pillow's bomb limit
    ],
    ids=["empty", "text", "pdf", "gif", "truncated", "over-20-mp", "bomb"],
)
def test_what_is_not_a_screenshot_gets_a_clear_message(
    client: Client, orders: FlowVersion, reason: str, data: bytes
) -> None:
    assert refused(send(client, data)) == reason


@needs_tesseract
def test_no_file_at_all_asks_for_one(client: Client, orders: FlowVersion) -> None:
    assert refused(client.post("/screenshot/", {})) == "missing"


@needs_tesseract
def test_a_file_over_5_mb_is_refused_and_never_reaches_the_disk(
    client: Client, orders: FlowVersion
) -> None:
    noise = Image.frombytes("RGB", (1400, 1400), bytes(range(256)) * (1400 * 1400 * 3 // 256 + 1))
    data = encoded(noise, "PNG", compress_level=0)
    assert len(data) > 5 * 1024 * 1024
    assert refused(send(client, data)) == "too_big"


@needs_tesseract
@pytest.mark.parametrize(
    "data",
    [
        encoded(Image.new("RGB", (400, 400), "white")) + b"PK\x03\x04" + b"\x00" * 60,
        encoded(Image.new("RGB", (400, 400), "white")) + b"<html><script>alert(1)</script>",
        encoded(
            Image.new("RGB", (400, 400), "white"), "JPEG", comment=b"<script>alert(1)</script>"
        ),
        b"GIF89a/*" + encoded(Image.new("RGB", (40, 40), "white")),
    ],
    ids=["png+zip", "png+html", "jpeg-with-script", "gif-js-png"],
)
def test_polyglots_are_refused(client: Client, orders: FlowVersion, data: bytes) -> None:
    assert refused(send(client, data)) == "not_image"


@needs_tesseract
@pytest.mark.parametrize("kind", ["PNG", "WEBP"])
def test_animated_images_are_refused(client: Client, orders: FlowVersion, kind: str) -> None:
    frames = [draw(case("generic", "id")).resize((360, 780)) for _ in range(2)]
    frames[1] = frames[1].rotate(180)
    out = io.BytesIO()
    frames[0].save(out, kind, save_all=True, append_images=frames[1:], duration=200)
    assert refused(send(client, out.getvalue())) == "animated"


@needs_tesseract
@pytest.mark.parametrize("fill", ["white", "noise"], ids=["blank", "noise"])
def test_an_image_without_text_says_so(client: Client, orders: FlowVersion, fill: str) -> None:
    if fill == "noise":
        image = Image.effect_noise((1080, 1200), 60).convert("RGB")
    else:
        image = Image.new("RGB", (1080, 2340), "white")
    assert refused(send(client, encoded(image))) == "no_text"


@needs_tesseract
@override_settings(SCREENSHOT_SECONDS=0.001)
def test_a_slow_read_stops_at_the_time_limit_and_offers_the_questions(
    client: Client, orders: FlowVersion
) -> None:
    response = send(client, encoded(draw(case("stock", "id"))))
    assert refused(response) == "slow"
    assert 'action="/start/"' in response.content.decode()


@needs_tesseract
def test_a_refused_screenshot_on_a_question_leads_back_to_it(
    client: Client, orders: FlowVersion
) -> None:
    session = at_error_question(client, orders)
    response = client.post(f"/s/{session.token}/screenshot/error/", upload(b"not an image"))
    assert refused(response) == "not_image"
    assert f'href="{session.step_url("error")}"' in response.content.decode()


@needs_tesseract
@override_settings(RATE_LIMITS={**settings.RATE_LIMITS, "screenshot": "2/m"})
def test_screenshots_are_rate_limited_per_client(client: Client, orders: FlowVersion) -> None:
    data = b"not an image"
    assert send(client, data).status_code == 200
    assert send(client, data).status_code == 200
    assert send(client, data).status_code == 429
    other = Client(REMOTE_ADDR="10.9.8.7")
    assert send(other, data).status_code == 200


def test_the_csp_needs_no_blob_for_the_preview(client: Client, orders: FlowVersion) -> None:
    policy = client.get("/")["Content-Security-Policy"]
    img_src = next(part for part in policy.split(";") if part.strip().startswith("img-src"))
    assert "blob:" not in img_src
    assert "data:" in img_src  # the preview is a data: URL (static/js/screenshot.js)
    script = (Path(settings.BASE_DIR) / "static/js/screenshot.js").read_text()
    assert "readAsDataURL" in script
    assert "createObjectURL" not in script


# --- Fuzzed: whatever is sent, never a 5xx ------------------------------------------------

SMALL_SHOT = draw(case("generic", "en")).resize((270, 585))
SEEDS = (
    encoded(SMALL_SHOT),
    encoded(SMALL_SHOT, "JPEG", quality=60),
    encoded(SMALL_SHOT, "WEBP", quality=60),
    png_header_only(64, 64),
)


@st.composite
def damaged(draw_from: st.DrawFn) -> bytes:
    """A real screenshot file with bytes changed, cut or added, or bytes from nowhere."""
    if draw_from(st.booleans()):
        return draw_from(st.binary(max_size=2048))
    data = bytearray(draw_from(st.sampled_from(SEEDS)))
    for _ in range(draw_from(st.integers(0, 12))):
        data[draw_from(st.integers(0, len(data) - 1))] = draw_from(st.integers(0, 255))
    cut = draw_from(st.integers(8, len(data)))
    return bytes(data[:cut]) + draw_from(st.binary(max_size=64))


@needs_tesseract
@override_settings(SCREENSHOT_SECONDS=1.0, RATE_LIMITS_ENABLED=False)
@hypothesis.settings(
    # SCREENSHOT_FUZZ_EXAMPLES=1000 for a longer hunt than every run's.
    max_examples=int(os.environ.get("SCREENSHOT_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)
@hypothesis.given(data=damaged())
def test_fuzzed_uploads_never_get_a_server_error(
    client: Client, orders: FlowVersion, data: bytes
) -> None:
    response = send(client, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.context["refusal"] or response.context["screenshot"].text
