"""Insight: which questions lose sellers and which solutions fail, per flow version."""

from __future__ import annotations

import csv
from dataclasses import replace

from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from wizard.flows.diagram import Mark
from wizard.flows.outline import outline
from wizard.sellers.models import FlowVersion
from wizard.web.http import staff_page

from ..charts import started_chart
from ..insight import (
    EMPTY_HEADERS,
    TABLES,
    Figures,
    InsightForm,
    start_modes,
    table,
    traffic_marks,
    traffic_svg,
)


def _form(request: HttpRequest) -> InsightForm:
    # Unpublished versions (a trial's variant, previews) last on every database: the
    # newest published one is the default.
    newest = F("published_at").desc(nulls_last=True)
    versions = list(FlowVersion.objects.defer("document").order_by(newest, "-number"))
    return InsightForm(request.GET, versions=versions)


@staff_page("sellers.view_tally")
def insight(request: HttpRequest) -> HttpResponse:
    """The figures of one version, range and language, with a chart and their tables."""
    form = _form(request)
    if not form.is_valid():
        return render(request, "editors/insight.html", {"form": form})
    result = form.figures()
    version = form.versions[form.cleaned_data["version"]]
    solutions, questions = result.fix_first()
    marks = _marks(request, version, result)
    language = "en" if get_language() == "en" else "id"
    urls = {key: mark.url for key, mark in marks.items() if mark.url}
    context = {
        "form": form,
        "figures": result,
        "version": version,
        "chart": mark_safe(started_chart(result.days)),  # escaped by started_chart
        "traffic": mark_safe(traffic_svg(version, result, marks)),  # escaped by draw_dot
        "traffic_outline": outline(version.flow, language, result.arrows, urls),
        "comparison": form.comparison(result),
        "compared": form.versions.get(form.cleaned_data.get("compare") or 0),
        "fix_solutions": solutions,
        "fix_questions": questions,
        "query": request.GET.urlencode(),
        "start_modes": start_modes(
            version,
            form.cleaned_data["since"],
            form.cleaned_data["until"],
            form.cleaned_data.get("language") or "",
        ),
    }
    return render(request, "editors/insight.html", context)


@staff_page("sellers.view_tally")
def insight_traffic(request: HttpRequest) -> HttpResponse:
    """The traffic drawing alone, full size, for the same version, range and language."""
    form = _form(request)
    if not form.is_valid():
        raise Http404("The filters are not valid.")
    result = form.figures()
    version = form.versions[form.cleaned_data["version"]]
    svg = traffic_svg(version, result, _marks(request, version, result))
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@staff_page("sellers.view_tally")
def insight_csv(request: HttpRequest, name: str) -> HttpResponse:
    """One table of the insight page as CSV, for the same version, range and language."""
    form = _form(request)
    if name not in TABLES or not form.is_valid():
        raise Http404("No such table, or the filters are not valid.")
    result = form.figures()
    rows = table(result, name, form.comparison(result) if name == "comparison" else None)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="insight-{name}.csv"'
    writer = csv.DictWriter(response, fieldnames=list(rows[0]) if rows else EMPTY_HEADERS[name])
    writer.writeheader()
    writer.writerows(rows)
    return response


def _marks(request: HttpRequest, version: FlowVersion, result: Figures) -> dict[str, Mark]:
    """Each step's colour and numbers, linked to its cases for staff who may read them."""
    can_read_cases = request.user.has_perm("sellers.view_session")
    cases_url = f"{reverse('cases')}?version={version.pk}&" if can_read_cases else None
    marks = traffic_marks(result, cases_url)
    if not can_read_cases and request.user.has_perm("editors.add_draft"):
        marks = _to_the_workshop(marks, {q.key for q in result.questions})
    return marks


def _to_the_workshop(marks: dict[str, Mark], questions: set[str]) -> dict[str, Mark]:
    """Editors may not read cases: a node takes them to its form in the workshop."""
    return {
        key: replace(
            mark,
            url=reverse("question_draft" if key in questions else "solution_draft", args=[key]),
        )
        for key, mark in marks.items()
    }
