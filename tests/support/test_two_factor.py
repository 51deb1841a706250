"""Two-step sign-in for staff: a TOTP authenticator app (django-otp), required of
editors when STAFF_2FA_REQUIRED is on."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.staff import staff_user

PASSWORD = "a long enough password 42"


def member(role: str) -> User:
    user = staff_user(role, f"{role}_user")
    user.set_password(PASSWORD)
    user.save()
    return user


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the app shows now (or a step later: a code is accepted only once)."""
    return f"{totp(device.bin_key, step=device.step, drift=steps_ahead):06d}"


def sign_in(client: Client, user: User, otp_token: str = "") -> int:
    data = {"username": user.username, "password": PASSWORD, "otp_token": otp_token}
    return client.post("/staff/login/", data).status_code


def set_up(client: Client) -> TOTPDevice:
    """Go through the set-up page and confirm the app's first code."""
    page = client.get("/staff/two-factor/").content.decode()
    device = TOTPDevice.objects.get()
    assert "otpauth://totp/" in page
    response = client.post("/staff/two-factor/", {"otp_token": code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


# Wrong codes slow further tries down (django-otp's throttling); not what this tests.
@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_staff_set_up_two_step_sign_in_and_then_need_the_code(db: None) -> None:
    editor = member("editors")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert sign_in(client, editor) == 302
    device = set_up(client)
    assert "Two-step sign-in is on" in client.get("/staff/two-factor/").content.decode()
    client.post("/staff/logout/")
    # The password alone no longer signs in.
    refused = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/staff/login/", {"username": editor.username, "password": PASSWORD}
    )
    assert refused.status_code == 200
    assert "missing or wrong" in refused.content.decode()
    assert sign_in(Client(), editor, "000000" if code(device, 1) != "000000" else "111111") == 200
    again = Client()
    assert sign_in(again, editor, code(device, 1)) == 302
    with override_settings(STAFF_2FA_REQUIRED=True):  # this sign-in counts as two-step
        assert again.get("/admin/").status_code == 200


def test_a_wrong_first_code_does_not_turn_it_on(db: None) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    sign_in(client, member("support"))
    client.get("/staff/two-factor/")
    device = TOTPDevice.objects.get()
    wrong = "000000" if code(device) != "000000" else "111111"
    page = client.post("/staff/two-factor/", {"otp_token": wrong}).content.decode()
    assert "does not match" in page
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


@override_settings(STAFF_2FA_REQUIRED=True)
def test_when_required_editors_without_it_are_sent_to_set_it_up(db: None) -> None:
    editor = member("editors")
    client = Client()
    assert sign_in(client, editor) == 302
    for page in ("/admin/", "/admin/sellers/incident/", "/staff/"):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"] == "/staff/two-factor/"
    set_up(client)
    assert client.get("/admin/").status_code == 200


@override_settings(STAFF_2FA_REQUIRED=True)
def test_when_required_support_still_sign_in_with_a_password(db: None) -> None:
    client = Client()
    assert sign_in(client, member("support")) == 302
    assert client.get("/staff/").status_code == 200


@pytest.mark.parametrize("required", [False, True])
def test_signed_out_visitors_are_asked_to_sign_in_first(db: None, required: bool) -> None:
    with override_settings(STAFF_2FA_REQUIRED=required):
        response = Client().get("/staff/two-factor/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0)
def test_set_up_shows_a_qr_code_then_recovery_codes_once_and_one_signs_in_once(
    db: None,
) -> None:
    editor = member("editors")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    sign_in(client, editor)
    page = client.get("/staff/two-factor/").content.decode()
    assert '<svg width="' in page  # the QR code, drawn in the page
    assert "<script" not in page.split('class="two-factor-qr"')[1].split("</div>")[0]
    set_up(client)
    shown = client.get("/staff/two-factor/").content.decode()
    codes = re.findall(r"<li><code>(\w+)</code></li>", shown)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    # Shown once: the next visit counts them and shows none.
    later = client.get("/staff/two-factor/").content.decode()
    assert codes[0] not in later
    assert "You have 10 unused recovery codes" in later
    client.post("/staff/logout/")
    assert sign_in(Client(), editor, codes[0]) == 302  # a lost phone
    assert sign_in(Client(), editor, codes[0]) == 200  # each code works once


def test_new_recovery_codes_replace_the_old_ones(db: None) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    editor = member("editors")
    sign_in(client, editor)
    set_up(client)
    first = re.findall(
        r"<li><code>(\w+)</code></li>", client.get("/staff/two-factor/").content.decode()
    )
    client.post("/staff/two-factor/recovery-codes/")
    second = re.findall(
        r"<li><code>(\w+)</code></li>", client.get("/staff/two-factor/").content.decode()
    )
    assert len(second) == 10
    assert not set(first) & set(second)
    client.post("/staff/logout/")
    assert sign_in(Client(), editor, first[0]) == 200


def test_passkeys_in_development_answer_on_the_port_make_run_serves() -> None:
    import os
    import subprocess
    import sys

    script = "from django.conf import settings; print(settings.OTP_WEBAUTHN_ALLOWED_ORIGINS)"
    env = {**os.environ, "PORT": "8123", "DJANGO_SETTINGS_MODULE": "wizard.settings"}
    env.pop("PASSKEY_ORIGINS", None)
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "http://localhost:8123" in out
