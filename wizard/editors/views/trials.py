"""A/B trials in insight: the list, one trial's comparison (and its CSV), ending one.

Support leads and editors read them (insight's permission); only editors, who may
publish, end a trial. Starting one is publishing a draft as a variant (the workshop).
"""

from __future__ import annotations

import csv

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from wizard.sellers.models import FlowVersion, Trial
from wizard.web.http import POST, see_other, staff_page

from ..forms import EndTrialForm
from ..models import Draft, ReviewError
from ..trials import TABLES, TIME_TEST_MIN, end_trial, trial_figures, trial_table
from .review import site_url

READ = "sellers.view_tally"  # insight's own permission
END = "editors.publish_draft"  # ending a trial may publish a version


def _trials() -> QuerySet[Trial]:
    return Trial.objects.select_related("live", "variant", "started_by", "ended_by").defer(
        "live__document", "variant__document"
    )


@staff_page(READ)
def trials(request: HttpRequest) -> HttpResponse:
    """Every trial, the running one first."""
    return render(request, "editors/trials.html", {"trials": list(_trials()[:100])})


@staff_page(READ)
def trial(request: HttpRequest, pk: int) -> HttpResponse:
    """A trial's two arms compared, and for editors the form that ends it."""
    return _page(request, get_object_or_404(_trials(), pk=pk))


def _page(
    request: HttpRequest, shown: Trial, form: EndTrialForm | None = None, status: int = 200
) -> HttpResponse:
    live = FlowVersion.live(shown.key) if shown.is_running else None
    may_end = shown.is_running and request.user.has_perm(END)
    asked = None
    if may_end and settings.FLOW_REVIEW_REQUIRED:
        asked = Draft.objects.filter(trial=shown).select_related("author", "approved_by").first()
    context = {
        "trial": shown,
        "figures": trial_figures(shown),
        # A publish since the start replaced the trial's live version: no new sessions.
        "replaced_by": live if live is not None and live.pk != shown.live_id else None,
        "form": form or EndTrialForm(trial=shown),
        "may_end": may_end,
        # The request to keep the variant, which a second editor approves (see end_trial).
        "keep_request": asked,
        "review_required": settings.FLOW_REVIEW_REQUIRED,
        "time_test_min": TIME_TEST_MIN,
    }
    return render(request, "editors/trial.html", context, status=status)


@staff_page(END, methods=POST)
def end(request: HttpRequest, pk: int) -> HttpResponse:
    """End the trial with the version the editor chose as the live one."""
    shown = get_object_or_404(_trials(), pk=pk)
    form = EndTrialForm(request.POST, trial=shown)
    if form.is_valid():
        try:
            kept = end_trial(shown, by=request.user, keep=form.cleaned_data["keep"])
        except ReviewError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The trial has ended: %(version)s is the live version.") % {"version": kept},
            )
            return see_other(reverse("trial", args=[shown.pk]))
    return _page(request, shown, form)


@staff_page(END, methods=POST)
def keep_variant(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask a second editor to approve keeping the variant (a draft waits for their review)."""
    shown = get_object_or_404(_trials(), pk=pk)
    try:
        asked = Draft.keep_variant(shown, by=request.user, site_url=site_url(request))
    except ReviewError as error:
        messages.error(request, str(error))
        return see_other(reverse("trial", args=[shown.pk]))
    messages.success(
        request,
        _("Keeping the variant waits for a second editor's approval: draft %(number)s.")
        % {"number": asked.pk},
    )
    return see_other(reverse("draft", args=[asked.pk]))


@staff_page(READ)
def trial_csv(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """One table of a trial's page as CSV."""
    if name not in TABLES:
        raise Http404("No such table.")
    rows = trial_table(trial_figures(get_object_or_404(_trials(), pk=pk)), name)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="trial-{pk}-{name}.csv"'
    writer = csv.DictWriter(response, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return response
