"""Rate limits: starting sessions and guessing links per client, answers per session."""

from __future__ import annotations

import logging
import os
import threading
import uuid
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from django.urls import NoReverseMatch, reverse

from tests.conftest import answer, caches_with
from tests.staff import signed_in, staff_user
from wizard.sellers.models import FlowVersion, Session
from wizard.web import limits
from wizard.web.limits import Rate, client_address, hit, is_over

LOCAL_MEMORY = caches_with(
    {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rate-limit-tests"}
)
REDIS_URL = os.environ.get("REDIS_URL", "")
needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason="REDIS_URL is not set (CI sets it; so does `make test` when Redis runs)"
)


def rates(**scopes: str) -> dict[str, str]:
    """The default rates with some replaced."""
    return {
        "start": "60/m",
        "unknown_token": "30/10m",
        "answer": "60/5m",
        "share": "10/h",
        "share_view": "1/10m",
        "staff_write": "120/10m",
        "workshop": "600/10m",
        "passkey_signin": "30/10m",
    } | scopes


def redis_cache() -> dict[str, Any]:
    """A Redis cache with a prefix of its own, so that tests never see each other's counts."""
    return caches_with(
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    )


@pytest.fixture(autouse=True)
def _local_memory_cache() -> Any:
    with override_settings(CACHES=LOCAL_MEMORY, RATE_LIMITS_ENABLED=True):
        cache.clear()
        yield


def client_at(address: str, **extra: Any) -> Client:
    return Client(REMOTE_ADDR=address, **extra)


# --- Reading rates and client addresses -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("60/m", Rate(60, 60)),
        ("30/10m", Rate(30, 600)),
        ("10/h", Rate(10, 3600)),
        ("5/30", Rate(5, 30)),
        (" 7 / 2h ", Rate(7, 7200)),
    ],
)
def test_a_rate_reads_as_count_per_period(text: str, rate: Rate) -> None:
    assert Rate.parse(text) == rate


@pytest.mark.parametrize("text", ["", "m", "ten/m", "10/0m", "10/d", "-1/m"])
def test_a_malformed_rate_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="rate"):
        Rate.parse(text)


def request_from(remote: str, forwarded: str | None = None) -> Any:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_ipv6_clients_are_counted_per_64_network() -> None:
    one = client_address(request_from("2001:db8:1:2::1"))
    other = client_address(request_from("2001:db8:1:2:ffff::9"))
    assert one == other == "2001:db8:1:2::/64"


# --- The counters -----------------------------------------------------------------------


@override_settings(RATE_LIMITS=rates(answer="3/m"))
def test_the_limit_counts_each_event_and_refuses_past_it() -> None:
    assert [hit("answer", "session-a") for _ in range(4)] == [False, False, False, True]
    assert hit("answer", "session-b") is False


@override_settings(RATE_LIMITS=rates(answer="4/m"))
def test_a_new_window_starts_counting_afresh() -> None:
    with mock.patch("time.time", return_value=6000.0):
        assert not any(hit("answer", "s") for _ in range(4))
        assert is_over("answer", "s")
    # One period later it is always another window (each key's edges are offset).
    with mock.patch("time.time", return_value=6060.0):
        assert not is_over("answer", "s")
        assert [hit("answer", "s") for _ in range(5)] == [False] * 4 + [True]


def counted(scope: str, who: str) -> int:
    usage = limits._usage(scope, who, None, count=False)
    assert usage is not None
    return int(usage["count"])


@override_settings(RATE_LIMITS=rates(answer="1000/m"))
def test_counting_is_atomic_under_concurrent_requests() -> None:
    # The cache's own expiry reads the clock too, so the count is read at the same time.
    with mock.patch("time.time", return_value=6000.0):
        _hit_from_threads(threads=8, each=25)
        assert counted("answer", "busy") == 200


def _hit_from_threads(threads: int, each: int) -> None:
    start = threading.Barrier(threads)

    def work() -> None:
        start.wait()
        for _ in range(each):
            hit("answer", "busy")

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def test_counters_name_neither_tokens_nor_addresses() -> None:
    hit("answer", "SECRET-TOKEN-VALUE")
    hit("start", "198.51.100.99")
    keys = list(cache._cache)  # type: ignore[attr-defined]  # the local-memory cache's own
    assert len(keys) == 2
    assert not any("SECRET" in key or "198.51.100.99" in key for key in keys)


@override_settings(RATE_LIMITS=rates(start="1/m"), RATE_LIMITS_ENABLED=False)
def test_limits_can_be_switched_off() -> None:
    assert not any(hit("start", "anyone") for _ in range(5))


@override_settings(
    RATE_LIMITS=rates(start="1/m"),
    CACHES=caches_with(
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    ),
)
def test_an_unreachable_cache_lets_sellers_through_and_says_so_in_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    limits.reset_outage_log()  # an outage is logged once a minute: start from a quiet log
    with caplog.at_level(logging.WARNING, logger="wizard.web.limits"):
        assert not any(hit("start", "seller") for _ in range(3))
        assert not is_over("start", "seller")
    assert "cache is unavailable" in caplog.text


# --- On the pages -----------------------------------------------------------------------


@override_settings(RATE_LIMITS=rates(start="3/m"))
def test_starting_sessions_is_limited_per_client(version: FlowVersion) -> None:
    busy = client_at("198.51.100.20", HTTP_ACCEPT_LANGUAGE="en")
    assert [busy.post("/start/").status_code for _ in range(3)] == [303, 303, 303]
    refused = busy.post("/start/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 60
    assert "Too many tries at once" in refused.content.decode()
    assert Session.objects.count() == 3
    assert client_at("198.51.100.21").post("/start/").status_code == 303


@override_settings(RATE_LIMITS=rates(start="1/m"))
def test_the_429_page_speaks_the_sellers_language(version: FlowVersion) -> None:
    seller = client_at("198.51.100.30", HTTP_ACCEPT_LANGUAGE="id")
    seller.post("/start/")
    refused = seller.post("/start/")
    assert refused.status_code == 429
    assert "Terlalu banyak percobaan sekaligus" in refused.content.decode()


@override_settings(RATE_LIMITS=rates(unknown_token="3/10m"))
def test_guessing_session_links_is_limited_per_client(session: Session) -> None:
    guesser = client_at("198.51.100.40")
    statuses = [guesser.get(f"/s/guess-{n}/").status_code for n in range(3)]
    assert statuses == [404, 404, 404]
    # Now every further guess is refused, so guessing cannot go on...
    assert guesser.get("/s/guess-4/").status_code == 429
    # ...while a real link opens, from this address too (a carrier's, shared by many).
    assert guesser.get(session.get_absolute_url()).status_code in (200, 302)
    assert client_at("198.51.100.41").get(session.get_absolute_url()).status_code in (200, 302)


@override_settings(RATE_LIMITS=rates(unknown_token="3/10m"))
def test_opening_real_session_links_never_counts_as_guessing(session: Session) -> None:
    seller = client_at("198.51.100.50")
    for _ in range(10):
        assert seller.get(session.step_url("where")).status_code == 200


def url_of(name: str, *args: Any) -> str:
    """The URL of a limited page: a renamed or removed page fails here, it never skips."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch as missing:
        pytest.fail(f"the {name} page is gone or renamed: {missing}", pytrace=False)


@override_settings(RATE_LIMITS=rates(unknown_token="2/10m"))
def test_guessing_share_links_counts_too(db: None) -> None:
    guesser = client_at("198.51.100.60")
    for n in range(2):
        assert guesser.get(url_of("shared", f"guess-{n}")).status_code == 404
    assert guesser.get(url_of("shared", "guess-3")).status_code == 429


@override_settings(RATE_LIMITS=rates(answer="2/m"))
def test_answers_are_limited_per_session(client: Client, version: FlowVersion) -> None:
    busy = Session.start(version, language="en")
    calm = Session.start(version, language="en")
    assert answer(client, busy, "where", "open").status_code == 303
    assert answer(client, busy, "where", "ship").status_code == 303
    refused = answer(client, busy, "where", "open")
    assert refused.status_code == 429
    busy.refresh_from_db()
    assert busy.answers["where"] == "ship"
    assert busy.log.count() == 2
    # Reading is never limited, and another session is not affected.
    assert client.get(busy.step_url("where")).status_code == 200
    assert answer(client, calm, "where", "open").status_code == 303


@override_settings(RATE_LIMITS=rates(answer="3/m"))
def test_a_sessions_writes_are_counted_in_its_own_row_not_the_cache(
    client: Client, session: Session
) -> None:
    with mock.patch.object(limits, "get_usage", wraps=limits.get_usage) as counting:
        assert answer(client, session, "where", "open").status_code == 303
        assert answer(client, session, "where", "ship").status_code == 303
    # An answer asks the cache nothing: the count is in the UPDATE that writes it.
    assert counting.call_count == 0
    session.refresh_from_db()
    assert session.writes == 2
    # So a cache that is down cannot let a session's writes through unlimited.
    with mock.patch.object(limits, "get_usage", side_effect=ConnectionError):
        assert answer(client, session, "where", "open").status_code == 303
        assert answer(client, session, "where", "ship").status_code == 429
    session.refresh_from_db()
    assert session.answers["where"] == "open"
    assert session.writes == 3


@override_settings(RATE_LIMITS=rates(answer="1/m", staff_write="1000/m"))
def test_an_agents_answers_spend_the_sessions_budget_and_get_the_429_page(
    session: Session,
) -> None:
    agent = signed_in(staff_user("support"))
    url = f"/staff/cases/{session.code}/answer/where/"
    assert agent.post(url, {"value": "open", "revision": session.revision}).status_code == 303
    session.refresh_from_db()
    refused = agent.post(url, {"value": "ship", "revision": session.revision})
    assert refused.status_code == 429
    session.refresh_from_db()
    assert session.answers["where"] == "open"


@override_settings(RATE_LIMITS=rates(answer="10/m"))
def test_a_sessions_budget_slides_as_the_caches_counts_do() -> None:
    # 9 writes in window 100, then at a quarter into window 101: 9 x 0.75 weighs 6.75.
    at = 101 * 60 + 15.0
    assert limits.sliding("answer", at, 100, 9, 0) == (101, 1, 9)
    assert limits.sliding("answer", at, 101, 2, 9) == (101, 3, 9)  # 3 + 6.75 <= 10
    with pytest.raises(limits.OverLimit):
        limits.sliding("answer", at, 101, 3, 9)  # 4 + 6.75 > 10
    # Two windows or more ago: nothing weighs any more.
    assert limits.sliding("answer", at, 99, 10, 10) == (101, 1, 0)


def test_writes_not_made_on_a_revision_count_in_sql_so_none_is_lost(session: Session) -> None:
    first, second = Session.objects.get(pk=session.pk), Session.objects.get(pk=session.pk)
    first.count_write()
    second.count_write()  # read before the first counted: still both count
    session.refresh_from_db()
    assert session.writes == 2


@override_settings(RATE_LIMITS=rates(answer="1/m"))
def test_an_htmx_answer_over_the_limit_reloads_the_page_with_a_message(
    client: Client, session: Session
) -> None:
    answer(client, session, "where", "open", HTTP_HX_REQUEST="true")
    refused = answer(client, session, "everyone", "no", HTTP_HX_REQUEST="true")
    assert refused.status_code == 429
    assert refused["HX-Refresh"] == "true"
    page = client.get(session.step_url("everyone"))
    assert "Wait a minute, then try again" in page.content.decode() or (
        "Tunggu sebentar" in page.content.decode()
    )


@override_settings(RATE_LIMITS=rates(share="2/h"))
def test_share_links_are_limited_per_session(client: Client, session: Session) -> None:
    url = url_of("share_links", session.token)
    assert [client.post(url).status_code for _ in range(2)] == [200, 200]
    assert client.post(url).status_code == 429


# --- Shared by every app server: Redis ---------------------------------------------------


@needs_redis
def test_with_redis_the_counters_live_in_redis_and_expire() -> None:
    import redis

    with override_settings(CACHES=redis_cache(), RATE_LIMITS=rates(answer="2/m")):
        assert [hit("answer", "shared") for _ in range(3)] == [False, False, True]
        prefix = cache.make_key("rl:")
    server = redis.Redis.from_url(REDIS_URL)
    (stored,) = list(server.scan_iter(f"{prefix}*"))
    # Another app server reads the same count from Redis.
    assert int(server.get(stored) or 0) == 3
    assert 0 < server.ttl(stored) <= 65
    server.delete(stored)


@needs_redis
def test_with_redis_counting_is_atomic_under_concurrent_requests() -> None:
    with (
        override_settings(CACHES=redis_cache(), RATE_LIMITS=rates(answer="1000/m")),
        mock.patch("time.time", return_value=6000.0),
    ):
        _hit_from_threads(threads=8, each=25)
        assert counted("answer", "busy") == 200


@needs_redis
def test_with_redis_the_pages_are_limited_the_same_way(version: FlowVersion) -> None:
    with override_settings(CACHES=redis_cache(), RATE_LIMITS=rates(start="2/m")):
        seller = client_at("198.51.100.70")
        assert [seller.post("/start/").status_code for _ in range(3)] == [303, 303, 429]


@override_settings(RATE_LIMITS=rates(share="1/h"))
def test_asking_support_makes_a_share_link_so_it_counts_too(
    client: Client, session: Session
) -> None:
    links = url_of("share_links", session.token)
    support = url_of("contact_support", session.token)
    assert client.post(links).status_code == 200
    assert client.post(support).status_code == 429


@override_settings(RATE_LIMITS=rates(words="2/m"))
def test_the_words_box_is_limited_per_client_and_the_plain_landing_page_never(
    version: FlowVersion,
) -> None:
    seller = client_at("198.51.100.60", HTTP_ACCEPT_LANGUAGE="en")
    assert [seller.get("/", {"words": "orderan nyangkut"}).status_code for _ in range(2)] == [
        200,
        200,
    ]
    assert seller.get("/", {"words": "orderan nyangkut"}).status_code == 429
    assert seller.get("/").status_code == 200  # no words read, nothing counted
    assert client_at("198.51.100.61").get("/", {"words": "resi"}).status_code == 200


@override_settings(RATE_LIMITS=rates(words="1/m"))
def test_explain_instead_reads_words_within_the_same_limit(session: Session) -> None:
    seller = client_at("198.51.100.62", HTTP_ACCEPT_LANGUAGE="en")
    url = f"/s/{session.token}/explain/where/"
    assert seller.get(url, {"words": "resi"}).status_code == 200
    assert seller.get(url, {"words": "resi"}).status_code == 429
