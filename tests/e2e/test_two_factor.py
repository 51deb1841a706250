"""Two-step sign-in in a real browser: set up at phone width, then sign in with the code."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import BrowserContext, Page

from wizard.web.roles import ensure_role

from . import axe
from .watch import Watch

pytestmark = pytest.mark.browser

OpenContext = Callable[..., BrowserContext]
PASSWORD = "a long test password, typed into the sign-in form"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def signed_in_page(site: str, open_context: OpenContext, watch: Watch, code: str = "") -> Page:
    context = open_context(PHONE, base_url=site)
    watch.attach(context)
    axe.preload(context)
    page = context.new_page()
    page.goto("/staff/login/")
    page.locator("input[name=username]").fill("editor")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=otp_token]").fill(code)
    page.locator("main form button[type=submit]").click()
    return page


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_an_editor_sets_up_two_step_sign_in_and_signs_in_with_the_code(
    site: str, open_context: OpenContext, watch: Watch, transactional_db: None
) -> None:
    editor = User.objects.create_user("editor", password=PASSWORD, is_staff=True)
    editor.groups.add(ensure_role("editors"))
    page = signed_in_page(site, open_context, watch)
    page.goto("/staff/two-factor/")
    assert axe.violations(page) == [], "two-step set-up"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    device = TOTPDevice.objects.get()
    page.locator("input[name=otp_token]").fill(f"{totp(device.bin_key):06d}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/two-factor/")
    assert "Masuk dua langkah sudah aktif" in page.locator("main").inner_text()

    later = signed_in_page(site, open_context, watch, f"{totp(device.bin_key, drift=1):06d}")
    later.wait_for_url("**/staff/flows/")  # editors land on the workshop


def test_a_staff_member_adds_a_passkey_and_signs_in_with_it_in_chromium(
    site: str, open_context: OpenContext, watch: Watch, transactional_db: None
) -> None:
    """Chromium's virtual authenticator (DevTools' WebAuthn domain) holds the passkey: the
    library's script runs under the strict CSP and the Permissions-Policy, makes it, and
    signs in with it, with no password."""
    editor = User.objects.create_user("editor", password=PASSWORD, is_staff=True)
    editor.groups.add(ensure_role("editors"))
    with override_settings(OTP_WEBAUTHN_RP_ID="localhost", OTP_WEBAUTHN_ALLOWED_ORIGINS=[site]):
        page = signed_in_page(site, open_context, watch)
        devtools = page.context.new_cdp_session(page)
        devtools.send("WebAuthn.enable")
        devtools.send(
            "WebAuthn.addVirtualAuthenticator",
            {
                "options": {
                    "protocol": "ctap2",
                    "transport": "internal",
                    "hasResidentKey": True,
                    "hasUserVerification": True,
                    "isUserVerified": True,
                }
            },
        )
        page.goto("/staff/two-factor/")
        page.locator("#passkey-register-button").click()  # "Tambahkan passkey"
        page.locator("#passkey-register-status-message").filter(has_text="successful").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path="/tmp/passkey-two-factor-390.png")
        page.reload()
        assert "Anda punya 1 passkey." in page.locator("main").inner_text()
        page.locator("form[action='/staff/logout/'] button").click()
        # Signed out, the sign-in page offers the passkey in the username field's
        # autofill (the virtual authenticator picks it at once) and as a button.
        page.wait_for_url("**/staff/flows/")
        assert axe.violations(page) == [], "signed in with a passkey"
