"""The seller's pages: landing, questions, solution, resume and start over."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect, push_url

from wizard.flows import Question, Walk
from wizard.flows.deadlines import shown_facts
from wizard.flows.match import read_words
from wizard.web.http import HtmxHttpRequest, see_other
from wizard.web.limits import (
    guards_tokens,
    hit,
    per_client,
    rate_limit,
    refuses_over_limit,
    too_many_requests,
)

from ..forms import (
    AnswerForm,
    DescribeForm,
    ExplainForm,
    FeedbackForm,
    RevisionForm,
    StartForm,
)
from ..models import FlowVersion, Incident, NotOnPath, Session, StaleRevision, Trial, new_token
from .access import AGENT_PERMISSION, opened, seller_session


@require_safe
def landing(request: HtmxHttpRequest) -> HttpResponse:
    """The front page: what this is, one button to start, and a box for the seller's own
    words that suggests where to start (shown to confirm; a GET stores nothing)."""
    version = FlowVersion.live()
    describe = DescribeForm(request.GET or None)
    reading = words = None
    if version is not None and describe.is_valid() and describe.cleaned_data["words"]:
        # Reading words costs the matcher's time on an anonymous GET: counted per client.
        if hit("words", per_client(request, {}), request):
            return too_many_requests(request, "words")
        words = describe.cleaned_data["words"]
        reading = read_words(version.flow, words)
    context = {
        "version": version,
        "flow": version.flow if version else None,
        "incidents": Incident.objects.active(),
        "describe": describe,
        "reading": reading,
        "words": words,
    }
    return render(request, "sellers/landing.html", context)


@require_POST
@rate_limit("start", by=per_client)
def start(request: HtmxHttpRequest) -> HttpResponse:
    """Begin a session on the live flow and go to its first question.

    While an A/B trial runs, the new session's token decides whether it gets the variant
    instead; the seller's confirmed answers are read against the version they got."""
    live = FlowVersion.live()
    if live is None:
        return render(request, "sellers/unavailable.html", status=503)
    trial = Trial.running_on(live)
    token = new_token()
    version = live if trial is None else trial.version_for(token)
    form = StartForm(request.POST, flow=version.flow)
    cleaned = form.cleaned_data if form.is_valid() else {}
    session = Session.start(
        version,
        language=translation.get_language() or "id",
        answers=cleaned.get("answer", {}),
        trial=trial,
        token=token,
        words=cleaned.get("words", ""),
        source=cleaned.get("source") or Session.StartMode.WORDS,
    )
    return see_other(session.step_url())


@require_http_methods(["GET", "HEAD", "POST"])
@guards_tokens
@rate_limit("words", by=per_client, methods=("GET", "HEAD"))
@refuses_over_limit  # the session counts its own writes (Session.writes)
def explain(request: HtmxHttpRequest, token: str, key: str) -> HttpResponse:
    """ "Explain instead" on a question page: what the seller's words say from this
    question on (GET: shown to confirm, nothing stored), then the confirmed answers and
    the masked words kept on the session (POST)."""
    session = seller_session(request, token)
    walk = session.walk()
    question = session.flow.questions.get(key)
    if question is None or not walk.is_on_path(key) or (walk.solution and key == walk.solution.key):
        messages.info(request, _("That question is not on your path now. Here is where you are."))
        return _show_step(request, session, walk)
    if request.method == "POST":
        form = ExplainForm(request.POST, flow=session.flow)
        if not form.is_valid():
            messages.error(request, _("We could not read that. Please try again."))
            return see_other(reverse("explain", args=[session.token, key]))
        try:
            walk = session.explain(
                key,
                form.cleaned_data["answer"],
                words=form.cleaned_data["words"],
                source=form.cleaned_data["source"] or Session.StartMode.WORDS,
                revision=form.cleaned_data["revision"],
                before=walk,
            )
        except (StaleRevision, NotOnPath):
            return _stale(request, session)
        return see_other(session.step_url())
    describe = DescribeForm(request.GET or None)
    reading = words = None
    if describe.is_valid() and describe.cleaned_data["words"]:
        words = describe.cleaned_data["words"]
        reading = read_words(session.flow, words, at=key)
    context = {
        "session": session,
        "flow": session.flow,
        "question": question,
        "describe": describe,
        "reading": reading,
        "words": words,
        "action": reverse("explain", args=[session.token, key]),
        "revision": session.revision,
        "back_url": session.step_url(key),
    }
    return render(request, "sellers/explain.html", context)


@require_safe
@guards_tokens
def resume(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The session link: continue where the seller stopped, or start over."""
    session = seller_session(request, token)
    walk = session.walk()
    if not walk.path:
        return redirect(session.step_url(walk.step))
    return render(
        request,
        "sellers/resume.html",
        _context(
            session,
            walk,
            form=RevisionForm(initial={"revision": session.revision}),
            changes=_rule_changes(session),
        ),
    )


def _rule_changes(session: Session) -> list[tuple[str, str, str]]:
    """The numbers the session's pages show that the live version changed, as the seller
    reads them. Asked where a seller comes back (the session link) and where a solution
    page is opened; a question page stays at its own query count."""
    live = FlowVersion.live(session.flow.key)
    language = translation.get_language() or "id"
    return [
        (session.flow.render(change.label, language), *change.shown(session.flow, language))
        for change in session.rule_changes(live)
    ]


@require_http_methods(["GET", "HEAD", "POST"])
@guards_tokens
@refuses_over_limit  # the session counts its own writes (Session.writes)
def step(request: HtmxHttpRequest, token: str, key: str) -> HttpResponse:
    """One question (answer or change it) or the solution the answers lead to."""
    session = seller_session(request, token)
    walk = session.walk()
    if not walk.is_on_path(key):
        messages.info(request, _("That question is not on your path now. Here is where you are."))
        return _show_step(request, session, walk)
    if walk.solution is not None and key == walk.solution.key:
        if request.method == "POST":
            return _show_step(request, session, walk)
        return render(
            request, "sellers/solution.html", _solution_context(session, walk, rules=True)
        )
    question = session.flow.questions[key]
    form = AnswerForm.for_session(session, question, request.POST or None)
    if form.is_valid():
        # Only staff in agent mode answer for a seller; anyone else signed in (an editor
        # trying the flow) answers as a seller does.
        by = request.user if request.user.has_perm(AGENT_PERMISSION) else None
        try:
            walk = form.record(session, by=by, before=walk)  # this request's walk, not a new one
        except (StaleRevision, NotOnPath):
            return _stale(request, session)
        return _show_step(request, session, walk)
    # htmx swaps only the step card, so an answer with errors gets just the card back.
    page = "sellers/question.html#step" if _swaps(request) else "sellers/question.html"
    return render(request, page, _question_context(session, walk, question, form))


@require_POST
@guards_tokens
@refuses_over_limit  # the session counts its own writes (Session.writes)
def feedback(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """Store the seller's answer to "Did this solve it?"."""
    session = seller_session(request, token)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose Yes or No."))
        return see_other(session.step_url())
    try:
        session.record_feedback(form.cleaned_data["helped"], revision=form.cleaned_data["revision"])
    except StaleRevision:
        return _stale(request, session)
    if session.helped is False:
        # Not solved: on to the next likeliest cause, then to contacting support.
        url = reverse("next_cause", args=[session.token])
        return HttpResponseClientRedirect(url) if request.htmx else see_other(url)
    return _show_step(request, session, session.walk())


@require_POST
@guards_tokens
@refuses_over_limit  # the session counts its own writes (Session.writes)
def restart(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """Start the same session over from the first question."""
    session = seller_session(request, token)
    form = RevisionForm(request.POST)
    try:
        session.restart(revision=form.cleaned_data["revision"] if form.is_valid() else -1)
    except StaleRevision:
        return _stale(request, session)
    return see_other(session.step_url())


@require_POST
@guards_tokens
@refuses_over_limit  # the session counts its own writes (Session.writes)
def latest(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """Move a session pinned to an older version onto the live one, answers carried over."""
    session = seller_session(request, token)
    form = RevisionForm(request.POST)
    live = FlowVersion.live(session.flow.key)
    if live is None or live.pk == session.flow_version_id:
        return see_other(session.step_url())
    try:
        session.move_to(live, revision=form.cleaned_data["revision"] if form.is_valid() else -1)
    except StaleRevision:
        return _stale(request, session)
    messages.info(
        request, _("You now continue with the latest rules. Answers that still fit were kept.")
    )
    return see_other(session.step_url())


@require_POST
@guards_tokens
@refuses_over_limit  # the session counts its own writes (Session.writes)
def language(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """Switch the session's language (kept with the session, and as a cookie)."""
    session = opened(token)
    session.set_language(request.POST.get("language", ""))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = session.step_url()
    response = see_other(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        session.language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response


def _stale(request: HtmxHttpRequest, session: Session) -> HttpResponse:
    messages.warning(
        request,
        _(
            "This session was changed in another tab or window, so your last answer was "
            "not saved. Here is where it stands now."
        ),
    )
    session.refresh_from_db()
    return _show_step(request, session, session.walk())


def _swaps(request: HtmxHttpRequest) -> bool:
    """Whether the response replaces the step card in place: an htmx POST. A GET always
    gets the whole page, so reload and history land on real pages."""
    return bool(request.htmx) and request.method == "POST"


def _show_step(request: HtmxHttpRequest, session: Session, walk: Walk) -> HttpResponse:
    """Where the session stands now: a redirect for plain requests, the step card (and
    its URL pushed into the history) for htmx."""
    url = session.step_url(walk.step)
    if not _swaps(request):
        return see_other(url)
    if walk.solution is not None:
        response = render(request, "sellers/solution.html#step", _solution_context(session, walk))
    else:
        assert walk.current is not None
        form = AnswerForm.for_session(session, walk.current)
        response = render(
            request,
            "sellers/question.html#step",
            _question_context(session, walk, walk.current, form),
        )
    return push_url(response, url)


def _context(session: Session, walk: Walk, **extra: Any) -> dict[str, Any]:
    return {
        "session": session,
        "walk": walk,
        "flow": session.flow,
        # base.html's language switch posts to the session's own URL.
        "language_action": reverse("session_language", args=[session.token]),
        **extra,
    }


def _question_context(
    session: Session, walk: Walk, question: Question, form: forms.Form
) -> dict[str, Any]:
    keys = [asked.key for asked in walk.path]
    position = keys.index(question.key) if question.key in keys else len(keys)
    return _context(
        session,
        walk,
        question=question,
        form=form,
        action=session.step_url(question.key),
        back_url=session.step_url(keys[position - 1]) if position else None,
        answered=len(keys),
        left=walk.remaining,
        percent=walk.percent,
        incidents=Incident.shown_on(session, question),
        # Back from a solution with a deadline: the seller keeps seeing it.
        deadline=session.deadline(walk),
    )


def _solution_context(session: Session, walk: Walk, *, rules: bool = False) -> dict[str, Any]:
    """The solution page's context; `rules`: also the numbers a newer live version changed
    (where a seller opens the page, not on the card an answer just swapped in)."""
    assert walk.solution is not None
    flow = session.flow
    due = session.deadline(walk)
    return _context(
        session,
        walk,
        solution=walk.solution,
        transcript=walk.transcript,
        sources=flow.sources_of(walk.solution),
        tips=[flow.tips[key] for key in walk.solution.tips],
        back_url=session.step_url(walk.path[-1].key) if walk.path else None,
        incidents=Incident.shown_on(session, walk.solution),
        changes=_rule_changes(session) if rules else [],
        deadline=due,
        deadline_facts=[flow.facts[name] for name in shown_facts(due) if name in flow.facts],
    )
