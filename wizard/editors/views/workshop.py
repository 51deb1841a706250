"""The workshop: drafts of the flow, checked on every save, reviewed and published."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from wizard.flows import FlowError, load_flow
from wizard.flows.diagram import draw_svg
from wizard.flows.diff import diff_flows, line_diff
from wizard.flows.edit import (
    edit_fact,
    edit_question,
    fact_fields,
    option_values,
    question_fields,
    source_keys,
    takes_new_options,
)
from wizard.flows.outline import outline
from wizard.flows.paths import answer_paths
from wizard.sellers.models import FlowVersion, Session, parsed_flow
from wizard.web.http import FORM, POST, see_other, staff_page

from ..forms import (
    DocumentForm,
    DraftPublishForm,
    FactForm,
    PreviewForm,
    PublishForm,
    QuestionForm,
    StartDraftForm,
)
from ..models import Action, Draft, DraftConflict, ReviewError
from ..trials import start_trial
from .common import draft_context, draft_page, get_draft
from .parts import edit_part


def _versions() -> list[FlowVersion]:
    return list(
        FlowVersion.objects.filter(published_at__isnull=False)
        .select_related("published_by")
        .defer("document")
        .order_by("-published_at", "-number")
    )


@staff_page("editors.read_workshop")
def workshop(request: HttpRequest) -> HttpResponse:
    """The live version, the drafts being edited and every published version."""
    versions = _versions()
    drafts: list[Draft] = []
    if request.user.has_perm("editors.view_draft"):
        drafts = list(
            Draft.objects.filter(published_as__isnull=True)
            .select_related("base", "author", "trial")
            .defer("document", "base__document")
        )
    # What waits for this editor: reviews to do, changes to make, approved work to publish.
    waiting = [(draft, draft.waits_for(request.user)) for draft in drafts]
    context = {
        "versions": versions,
        "live": versions[0] if versions else None,
        "drafts": [draft for draft in drafts if not draft.is_stale_request],
        "waiting": [(draft, what) for draft, what in waiting if what],
        "form": StartDraftForm(versions=versions),
    }
    return render(request, "editors/workshop.html", context)


@staff_page("editors.add_draft", methods=POST)
def start_draft(request: HttpRequest) -> HttpResponse:
    """Start a draft from the live version or an older one."""
    form = StartDraftForm(request.POST, versions=_versions())
    if not form.is_valid():
        messages.error(request, _("Choose a version to start the draft from."))
        return see_other(reverse("workshop"))
    draft = Draft.start(form.cleaned_data["version"], by=request.user)
    return see_other(reverse("draft", args=[draft.pk]))


@staff_page("editors.change_draft", methods=FORM)
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole document as text, with the checker's report on it."""
    draft = get_draft(pk)
    form = DocumentForm(
        request.POST or None, initial={"document": draft.document, "revision": draft.revision}
    )
    form.fields["document"].disabled = not draft.is_editable
    if form.is_valid() and draft.is_editable:
        try:
            draft.save_document(
                form.cleaned_data["document"],
                revision=form.cleaned_data["revision"],
                by=request.user,
            )
        except DraftConflict:
            return _conflict(request, draft, form)
        messages.success(request, _("Saved. The checker's report below is for this text."))
        return see_other(reverse("draft", args=[draft.pk]))
    return render(request, "editors/workshop_draft.html", draft_context(draft, form))


def _conflict(request: HttpRequest, draft: Draft, form: DocumentForm) -> HttpResponse:
    """Another editor saved first: keep this editor's text, and show what they saved."""
    mine = form.cleaned_data["document"]
    form = DocumentForm(initial={"document": mine, "revision": draft.revision})
    context = draft_context(draft, form)
    context["conflict"] = line_diff(draft.document, mine)
    return render(request, "editors/workshop_draft.html", context, status=409)


@draft_page("editors.change_draft", methods=FORM)
def draft_fact(request: HttpRequest, draft: Draft, key: str) -> HttpResponse:
    """One fact's form: value, labels, source, checked date (or "checked today")."""
    stored = fact_fields(draft.document, key)
    sources = [(source, source) for source in source_keys(draft.document)]
    initial = {**stored, "revision": draft.revision}

    def again(data: QueryDict | None) -> FactForm:
        if data is not None and "checked_today" in data:
            data = data.copy()
            data["checked"] = timezone.localdate().isoformat()
        return FactForm(data, initial=initial, sources=sources)

    def change(data: dict[str, Any]) -> str:
        return edit_fact(draft.document, key, **{name: data[name] for name in stored})

    return edit_part(
        request,
        draft,
        again,
        change,
        template="editors/workshop_fact.html",
        context={"key": key, "today": timezone.localdate()},
        saved=_("The fact is saved in the draft."),
    )


@draft_page("editors.change_draft", methods=FORM)
def draft_question(request: HttpRequest, draft: Draft, key: str) -> HttpResponse:
    """One question's form: its text and help, its options' labels and keywords."""
    stored = question_fields(draft.document, key)
    options = option_values(draft.document, key)
    can_add_option = takes_new_options(draft.document, key)
    initial = {**stored, "revision": draft.revision}

    def again(data: QueryDict | None) -> QuestionForm:
        return QuestionForm(data, initial=initial, options=options)

    def change(data: dict[str, Any]) -> str:
        return edit_question(draft.document, key, {name: data[name] for name in stored})

    return edit_part(
        request,
        draft,
        again,
        change,
        template="editors/workshop_question.html",
        context={"key": key, "can_add_option": can_add_option},
        saved=_("The question is saved in the draft."),
    )


@staff_page("editors.view_draft")
def draft_diff(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft against its base and against the live version: by meaning, and by line."""
    draft = get_draft(pk)
    live = FlowVersion.live(draft.key)
    against = [("base", draft.base)]
    if live is not None and live.pk != draft.base_id:
        against.append(("live", live))
    comparisons = [_comparison(name, version, draft.document) for name, version in against]
    return render(
        request, "editors/workshop_diff.html", {"draft": draft, "comparisons": comparisons}
    )


def _comparison(name: str, version: FlowVersion, document: str) -> dict[str, Any]:
    old = FlowVersion.objects.values_list("document", flat=True).get(pk=version.pk)
    try:
        parts = diff_flows(parsed_flow(version.pk), load_flow(document))
    except FlowError:
        parts = None  # the draft does not load: only the line diff can be shown
    return {"name": name, "version": version, "parts": parts, "lines": line_diff(old, document)}


@draft_page("editors.view_draft", methods=POST)
def preview(request: HttpRequest, draft: Draft) -> HttpResponse:
    """Walk the draft as a seller would, in a preview session pinned to its text."""
    form = PreviewForm(request.POST)
    version = FlowVersion.preview(draft.document)
    if not form.is_valid():
        form = PreviewForm({"language": "id"})
        form.full_clean()
    paths = answer_paths(version.flow, timezone.now())
    number = form.cleaned_data["path"]
    answers = dict(paths[number].answers) if number is not None and number < len(paths) else {}
    session = Session.start(
        version,
        language=form.cleaned_data["language"],
        started_by=request.user,
        answers=answers,
        is_preview=True,
    )
    return see_other(session.step_url())


@draft_page("editors.view_draft")
def draft_paths(request: HttpRequest, draft: Draft) -> HttpResponse:
    """Every path through the draft by picked answers; each opens a preview there."""
    flow = load_flow(draft.document)
    language = request.LANGUAGE_CODE
    rows = [
        (number, path, path.steps(flow, language), path.end(flow, language))
        for number, path in enumerate(answer_paths(flow, timezone.now()))
    ]
    context = {"draft": draft, "rows": rows, "language": language}
    return render(request, "editors/workshop_paths.html", context)


@draft_page("editors.view_draft")
def draft_diagram(request: HttpRequest, draft: Draft) -> HttpResponse:
    """The draft drawn as the public diagram draws a published version, and as a list."""
    flow = load_flow(draft.document)
    context = {
        "draft": draft,
        "svg": mark_safe(draw_svg(flow, request.LANGUAGE_CODE)),  # escaped by draw_svg
        "outline": outline(flow, request.LANGUAGE_CODE),
    }
    return render(request, "editors/workshop_diagram.html", context)


@draft_page("editors.view_draft")
def draft_diagram_svg(request: HttpRequest, draft: Draft) -> HttpResponse:
    """The draft's drawing alone, to open full size or save."""
    svg = draw_svg(load_flow(draft.document), request.LANGUAGE_CODE)
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@staff_page("editors.publish_draft", methods=FORM)
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm publishing: how many sessions are in progress, and a change note."""
    draft = get_draft(pk)
    form = DraftPublishForm(request.POST or None, initial={"note": draft.note})
    if form.is_valid() and form.cleaned_data["as_variant"]:
        if started := _start_trial(request, draft, form):
            return started
    elif form.is_valid():
        try:
            version = draft.publish(by=request.user, note=form.cleaned_data["note"])
        except ReviewError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Published as %(version)s: new sessions start on it.") % {"version": version},
            )
            return see_other(reverse("flow_version", args=[version.pk]))
    context = {
        "draft": draft,
        "form": form,
        "report": draft.report(),
        "in_progress": Session.in_progress(draft.key),
        "review_required": settings.FLOW_REVIEW_REQUIRED,
    }
    return render(request, "editors/workshop_publish.html", context)


def _start_trial(request: HttpRequest, draft: Draft, form: DraftPublishForm) -> HttpResponse | None:
    """Publish the draft as a trial's variant (wizard/editors/trials.py); None when the
    rules refuse it (the message says why, the form is shown again)."""
    data = form.cleaned_data
    try:
        trial = start_trial(draft, by=request.user, note=data["note"], share=data["share"])
    except ReviewError as error:
        messages.error(request, str(error))
        return None
    messages.success(
        request,
        _("Published as %(version)s, a variant: %(share)s %% of new sessions start on it.")
        % {"version": trial.variant, "share": trial.share},
    )
    return see_other(reverse("trial", args=[trial.pk]))


@staff_page("editors.read_workshop")
def flow_version(request: HttpRequest, pk: int) -> HttpResponse:
    """A published version: who published it, when, its note and its diff to the one before."""
    version = get_object_or_404(
        FlowVersion.objects.select_related("published_by").defer("document"), pk=pk
    )
    before = version.stored_before()
    comparison = None
    if before is not None:
        document = FlowVersion.objects.values_list("document", flat=True).get(pk=version.pk)
        comparison = _comparison("before", before, document)
    context = {
        "version": version,
        "comparison": comparison,
        "form": PublishForm(),
        "review_required": settings.FLOW_REVIEW_REQUIRED,
    }
    return render(request, "editors/workshop_version.html", context)


@staff_page("editors.read_workshop")
def version_toml(request: HttpRequest, pk: int) -> HttpResponse:
    """A version's document as a TOML file."""
    version = get_object_or_404(FlowVersion, pk=pk)
    response = HttpResponse(version.document, content_type="application/toml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{version.key}-v{version.number}.toml"'
    return response


@staff_page("editors.read_workshop")
def stale_facts(request: HttpRequest) -> HttpResponse:
    """Every fact of the live flow by its checked date, oldest first."""
    live = FlowVersion.live()
    facts = sorted(live.flow.facts.values(), key=lambda fact: fact.checked) if live else []
    limit = timezone.localdate() - dt.timedelta(days=settings.FLOW_MAX_AGE_DAYS)
    sources = live.flow.sources if live else {}
    # A fact without its own confidence is as sure as its source.
    sureness = {
        fact.key: fact.confidence or getattr(sources.get(fact.source), "confidence", "uncertain")
        for fact in facts
    }
    context = {"live": live, "facts": facts, "limit": limit, "sureness": sureness}
    return render(request, "editors/workshop_facts.html", context)


@staff_page("editors.add_draft", methods=POST)
def fact_draft(request: HttpRequest, key: str) -> HttpResponse:
    """Open a draft of the live version at one fact's form (see `_open_at`)."""
    return _open_at(request, "facts", key, "draft_fact")


@staff_page("editors.add_draft", methods=FORM)
def question_draft(request: HttpRequest, key: str) -> HttpResponse:
    """Open a draft of the live version at one question's form (insight links here)."""
    return _open_at(request, "questions", key, "draft_question")


@staff_page("editors.add_draft", methods=FORM)
def solution_draft(request: HttpRequest, key: str) -> HttpResponse:
    """Open a draft of the live version at one solution's form (insight links here)."""
    return _open_at(request, "solutions", key, "draft_solution")


def _open_at(request: HttpRequest, part: str, key: str, form: str) -> HttpResponse:
    """One click from elsewhere to a part's form in a draft of the live version.

    The editor's own open draft of the live version is reused, so following several
    links gathers the edits in one draft; otherwise a POST starts one. A GET (a link
    from the traffic diagram) never starts a draft: it goes straight to the form when
    there is one to reuse, and otherwise shows a button that starts it.
    """
    live = FlowVersion.live()
    if live is None:
        return see_other(reverse("workshop"))
    if key not in getattr(live.flow, part):  # e.g. insight on an older version
        messages.error(
            request, _("The live version, %(live)s, has no “%(key)s”.") % {"live": live, "key": key}
        )
        return see_other(reverse("workshop"))
    mine = (
        Draft.objects.filter(author_id=request.user.pk, base=live, published_as__isnull=True)
        .only("pk")
        .first()
    )
    if mine is None and request.method == "POST":
        mine = Draft.start(live, by=request.user)
    if mine is not None:
        return see_other(reverse(form, args=[mine.pk, key]))
    context = {"live": live, "part": part, "key": key}
    return render(request, "editors/workshop_open.html", context)


@staff_page("editors.view_draft")
def audit_log(request: HttpRequest) -> HttpResponse:
    """Every save, approval, publish and rollback, newest first."""
    actions = Action.objects.select_related("by", "version", "draft", "trial__live")[:200]
    return render(request, "editors/workshop_log.html", {"actions": actions})
