"""When the solution did not help: the next likeliest cause, then contacting support;
and the end page of a declared platform incident."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ..forms import FeedbackForm
from ..limits import guards_tokens
from ..models import Incident, ShareLink, Sighting
from ..summary import case_summary
from .seller import see_other
from .share import seller_session, share_link_limit


@require_http_methods(["GET", "POST"])
@guards_tokens
def next_cause(request: HttpRequest, token: str) -> HttpResponse:
    """After "No": the likeliest other cause noted on the way, asked about in turn."""
    session = seller_session(request, token)
    walk = session.walk()
    if walk.solution is None or session.helped is not False:
        return see_other(session.step_url())
    if not walk.findings:
        return see_other(reverse("contact_support", args=[session.token]))
    form = FeedbackForm(request.POST or None, initial={"revision": session.revision})
    if form.is_valid() and form.cleaned_data["helped"]:
        session.set_status(session.Status.RESOLVED)
        return see_other(request.path)
    flow = session.flow
    finding = walk.findings[0]
    context = {
        "session": session,
        "walk": walk,
        "flow": flow,
        "finding": finding,
        "others": walk.findings[1:],
        "sources": flow.sources_of(finding),
        "incidents": Incident.shown_on(session, finding),
        "form": form,
    }
    return render(request, "share/next.html", context)


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
    return render(request, "share/support.html", context)


@require_http_methods(["GET", "POST"])
@guards_tokens
def incident(request: HttpRequest, token: str) -> HttpResponse:
    """ "This is not your shop": the incident going on, and what to do meanwhile."""
    session = seller_session(request, token)
    if request.method == "POST":
        Sighting.end_here(session)
        return see_other(request.path)
    context = {"session": session, "incidents": Incident.objects.active()}
    return render(request, "share/incident.html", context)
