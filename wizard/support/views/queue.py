"""The support queue: "Needs attention" (escalated, nobody on it, oldest first), "Mine",
and taking a case."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from wizard.sellers.models import Session
from wizard.web.http import POST, see_other, staff_page

from ..caselist import CODE
from ..forms import AgentStartForm
from ..queue import QUEUE_SHOWN, Case, capped_count


@staff_page()
def needs_attention(request: HttpRequest) -> HttpResponse:
    """Where staff land: escalated cases nobody has taken yet, oldest first."""
    if not request.user.has_perm("sellers.view_session"):
        # Editors sign in on the same page; their work is in the workshop.
        if request.user.has_perm("editors.read_workshop"):
            return redirect("workshop")
        if request.user.is_staff:
            return redirect("admin:index")
        raise PermissionDenied
    if request.GET:  # a search or filter bookmarked when the case list lived here
        return redirect(f"{reverse('cases')}?{request.GET.urlencode()}")
    return _queue(request, Case.needs_attention(), tab="attention")


@staff_page("sellers.view_session")
def mine(request: HttpRequest) -> HttpResponse:
    """The escalated cases the signed-in agent took, oldest first."""
    return _queue(request, Case.taken_by(request.user), tab="mine")


@staff_page("support.change_case", methods=POST)
def take(request: HttpRequest, code: str) -> HttpResponse:
    """The signed-in agent takes the case (from another agent too: the page says who had it)."""
    if not CODE.fullmatch(code):  # a NUL byte or a typo: no query for what cannot exist
        raise Http404("no such case")
    session = get_object_or_404(Session.objects.only("pk", "code", "status"), code=code)
    Case.take(session, request.user)
    messages.success(request, _("You took this case: it is in “Mine”."))
    return see_other(reverse("case", args=[session.code]))


def _queue(request: HttpRequest, cases: QuerySet[Case], *, tab: str) -> HttpResponse:
    statuses = {
        status: capped_count(Session.objects.filter(status=status)) for status in Session.Status
    }
    context = {
        "tab": tab,
        "cases": list(cases[:QUEUE_SHOWN]),
        "attention_count": capped_count(Case.needs_attention()),
        "mine_count": capped_count(Case.taken_by(request.user)),
        "statuses": statuses,
        "agent_form": AgentStartForm(),
    }
    return render(request, "support/queue.html", context)
