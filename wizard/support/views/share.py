"""Share links: the seller makes and revokes them; whoever holds one reads the case."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wizard.sellers.models import Session, hash_token
from wizard.sellers.views.access import seller_session
from wizard.web.http import see_other
from wizard.web.limits import (
    client_address,
    guards_tokens,
    hit,
    refuses_over_limit,
    too_many_requests,
)

from ..models import ErasedLink, ShareLink, ShareView
from ..summary import case_summary
from ..timeline import timeline

CASE_PERMISSION = "sellers.view_session"
VIEWS_SHOWN = 50


def share_link_limit(request: HttpRequest, session: Session) -> HttpResponse | None:
    """Past the share-link limit of a session (settings.RATE_LIMITS["share"]): the 429
    page to send instead of making a link; otherwise None, to go ahead."""
    if hit("share", session.token):
        return too_many_requests(request, "share")
    return None


@never_cache
@require_http_methods(["GET", "POST"])
@guards_tokens
def links(request: HttpRequest, token: str) -> HttpResponse:
    """The seller's share links: make a new one (shown once), see and revoke the others."""
    session = seller_session(request, token)
    made: dict[str, Any] = {}
    if request.method == "POST":
        if (limited := share_link_limit(request, session)) is not None:
            return limited
        link, secret = ShareLink.create(session)
        # The token is in this response only (the database keeps its hash), so this
        # page is rendered rather than redirected to.
        made = {"new_link": link, "new_url": _share_url(request, secret)}
    context = {
        "session": session,
        "links": session.links.with_views(),
        "days": settings.SHARE_LINK_DAYS,
        **made,
    }
    return render(request, "support/links.html", context)


@never_cache
@require_POST
@guards_tokens
@refuses_over_limit
def revoke(request: HttpRequest, token: str, link_id: int) -> HttpResponse:
    """The seller closes one of their session's share links."""
    session = seller_session(request, token)
    session.count_write()
    link = get_object_or_404(ShareLink, pk=link_id, session=session)
    link.revoke()
    return see_other(reverse("share_links", args=[session.token]))


@never_cache
@require_GET
@guards_tokens
def shared(request: HttpRequest, token: str) -> HttpResponse:
    """The read-only case behind a share link; signed-in support staff see their notes too."""
    link = ShareLink.find(token)
    if link is None or not link.is_usable:
        return _closed(request, link, token)
    _record_view(request, link)
    session = link.session
    walk = session.walk()
    flow = session.flow
    context: dict[str, Any] = {
        "link": link,
        "session": session,
        "walk": walk,
        "flow": flow,
        "transcript": walk.transcript,
        "sources": flow.sources_of(walk.solution) if walk.solution else [],
        "summary_url": reverse("shared_summary", args=[token]),
        "deadline": session.deadline(walk),
    }
    if request.user.has_perm(CASE_PERMISSION):
        log = session.log.select_related("answered_by")
        context |= {
            "is_staff_view": True,
            "timeline": timeline(log, walk, flow.questions),
            "notes": session.notes.select_related("author"),
            "views": ShareView.objects.filter(link__session=session).select_related(
                "viewer", "link"
            )[:VIEWS_SHOWN],
        }
    response = render(request, "support/page.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_GET
@guards_tokens
def shared_summary(request: HttpRequest, token: str) -> HttpResponse:
    """The case as plain text, for a chat or an email."""
    link = ShareLink.find(token)
    if link is None or not link.is_usable:
        return _closed(request, link, token)
    _record_view(request, link)
    session = link.session
    text = case_summary(
        session,
        session.walk(),
        share_url=_share_url(request, token),
        expires_at=link.expires_at,
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="pesanan-lancar-{session.code}.txt"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _record_view(request: HttpRequest, link: ShareLink) -> None:
    """Log an opening, once per reader and page in settings.RATE_LIMITS["share_view"]:
    reloading a page a hundred times is one opening, not a hundred rows."""
    reader = request.user.pk if request.user.is_authenticated else client_address(request)
    if not hit("share_view", f"{link.pk}:{reader}:{request.path_info}"):
        link.record_view(request.user)


def _closed(request: HttpRequest, link: ShareLink | None, token: str) -> HttpResponse:
    """A link that does not open: 410 when it existed (expired, revoked, or its case was
    deleted), else 404."""
    erased = link is None and ErasedLink.objects.filter(token_hash=hash_token(token)).exists()
    status = 404 if link is None and not erased else 410
    return render(request, "support/closed.html", {"link": link, "erased": erased}, status=status)


def _share_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("shared", args=[token]))
