"""Session lifetime, the second-factor gate and no-store caching, applied to every request."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.auth import SESSION_STARTED_AT_KEY

# Pages a signed-in person may reach before proving their second factor.
SECOND_FACTOR_EXEMPT_URL_NAMES = {
    "portal:second-factor-setup",
    "portal:second-factor-verify",
    "portal:sign-out",
    "portal:sso-start",
    "portal:sso-callback",
    "portal:healthz",
    "certificates:certificate-verify",
    "portal:email-unsubscribe",
}


class NoStoreMiddleware:
    """Nothing the application draws is kept by a browser or a proxy: `Cache-Control: no-store`
    on every response, replacing whatever a view set, so this is the one rule for caching.

    Pages carry personal data (cases, progress, exports) and the rest (sign-in, reset and
    unsubscribe links) carry tokens; none is worth the risk of a shared or back-button copy.
    Static files never get here: WhiteNoise, above this in MIDDLEWARE, answers them first
    with their own long cache.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        return response


class SessionLifetimeMiddleware:
    """End a session 12 hours after sign-in, however active (idle expiry is the cookie age)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED_AT_KEY)
            age = timezone.now().timestamp() - started if started else None
            if age is None or age > settings.SESSION_ABSOLUTE_LIFETIME:
                logout(request)
                messages.info(request, "Your session has ended. Sign in again to continue.")
                return redirect(
                    f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.path})}"
                )
        return self.get_response(request)


class RequireSecondFactorMiddleware:
    """Send every signed-in person through TOTP set-up or verification before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.static_prefix = settings.STATIC_URL

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or user.is_verified() or self._is_exempt(request):
            return self.get_response(request)
        has_authenticator = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        target = (
            "portal:second-factor-verify" if has_authenticator else "portal:second-factor-setup"
        )
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")

    def _is_exempt(self, request: HttpRequest) -> bool:
        if request.path.startswith(self.static_prefix):
            return True
        match = request.resolver_match
        if match is None:
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return False
        return match.view_name in SECOND_FACTOR_EXEMPT_URL_NAMES
