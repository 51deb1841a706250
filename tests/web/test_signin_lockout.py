"""Staff sign-in is throttled: repeated wrong passwords lock out the address, and the
user at that address, on the staff page and the admin's alike (django-axes)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings

from tests.staff import staff_user

PASSWORD = "a long enough password 42"


@pytest.fixture
def support(db: None) -> User:
    user = staff_user("support", "siti")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client: Client, page: str, password: str, username: str = "siti") -> int:
    response = client.post(page, {"username": username, "password": password})
    return response.status_code


def test_the_admin_sends_sign_ins_to_the_staff_page(db: None) -> None:
    # The staff page is the one that asks for an authenticator code (and is throttled).
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/login/?next=/admin/"
    assert Client().post("/admin/login/", {"username": "x", "password": "y"}).status_code == 302


@pytest.mark.parametrize("page", ["/staff/login/"])
@override_settings(AXES_FAILURE_LIMIT=3)
def test_wrong_passwords_lock_out_the_address_even_with_the_right_one_next(
    support: User, page: str
) -> None:
    attacker = Client(REMOTE_ADDR="203.0.113.20", HTTP_ACCEPT_LANGUAGE="en")
    statuses = [sign_in(attacker, page, f"guess {n}") for n in range(5)]
    assert statuses[:2] == [200, 200]
    assert statuses[-1] == 429
    locked = attacker.post(page, {"username": "siti", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()
    assert "Try again in 15 minutes." in locked.content.decode()
    assert int(locked["Retry-After"]) > 0


@override_settings(AXES_FAILURE_LIMIT=3)
def test_guessing_many_usernames_from_one_address_is_locked_out_too(support: User) -> None:
    attacker = Client(REMOTE_ADDR="203.0.113.21")
    statuses = [sign_in(attacker, "/staff/login/", "guess", username=f"user{n}") for n in range(5)]
    assert statuses[-1] == 429


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_lockout_elsewhere_does_not_stop_the_real_staff_member(support: User) -> None:
    attacker = Client(REMOTE_ADDR="203.0.113.22")
    for n in range(5):
        sign_in(attacker, "/staff/login/", f"guess {n}")
    colleague = Client(REMOTE_ADDR="198.51.100.23")
    assert sign_in(colleague, "/staff/login/", PASSWORD) == 302
