"""After a solution did not help: the next likeliest cause; and the end page of a
declared platform incident."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from wizard.web.http import see_other
from wizard.web.limits import guards_tokens, refuses_over_limit

from ..forms import FeedbackForm
from ..models import Incident, Sighting
from .access import seller_session


@require_http_methods(["GET", "POST"])
@guards_tokens
@refuses_over_limit
def next_cause(request: HttpRequest, token: str) -> HttpResponse:
    """After "No": the likeliest other cause noted on the way, asked about in turn."""
    session = seller_session(request, token)
    if request.method == "POST":
        session.count_write()
    walk = session.walk()
    if walk.solution is None or session.helped is not False:
        return see_other(session.step_url())
    if not walk.findings:
        return see_other(reverse("contact_support", args=[session.token]))
    form = FeedbackForm(request.POST or None, initial={"revision": session.revision})
    if form.is_valid() and form.cleaned_data["helped"]:
        session.solved_by_next_cause(walk.findings[0].key)
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
        # The order's deadline does not wait while the seller checks the next cause.
        "deadline": session.deadline_for(finding, walk) or session.deadline(walk),
        "form": form,
    }
    return render(request, "sellers/next.html", context)


@require_http_methods(["GET", "POST"])
@guards_tokens
@refuses_over_limit
def incident(request: HttpRequest, token: str) -> HttpResponse:
    """ "This is not your shop": the incident going on, and what to do meanwhile."""
    session = seller_session(request, token)
    if request.method == "POST":
        session.count_write()
        Sighting.end_here(session)
        return see_other(request.path)
    context = {"session": session, "incidents": Incident.objects.active()}
    return render(request, "sellers/incident.html", context)
