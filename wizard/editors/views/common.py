"""What the workshop's draft pages share: the draft itself, the way back to it when a page
of it cannot open, and its checker's report with each problem linked to the form of the
part it names."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, Concatenate

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from wizard.flows import FlowError, read_toml
from wizard.flows.check import Problem
from wizard.flows.edit import EditError
from wizard.sellers.models import FlowVersion
from wizard.web.http import SAFE, see_other, staff_page

from ..forms import CommentForm, PreviewForm, ReviewForm
from ..models import Draft

PARTS = ("questions", "solutions", "facts", "tips", "sources")
FORMS = {
    "questions": "draft_question",
    "solutions": "draft_solution",
    "facts": "draft_fact",
    "tips": "draft_tip",
}


def get_draft(pk: int) -> Draft:
    """The draft, with who started and approved it (and the trial it may ask about), or 404."""
    return get_object_or_404(
        Draft.objects.select_related("base", "author", "approved_by", "trial"), pk=pk
    )


type DraftView = Callable[Concatenate[HttpRequest, Draft, ...], HttpResponse]


def draft_page(
    permission: str, *, methods: Sequence[str] = SAFE
) -> Callable[[DraftView], Callable[..., HttpResponse]]:
    """A staff page of one draft: the view gets the draft of the URL's `pk` (404 when
    there is none). A part the document lacks or cannot edit (EditError), or a draft
    that does not load where the page needs it loaded (FlowError), sends the editor back
    to the draft's page, saying why."""

    def decorate(view: DraftView) -> Callable[..., HttpResponse]:
        @staff_page(permission, methods=methods)
        @functools.wraps(view)
        def page(request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
            draft = get_draft(pk)
            try:
                return view(request, draft, **kwargs)
            except EditError as error:
                problem = str(error)
            except FlowError:
                problem = _("The draft does not load yet: fix the problems to preview it.")
            messages.error(request, problem)
            return see_other(reverse("draft", args=[draft.pk]))

        return page

    return decorate


def document_parts(document: str) -> dict[str, list[str]]:
    """The keys of each editable part of a document, in its order (all empty when it
    does not parse). Read with tomllib: only keys are needed, and it is far quicker."""
    try:
        parsed = read_toml(document)
    except FlowError:
        return {part: [] for part in PARTS}
    return {part: _keys(parsed.get(part)) for part in PARTS}


def _keys(tables: object) -> list[str]:
    return list(tables) if isinstance(tables, dict) else []


def report_context(draft: Draft, document: str | None = None) -> dict[str, Any]:
    """The checker's report on a text (the draft's own by default), its problems and
    warnings each paired with the URL of the form of what they name (or "")."""
    text = draft.document if document is None else document
    report = draft.report() if document is None else draft.report_on(text)
    parts = document_parts(text)
    return {
        "report": report,
        "parts": parts,
        "problems": [(problem, _form_url(draft, problem, parts)) for problem in report.problems],
        "warnings": [(warning, _form_url(draft, warning, parts)) for warning in report.warnings],
    }


def _form_url(draft: Draft, problem: Problem, parts: dict[str, list[str]]) -> str:
    found = problem.part
    if found is None:
        return ""
    kind, key = found
    candidates = ("questions", "solutions") if kind == "step" else (f"{kind}s",)
    for part in candidates:
        if key in parts[part]:
            return reverse(FORMS[part], args=[draft.pk, key])
    return ""


def draft_context(draft: Draft, form: Any) -> dict[str, Any]:
    """The draft page's context: the text's form, the report, every part's form, and the
    review: its comments and the forms that comment, request changes and approve."""
    live = FlowVersion.live(draft.key)
    revision = {"revision": draft.revision}
    return {
        "draft": draft,
        "form": form,
        **report_context(draft),
        "live": live,
        "has_moved_on": live is not None and live.pk != draft.base_id,
        "preview_form": PreviewForm(),
        "comments": draft.comments.select_related("author"),
        "comment_form": CommentForm(initial=revision),
        "review_form": ReviewForm(initial=revision),
    }
