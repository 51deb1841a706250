"""Contacting support: a ready-made message for the team, with a share link made for it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from wizard.sellers.views.steps import seller_session
from wizard.web.limits import guards_tokens

from ..models import ShareLink
from ..summary import case_summary
from .share import share_link_limit


@never_cache
@require_http_methods(["GET", "POST"])
@guards_tokens
def contact_support(request: HttpRequest, token: str) -> HttpResponse:
    """A ready-made message for support, with a share link made for it; the case escalates."""
    session = seller_session(request, token)
    context = {"session": session, "flow": session.flow}
    if request.method == "POST":
        if (limited := share_link_limit(request, session)) is not None:
            return limited
        link, secret = ShareLink.for_support(session)
        # Shown once: the token is in this response only, so it is rendered, not redirected.
        context["summary"] = case_summary(
            session,
            session.walk(),
            share_url=request.build_absolute_uri(reverse("shared", args=[secret])),
            expires_at=link.expires_at,
        )
    return render(request, "support/support.html", context)
