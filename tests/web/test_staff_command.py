"""`manage.py createstaff`: a staff user in the support or editors group."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command


def create(*args: str) -> str:
    out = io.StringIO()
    call_command("createstaff", *args, stdout=out)
    return out.getvalue()


def test_creates_a_support_user_with_the_password_from_the_environment(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STAFF_PASSWORD", "a long enough pass phrase 7")
    assert "created rina in support" in create("rina", "--role", "support", "--no-input")
    rina = User.objects.get(username="rina")
    assert not rina.is_staff  # support needs no admin
    assert not rina.is_superuser
    assert rina.check_password("a long enough pass phrase 7")
    assert rina.has_perm("sellers.view_session")
    assert rina.has_perm("support.add_note")
    # Support sees an outage's wave first: it declares and ends incidents, never deletes one.
    assert rina.has_perm("sellers.change_incident")
    assert not rina.has_perm("sellers.delete_incident")


def test_creates_an_editor(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAFF_PASSWORD", "a long enough pass phrase 7")
    create("dewi", "--role", "editors", "--no-input", "--email", "dewi@example.com")
    dewi = User.objects.get(username="dewi")
    assert dewi.email == "dewi@example.com"
    assert dewi.has_perm("sellers.add_incident")
    assert dewi.has_perm("sellers.view_flowversion")
    assert not dewi.has_perm("sellers.view_session")


def test_an_existing_user_joins_the_role_and_keeps_the_password(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    User.objects.create_user("rina", password="an old pass phrase 99")
    assert "already exists" in create("rina", "--role", "editors", "--no-input")
    rina = User.objects.get(username="rina")
    assert rina.is_staff
    assert rina.check_password("an old pass phrase 99")
    assert rina.groups.filter(name="editors").exists()


def test_a_weak_or_missing_password_is_refused(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STAFF_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="STAFF_PASSWORD"):
        create("rina", "--role", "support", "--no-input")
    monkeypatch.setenv("STAFF_PASSWORD", "123")
    with pytest.raises(CommandError):  # Django's password validators, in the active language
        create("rina", "--role", "support", "--no-input")
    assert not User.objects.exists()


def test_an_unknown_role_is_refused(db: None) -> None:
    with pytest.raises(CommandError):
        create("rina", "--role", "admins", "--no-input")
