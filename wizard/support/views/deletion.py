""" "Delete my answers": the seller removes their session, after saying they mean it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from wizard.sellers.views.access import seller_session
from wizard.web.http import see_other
from wizard.web.limits import guards_tokens

from ..erasure import DeletedSession, erase


class DeleteForm(forms.Form):
    """The seller confirms: nothing is deleted by a stray tap."""

    confirm = forms.BooleanField(
        label=gettext_lazy("Yes, delete my answers and every link to them"),
        error_messages={"required": gettext_lazy("Tick the box to confirm, or go back.")},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@guards_tokens
def delete_answers(request: HttpRequest, token: str) -> HttpResponse:
    """Ask, then delete the session's answers, share links and the notes' link to it."""
    session = seller_session(request, token)
    form = DeleteForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        erase([session.pk], DeletedSession.Reason.SELLER)
        messages.success(
            request, _("Your answers are deleted. Share links to them no longer open.")
        )
        return see_other(reverse("landing"))
    return render(request, "support/delete.html", {"session": session, "form": form})
