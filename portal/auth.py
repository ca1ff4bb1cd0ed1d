"""Hooks into Django's and axes' authentication: audit of sign-ins, lockout keys and bounds."""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from portal import services
from portal.client_address import client_ip
from portal.models import AuditAction, User

SESSION_STARTED_AT_KEY = "threshold_signed_in_at"


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """Count failures per normalised email, so case changes don't reset the lockout."""
    raw = ""
    if credentials:
        raw = credentials.get("username") or credentials.get("email") or ""
    elif request is not None and request.method == "POST":
        raw = request.POST.get("username", "")
    return raw.strip().lower()


class SignInHandler(AxesDatabaseHandler):
    """axes' lock on one (account, client address) pair, plus the wider bounds of
    services.lockout: too many failures from one address, or on one account, which a trusted
    device cookie for the account lets its browser past.

    A refusal by any of them goes through axes' own path (the backend refuses, the failure is
    not counted, `user_locked_out` is sent and AXES_LOCKOUT_CALLABLE answers), so every
    lockout is audited and answered alike.
    """

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        email = axes_username(request, credentials)
        return services.sign_in_lockout_get(email=email, request=request) is not None

    def user_login_failed(
        self,
        sender: Any,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        if "password" not in credentials:
            # A refused single sign-on guessed no password: its provider bounds its own
            # guessing, and the refusal has its own audit event.
            return
        refused = request is not None and request.axes_locked_out
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or refused:
            return
        email = axes_username(request, credentials)
        services.sign_in_failure_record(email=email, request=request)
        # Like axes at its own limit, the failure that reaches a bound answers as a lockout.
        if not request.axes_locked_out and services.sign_in_lockout_get(
            email=email, request=request
        ):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes", request=request, username=email, ip_address=client_ip(request)
            )


def _user_by_email(email: str) -> User | None:
    return User.objects.filter(email=email.strip().lower()).select_related("authority").first()


@receiver(user_logged_in)
def _on_signed_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED_AT_KEY] = timezone.now().timestamp()
    provider = getattr(request, "sso_provider", None)
    services.audit_record(
        action=AuditAction.SIGNED_IN,
        actor=user,
        subject=user,
        request=request,
        detail={"with": provider.name} if provider is not None else None,
    )


@receiver(user_logged_out)
def _on_signed_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        services.audit_record(
            action=AuditAction.SIGNED_OUT, actor=user, subject=user, request=request
        )


@receiver(user_login_failed)
def _on_sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    user = _user_by_email(axes_username(request, credentials))
    if user is not None:  # failures for unknown addresses belong to no authority
        services.audit_record(action=AuditAction.SIGN_IN_FAILED, subject=user, request=request)


@receiver(user_locked_out)
def _on_locked_out(sender: Any, request: HttpRequest, username: str, **kwargs: Any) -> None:
    user = _user_by_email(username or "")
    if user is not None:
        services.audit_record(action=AuditAction.LOCKED_OUT, subject=user, request=request)
