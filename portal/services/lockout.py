"""Sign-in limits wider than axes' lock on one account from one address, and the code step's.

axes locks an (account, client address) pair after AXES_FAILURE_LIMIT failed passwords, so a
stranger's guesses never lock the owner out from elsewhere. A pair lock alone would let one
address try a few passwords on every account (password spraying) and many addresses try many
passwords on one account, so two wider bounds count failures over a rolling window:

1. per client address, on any accounts (known or not): SIGN_IN_FAILURE_LIMIT_PER_ADDRESS;
2. per account, from any addresses: SIGN_IN_FAILURE_LIMIT_PER_ACCOUNT, which a password reset
   clears, since whoever chose the new password held the emailed link.

Wrong second-factor codes count toward both, and toward a pair bound of their own
(SECOND_FACTOR_FAILURE_LIMIT per account and address), kept apart from axes' because a correct
password resets axes' count and the code step comes after one.

Counts live in the cache (Redis in production, shared by every process and host) in one-minute
buckets; only failures that were tried are counted, so a refused attempt tests nothing and
costs nothing, and a bound frees up as its oldest failures age out of the window.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django_otp import match_token
from django_otp.models import Device

from portal.client_address import client_ip, client_network
from portal.models import AuditAction, User
from portal.services.accounts import (
    RATE_LIMIT_STEP_SECONDS,
    RateLimited,
    audit_record,
    rate_limit_buckets,
)


class SignInLockout(StrEnum):
    """Why a sign-in is refused; axes' own pair lock is the default when none of these."""

    ADDRESS = "address"
    ACCOUNT = "account"
    SECOND_FACTOR = "second_factor"


def _key(kind: str, *parts: str | None) -> str:
    # Hashed: the email comes from whoever posts the form, and needs no place in Redis.
    raw = "\n".join(part or "unknown" for part in parts)
    return f"signin:{kind}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def _count(key: str, window: timedelta) -> None:
    bucket = rate_limit_buckets(key, window)[0]
    timeout = int(window.total_seconds()) + RATE_LIMIT_STEP_SECONDS
    cache.add(bucket, 0, timeout=timeout)
    try:
        cache.incr(bucket)
    except ValueError:  # evicted between add and incr
        cache.set(bucket, 1, timeout=timeout)


def _used(key: str, window: timedelta) -> int:
    return sum(cache.get_many(rate_limit_buckets(key, window)).values())


def sign_in_failure_record(*, email: str, ip: str | None) -> None:
    """Count one tried-and-failed password or code against the address and the account."""
    window = settings.SIGN_IN_FAILURE_WINDOW
    _count(_key("address", client_network(ip)), window)
    _count(_key("account", email), window)


def sign_in_lockout_get(*, email: str, ip: str | None) -> SignInLockout | None:
    """Which wider bound refuses this email from this address now, if any."""
    window = settings.SIGN_IN_FAILURE_WINDOW
    if (
        _used(_key("address", client_network(ip)), window)
        >= settings.SIGN_IN_FAILURE_LIMIT_PER_ADDRESS
    ):
        return SignInLockout.ADDRESS
    if _used(_key("account", email), window) >= settings.SIGN_IN_FAILURE_LIMIT_PER_ACCOUNT:
        return SignInLockout.ACCOUNT
    return None


def sign_in_failures_forget(*, email: str) -> None:
    """End the account-wide bound (after a password reset or change)."""
    cache.delete_many(rate_limit_buckets(_key("account", email), settings.SIGN_IN_FAILURE_WINDOW))


def sign_in_lockout_message(lockout: SignInLockout | None) -> str:
    if lockout == SignInLockout.ADDRESS:
        return (
            f"There have been {settings.SIGN_IN_FAILURE_LIMIT_PER_ADDRESS} failed sign-in "
            "attempts from your network in the last hour. Signing in from it is paused for up "
            "to an hour; try again later."
        )
    if lockout == SignInLockout.ACCOUNT:
        return (
            f"This account has had {settings.SIGN_IN_FAILURE_LIMIT_PER_ACCOUNT} failed sign-in "
            "attempts in the last hour. Signing in to it is paused for up to an hour; reset "
            "your password to end the pause now."
        )
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if lockout == SignInLockout.SECOND_FACTOR:
        return (
            f"Too many wrong codes: entering codes is locked for {minutes} minutes after "
            f"{settings.SECOND_FACTOR_FAILURE_LIMIT} wrong ones. Wait, then try again."
        )
    return (
        f"This account is locked for {minutes} minutes after {settings.AXES_FAILURE_LIMIT} "
        "failed sign-in attempts from your network. Wait, then try again, or reset your "
        "password."
    )


def second_factor_match(*, user: User, code: str, request: HttpRequest) -> Device | None:
    """The device (authenticator or recovery codes) that accepts code, or None.

    Raises RateLimited, without trying the code, while this account and address have had
    SECOND_FACTOR_FAILURE_LIMIT wrong codes within AXES_COOLOFF_TIME or a wider bound refuses
    them; the refusal is audited as a lockout. A wrong code counts against all three bounds; a
    right one clears the pair's count.
    """
    ip = client_ip(request)
    pair_key = _key("code", user.email, ip)
    window = settings.AXES_COOLOFF_TIME
    lockout = sign_in_lockout_get(email=user.email, ip=ip)
    if lockout is None and _used(pair_key, window) >= settings.SECOND_FACTOR_FAILURE_LIMIT:
        lockout = SignInLockout.SECOND_FACTOR
    if lockout is not None:
        audit_record(
            action=AuditAction.LOCKED_OUT,
            actor=user,
            subject=user,
            request=request,
            detail={"step": "second_factor", "bound": str(lockout)},
        )
        raise RateLimited(sign_in_lockout_message(lockout))
    device = match_token(user, code)
    if device is None:
        _count(pair_key, window)
        sign_in_failure_record(email=user.email, ip=ip)
    else:
        cache.delete_many(rate_limit_buckets(pair_key, window))
    return device
