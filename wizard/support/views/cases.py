"""The staff pages: the case list, a case, notes and status, revoking links, agent mode."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wizard.sellers.models import FlowVersion, Session
from wizard.web.http import POST, see_other, staff_page

from ..caselist import CODE, CaseSearchForm
from ..forms import AgentStartForm, NoteForm
from ..models import Note, ShareLink, ShareView
from ..outcome import case_outcome
from ..summary import case_summary
from ..timeline import timeline

VIEWS_SHOWN = 20


def _case(code: str) -> Session:
    if not CODE.fullmatch(code):  # a NUL byte or a typo: no query for what cannot exist
        raise Http404("no such case")
    return get_object_or_404(
        Session.objects.filter(is_preview=False)
        .select_related("flow_version", "started_by", "case", "case__assigned_to")
        .defer("flow_version__document"),
        code=code,
    )


@staff_page("sellers.view_session")
def cases(request: HttpRequest) -> HttpResponse:
    """Every case, newest activity first; a pasted code or link goes straight to its case.
    Abandoned sessions are left out unless asked for (a search finds them all)."""
    versions = list(
        FlowVersion.objects.filter(is_preview=False)
        .defer("document")
        .order_by("-published_at", "-number")
    )
    form = CaseSearchForm(request.GET, versions=versions)
    context: dict[str, Any] = {"form": form, "page": None, "agent_form": AgentStartForm()}
    if form.is_valid() and form.cleaned_data["q"]:
        if (found := form.found()) is not None:
            return redirect("case", code=found.code)
        context["not_found"] = True
    elif form.is_valid():
        context["page"] = form.page()
    return render(request, "support/cases.html", context)


@staff_page("sellers.view_session")
def case(request: HttpRequest, code: str) -> HttpResponse:
    """One case: the answer timeline, the path and outcome, notes, status and links."""
    session = _case(code)
    form = NoteForm(initial={"status": session.status})
    return render(request, "support/case.html", _case_context(request, session, form))


@staff_page("sellers.view_session")
def live(request: HttpRequest, code: str) -> HttpResponse:
    """The case page's live part, polled while an agent follows the seller: nothing (204)
    while the session's revision is the one the agent already sees."""
    session = _case(code)
    if request.GET.get("revision") == str(session.revision):
        return HttpResponse(status=204)
    return render(request, "support/case.html#live", _live_context(session, following=True))


@staff_page("support.add_note", methods=POST)
def note(request: HttpRequest, code: str) -> HttpResponse:
    """Add a note to a case and/or change its status."""
    session = _case(code)
    form = NoteForm(request.POST, initial={"status": session.status})
    if not form.is_valid():
        context = _case_context(request, session, form)
        return render(request, "support/case.html", context)
    Note.record(
        session,
        author=request.user,
        text=form.cleaned_data["text"],
        status=form.cleaned_data["status"],
    )
    return see_other(reverse("case", args=[session.code]) + "#notes")


@staff_page("support.change_sharelink", methods=POST)
def revoke(request: HttpRequest, code: str, link_id: int) -> HttpResponse:
    """Staff close one of a case's share links."""
    session = _case(code)
    link = get_object_or_404(ShareLink, pk=link_id, session=session)
    link.revoke(by=request.user)
    messages.success(request, _("The link is revoked: it no longer opens."))
    return see_other(reverse("case", args=[session.code]) + "#links")


@staff_page("sellers.view_session")
def summary(request: HttpRequest, code: str) -> HttpResponse:
    """The case's plain-text summary, in the seller's language."""
    session = _case(code)
    text = case_summary(session, session.walk())
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="pesanan-lancar-{session.code}.txt"'
    return response


@staff_page("sellers.add_session", methods=POST)
def agent_start(request: HttpRequest) -> HttpResponse:
    """Agent mode: start a session for a seller on the phone, then answer it with them."""
    form = AgentStartForm(request.POST)
    version = FlowVersion.live()
    if not form.is_valid() or version is None:
        messages.error(request, _("The session could not be started. Try again."))
        return see_other(reverse("cases"))
    session = Session.start(
        version, language=form.cleaned_data["language"], started_by=request.user
    )
    return see_other(session.step_url())


def _live_context(session: Session, *, following: bool) -> dict[str, Any]:
    """What the live part of the case page shows: the path and every answer."""
    walk = session.walk()
    flow = session.flow
    return {
        "session": session,
        "walk": walk,
        "flow": flow,
        "transcript": walk.transcript,
        "deadline": session.deadline(walk),
        "timeline": timeline(session.log.select_related("answered_by"), walk, flow.questions),
        "following": following,
        "now": timezone.now(),
    }


def _case_context(request: HttpRequest, session: Session, form: NoteForm) -> dict[str, Any]:
    live = _live_context(session, following=request.GET.get("live") == "1")
    walk = live["walk"]
    links = list(session.links.with_views().select_related("created_by", "revoked_by"))
    notes = list(session.notes.select_related("author"))
    return {
        **live,
        "notes": notes,
        "links": links,
        "outcome": case_outcome(session, walk, notes, links),
        "views": ShareView.objects.filter(link__session=session).select_related("viewer")[
            :VIEWS_SHOWN
        ],
        "sightings": session.sightings.select_related("incident"),
        "summary": case_summary(session, walk),
        "form": form,
        "note_action": reverse("case_note", args=[session.code]),
    }
