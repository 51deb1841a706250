"""Platform incidents on the staff pages: support and editors declare one (from scratch or
from a wave the queue suggests), correct it and end it; every change is logged."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from wizard.sellers.models import Incident, IncidentChange
from wizard.web.http import FORM, POST, see_other, staff_page

from ..forms import IncidentForm
from ..waves import declaration, on_the_queue

SHOWN = 50


@staff_page("sellers.view_incident")
def incidents(request: HttpRequest) -> HttpResponse:
    """Incidents going on or planned, the latest ended ones, the log of changes, and (as
    on the queue) a wave that suggests declaring one."""
    _, waves = on_the_queue()
    context = {
        "waves": waves,
        "current": Incident.objects.current(),
        "ended": Incident.objects.ended()[:SHOWN],
        "changes": IncidentChange.objects.select_related("by", "incident")[:SHOWN],
    }
    return render(request, "support/incidents.html", context)


@staff_page("sellers.add_incident", methods=FORM)
def declare(request: HttpRequest) -> HttpResponse:
    """Declare an incident; from a suggested wave (`?wave=`) the form comes filled in."""
    wave, initial = declaration(request.GET.get("wave", ""))
    form = IncidentForm(request.POST or None, initial=initial)
    if form.is_valid():
        form.record(by=request.user)
        messages.success(request, _("Incident declared: sellers see it from its start."))
        return see_other(reverse("incidents"))
    context = {"form": form, "waves": [wave] if wave else [], "declaring": True}
    return render(request, "support/incident_form.html", context)


@staff_page("sellers.change_incident", methods=FORM)
def edit(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Correct an incident's texts or times; the log keeps the old and new values."""
    incident = get_object_or_404(Incident.objects.readable(), pk=incident_id)
    form = IncidentForm(request.POST or None, instance=incident)
    if form.is_valid():
        form.record(by=request.user)
        messages.success(request, _("Incident saved."))
        return see_other(reverse("incidents"))
    changes = incident.changes.select_related("by")
    context = {"form": form, "incident": incident, "changes": changes}
    return render(request, "support/incident_form.html", context)


@staff_page("sellers.change_incident", methods=POST)
def end(request: HttpRequest, incident_id: int) -> HttpResponse:
    """End an incident now: sellers stop seeing it at once."""
    incident = get_object_or_404(Incident.objects.readable(), pk=incident_id)
    if incident.end(by=request.user):
        messages.success(request, _("Incident ended: sellers no longer see it."))
    else:
        messages.info(request, _("That incident was not going on: nothing changed."))
    return see_other(reverse("incidents"))
