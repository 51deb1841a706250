"""Forms on the staff pages: a note or status change on a case, and agent mode."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, match_token
from django_otp.models import Device

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
