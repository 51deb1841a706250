"""Forms on the staff pages: a note or status change on a case, agent mode, and
declaring or correcting a platform incident."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, match_token
from django_otp.models import Device

from wizard.sellers.models import Incident, IncidentChange, Session


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


class StaffSignInForm(AuthenticationForm):
    """Username and password, and the authenticator app's code for staff who set one up."""

    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        max_length=8,
        help_text=_("Only if you set up two-step sign-in: the 6 digits the app shows now."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    device: Device | None = None
    # Django's own sentence names the field ("Enter a correct username and password"),
    # which reads twice over in Indonesian ("nama pengguna nama pengguna").
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "That username and password do not match an account. "
            "Both are case-sensitive: check Caps Lock."
        ),
    }

    def clean(self) -> dict[str, Any]:
        """The password first; then, for a user with a confirmed device, its code."""
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and any(True for _ in devices_for_user(user)):
            self.device = match_token(user, cleaned.get("otp_token", "").strip())
            if self.device is None:
                raise forms.ValidationError(
                    _("The code from your authenticator app is missing or wrong."),
                    code="otp",
                )
        return cleaned


class ConfirmDeviceForm(forms.Form):
    """The first code an authenticator app shows, proving it holds the key."""

    @staticmethod
    def wrong_code() -> str:
        """What a wrong or stale code is told."""
        return str(_("That code does not match. Type the code the app shows now."))

    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


# A browser's own date and time picker, to the minute (staff read times to the minute).
MINUTE = "%Y-%m-%dT%H:%M"


class IncidentForm(forms.ModelForm[Incident]):
    """A platform incident's texts in both languages, its start and its expected end."""

    # The figures of the wave that suggested the incident, kept in the log.
    note = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    class Meta:
        model = Incident
        fields = [
            "title_indonesian",
            "text_indonesian",
            "title_english",
            "text_english",
            "starts_at",
            "ends_at",
        ]
        labels = {
            "title_indonesian": _("Title in Bahasa Indonesia"),
            "text_indonesian": _("What is happening, and what to do meanwhile (Bahasa Indonesia)"),
            "title_english": _("Title in English"),
            "text_english": _("What is happening, and what to do meanwhile (English)"),
            "starts_at": _("Starts (Jakarta time)"),
            "ends_at": _("Expected to end (Jakarta time)"),
        }
        help_texts = {
            "starts_at": _("Sellers see the incident from this moment."),
            "ends_at": _("Optional. Sellers stop seeing it then; “End now” ends it at once."),
        }
        widgets = {
            "text_indonesian": forms.Textarea(attrs={"rows": 3}),
            "text_english": forms.Textarea(attrs={"rows": 3}),
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=MINUTE),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=MINUTE),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # As stored before this form changes the instance: what the log compares with.
        self.before = {name: getattr(self.instance, name) for name in IncidentChange.FIELDS}

    def clean_starts_at(self) -> dt.datetime | None:
        """The start, or the stored one when the minute shown was sent back unchanged."""
        return self._kept("starts_at")

    def clean_ends_at(self) -> dt.datetime | None:
        """The expected end, or the stored one when the minute shown came back unchanged."""
        return self._kept("ends_at")

    def _kept(self, name: str) -> dt.datetime | None:
        # The picker shows minutes: an untouched time must not lose its seconds (and be
        # logged as changed).
        sent: dt.datetime | None = self.cleaned_data.get(name)
        stored: dt.datetime | None = self.before.get(name) if self.instance.pk else None
        if (
            sent is not None
            and stored is not None
            and sent == stored.replace(second=0, microsecond=0)
        ):
            return stored
        return sent

    def record(self, *, by: Any) -> Incident:
        """Declare the new incident, or save the changes to this one; both are logged."""
        incident = self.instance
        if incident.pk is None:
            incident.declare(by=by, note=self.cleaned_data["note"])
        else:
            incident.amend(self.before, by=by)
        return incident
