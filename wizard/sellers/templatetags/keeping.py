""" "Save my link": the seller keeps their session link (copy it, WhatsApp it or email it
to themselves); we send and store nothing."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import template
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import Session

register = template.Library()


@register.inclusion_tag("sellers/_save_link.html", takes_context=True)
def save_my_link(context: template.Context, session: Session) -> dict[str, Any]:
    """The session link and the WhatsApp and email links that carry it, in the seller's
    language. The session code is never enough to come back: only this link is."""
    url = context["request"].build_absolute_uri(session.get_absolute_url())
    with translation.override(session.language):
        subject = _("My Pesanan Lancar session %(code)s") % {"code": session.code}
        text = _("Continue my Pesanan Lancar session (TikTok Shop orders): %(url)s") % {"url": url}
    return {
        "session": session,
        "session_url": url,
        "whatsapp_url": f"https://wa.me/?text={quote(text, safe='')}",
        "email_url": f"mailto:?subject={quote(subject, safe='')}&body={quote(text, safe='')}",
        "csp_nonce": context.get("csp_nonce", ""),
    }
