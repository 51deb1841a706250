"""Pages about the flow itself: the flow drawn as a diagram, and the prevention tips."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from wizard.flows.diagram import draw_dot
from wizard.flows.outline import outline

from ..models import FlowVersion


def _version(version_id: int | None) -> FlowVersion:
    if version_id is not None:
        # A draft's preview version is the editors' business, not a public page.
        versions = FlowVersion.objects.filter(is_preview=False).defer("document")
        return get_object_or_404(versions, pk=version_id)
    version = FlowVersion.live()
    if version is None:
        raise Http404("No flow is loaded yet.")
    return version


@require_safe
def diagram(request: HttpRequest, version_id: int | None = None) -> HttpResponse:
    """The flow drawn: questions, the answers that lead on, and the solutions; and the same
    as a list, for phones and screen readers."""
    version = _version(version_id)
    language = translation.get_language() or "id"
    context = {
        "version": version,
        "flow": version.flow,
        "svg": mark_safe(version.diagram(language)),  # escaped by draw_dot and Graphviz
        "outline": outline(version.flow, language),
    }
    return render(request, "sellers/diagram.html", context)


@require_safe
def diagram_svg(request: HttpRequest, version_id: int) -> HttpResponse:
    """The drawing alone, to open full size or save."""
    version = _version(version_id)
    svg = version.diagram(translation.get_language() or "id")
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@require_safe
def tips(request: HttpRequest) -> HttpResponse:
    """Every prevention tip of the live flow on one page."""
    version = _version(None)
    return render(request, "sellers/tips.html", {"version": version, "flow": version.flow})


@require_safe
def diagram_dot(request: HttpRequest, version_id: int) -> HttpResponse:
    """The flow as Graphviz DOT text, to render or diff elsewhere."""
    version = _version(version_id)
    dot = draw_dot(version.flow, translation.get_language() or "id")
    response = HttpResponse(dot, content_type="text/vnd.graphviz; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{version.key}-v{version.number}.dot"'
    return response
