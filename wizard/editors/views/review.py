"""A draft's review: asking for it, comments, a request for changes, the approval; and
the reviews a rollback asks for before it reaches sellers."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from wizard.sellers.models import FlowVersion
from wizard.web.http import POST, see_other, staff_page

from ..forms import CommentForm, PublishForm, ReviewForm
from ..models import Draft, ReviewError
from .common import draft_page


def site_url(request: HttpRequest) -> str:
    """Where this site is, for the links in notifications."""
    return request.build_absolute_uri("/")


def _back(draft: Draft) -> HttpResponse:
    return see_other(reverse("draft", args=[draft.pk]) + "#review-title")


def _review_step(
    request: HttpRequest, draft: Draft, step: Callable[[], object], done: str
) -> HttpResponse:
    """Take one review step: its refusal, or `done`, is said on the draft's review panel."""
    try:
        step()
    except ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return _back(draft)


def _comment(form: CommentForm, refused: str) -> tuple[str, int]:
    """The comment's text and the revision it was written on, or `refused`."""
    if not form.is_valid():
        raise ReviewError(refused)
    return form.cleaned_data["text"], form.cleaned_data["revision"]


@draft_page("editors.change_draft", methods=POST)
def submit(request: HttpRequest, draft: Draft) -> HttpResponse:
    """Ask the other editors for a review; they are notified by email."""
    return _review_step(
        request,
        draft,
        lambda: draft.submit(by=request.user, site_url=site_url(request)),
        _("Sent for review: the other editors are notified."),
    )


@draft_page("editors.view_draft", methods=POST)
def comment(request: HttpRequest, draft: Draft) -> HttpResponse:
    """A comment on the draft, on the revision the editor read."""

    def step() -> None:
        text, revision = _comment(CommentForm(request.POST), _("Write the comment first."))
        draft.comment(text, by=request.user, revision=revision)

    return _review_step(request, draft, step, _("Comment added."))


@draft_page("editors.publish_draft", methods=POST)
def request_changes(request: HttpRequest, draft: Draft) -> HttpResponse:
    """A reviewer sends the draft back to its author, saying what to change."""

    def step() -> None:
        text, revision = _comment(
            CommentForm(request.POST),
            _("Say what to change: a request for changes needs a comment."),
        )
        draft.request_changes(text, by=request.user, revision=revision, site_url=site_url(request))

    return _review_step(request, draft, step, _("Changes requested: the author is notified."))


@draft_page("editors.publish_draft", methods=POST)
def approve(request: HttpRequest, draft: Draft) -> HttpResponse:
    """A second editor approves the text they read."""
    form = ReviewForm(request.POST)
    revision = form.cleaned_data["revision"] if form.is_valid() else None
    return _review_step(
        request,
        draft,
        lambda: draft.approve(by=request.user, revision=revision, site_url=site_url(request)),
        _("Approved: the author is notified, and it may be published."),
    )


@staff_page("editors.publish_draft", methods=POST)
def rollback_version(request: HttpRequest, pk: int) -> HttpResponse:
    """Bring an older version's content back: a rollback draft that a second editor
    approves before it is published (at once when no review is required)."""
    version = get_object_or_404(FlowVersion.objects.defer("document"), pk=pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a change note: why this version comes back."))
        return see_other(reverse("flow_version", args=[version.pk]))
    try:
        draft = Draft.roll_back(
            version, by=request.user, note=form.cleaned_data["note"], site_url=site_url(request)
        )
    except ReviewError as error:
        messages.error(request, _("This version cannot come back as it is: %s") % error)
        return see_other(reverse("flow_version", args=[version.pk]))
    if draft.published_as is not None:
        messages.success(
            request, _("Rolled back: %(version)s is live.") % {"version": draft.published_as}
        )
        return see_other(reverse("flow_version", args=[draft.published_as.pk]))
    messages.success(
        request,
        _("The rollback waits for a second editor's approval: the other editors are notified."),
    )
    return _back(draft)
