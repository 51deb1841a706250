"""Logs an operator can use: one JSON line per request, the request id on every line of
it and in `X-Request-ID`, tokens masked, errors to Sentry with tokens scrubbed."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from unittest import mock

import pytest
from django.test import Client

from tests.environments import production_settings
from tests.staff import share, solved
from wizard.sellers.models import Session
from wizard.web.request_log import MaskedJsonFormatter, QuietHead, WithRequestId
from wizard.web.token_masking import MaskTokens, scrub_event

TOKEN = "k3Fq9x-Zr_2mV8bW1cT7yU0aL5sD4eH6gJ9nP3oQ2iE"


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """The lines Django's and the request loggers write, through production's filters."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    for log_filter in (WithRequestId(), QuietHead(), MaskTokens()):
        handler.addFilter(log_filter)
    handler.setFormatter(MaskedJsonFormatter("%(levelname)s %(name)s %(request_id)s %(message)s"))
    loggers = [logging.getLogger(name) for name in ("django.request", "wizard.request")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield stream
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_every_response_names_its_request_id(db: None) -> None:
    first, second = Client().get("/"), Client().get("/")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_proxys_request_id_is_kept_and_a_strange_one_replaced(db: None) -> None:
    assert Client().get("/", HTTP_X_REQUEST_ID="abc123def456")["X-Request-ID"] == "abc123def456"
    replaced = Client().get("/", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert replaced != "<script>"
    assert len(replaced) == 32


def test_one_json_line_per_request_with_method_path_status_and_time(
    db: None, json_log: io.StringIO
) -> None:
    response = Client().get(f"/s/{TOKEN}/where/?next=/share/{TOKEN}/")
    logged = lines(json_log)
    request_lines = [line for line in logged if line["name"] == "wizard.request"]
    assert len(request_lines) == 1
    line = request_lines[0]
    assert line["method"] == "GET"
    assert line["status"] == 404
    assert isinstance(line["duration_ms"], float)
    assert str(line["path"]).startswith("/s/~")
    # Django's "Not Found" warning of the same request carries the same id.
    assert {entry["request_id"] for entry in logged} == {response["X-Request-ID"]}
    assert len(logged) == 2
    assert TOKEN not in json_log.getvalue()


def test_head_to_a_get_only_page_is_not_a_warning(session: Session, json_log: io.StringIO) -> None:
    token = share(solved(session))
    assert Client().head(f"/share/{token}/").status_code == 405
    assert [line["levelname"] for line in lines(json_log)] == ["INFO"]


def test_production_logs_json_lines_and_development_text() -> None:
    assert production_settings()["LOGGING"]["handlers"]["console"]["formatter"] == "json"
    assert production_settings(LOG_FORMAT="text")["LOGGING"]["handlers"]["console"][
        "formatter"
    ] == ("text")


def test_errors_go_to_sentry_only_when_a_dsn_is_set() -> None:
    with mock.patch("sentry_sdk.init") as init:
        production_settings()
        assert not init.called
        production_settings(SENTRY_DSN="https://key@sentry.example/1")
    assert init.call_args.kwargs["dsn"] == "https://key@sentry.example/1"
    assert init.call_args.kwargs["send_default_pii"] is False
    assert init.call_args.kwargs["before_send"] is scrub_event


def test_tokens_are_scrubbed_from_what_is_sent_to_sentry() -> None:
    event = {
        "request": {
            "url": f"https://pesanan.example/s/{TOKEN}/where/",
            "query_string": f"q={TOKEN}",
            "headers": {"Referer": f"https://pesanan.example/share/{TOKEN}/"},
        },
        "exception": {
            "values": [
                {
                    "value": f"Session matching /s/{TOKEN}/ does not exist",
                    "stacktrace": {"frames": [{"vars": {"path": f"/s/{TOKEN}/where/"}}]},
                }
            ]
        },
        "breadcrumbs": {"values": [{"message": f"GET /staff/?q={TOKEN}"}]},
    }
    scrubbed = scrub_event(event, {})
    assert TOKEN not in json.dumps(scrubbed)
    assert scrubbed["request"]["url"].startswith("https://pesanan.example/s/~")


def test_a_bare_token_is_scrubbed_wherever_a_sentry_event_carries_it() -> None:
    event = {
        "message": f"lookup failed for {TOKEN}",
        "logentry": {"message": "lookup failed for %s", "params": [TOKEN]},
        "request": {"data": {"token": TOKEN, "note": f"seller sent {TOKEN}"}},
        "exception": {
            "values": [{"stacktrace": {"frames": [{"vars": {"token": TOKEN, "args": [TOKEN]}}]}}]
        },
        "breadcrumbs": {"values": [{"message": "saved", "data": {"token": TOKEN}}]},
        "extra": {"token": TOKEN, "nested": {"tokens": (TOKEN,)}},
    }
    scrubbed = scrub_event(event, {})
    assert TOKEN not in json.dumps(scrubbed)
    assert scrubbed["extra"]["token"].startswith("~")  # a fingerprint, to follow one session


def test_a_real_sentry_event_from_an_exception_holds_no_token() -> None:
    import sentry_sdk
    from sentry_sdk.envelope import Envelope
    from sentry_sdk.transport import Transport

    sent: list[Envelope] = []

    class Keep(Transport):
        def capture_envelope(self, envelope: Envelope) -> None:
            sent.append(envelope)

    def fails(token: str) -> None:
        sentry_sdk.add_breadcrumb(message=f"opening {token}")
        raise LookupError(f"no session {token}")

    sentry_sdk.init(dsn="https://key@sentry.example/1", transport=Keep, before_send=scrub_event)
    try:
        with sentry_sdk.new_scope() as scope:
            scope.set_extra("token", TOKEN)
            try:
                fails(TOKEN)
            except LookupError:
                sentry_sdk.capture_exception()
        sentry_sdk.flush()
    finally:
        sentry_sdk.init()  # no DSN: off again for the other tests
    assert sent, "the event was not captured"
    body = b"".join(item.get_bytes() for envelope in sent for item in envelope.items)
    assert b"no session" in body
    assert TOKEN.encode() not in body
