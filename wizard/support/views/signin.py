"""Staff sign-in, with two-step sign-in (a TOTP authenticator app) for those who set it up."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.contrib.auth import views as auth
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from wizard.web import signin_throttle
from wizard.web.limits import signin_paused

from ..forms import ConfirmDeviceForm, StaffSignInForm


class SignIn(auth.LoginView):
    """Django's sign-in page with the code of the staff member's authenticator app; tries
    at an account under distributed guessing wait (wizard.web.signin_throttle)."""

    template_name = "support/login.html"
    authentication_form = StaffSignInForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Before the password is checked: a waiting try learns nothing about it.
        wait = signin_throttle.wait_seconds(request, str(request.POST.get("username", "")))
        if wait:
            return signin_paused(request, wait)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        device = getattr(form, "device", None)
        if device is not None:  # after login(): the session it starts holds the device
            otp_login(self.request, device)
        signin_throttle.remember_browser(self.request, response, form.get_user().get_username())
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        # A try django-axes refused never reached the password: it tells nothing, counts nothing.
        if not getattr(self.request, "axes_locked_out", False):
            signin_throttle.wrong_password(str(form.data.get("username", "")))
        return super().form_invalid(form)


# The recovery codes just made, shown once on the next page and never again.
NEW_CODES = "two_factor_new_codes"
RECOVERY_CODES = 10


def recovery_codes(user: Any) -> list[str]:
    """New single-use recovery codes for a lost phone (django-otp's static tokens); any
    codes made before stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    device.token_set.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@never_cache
@require_POST
@login_required
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    """Replace the recovery codes (after using some, or if they may have been seen)."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        request.session[NEW_CODES] = recovery_codes(request.user)
    return redirect("two_factor")


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up two-step sign-in: add the key to an authenticator app, confirm one code;
    or add a passkey."""
    user: Any = request.user
    # Passkeys are added by django-otp-webauthn's script on this page (its own URLs).
    passkeys = list(WebAuthnCredential.objects.filter(user=user).order_by("created_at"))
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        context = {
            "is_on": True,
            "passkeys": passkeys,
            "recovery_left": StaticToken.objects.filter(device__user=user).count(),
            "new_codes": request.session.pop(NEW_CODES, None),
        }
        return render(request, "support/two_factor.html", context)
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "authenticator app"}
    )
    form = ConfirmDeviceForm(request.POST or None)
    if form.is_valid() and device.verify_token(form.cleaned_data["otp_token"].strip()):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        request.session[NEW_CODES] = recovery_codes(user)
        return redirect("two_factor")
    if form.is_bound and not form.errors:
        form.add_error("otp_token", ConfirmDeviceForm.wrong_code())
    context = {
        "form": form,
        "key": base64.b32encode(device.bin_key).decode(),
        "config_url": device.config_url,
        # An SVG drawn here: no script and no image request, so the strict CSP holds.
        "qr_code": segno.make(device.config_url, error="m").svg_inline(
            scale=4, title=str(_("QR code for your authenticator app"))
        ),
        "passkeys": passkeys,
    }
    return render(request, "support/two_factor.html", context)
