"""Forms on the staff pages: a note or status change on a case, and agent mode."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from wizard.sellers.models import Session


class NoteForm(forms.Form):
    """A note on a case, a new status, or both."""

    text = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=Session.Status.choices)

    def clean(self) -> dict[str, object]:
        """Refuse an empty note that changes nothing."""
        cleaned = super().clean() or {}
        status = cleaned.get("status")
        if not cleaned.get("text", "").strip() and status == self.initial.get("status"):
            raise forms.ValidationError(_("Write a note or choose another status."))
        return cleaned


class AgentStartForm(forms.Form):
    """Start a session on a seller's behalf, in the seller's language."""

    language = forms.ChoiceField(
        label=_("Seller's language"), choices=settings.LANGUAGES, initial="id"
    )
