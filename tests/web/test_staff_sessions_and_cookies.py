"""Staff sign-ins end with the working day and with the browser; the messages cookie is
`__Host-` in production; images from `data:` only because Bootstrap's CSS needs them."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session as DjangoSession
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from tests.environments import computed_settings, production_settings
from tests.staff import staff_user
from wizard.web.message_cookie import HostOnlyCookieStorage

PASSWORD = "a long enough password 42"
CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "bootstrap-subset.css"


def test_a_staff_sign_in_lasts_a_working_day_and_ends_with_the_browser(db: None) -> None:
    user: User = staff_user("support", "siti")
    user.set_password(PASSWORD)
    user.save()
    browser = Client()
    signed = browser.post("/staff/login/", {"username": "siti", "password": PASSWORD})
    assert signed.status_code == 302
    cookie = signed.cookies["sessionid"]
    # No lifetime of its own: the browser forgets it when it closes.
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""
    row = DjangoSession.objects.get(session_key=cookie.value)
    hours = (row.expire_date - timezone.now()).total_seconds() / 3600
    assert 9.9 < hours <= 10.0
    # Past its expiry the same cookie signs no one in.
    row.expire_date = timezone.now() - dt.timedelta(seconds=1)
    row.save()
    assert browser.get("/staff/").status_code == 302


def test_the_working_day_is_configurable() -> None:
    assert computed_settings(STAFF_SESSION_HOURS="8")["SESSION_COOKIE_AGE"] == 8 * 3600
    assert computed_settings()["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True


def test_the_messages_cookie_is_host_only_in_production() -> None:
    assert production_settings()["MESSAGE_STORAGE"] == (
        "wizard.web.message_cookie.HostOnlyCookieStorage"
    )
    request = RequestFactory().get("/")
    storage = HostOnlyCookieStorage(request)
    request._messages = storage  # type: ignore[attr-defined]
    messages.info(request, "saved")
    response = HttpResponse()
    storage.update(response)
    cookie = response.cookies["__Host-messages"]
    assert cookie["path"] == "/"
    assert cookie["domain"] == ""


def test_data_images_are_allowed_only_while_bootstraps_css_uses_them() -> None:
    policy = production_settings()["SECURE_CSP"]["img-src"]
    inlined = re.findall(r'url\("data:image/svg\+xml', CSS.read_text())
    assert ("data:" in policy) == bool(inlined)
