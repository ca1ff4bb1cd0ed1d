"""Accounts: the audit trail, password links and resets, and the second factor."""

from __future__ import annotations

import uuid
from contextlib import suppress
from datetime import timedelta
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import recovery_codes
from portal.client_address import client_ip, client_network
from portal.models import (
    AccountEmailKind,
    AuditAction,
    AuditEvent,
    RecoveryCode,
    RecoveryCodeDevice,
    User,
)


class RateLimited(Exception):
    """Raised when a caller has asked for something too often; the message is for the user."""


def audit_record(
    *,
    action: AuditAction | str,
    actor: User | None = None,
    subject: User | None = None,
    authority_id: int | None = None,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append an audit event, filed under the authority of its subject (else of its actor),
    with the client address of request (or ip_address, for work done after the request)."""
    if authority_id is None:
        owner = subject or actor
        authority_id = owner.authority_id if owner is not None else None
    if request is not None:
        ip_address = client_ip(request)
    return AuditEvent.objects.create(
        authority_id=authority_id,
        actor=actor if actor is not None and actor.pk else None,
        subject=subject,
        action=action,
        detail=detail or {},
        ip_address=ip_address,
    )


# --- Links that let a person choose a password -------------------------------------------


def password_link_build(*, user: User, url_name: str) -> str:
    """An absolute one-time link: the token dies when the password changes or after a day."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse(url_name, kwargs={"uidb64": uidb64, "token": token})
    return f"{settings.SITE_URL}{path}"


def welcome_email_plan(*, users: list[User]) -> None:
    """Plan each new person's welcome email in the outbox (once per person: the key), and
    have the outbox send it once the accounts are committed.

    The row holds only the person's id: the set-password link is made as the email is
    rendered for sending (portal/emails_render.py), so it never rests in the database.
    Queueing the sender never fails the caller: with the broker down, the sweep sends it.
    """
    from portal import tasks
    from portal.services.outbox import PlannedEmail, outbox_plan

    kind = AccountEmailKind.WELCOME
    outbox_plan(
        emails=[
            PlannedEmail(
                key=f"{kind}:{user.pk}", kind=kind, user_id=user.pk, authority_id=user.authority_id
            )
            for user in users
        ]
    )
    transaction.on_commit(tasks.outbox_send_queue)


RATE_LIMIT_STEP_SECONDS = 60


def rate_limit_buckets(key: str, window: timedelta) -> list[str]:
    """The one-minute buckets of key that fall within window, newest first."""
    now_step = int(timezone.now().timestamp()) // RATE_LIMIT_STEP_SECONDS
    steps = int(window.total_seconds()) // RATE_LIMIT_STEP_SECONDS
    return [f"{key}:{now_step - age}" for age in range(steps)]


def _rate_limit_allow(*, limits: dict[str, int], window: timedelta) -> bool:
    """Count one use against each key, unless any key has used up its limit within window.

    Uses are counted in one-minute buckets named by the application's clock and summed over
    the window, so the limit is a rolling window (to the minute) that behaves the same on every
    cache backend; cache expiry only tidies up. A refused use is taken back, so it does not
    extend the wait.
    """
    timeout = int(window.total_seconds()) + RATE_LIMIT_STEP_SECONDS
    counted: list[str] = []
    allowed = True
    for key, limit in limits.items():
        buckets = rate_limit_buckets(key, window)
        cache.add(buckets[0], 0, timeout=timeout)
        try:
            cache.incr(buckets[0])
        except ValueError:  # evicted between add and incr
            cache.set(buckets[0], 1, timeout=timeout)
        counted.append(buckets[0])
        allowed = allowed and sum(cache.get_many(buckets).values()) <= limit
    if not allowed:
        for bucket in counted:
            with suppress(ValueError):
                cache.decr(bucket)
    return allowed


def password_reset_request(*, email: str, request: HttpRequest) -> None:
    """Queue a reset email for the address, whether or not it has an account; say nothing.

    Known and unknown addresses get the same work here (count against the limits, queue one
    task), so neither the answer nor its timing tells them apart; the worker looks the address
    up. Limited per address and per client address for an hour, whether or not the account
    exists, so the limit itself reveals nothing. A request presenting a trusted device cookie
    for the address (its owner's usual browser) skips the per-address limit, so a stranger who
    has used it up cannot keep the owner from a reset.
    """
    from portal import tasks
    from portal.services.lockout import device_cookie_trusted  # lockout imports this module

    email = email.strip().lower()
    ip_address = client_ip(request)
    network = client_network(ip_address) or "unknown"
    limits = {f"pwreset:ip:{network}": settings.PASSWORD_RESET_LIMIT_PER_IP}
    if device_cookie_trusted(request=request, email=email) is None:
        limits[f"pwreset:email:{email}"] = settings.PASSWORD_RESET_LIMIT_PER_EMAIL
    if not _rate_limit_allow(limits=limits, window=timedelta(hours=1)):
        raise RateLimited(
            "Too many password reset requests. Wait an hour, then try again, "
            "or ask your authority admin."
        )
    # robust: with the broker down the person still sees "check your email", as for any address.
    transaction.on_commit(tasks.password_reset_email_send.si(email, ip_address).delay, robust=True)


def password_reset_email_send(*, email: str, ip_address: str | None) -> bool:
    """Put a reset email for the address in the outbox if it has an active account, and have
    it sent; True if one was planned. Each request is its own row (its own key), so the
    authority's outbox lists every reset sent or failed, and a failed one is retried like any
    other email. The row holds only the person's id: the link is made as it is sent."""
    from portal import tasks
    from portal.services.outbox import PlannedEmail, outbox_plan

    user = User.objects.filter(email=email, is_active=True).first()
    if user is None:
        return False
    kind = AccountEmailKind.PASSWORD_RESET
    outbox_plan(
        emails=[
            PlannedEmail(
                key=f"{kind}:{user.pk}:{uuid.uuid4().hex}",
                kind=kind,
                user_id=user.pk,
                authority_id=user.authority_id,
            )
        ]
    )
    audit_record(action=AuditAction.PASSWORD_RESET_REQUESTED, subject=user, ip_address=ip_address)
    transaction.on_commit(tasks.outbox_send_queue)
    return True


@transaction.atomic
def password_changed_record(*, user: User, request: HttpRequest) -> None:
    """Audit a new password and end the account's sign-in lockouts, from every address.

    Whoever chose the password held the old one or the emailed link, so the failed guesses
    that locked the account no longer matter; the lockout message promises this.
    """
    from portal.services.lockout import sign_in_failures_forget  # lockout imports this module

    audit_record(action=AuditAction.PASSWORD_CHANGED, actor=user, subject=user, request=request)
    axes_reset(username=user.email)
    sign_in_failures_forget(email=user.email)


# --- Second factor ------------------------------------------------------------------------


def _second_factor_lock(user: User) -> None:
    """Hold the person's row until the transaction ends, so two requests changing their
    second factor (two "new codes" clicks, two set-ups) run one after the other: the later
    one replaces what the earlier made instead of adding to it."""
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up (one per user, reused until confirmed).

    Under the person's lock, so two set-up pages opened at once make one device; one left
    over from before (the oldest is kept) never stops the page from opening.
    """
    _second_factor_lock(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, confirmed=False, name="Authenticator app")
    return device


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, request: HttpRequest) -> list[str]:
    """Confirm the authenticator, replace any earlier factors, and return fresh recovery codes.

    The codes are returned once and only their use is recorded afterwards: the caller shows
    them to the person and never again.
    """
    if device.user_id != user.pk:
        raise PermissionDenied("That authenticator is someone else's.")
    _second_factor_lock(user)
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_replace(user=user)
    audit_record(action=AuditAction.SECOND_FACTOR_SET_UP, actor=user, subject=user, request=request)
    return codes


@transaction.atomic
def recovery_codes_renew(*, user: User, request: HttpRequest) -> list[str]:
    """The person asked for new recovery codes: replace them, audited as a second-factor
    change. The returned codes are shown once and never again."""
    codes = recovery_codes_replace(user=user)
    audit_record(
        action=AuditAction.RECOVERY_CODES_RENEWED, actor=user, subject=user, request=request
    )
    return codes


@transaction.atomic
def recovery_codes_replace(*, user: User) -> list[str]:
    """Retire the person's recovery codes and return new ones, kept only as digests.

    The returned codes exist nowhere else: the caller shows them once and never again. A
    person has one set (the database's `one_recovery_device_per_user`); the lock makes a
    racing request wait and then replace this set rather than fail on the constraint.
    """
    _second_factor_lock(user)
    RecoveryCodeDevice.objects.filter(user=user).delete()
    device = RecoveryCodeDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [recovery_codes.code_new() for _ in range(settings.RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, digest=recovery_codes.digest(code)) for code in codes
    )
    return codes
