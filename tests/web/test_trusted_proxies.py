"""The client's address comes from our proxies, never from the client: X-Forwarded-For
(and X-Forwarded-Proto) count only on a connection from settings.TRUSTED_PROXIES."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings

from tests.staff import staff_user
from wizard.web.limits import client_address
from wizard.web.middleware import ProxyHeaders

PASSWORD = "a long enough password 42"
OUTSIDER = "203.0.113.77"  # not a proxy: it reached the app port itself


def request_from(remote: str, forwarded: str | None = None) -> Any:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_a_client_that_is_not_a_proxy_is_counted_by_its_own_address() -> None:
    assert client_address(request_from(OUTSIDER, "198.51.100.1")) == OUTSIDER


def test_behind_the_local_proxy_the_address_it_saw_is_the_client() -> None:
    # The client may have written the left part itself; nginx appended the right one.
    assert client_address(request_from("127.0.0.1", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=["127.0.0.1", "10.0.0.0/24"])
def test_every_hop_that_is_one_of_our_proxies_is_skipped() -> None:
    request = request_from("127.0.0.1", "1.2.3.4, 198.51.100.7, 10.0.0.5")
    assert client_address(request) == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=[])
def test_with_no_proxy_trusted_the_header_is_never_read() -> None:
    assert client_address(request_from("127.0.0.1", "198.51.100.7")) == "127.0.0.1"


def test_an_ipv6_proxy_is_trusted_by_the_default_too() -> None:
    assert client_address(request_from("::1", "2001:db8:1:2::1")) == "2001:db8:1:2::/64"


def test_forwarded_headers_from_an_outsider_are_dropped_before_anything_reads_them() -> None:
    seen: dict[str, Any] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen["secure"] = request.is_secure()
        seen["forwarded"] = request.META.get("HTTP_X_FORWARDED_FOR")
        return HttpResponse()

    spoofed = RequestFactory().get(
        "/", REMOTE_ADDR=OUTSIDER, HTTP_X_FORWARDED_FOR="127.0.0.1", HTTP_X_FORWARDED_PROTO="https"
    )
    ProxyHeaders(view)(spoofed)
    assert seen == {"secure": False, "forwarded": None}
    proxied = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=OUTSIDER, HTTP_X_FORWARDED_PROTO="https"
    )
    ProxyHeaders(view)(proxied)
    assert seen == {"secure": True, "forwarded": OUTSIDER}


# --- Straight at the app port: rotating the forwarded address changes nothing -------------


@pytest.fixture
def support(db: None) -> User:
    user = staff_user("support", "siti")
    user.set_password(PASSWORD)
    user.save()
    return user


@override_settings(AXES_FAILURE_LIMIT=3)
def test_rotating_forwarded_addresses_does_not_lift_the_signin_lockout(support: User) -> None:
    statuses = [
        Client(REMOTE_ADDR=OUTSIDER, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        .post("/staff/login/", {"username": "siti", "password": f"guess {n}"})
        .status_code
        for n in range(6)
    ]
    assert statuses[-1] == 429
    fresh_claim = Client(REMOTE_ADDR=OUTSIDER, HTTP_X_FORWARDED_FOR="192.0.2.200")
    locked = fresh_claim.post("/staff/login/", {"username": "siti", "password": PASSWORD})
    assert locked.status_code == 429


@override_settings(RATE_LIMITS_ENABLED=True)
def test_rotating_forwarded_addresses_does_not_lift_the_token_guessing_limit(
    db: None, settings: Any
) -> None:
    settings.RATE_LIMITS = settings.RATE_LIMITS | {"unknown_token": "3/10m"}
    statuses = [
        Client(REMOTE_ADDR=OUTSIDER, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        .get(f"/s/guess-{n}-aaaaaaaaaaaaaaaaaaaaaaaa/")
        .status_code
        for n in range(5)
    ]
    assert statuses == [404, 404, 404, 429, 429]


def test_metrics_stay_closed_to_an_outsider_claiming_to_be_local(db: None) -> None:
    for claim in ("127.0.0.1", "::1", "127.0.0.1, 127.0.0.1"):
        spoofed = Client(REMOTE_ADDR=OUTSIDER, HTTP_X_FORWARDED_FOR=claim)
        assert spoofed.get("/metrics").status_code == 404
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 200


def test_the_old_proxy_count_is_named_by_check_while_it_is_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from wizard.web.checks import proxies_by_address

    assert proxies_by_address() == []
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "1")
    (warning,) = proxies_by_address()
    assert warning.id == "wizard.W003"
    assert "TRUSTED_PROXIES" in warning.msg
