"""Agent mode on a case that exists: staff answer for a seller on the phone, on a staff page.

A session's token is stored only as a hash, so staff cannot be sent to the seller's own
pages under /s/<token>/ once the session was created (only `agent_start`, which makes the
token, can). Here the session is reached by its code, behind staff sign-in and the agent
permission, and the answers are recorded as the agent's.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from wizard.sellers.forms import AnswerForm
from wizard.sellers.models import NotOnPath, Session, StaleRevision
from wizard.sellers.views.steps import AGENT_PERMISSION, see_other
from wizard.web.limits import refuses_over_limit

from .cases import _case


def answer_url(session: Session, key: str) -> str:
    """The staff page answering one of the session's questions."""
    return reverse("case_answer", args=[session.code, key])


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@permission_required(AGENT_PERMISSION, raise_exception=True)
@refuses_over_limit  # an agent's answers are the session's writes too
def answer(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """One question of the case, answered (or changed) by the agent; a solution, or a
    question off the path, goes back to the case page, which shows where it stands."""
    session = _case(code)
    walk = session.walk()
    case_url = reverse("case", args=[session.code])
    if key not in session.flow.questions or not walk.is_on_path(key):
        messages.info(request, _("That question is not on the seller's path now."))
        return see_other(case_url)
    question = session.flow.questions[key]
    form = AnswerForm(
        request.POST or None,
        flow=session.flow,
        question=question,
        language=session.language,
        zone=session.zone,
        initial_value=session.answers.get(key),
        revision=session.revision,
    )
    if form.is_valid():
        try:
            walk = session.answer(
                key,
                form.cleaned_data["value"],
                revision=form.cleaned_data["revision"],
                by=request.user,
                zone=form.cleaned_data.get("zone"),
                before=walk,
            )
        except (StaleRevision, NotOnPath):
            messages.warning(
                request, _("The seller changed the session meanwhile. Here is where it stands.")
            )
            return see_other(case_url)
        if walk.solution is not None:
            return see_other(case_url)
        return see_other(answer_url(session, walk.step))
    context = {
        "session": session,
        "walk": walk,
        "flow": session.flow,
        "question": question,
        "form": form,
        "action": answer_url(session, key),
        "case_url": case_url,
    }
    return render(request, "support/answer.html", context)
