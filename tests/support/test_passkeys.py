"""Passkeys for staff (django-otp-webauthn): added on the two-step sign-in page, they sign
a staff member in without a password and count as two-step sign-in.

The browser's part is played by a small software authenticator (an ECDSA P-256 key, the
"none" attestation), so the whole ceremony runs here: the server's options, the
authenticator's signed answer, the server's verification.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client, override_settings
from django_otp_webauthn.models import WebAuthnCredential

from tests.staff import signed_in, staff_user

ORIGIN = "http://testserver"
SITE = override_settings(OTP_WEBAUTHN_RP_ID="testserver", OTP_WEBAUTHN_ALLOWED_ORIGINS=[ORIGIN])
BEGIN_REGISTRATION = "/staff/passkeys/registration/begin/"
COMPLETE_REGISTRATION = "/staff/passkeys/registration/complete/"
BEGIN_SIGNIN = "/staff/passkeys/authentication/begin/"
COMPLETE_SIGNIN = "/staff/passkeys/authentication/complete/"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Authenticator:
    """A passkey on a device: one key, made for one relying party."""

    rp_id: str = "testserver"
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    credential_id: bytes = field(default_factory=lambda: secrets.token_bytes(16))
    user_handle: bytes = b""
    count: int = 0

    def _client_data(self, kind: str, challenge: str, origin: str) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin}).encode()

    def _public_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        cose = {
            1: 2,
            3: -7,
            -1: 1,
            -2: numbers.x.to_bytes(32, "big"),
            -3: numbers.y.to_bytes(32, "big"),
        }
        return cbor2.dumps(cose)

    def create(self, options: dict[str, Any], origin: str = ORIGIN) -> dict[str, Any]:
        """navigator.credentials.create(): user present and verified, a new key."""
        self.user_handle = unb64(options["user"]["id"])
        rp_hash = hashlib.sha256(options["rp"]["id"].encode()).digest()
        attested = bytes(16) + len(self.credential_id).to_bytes(2, "big") + self.credential_id
        auth_data = rp_hash + bytes([0x45]) + (0).to_bytes(4, "big") + attested + self._public_key()
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(client_data),
                "attestationObject": b64(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
        }

    def get(self, options: dict[str, Any], origin: str = ORIGIN) -> dict[str, Any]:
        """navigator.credentials.get(): a signed assertion for the server's challenge."""
        self.count += 1
        rp_hash = hashlib.sha256(options["rpId"].encode()).digest()
        auth_data = rp_hash + bytes([0x05]) + self.count.to_bytes(4, "big")
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = self.key.sign(signed, ec.ECDSA(hashes.SHA256()))
        return {
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "type": "public-key",
            "response": {
                "authenticatorData": b64(auth_data),
                "clientDataJSON": b64(client_data),
                "signature": b64(signature),
                "userHandle": b64(self.user_handle),
            },
            "clientExtensionResults": {},
        }


def post_json(client: Client, path: str, data: Any = None) -> Any:
    return client.post(path, json.dumps(data or {}), content_type="application/json")


def register(client: Client, device: Authenticator) -> Any:
    options = post_json(client, BEGIN_REGISTRATION).json()
    return post_json(client, COMPLETE_REGISTRATION, device.create(options))


@SITE
def test_a_staff_member_adds_a_passkey_and_signs_in_with_it_alone(agent: User) -> None:
    device = Authenticator()
    staff = signed_in(agent)
    options = post_json(staff, BEGIN_REGISTRATION).json()
    assert options["rp"] == {"id": "testserver", "name": "Pesanan Lancar"}
    assert options["user"]["name"] == "agent_rina"
    response = post_json(staff, COMPLETE_REGISTRATION, device.create(options))
    assert response.status_code == 200, response.content
    assert WebAuthnCredential.objects.filter(user=agent, confirmed=True).count() == 1
    assert (
        "You have 1 passkey."
        in staff.get("/staff/two-factor/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )

    browser = Client()  # another visit, signed out: no password, no code
    options = post_json(browser, BEGIN_SIGNIN).json()
    assert options["rpId"] == "testserver"
    response = post_json(browser, COMPLETE_SIGNIN + "?next=/staff/cases/", device.get(options))
    assert response.status_code == 200, response.content
    assert response.json()["redirect_url"] == "/staff/cases/"
    assert browser.get("/staff/cases/").status_code == 200


@SITE
@override_settings(STAFF_2FA_REQUIRED=True)
def test_an_editor_who_must_use_two_step_sign_in_may_use_a_passkey(db: None) -> None:
    editor = staff_user("editors", "editor_ayu")
    device = Authenticator()
    password_only = signed_in(editor)
    assert password_only.get("/staff/flows/")["Location"] == "/staff/two-factor/"
    # Adding the passkey is part of setting up two-step sign-in: it is not sent away.
    assert register(password_only, device).status_code == 200
    browser = Client()
    options = post_json(browser, BEGIN_SIGNIN).json()
    assert post_json(browser, COMPLETE_SIGNIN, device.get(options)).status_code == 200
    assert browser.get("/staff/flows/").status_code == 200


@SITE
def test_a_passkey_answer_for_another_site_or_an_old_challenge_signs_nobody_in(
    agent: User,
) -> None:
    device = Authenticator()
    assert register(signed_in(agent), device).status_code == 200
    phished = Client()
    options = post_json(phished, BEGIN_SIGNIN).json()
    answer = device.get(options, origin="https://pesanan-lancar.example.net")
    assert post_json(phished, COMPLETE_SIGNIN, answer).status_code >= 400
    assert phished.get("/staff/cases/").status_code == 302
    replayed = Client()
    post_json(replayed, BEGIN_SIGNIN)
    assert post_json(replayed, COMPLETE_SIGNIN, device.get(options)).status_code >= 400
    assert replayed.get("/staff/cases/").status_code == 302


@SITE
def test_only_a_signed_in_staff_member_adds_a_passkey(db: None) -> None:
    assert post_json(Client(), BEGIN_REGISTRATION).status_code in (401, 403)
    assert not WebAuthnCredential.objects.exists()


def test_the_passkey_scripts_come_from_our_static_files_and_need_no_inline_script(
    agent: User,
) -> None:
    for client, page in ((signed_in(agent), "/staff/two-factor/"), (Client(), "/staff/login/")):
        response = client.get(page, HTTP_ACCEPT_LANGUAGE="en")
        html = response.content.decode()
        scripts = [part.split(">", 1)[0] for part in html.split("<script")[1:]]
        assert any('src="/static/django_otp_webauthn/' in tag for tag in scripts), page
        # Every script is a file of this site or a data block (its JSON configuration).
        for tag in scripts:
            assert 'src="/' in tag or 'type="application/json"' in tag or "nonce=" in tag, tag
        assert "https://" not in " ".join(tag for tag in scripts if "src=" in tag)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self' 'nonce-" in policy
    assert 'id="passkey-verification-button"' in html


@pytest.mark.parametrize("path", [BEGIN_SIGNIN, COMPLETE_SIGNIN])
def test_passkey_sign_ins_are_limited_per_address(db: None, path: str) -> None:
    cache.clear()
    visitor = Client(REMOTE_ADDR="198.51.100.90")
    with override_settings(RATE_LIMITS_ENABLED=True):
        from django.conf import settings

        rates = settings.RATE_LIMITS | {"passkey_signin": "2/10m"}
        with override_settings(RATE_LIMITS=rates):
            statuses = [post_json(visitor, path).status_code for _ in range(3)]
    assert statuses[-1] == 429
    assert 429 not in statuses[:2]
