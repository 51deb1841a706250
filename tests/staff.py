"""Helpers for the staff, share-link and incident tests: users in roles, solved sessions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from wizard.sellers.models import Incident, Session
from wizard.support.models import ShareLink
from wizard.web.roles import ensure_role


def staff_user(role: str, username: str | None = None) -> User:
    """A staff member in the "support" or "editors" group."""
    # No password: hashing one costs most of a second, and tests sign in with force_login.
    user = User.objects.create_user(username or role, is_staff=True)
    user.groups.add(ensure_role(role))
    return user


def signed_in(user: User, **headers: Any) -> Client:
    """A browser signed in as `user`."""
    client = Client(**headers)
    client.force_login(user)
    return client


def answer_all(session: Session, *answers: tuple[str, Any], by: Any = None) -> None:
    """Answer questions in order through the model, as the step view does."""
    for key, value in answers:
        session.answer(key, value, revision=session.revision, by=by)


def solved(session: Session) -> Session:
    """The session at the `outage` solution: where → open, everyone → yes."""
    answer_all(session, ("where", "open"), ("everyone", "yes"))
    return session


def share(session: Session, **options: Any) -> str:
    """A share link's token for the session."""
    _, token = ShareLink.create(session, **options)
    return token


def incident(*, hours_ago: float = 1, ends_in: float | None = None, **texts: str) -> Incident:
    """A platform incident that started `hours_ago` and ends in `ends_in` hours (or never)."""
    now = timezone.now()
    return Incident.objects.create(
        title_indonesian=texts.get("title_id", "Seller Center sedang gangguan"),
        title_english=texts.get("title_en", "Seller Center is down"),
        text_indonesian=texts.get("text_id", "Tunggu dan coba lagi nanti."),
        text_english=texts.get("text_en", "Wait and try again later."),
        starts_at=now - dt.timedelta(hours=hours_ago),
        ends_at=None if ends_in is None else now + dt.timedelta(hours=ends_in),
    )
