"""The structured forms of a draft beyond facts and questions: a solution with its steps,
a tip, a new option with its route, a new solution; and the checker run on unsaved text.

Each form works without JavaScript: adding or removing a step row, or "Check without
saving", posts the form and gets the page back with nothing stored. htmx enhances the
same requests: a change re-checks the would-be document and swaps in the report, and a
step row is added or removed in place (the `#editor` partial: the form and its report).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wizard.flows.edit import (
    EditError,
    add_option,
    add_solution,
    edit_solution,
    edit_tip,
    option_values,
    solution_fields,
    takes_new_options,
    tip_fields,
)
from wizard.web.http import FORM, POST, see_other, staff_page

from ..forms import MAX_STEPS, DocumentForm, OptionForm, SolutionForm, TipForm
from ..models import Draft, DraftConflict
from .common import document_parts, draft_context, draft_page, get_draft, report_context

LISTS = ("who", "sources", "tips")


@staff_page("editors.change_draft", methods=POST)
def check_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """The checker's report on the whole-document text as typed, without saving it:
    the report partial for htmx, the draft page with the text kept otherwise."""
    draft = get_draft(pk)
    form = DocumentForm(request.POST)
    text = form.data.get("document", "")
    if request.htmx:  # type: ignore[attr-defined]
        context = {**_context(draft, text), "checked": True}
        return render(request, "editors/_workshop_report.html", context)
    form = DocumentForm(initial={"document": text, "revision": form.data.get("revision")})
    context = {**draft_context(draft, form), **report_context(draft, text), "checked": True}
    return render(request, "editors/workshop_draft.html", context)


def _context(draft: Draft, text: str) -> dict[str, Any]:
    return {"draft": draft, **report_context(draft, text)}


def edit_part(
    request: HttpRequest,
    draft: Draft,
    form_for: Callable[[QueryDict | None], Form],
    change: Callable[[dict[str, Any]], str],
    *,
    template: str,
    context: dict[str, Any],
    saved: str,
    form: Form | None = None,
) -> HttpResponse:
    """Save a structured form's edit (`change` makes the new document from the form's
    cleaned data), or show the form again: with its errors, with the report on the
    unsaved edit ("check"), or kept after another editor saved first. `form_for` builds
    the form from posted data (None: a GET), `form` is the one posted when the caller
    built it already."""
    data = request.POST.copy() if request.method == "POST" else None
    if form is None:
        form = form_for(request.POST if data is not None else None)
    text = None
    if data is not None and form.is_valid() and draft.is_editable:
        try:
            text = change(form.cleaned_data)
        except EditError as error:
            form.add_error(None, str(error))
        else:
            if "check" in data:
                context = {**context, **report_context(draft, text), "checked": True}
            else:
                try:
                    draft.save_document(
                        text, revision=form.cleaned_data["revision"], by=request.user
                    )
                except DraftConflict:
                    messages.error(
                        request,
                        _(
                            "Another editor saved this draft first. Your entries are kept "
                            "below; check them and save again."
                        ),
                    )
                    data["revision"] = str(draft.revision)
                    form = form_for(data)
                    text = None
                else:
                    messages.success(request, saved)
                    return see_other(reverse("draft", args=[draft.pk]) + "#report")
    if request.htmx and "check" in (data or {}):  # type: ignore[attr-defined]
        return render(
            request, "editors/_workshop_report.html", {**_context(draft, draft.document), **context}
        )
    return _show(request, draft, form, template, context, partial=data is not None)


@draft_page("editors.change_draft", methods=FORM)
def draft_solution(request: HttpRequest, draft: Draft, key: str) -> HttpResponse:
    """A solution's form: cause, check, steps, who, confidence, sources, tips, date."""
    stored = solution_fields(draft.document, key)
    parts = document_parts(draft.document)
    initial = _solution_initial(stored, draft.revision)

    def again(data: QueryDict | None) -> SolutionForm:
        return _solution_form(data, initial, parts)

    form, rows_changed = _rows(request, again, initial)
    if rows_changed:
        return _show(request, draft, form, "editors/workshop_solution.html", {"key": key})
    return edit_part(
        request,
        draft,
        again,
        lambda data: edit_solution(draft.document, key, data),
        template="editors/workshop_solution.html",
        context={"key": key},
        saved=_("The solution is saved in the draft."),
        form=form,
    )


@draft_page("editors.change_draft", methods=FORM)
def new_solution(request: HttpRequest, draft: Draft) -> HttpResponse:
    """A form for a new solution, appended to the document: its key and every field."""
    parts = document_parts(draft.document)
    taken = set(parts["questions"]) | set(parts["solutions"])
    initial = {
        "rows": 1,
        "revision": draft.revision,
        "who": ["seller"],
        "checked": timezone.localdate(),
    }

    def again(data: QueryDict | None) -> SolutionForm:
        return _solution_form(data, initial, parts, taken=taken)

    form, rows_changed = _rows(request, again, initial)
    if rows_changed:
        return _show(request, draft, form, "editors/workshop_solution.html", {"new": True})

    def change(data: dict[str, Any]) -> str:
        return add_solution(draft.document, data["key"], data)

    return edit_part(
        request,
        draft,
        again,
        change,
        template="editors/workshop_solution.html",
        context={"new": True},
        saved=_(
            "The solution is added to the draft. The checker's report says what it still "
            "needs (a route to it, for one)."
        ),
        form=form,
    )


def _solution_initial(stored: dict[str, Any], revision: int) -> dict[str, Any]:
    initial = {name: value for name, value in stored.items() if name != "steps"}
    for number, (id_text, en_text) in enumerate(stored["steps"]):
        initial[f"step_{number}_id"] = id_text
        initial[f"step_{number}_en"] = en_text
    return {**initial, "rows": len(stored["steps"]), "revision": revision}


def _solution_form(
    data: QueryDict | None,
    initial: dict[str, Any],
    parts: dict[str, list[str]],
    *,
    taken: set[str] | None = None,
) -> SolutionForm:
    rows = initial["rows"]
    posted = _number(data.get("rows")) if data is not None else None
    if posted is not None:
        rows = min(posted, MAX_STEPS)  # the form then refuses more rows
    return SolutionForm(
        data,
        initial=initial,
        rows=rows,
        sources=parts["sources"],
        tips=parts["tips"],
        taken=taken,
    )


def _number(value: object) -> int | None:
    """A posted whole number, or None when it is not one."""
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _rows(
    request: HttpRequest, make: Callable[[QueryDict | None], SolutionForm], initial: dict[str, Any]
) -> tuple[SolutionForm, bool]:
    """The solution form as posted; when the editor added or removed a step row, the
    form again (nothing saved) with the rows changed and what was typed kept."""
    if request.method != "POST":
        return make(None), False
    data = request.POST.copy()
    rows = _number(data.get("rows")) or 0
    gone = _number(data.get("remove_step"))
    if "add_step" in data:
        rows += 1
    elif gone is not None and gone < rows:
        for number in range(gone, rows - 1):
            for language in ("id", "en"):
                data[f"step_{number}_{language}"] = data.get(f"step_{number + 1}_{language}", "")
        for language in ("id", "en"):
            data.pop(f"step_{rows - 1}_{language}", None)
        rows -= 1
    else:
        return make(data), False
    data["rows"] = str(rows)
    posted = {name: data.getlist(name) if name in LISTS else data.get(name) for name in data}
    form = make(None)
    unbound = SolutionForm(
        initial={**initial, **posted},
        rows=rows,
        sources=[choice for choice, _label in form.fields["sources"].choices],  # type: ignore[attr-defined]
        tips=[choice for choice, _label in form.fields["tips"].choices],  # type: ignore[attr-defined]
        taken=form.taken,
    )
    return unbound, True


def _show(
    request: HttpRequest,
    draft: Draft,
    form: Form,
    template: str,
    context: dict[str, Any],
    *,
    partial: bool = True,
) -> HttpResponse:
    """The form's page, or for htmx (when `partial`: a POST) only its `#editor` part."""
    page = f"{template}#editor" if partial and request.htmx else template  # type: ignore[attr-defined]
    return render(request, page, {"draft": draft, **report_context(draft), **context, "form": form})


@draft_page("editors.change_draft", methods=FORM)
def draft_tip(request: HttpRequest, draft: Draft, key: str) -> HttpResponse:
    """A prevention tip's form: its text in both languages."""
    initial = {**tip_fields(draft.document, key), "revision": draft.revision}
    return edit_part(
        request,
        draft,
        lambda data: TipForm(data, initial=initial),
        lambda data: edit_tip(
            draft.document, key, text_id=data["text_id"], text_en=data["text_en"]
        ),
        template="editors/workshop_tip.html",
        context={"key": key},
        saved=_("The tip is saved in the draft."),
    )


@draft_page("editors.change_draft", methods=FORM)
def new_option(request: HttpRequest, draft: Draft, key: str) -> HttpResponse:
    """A new option of a choice question, with the route that sends it on."""
    values = option_values(draft.document, key)
    if not takes_new_options(draft.document, key):
        messages.error(
            request, _("Only a choice question takes new options; this one's are fixed.")
        )
        return see_other(reverse("draft_question", args=[draft.pk, key]))
    parts = document_parts(draft.document)
    initial = {"revision": draft.revision}

    def again(data: QueryDict | None) -> OptionForm:
        return OptionForm(
            data,
            initial=initial,
            questions=[q for q in parts["questions"] if q != key],
            solutions=parts["solutions"],
            values=values,
        )

    def change(data: dict[str, Any]) -> str:
        fields = {name: data[name] for name in ("value", "label_id", "label_en", "keywords", "go")}
        return add_option(draft.document, key, **fields)

    return edit_part(
        request,
        draft,
        again,
        change,
        template="editors/workshop_option.html",
        context={"key": key},
        saved=_("The option and its route are added to the draft."),
    )
