"""'Show us the error': read a screenshot on the landing page or on a question's page."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from wizard.web.http import HtmxHttpRequest
from wizard.web.limits import guards_tokens, per_client, rate_limit

from .. import screenshots
from ..models import FlowVersion
from .access import seller_session


@require_POST
@rate_limit("screenshot", by=per_client)
def landing(request: HtmxHttpRequest) -> HttpResponse:
    """A screenshot sent from the landing page: what we read, and where to start from it."""
    version = FlowVersion.live()
    if version is None:
        return render(request, "sellers/unavailable.html", status=503)
    return _read(
        request,
        version.flow,
        at=None,
        action=reverse("start"),
        back=None,
        upload_action=reverse("screenshot"),
    )


@require_POST
@guards_tokens
@rate_limit("screenshot", by=per_client)
def question(request: HtmxHttpRequest, token: str, key: str) -> HttpResponse:
    """A screenshot sent from a question that asks for one: the answers it points at."""
    session = seller_session(request, token)
    asked = session.flow.questions.get(key)
    if asked is None or not asked.asks_screenshot:
        raise Http404("no such question")
    return _read(
        request,
        session.flow,
        at=key,
        action=reverse("explain", args=[session.token, key]),
        back=session.step_url(key),
        session=session,
        revision=session.revision,
        upload_action=reverse("screenshot_question", args=[session.token, key]),
    )


@require_safe
def too_large(request: HtmxHttpRequest) -> HttpResponse:
    """Where the proxy sends an upload larger than it takes (deploy/nginx): the app's own
    clear message, and the way on to the questions."""
    context = {"refusal": screenshots.REFUSALS["too_big"], "refusal_reason": "too_big"}
    return render(
        request,
        "sellers/screenshot.html",
        {**context, "back": None, "upload_action": reverse("screenshot")},
        status=413,
    )


def _read(request: HtmxHttpRequest, flow: Any, **context: Any) -> HttpResponse:
    """The page (or, for htmx, the section) with the text read, or why it was not."""
    try:
        shot = screenshots.read(screenshots.upload_of(request), flow, at=context["at"])
    except screenshots.Refused as refused:
        context.update(refusal=refused.message, refusal_reason=refused.reason)
    else:
        context.update(screenshot=shot, reading=shot.reading)
    page = "sellers/screenshot.html#screenshot" if request.htmx else "sellers/screenshot.html"
    return render(request, page, {"flow": flow, **context})
