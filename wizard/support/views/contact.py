"""Contacting support: a ready-made message for the team, with a share link made for it,
sent through the team's own channels (WhatsApp, email, a chat) when it has set them up."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_http_methods

from wizard.sellers.views.access import seller_session
from wizard.web.limits import guards_tokens

from ..models import ShareLink, SupportChannel
from ..summary import case_summary
from .share import share_link_limit

# The contact page's buttons answer with a redirect to WhatsApp or the mail app, and a
# browser holds a form's redirects to `form-action` too: this page alone may send them
# there (wa.me forwards to api.whatsapp.com, or on a phone to the app's scheme).
CHANNEL_FORM_ACTIONS = [
    CSP.SELF,
    "https://wa.me",
    "https://api.whatsapp.com",
    "whatsapp:",
    "mailto:",
]

CHANNEL_CSP: dict[str, Any] = {**settings.SECURE_CSP, "form-action": CHANNEL_FORM_ACTIONS}


class ChannelRedirect(HttpResponseRedirect):
    """A 303 to the seller's WhatsApp or mail app, the message written."""

    status_code = 303
    allowed_schemes = ["https", "mailto"]


@never_cache
@require_http_methods(["GET", "POST"])
@csp_override(CHANNEL_CSP)
@guards_tokens
def contact_support(request: HttpRequest, token: str) -> HttpResponse:
    """A ready-made message for support, with a share link made for it; the case escalates.
    A button for WhatsApp or email goes straight there with the message written."""
    session = seller_session(request, token)
    channel = SupportChannel.current()
    walk = session.walk()
    context = {
        "session": session,
        "flow": session.flow,
        "channel": channel,
        "deadline": session.deadline(walk),
    }
    if channel is not None:
        context |= channel.shown(session.language)
    if request.method == "POST":
        if (limited := share_link_limit(request, session)) is not None:
            return limited
        staff_url = request.build_absolute_uri(reverse("case", args=[session.code]))
        link, secret = ShareLink.for_support(session, staff_url=staff_url)
        share_url = request.build_absolute_uri(reverse("shared", args=[secret]))
        message = partial(
            case_summary, session, walk, share_url=share_url, expires_at=link.expires_at
        )
        with translation.override(session.language):
            subject = _("Pesanan Lancar — case %(code)s") % {"code": session.code}
        links = channel.links(subject, lambda level: message(terse=level)) if channel else {}
        if url := links.get(request.POST.get("channel", "")):
            return ChannelRedirect(url)
        # Shown once: the token is in this response only, so it is rendered, not redirected.
        context |= {"summary": message(), "links": links}
    return render(request, "support/support.html", context)
