"""Five radio questions in a NamedUrlSessionWizardView, written as its documentation shows:
each step a GET of its own URL, each answer a POST that stores it in the session and
redirects to the next step."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from formtools.wizard.views import NamedUrlSessionWizardView

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


def question(label: _StrPromise, *choices: tuple[str, _StrPromise]) -> type[forms.Form]:
    """A form of one required radio question."""

    class Question(forms.Form):
        answer = forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect)

    return Question


FORMS = [
    (
        "where",
        question(
            _("Where do you see the problem?"),
            ("cannot_ship", _("I cannot ship an order")),
            ("no_orders", _("No new orders arrive")),
            ("cancelled", _("Orders are cancelled")),
            ("payment", _("The payment is held")),
        ),
    ),
    (
        "status",
        question(
            _("What status does the order show?"),
            ("to_ship", _("To ship")),
            ("awaiting", _("Awaiting collection")),
            ("in_transit", _("In transit")),
        ),
    ),
    (
        "account",
        question(
            _("Is your shop account in good standing?"),
            ("yes", _("Yes")),
            ("no", _("No, there is a warning")),
            ("unknown", _("I do not know")),
        ),
    ),
    (
        "app",
        question(
            _("Which app do you use?"),
            ("seller_center", _("Seller Center in a browser")),
            ("app", _("The TikTok Shop Seller app")),
        ),
    ),
    (
        "since",
        question(
            _("Since when?"),
            ("today", _("Today")),
            ("days", _("A few days")),
            ("weeks", _("Weeks or longer")),
        ),
    ),
]


class Steps(NamedUrlSessionWizardView):
    """The wizard: formtools keeps the current step and every answer in Django's session."""

    form_list = FORMS
    template_name = "peer/step.html"

    def done(self, form_list: list[forms.Form], **kwargs: Any) -> HttpResponse:
        """The answers, on one page."""
        answers = [form.cleaned_data["answer"] for form in form_list]
        return render(self.request, "peer/done.html", {"answers": answers})


def healthz(request: HttpRequest) -> HttpResponse:
    """What the benchmark waits for before it begins."""
    return HttpResponse("ok\n", content_type="text/plain")
