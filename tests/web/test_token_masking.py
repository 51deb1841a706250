"""Session and share tokens never reach a log: Django's log or gunicorn's access log."""

from __future__ import annotations

import datetime as dt
import io
import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import Client
from gunicorn.config import Config

from wizard.sellers.models import Session
from wizard.web.token_masking import MaskedTokensLogger, MaskTokens, mask_tokens

TOKEN = "k3Fq9x-Zr_2mV8bW1cT7yU0aL5sD4eH6gJ9nP3oQ2iE"
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "text",
    [
        f"GET /s/{TOKEN}/where/ HTTP/1.1",
        f"/share/{TOKEN}/",
        f"/share/{TOKEN}/summary.txt",
        f"https://pesanan.example/s/{TOKEN}/solution/",
        f"Not Found: /s/{TOKEN}/",
        f"/i18n/setlang/?next=%2Fs%2F{TOKEN}%2Fwhere%2F",
        f"/i18n/setlang/?next=%2fs%2f{TOKEN}",
    ],
)
def test_a_token_in_any_kind_of_url_is_masked(text: str) -> None:
    masked = mask_tokens(text)
    assert TOKEN not in masked
    assert "~" in masked


def test_a_masked_token_is_a_stable_fingerprint_so_one_session_can_be_followed() -> None:
    first = mask_tokens(f"/s/{TOKEN}/where/")
    assert first == mask_tokens(f"/s/{TOKEN}/stock/").replace("stock", "where")
    assert first != mask_tokens("/s/another-token/where/")
    assert mask_tokens(first) == first


@pytest.mark.parametrize(
    "text", ["/", "/start/", "/static/css/app.css", "/healthz", "/staff/cases/ABCD2345/"]
)
def test_paths_without_tokens_are_left_alone(text: str) -> None:
    assert mask_tokens(text) == text


def test_the_filter_masks_a_records_message_and_arguments() -> None:
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (f"/s/{TOKEN}/",), None
    )
    assert MaskTokens().filter(record) is True
    assert TOKEN not in record.getMessage()


def test_djangos_request_log_shows_no_token(session: Session) -> None:
    # The configured handler (settings.LOGGING), writing into a buffer for this test.
    handler = next(h for h in logging.getLogger("django").handlers if h.filters)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)  # type: ignore[attr-defined]
    try:
        Client().get(f"/s/{TOKEN}/")
        Client().get(f"/share/{TOKEN}/")
    finally:
        handler.setStream(previous)  # type: ignore[attr-defined]
    written = buffer.getvalue()
    assert "Not Found: /s/~" in written
    assert TOKEN not in written


def gunicorn_line(path: str, referer: str, location: str) -> str:
    """One access-log line, as gunicorn's masked logger formats it."""
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config = Config()
    config.set("access_log_format", settings["access_log_format"])
    logger = MaskedTokensLogger(config)
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.5",
        "HTTP_REFERER": referer,
        "HTTP_USER_AGENT": "phone",
    }
    response = SimpleNamespace(status="303 See Other", sent=0, headers=[("Location", location)])
    request = SimpleNamespace(headers=[("REFERER", referer)])
    atoms = logger.atoms(response, request, environ, dt.timedelta(milliseconds=12))
    return f"{settings['access_log_format'] % atoms} {atoms['{location}o']}"


def test_gunicorns_access_log_shows_no_token_in_any_field() -> None:
    line = gunicorn_line(
        path=f"/s/{TOKEN}/where/",
        referer=f"https://pesanan.example/s/{TOKEN}/where/",
        location=f"/s/{TOKEN}/stock/",
    )
    assert TOKEN not in line
    assert '"POST /s/~' in line
    assert "203.0.113.5" in line


def test_gunicorn_is_configured_with_the_masking_logger() -> None:
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["logger_class"] == "wizard.web.token_masking.MaskedTokensLogger"
    assert settings["accesslog"] == "-"
