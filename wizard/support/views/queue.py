"""The support queue: "Needs attention" (escalated or silent after a "No", nobody on
it, most urgent first), "Mine", and taking a case."""

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
from ..queue import QUEUE_SHOWN, Case, by_urgency, capped_count, not_helped_and_silent
from ..waves import on_the_queue


@staff_page()
def needs_attention(request: HttpRequest) -> HttpResponse:
    """Where staff land: sellers waiting for support that nobody has taken yet, the
    nearest order deadline first, then the longest wait."""
    if not request.user.has_perm("sellers.view_session"):
        # Editors sign in on the same page; their work is in the workshop.
        if request.user.has_perm("editors.read_workshop"):
            return redirect("workshop")
        if request.user.is_staff:
            return redirect("admin:index")
        raise PermissionDenied
    if request.GET:  # a search or filter bookmarked when the case list lived here
        return redirect(f"{reverse('cases')}?{request.GET.urlencode()}")
    going_on, waves = on_the_queue()
    extra = {"incidents": going_on, "waves": waves}
    return _queue(request, Case.needs_attention(), tab="attention", silent=True, extra=extra)


@staff_page("sellers.view_session")
def mine(request: HttpRequest) -> HttpResponse:
    """The escalated cases the signed-in agent took, oldest first."""
    return _queue(request, Case.taken_by(request.user), tab="mine")


@staff_page("support.change_case", methods=POST)
def take(request: HttpRequest, code: str) -> HttpResponse:
    """The signed-in agent takes the case (from another agent too: the page says who had it)."""
    if not CODE.fullmatch(code):  # a NUL byte or a typo: no query for what cannot exist
        raise Http404("no such case")
    session = get_object_or_404(Session, code=code)
    Case.take(session, request.user)
    messages.success(request, _("You took this case: it is in “Mine”."))
    return see_other(reverse("case", args=[session.code]))


def _queue(
    request: HttpRequest,
    cases: QuerySet[Case],
    *,
    tab: str,
    silent: bool = False,
    extra: dict[str, object] | None = None,
) -> HttpResponse:
    statuses = {
        status: capped_count(Session.objects.filter(status=status)) for status in Session.Status
    }
    quiet = list(not_helped_and_silent()[:QUEUE_SHOWN]) if silent else []
    context = {
        "tab": tab,
        "rows": by_urgency(list(cases[:QUEUE_SHOWN]), quiet),
        "attention_count": capped_count(Case.needs_attention())
        + capped_count(not_helped_and_silent()),
        "mine_count": capped_count(Case.taken_by(request.user)),
        "statuses": statuses,
        "agent_form": AgentStartForm(),
        **(extra or {}),
    }
    return render(request, "support/queue.html", context)
