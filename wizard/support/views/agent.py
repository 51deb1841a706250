"""Agent mode on a case that exists: staff answer for a seller on the phone, on a staff page.

A session's token is stored only as a hash, so staff cannot be sent to the seller's own
pages under /s/<token>/ once the session was created (only `agent_start`, which makes the
token, can). Here the session is reached by its code, behind staff sign-in and the agent
permission, and the answers are recorded as the agent's.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from wizard.sellers.forms import AnswerForm
from wizard.sellers.models import NotOnPath, Session, StaleRevision
from wizard.sellers.views.access import AGENT_PERMISSION
from wizard.web.http import FORM, see_other, staff_page
from wizard.web.limits import refuses_over_limit

from .cases import _case


def answer_url(session: Session, key: str) -> str:
    """The staff page answering one of the session's questions."""
    return reverse("case_answer", args=[session.code, key])


@staff_page(AGENT_PERMISSION, methods=FORM)
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
    form = AnswerForm.for_session(session, question, request.POST or None)
    if form.is_valid():
        try:
            walk = form.record(session, by=request.user, before=walk)
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
