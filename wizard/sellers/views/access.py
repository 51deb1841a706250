"""How a request reaches a seller's session: by the token in its path, in the session's
language; and the permission that lets staff answer for a seller (agent mode)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils import translation

from ..models import Session

AGENT_PERMISSION = "sellers.add_session"


def seller_session(request: HttpRequest, token: str) -> Session:
    """The session a seller's token opens, with the page in the session's language."""
    session = opened(token)
    translation.activate(session.language)
    request.LANGUAGE_CODE = session.language
    return session


def opened(token: str) -> Session:
    """The session of the token in the path (looked up by its hash), or 404."""
    session = Session.opened_by(token)
    if session is None:
        raise Http404("no such session")
    return session
