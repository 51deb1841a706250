"""What the workshop tells editors by email, through the outbox: a draft waits for their
review, or their draft was approved or sent back for changes. Written in the team's
language (SUPPORT_LANGUAGE), with the draft's link."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from wizard.support.models import Outbox

if TYPE_CHECKING:
    from .models import Draft

# Who may approve: holders of editors.publish_draft, through a group or their own.
REVIEWERS = Q(
    groups__permissions__codename="publish_draft",
    groups__permissions__content_type__app_label="editors",
) | Q(
    user_permissions__codename="publish_draft",
    user_permissions__content_type__app_label="editors",
)


def review_wanted(draft: Draft, *, by: Any, site_url: str) -> None:
    """Tell every other editor who may approve that the draft waits for a review."""
    addresses = list(
        get_user_model()
        .objects.filter(REVIEWERS, is_active=True)
        .exclude(email="")
        .exclude(pk__in={by.pk, draft.author_id})
        .values_list("email", flat=True)
        .distinct()
    )
    with translation.override(settings.SUPPORT_LANGUAGE):
        facts = _facts(draft, site_url)
        subject = _("[Pesanan Lancar] Draft %(number)s waits for your review") % facts
        text = (
            _("%(author)s asks for a review of draft %(number)s (%(kind)s, from %(base)s).") % facts
        )
        text += "\n\n" + _("Read it, then approve it or request changes: %(link)s") % facts
    Outbox.emails(addresses, subject, {"text": text, "draft": draft.pk, "url": facts["link"]})


def reviewed(draft: Draft, *, by: Any, site_url: str, comment: str = "") -> None:
    """Tell the author that a reviewer approved the draft, or requested changes (`comment`)."""
    author = draft.author
    if not author.email or author.pk == by.pk:
        return
    with translation.override(settings.SUPPORT_LANGUAGE):
        facts = _facts(draft, site_url) | {"reviewer": by.get_username()}
        if comment:
            subject = _("[Pesanan Lancar] Changes requested to draft %(number)s") % facts
            text = _("%(reviewer)s requested changes to draft %(number)s:") % facts
            text += f"\n\n{comment}\n\n"
            text += _("Change it, then ask for a review again: %(link)s") % facts
        else:
            subject = _("[Pesanan Lancar] Draft %(number)s is approved") % facts
            text = _("%(reviewer)s approved draft %(number)s.") % facts
            if draft.kind == draft.Kind.KEEP_VARIANT:
                text += " " + _("The trial may now end keeping its variant: %(link)s") % facts
            else:
                text += " " + _("It may be published now: %(link)s") % facts
    Outbox.emails([author.email], subject, {"text": text, "draft": draft.pk, "url": facts["link"]})


def _facts(draft: Draft, site_url: str) -> dict[str, Any]:
    return {
        "number": draft.pk,
        "author": draft.author.get_username(),
        "kind": draft.get_kind_display(),
        "base": str(draft.base),
        "link": site_url.rstrip("/") + reverse("draft", args=[draft.pk]),
    }
