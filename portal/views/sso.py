"""Single sign-on: sending a person to their authority's provider, and taking them back.

mozilla-django-oidc's views run the protocol (state, nonce and PKCE kept in the session and
checked once); these give them the provider the email step chose and answer every refusal
with its own page and audit event.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import logout
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.generic import View
from django_otp import login as otp_login
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from portal import selectors, services
from portal.models import IdentityProvider
from portal.sso import discovery
from portal.sso.refusals import SsoRefusal, SsoRefused

# The provider and email the email step chose: {"provider": id, "email": address}.
SSO_SESSION_KEY = "threshold_sso"


def _pending_provider(request: HttpRequest) -> tuple[IdentityProvider | None, str]:
    pending = request.session.get(SSO_SESSION_KEY) or {}
    provider = selectors.identity_provider_for_sign_in(pk=pending.get("provider"))
    return provider, str(pending.get("email") or "")


def refused_page(
    request: HttpRequest, *, provider: IdentityProvider | None, refused: SsoRefused
) -> HttpResponse:
    """Audit the refusal and say what happened. A sign-in this browser started and was refused
    ends any session it had, so a person their provider turns away keeps nothing of an
    earlier sign-in (a stray link to the callback, with no sign-in started, signs no one out)."""
    services.sso_refusal_record(provider=provider, refused=refused, request=request)
    if provider is not None and request.user.is_authenticated:
        logout(request)
    context = {
        **refused.page(provider.name if provider else "Your sign-in service"),
        "password_allowed": refused.reason == SsoRefusal.PLATFORM_ADMIN
        or (provider is not None and not provider.require_sso),
    }
    status = 502 if refused.reason == SsoRefusal.PROVIDER_UNREACHABLE else 403
    return render(request, "registration/sso_refused.html", context, status=status)


class SsoStartView(OIDCAuthenticationRequestView):
    """Redirect to the provider's authorization endpoint (the library adds state, nonce and
    the PKCE challenge, and keeps them in the session)."""

    def __init__(self, **kwargs: Any) -> None:
        View.__init__(self, **kwargs)  # the library's reads one provider from the settings

    def get(self, request: HttpRequest) -> HttpResponse:
        provider, self.login_hint = _pending_provider(request)
        if provider is None:
            return redirect("portal:sign-in")
        try:
            config = discovery.provider_configuration(provider.issuer)
        except discovery.ProviderUnreachable:
            refused = SsoRefused(SsoRefusal.PROVIDER_UNREACHABLE)
            return refused_page(request, provider=provider, refused=refused)
        self.OIDC_OP_AUTH_ENDPOINT = config["authorization_endpoint"]
        self.OIDC_RP_CLIENT_ID = provider.client_id
        return super().get(request)

    def get_extra_params(self, request: HttpRequest) -> dict[str, str]:
        return {"login_hint": self.login_hint} if self.login_hint else {}


class SsoCallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code (or an error)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        self.provider, _ = _pending_provider(request)
        if self.provider is None:
            return self._refused(SsoRefused(SsoRefusal.STATE))
        request.sso_provider = self.provider
        try:
            return super().get(request)
        except SuspiciousOperation:  # a state this browser never started, or already used
            return self._refused(SsoRefused(SsoRefusal.STATE))

    def login_failure(self) -> HttpResponse:
        refused = getattr(self.request, "sso_refusal", None)
        if refused is None:
            error = self.request.GET.get("error", "")
            refused = (
                SsoRefused(SsoRefusal.PROVIDER_REFUSED, detail={"error": error[:64]})
                if error
                else SsoRefused(SsoRefusal.STATE)
            )
        return self._refused(refused)

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        self.request.session.pop(SSO_SESSION_KEY, None)
        if getattr(self.request, "sso_multi_factor", False):
            device = services.sso_second_factor_device(user=self.user, provider=self.provider)
            otp_login(self.request, device)
        return response

    def _refused(self, refused: SsoRefused) -> HttpResponse:
        return refused_page(self.request, provider=self.provider, refused=refused)
