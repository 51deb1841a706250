""" "Save my link": the seller keeps their session link (copy it, WhatsApp it or email it
to themselves); we send and store nothing."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from wizard.flows import Text

from ..models import Session

register = template.Library()


@register.inclusion_tag("sellers/_save_link.html", takes_context=True)
def save_my_link(
    context: template.Context, session: Session, at: Text | None = None, oob: bool = False
) -> dict[str, Any]:
    """The session link and the WhatsApp and email links that carry it, in the seller's
    language, with one line naming the step the seller is at (`at`: a question's text or
    a solution's title). The session code is never enough to come back: only this link is.

    An htmx answer swaps only the step card, so its response sends this box too
    (`oob`), swapped in out of band: its context line then names the new step."""
    url = context["request"].build_absolute_uri(session.get_absolute_url())
    with translation.override(session.language):
        subject = _("My Pesanan Lancar session %(code)s") % {"code": session.code}
        if at is None:
            text = _("Continue my Pesanan Lancar session (TikTok Shop orders): %(url)s") % {
                "url": url
            }
        else:
            text = _(
                "Continue my Pesanan Lancar session (TikTok Shop orders), at “%(step)s”: %(url)s"
            ) % {
                "step": session.flow.render(at, session.language),
                "url": url,
            }
    return {
        "oob": oob,
        "session": session,
        "session_url": url,
        "whatsapp_url": f"https://wa.me/?text={quote(text, safe='')}",
        "email_url": f"mailto:?subject={quote(subject, safe='')}&body={quote(text, safe='')}",
        "delete_url": reverse("delete_answers", args=[session.token]),
        "csp_nonce": context.get("csp_nonce", ""),
    }
