"""What every response promises a browser: a strict CSP, no caching of private pages,
only the methods a URL allows, CSRF on every POST, HTTPS-only cookies in production."""

from __future__ import annotations

import contextlib
import re
import time

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import parse_http_date

from tests.conftest import answer
from tests.environments import production_overrides
from wizard.sellers.models import FlowVersion, Session
from wizard.web.middleware import PrivatePages

HTMX = {"HTTP_HX_REQUEST": "true"}


def policy(response: HttpResponse) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: sources}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def seller_pages(client: Client, session: Session) -> dict[str, str]:
    """One URL of each kind of page a seller sees, the solution included."""
    return {
        "landing": "/",
        "resume": session.get_absolute_url(),
        "question": session.step_url("where"),
        "solution": _solved(client, session),
        "not found": "/s/no-such-session/",
    }


def _solved(client: Client, session: Session) -> str:
    answer(client, session, "where", "open")
    answer(client, session, "everyone", "yes")
    session.refresh_from_db()
    return session.step_url()


def test_the_csp_is_strict_on_every_seller_page(client: Client, session: Session) -> None:
    for name, url in seller_pages(client, session).items():
        response = client.get(url)
        csp = policy(response)
        header = response["Content-Security-Policy"]
        assert "unsafe-inline" not in header, name
        assert "unsafe-eval" not in header, name
        assert csp["default-src"] == ["'self'"], name
        assert csp["object-src"] == ["'none'"], name
        assert csp["base-uri"] == ["'none'"], name
        assert csp["frame-ancestors"] == ["'none'"], name
        assert csp["form-action"] == ["'self'"], name
        assert csp["style-src"] == ["'self'"], name
        assert [source for source in csp["script-src"] if source != "'self'"] == [
            source for source in csp["script-src"] if source.startswith("'nonce-")
        ], name


def test_every_script_carries_the_responses_nonce_and_no_style_is_inline(
    client: Client, session: Session
) -> None:
    for name, url in seller_pages(client, session).items():
        response = client.get(url)
        html = response.content.decode()
        nonce = next(s for s in policy(response)["script-src"] if s.startswith("'nonce-"))
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert scripts, name
        assert all(f'nonce="{nonce[7:-1]}"' in tag for tag in scripts), name
        assert " style=" not in html, name
        assert "<style" not in html, name


def test_the_usual_protective_headers_are_on_every_page(client: Client, session: Session) -> None:
    for url in [*seller_pages(client, session).values(), "/healthz"]:
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"


def test_session_pages_are_never_stored_by_browsers_or_proxies(
    client: Client, session: Session
) -> None:
    pages = seller_pages(client, session)
    for name in ("resume", "question", "solution", "not found"):
        response = client.get(pages[name])
        assert "no-store" in response["Cache-Control"], name
        assert "private" in response["Cache-Control"], name
    answered = answer(client, session, "where", "open")
    assert "no-store" in answered["Cache-Control"]


def test_a_private_page_gets_exactly_the_headers_django_would_give_it(
    client: Client, session: Session
) -> None:
    response = client.get(session.step_url())
    expected = HttpResponse()
    add_never_cache_headers(expected)
    assert response["Cache-Control"] == expected["Cache-Control"]
    assert abs(parse_http_date(response["Expires"]) - time.time()) <= 2
    # A view's own Cache-Control is merged with, as Django merges it.
    request = RequestFactory().get(f"/s/{session.token}/x/")
    own = PrivatePages(lambda request: HttpResponse(headers={"Cache-Control": "no-transform"}))
    assert own(request)["Cache-Control"] == (
        "no-transform, max-age=0, no-cache, no-store, must-revalidate, private"
    )


def test_share_and_staff_pages_are_never_stored(client: Client, session: Session) -> None:
    urls = ["/share/no-such-link/", "/admin/login/"]
    with contextlib.suppress(NoReverseMatch):  # until the staff pages are built
        urls += [reverse("share_links", args=[session.token]), reverse("staff_login")]
    for url in urls:
        response = client.get(url)
        assert "no-store" in response.get("Cache-Control", ""), url


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/start/",
        "/healthz",
        "/static/css/app.css",
        "/no-such-page/",
        "/share/anything/",
        "/admin/",
        "/i18n/setlang/",
    ],
)
def test_trace_is_refused_with_405_on_every_url(
    client: Client, version: FlowVersion, url: str
) -> None:
    response = client.generic("TRACE", url)
    assert response.status_code == 405
    assert "TRACE" not in response["Allow"]


def test_trace_on_a_session_url_is_refused_too(client: Client, session: Session) -> None:
    for url in (session.get_absolute_url(), session.step_url("where")):
        assert client.generic("TRACE", url).status_code == 405


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "OPTIONS"])
def test_a_question_allows_only_get_head_and_post(
    client: Client, session: Session, method: str
) -> None:
    response = client.generic(method, session.step_url("where"))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"


def test_starting_allows_only_post_and_says_so_on_a_friendly_page(
    client: Client, version: FlowVersion
) -> None:
    response = client.get("/start/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert b"This page cannot do that" in response.content
    assert b'href="/"' in response.content
    indonesian = client.get("/start/", HTTP_ACCEPT_LANGUAGE="id")
    assert b"Halaman ini tidak bisa melakukan itu" in indonesian.content


def test_a_head_request_gets_no_body_even_when_refused(
    client: Client, version: FlowVersion
) -> None:
    response = client.head("/start/")
    assert response.status_code == 405
    assert response.content == b""


def _csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match is not None
    return match.group(1)


def test_every_post_form_on_seller_pages_carries_a_csrf_token(
    client: Client, session: Session
) -> None:
    for name, url in seller_pages(client, session).items():
        html = client.get(url).content.decode()
        forms = re.findall(r'<form\b[^>]*method="post".*?</form>', html, flags=re.S)
        for form in forms:
            assert 'name="csrfmiddlewaretoken"' in form, name


def test_a_post_without_its_csrf_token_is_refused_with_a_friendly_page(
    version: FlowVersion,
) -> None:
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    refused = browser.post("/start/")
    assert refused.status_code == 403
    assert b"Please send that again" in refused.content
    assert Session.objects.count() == 0
    token = _csrf_token(browser.get("/").content.decode())
    assert browser.post("/start/", {"csrfmiddlewaretoken": token}).status_code == 303


def test_an_htmx_answer_needs_the_csrf_token_too(session: Session) -> None:
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(session.step_url("where")).content.decode()
    data = {"revision": session.revision, "value": "ship"}
    refused = browser.post(session.step_url("where"), data, **HTMX)
    assert refused.status_code == 403
    session.refresh_from_db()
    assert session.answers == {}
    accepted = browser.post(
        session.step_url("where"), data | {"csrfmiddlewaretoken": _csrf_token(page)}, **HTMX
    )
    assert accepted.status_code == 200
    session.refresh_from_db()
    assert session.answers == {"where": "ship"}


def test_production_sends_hsts_and_host_prefixed_secure_cookies(version: FlowVersion) -> None:
    with override_settings(**production_overrides()):
        browser = Client(enforce_csrf_checks=True)
        response = browser.get("/", secure=True)
    hsts = response["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts
    cookie = response.cookies["__Host-csrftoken"]
    assert cookie["secure"] is True
    assert cookie["path"] == "/"
    assert not cookie["domain"]


def test_production_redirects_plain_http_except_the_health_check(version: FlowVersion) -> None:
    with override_settings(**production_overrides()):
        browser = Client()
        redirected = browser.get("/")
        probe = browser.get("/healthz")
    assert redirected.status_code == 301
    assert redirected["Location"].startswith("https://")
    assert probe.status_code == 200


def test_the_session_language_cookie_is_host_prefixed_in_production(session: Session) -> None:
    with override_settings(**production_overrides()):
        response = Client().post(f"/s/{session.token}/language/", {"language": "en"}, secure=True)
    cookie = response.cookies["__Host-language"]
    assert cookie.value == "en"
    assert cookie["secure"] is True
    assert cookie["httponly"] is True


def test_pages_are_sent_compressed_to_browsers_that_accept_it(
    client: Client, session: Session
) -> None:
    response = client.get(session.step_url("where"), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
