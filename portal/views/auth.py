"""Sign-in, sign-out, passwords and the second factor."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import selectors, services
from portal.auth import axes_username
from portal.forms import (
    EmailStepForm,
    PasswordChangeForm,
    PasswordResetRequestForm,
    SecondFactorCodeForm,
    SetPasswordForm,
    SignInForm,
)
from portal.models import AuditAction, RecoveryCode, RecoveryCodeDevice
from portal.views.sso import SSO_SESSION_KEY


class SignInView(auth_views.LoginView):
    """Email first: a domain an authority's provider vouches for goes to that provider; any
    other continues with a password (a post with a password is the password step)."""

    template_name = "registration/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().dispatch(request, *args, **kwargs)
        # The email step's form ends at a provider: CSP form-action covers redirects.
        origins = selectors.identity_provider_origins()
        if origins:
            response._csp_update = {"form-action": origins}
        return response

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("with") == "password":
            return super().get(request, *args, **kwargs)
        return self._email_step(EmailStepForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "password" in request.POST:
            return super().post(request, *args, **kwargs)
        form = EmailStepForm(request.POST)
        if not form.is_valid():
            return self._email_step(form)
        email = form.cleaned_data["username"]
        provider = selectors.identity_provider_for_email(email=email)
        if provider is None:
            password_form = self.get_form_class()(request, initial={"username": email})
            return self.render_to_response(self.get_context_data(form=password_form))
        request.session[SSO_SESSION_KEY] = {"provider": provider.pk, "email": email}
        query = urlencode({"next": self.get_redirect_url()}) if self.get_redirect_url() else ""
        return redirect(f"{reverse('portal:sso-start')}{'?' if query else ''}{query}")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["email_step"] = isinstance(context["form"], EmailStepForm)
        return context

    def _email_step(self, form: EmailStepForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form))


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """Axes calls this in place of the sign-in view's response while a sign-in is refused.

    The form is unbound, with the email only as its initial value: validating it again would
    run authenticate() a second time and record a second failure for one attempt. A wider
    bound, when one refuses, is named before axes' pair lock: it lasts longer.
    """
    form = SignInForm(request, initial={"username": request.POST.get("username", "")})
    form.cleaned_data = {}  # an unbound form has none, and add_error expects it
    email = axes_username(request, credentials)
    lockout = services.sign_in_lockout_get(email=email, request=request)
    form.add_error(None, services.sign_in_lockout_message(lockout))
    return render(request, "registration/sign_in.html", {"form": form}, status=429)


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@require_http_methods(["GET", "POST"])
def password_reset_request(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_request(email=form.cleaned_data["email"], request=request)
        except services.RateLimited as error:
            form.add_error("email", str(error))
        else:
            return redirect("portal:password-reset-sent")
    return render(request, "registration/password_reset_request.html", {"form": form})


def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/password_reset_sent.html")


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """Choose a new password from an emailed one-time link (reset, or a new account)."""

    template_name = "registration/password_set.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("portal:password-set-complete")
    heading = "Choose a new password"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "heading": self.heading}

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed_record(user=form.user, request=self.request)
        return response


class WelcomePasswordSetView(PasswordSetView):
    heading = "Choose your password"


def password_set_complete(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/password_set_complete.html")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("portal:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed_record(user=self.request.user, request=self.request)
        messages.success(self.request, "Your password has been changed.")
        return response


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def _qr_data_uri(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Pair an authenticator app. Only for people without one: replacing it needs the old one."""
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("portal:second-factor-verify")
    device = services.totp_device_start(user=user)
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = services.totp_device_confirm(user=user, device=device, request=request)
            otp_login(request, device)
            context = {"codes": codes, "next": _safe_next(request)}
            response = render(request, "registration/recovery_codes.html", context)
            services.device_cookie_set(response=response, user=user)
            return response
        form.add_error(
            "code", "That code is not right. Check the time on your phone and try again."
        )
    context = {
        "form": form,
        "qr_data_uri": _qr_data_uri(device),
        "secret": _base32_secret(device),
        "next": _safe_next(request),
    }
    return render(request, "registration/second_factor_setup.html", context)


def _base32_secret(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():
        return redirect(_safe_next(request))
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("portal:second-factor-setup")
    form = SecondFactorCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_match(
                user=request.user, code=form.cleaned_data["code"], request=request
            )
        except services.RateLimited as error:
            device, status = None, 429
            form.add_error("code", str(error))
        if device is not None:
            otp_login(request, device)
            if isinstance(device, RecoveryCodeDevice):
                services.audit_record(
                    action=AuditAction.RECOVERY_CODE_USED,
                    actor=request.user,
                    subject=request.user,
                    request=request,
                    detail={"codes_left": device.codes.count()},
                )
                messages.warning(
                    request,
                    "You signed in with a recovery code; it cannot be used again. "
                    "Get new recovery codes from your account page when you run low.",
                )
            response = redirect(_safe_next(request))
            services.device_cookie_set(response=response, user=request.user)
            return response
        if status == 200:
            form.add_error("code", "That code is not right, or has been used. Try the newest code.")
    return render(
        request,
        "registration/second_factor_verify.html",
        {"form": form, "next": _safe_next(request)},
        status=status,
    )


@login_required
def account(request: HttpRequest) -> HttpResponse:
    codes_left = RecoveryCode.objects.filter(device__user=request.user).count()
    return render(request, "registration/account.html", {"recovery_codes_left": codes_left})


@login_required
@require_http_methods(["POST"])
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    codes = services.recovery_codes_renew(user=request.user, request=request)
    return render(request, "registration/recovery_codes.html", {"codes": codes, "next": "/"})
