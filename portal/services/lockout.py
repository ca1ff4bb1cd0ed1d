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

A stranger with many addresses could keep both wider bounds tripped, so OWASP's device cookie
keeps the owner in: a sign-in that completes (password and code) gives the browser a signed
cookie naming the account (a keyed hash of its email) and a random nonce. An attempt on that
account presenting it skips the two wider bounds and counts its failures against the cookie
instead; DEVICE_COOKIE_FAILURE_LIMIT of them within AXES_COOLOFF_TIME distrust the cookie, so
the wider bounds apply again, and a stolen cookie gives few guesses.

Counts live in the cache (Redis in production, shared by every process and host) in one-minute
buckets; only failures that were tried are counted, so a refused attempt tests nothing and
costs nothing, and a bound frees up as its oldest failures age out of the window. While the
cache does not answer, these counts are skipped (and logged) rather than refusing everyone's
sign-in: axes' pair lock, kept in the database, and django-otp's throttle still bound guessing.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare, get_random_string, salted_hmac
from django_otp import match_token
from django_otp.models import Device
from redis.exceptions import RedisError

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


logger = logging.getLogger(__name__)


@contextmanager
def _unless_cache_down() -> Iterator[None]:
    """Best effort: an unreachable cache skips a count instead of failing the sign-in."""
    try:
        yield
    except RedisError:
        logger.warning("Sign-in counts skipped: the cache did not answer")


def _count(key: str, window: timedelta) -> None:
    bucket = rate_limit_buckets(key, window)[0]
    timeout = int(window.total_seconds()) + RATE_LIMIT_STEP_SECONDS
    with _unless_cache_down():
        cache.add(bucket, 0, timeout=timeout)
        try:
            cache.incr(bucket)
        except ValueError:  # evicted between add and incr
            cache.set(bucket, 1, timeout=timeout)


def _used(key: str, window: timedelta) -> int:
    with _unless_cache_down():
        return sum(cache.get_many(rate_limit_buckets(key, window)).values())
    return 0


def _forget(key: str, window: timedelta) -> None:
    with _unless_cache_down():
        cache.delete_many(rate_limit_buckets(key, window))


DEVICE_COOKIE_SALT = "portal.device-cookie"


def _device_account(email: str) -> str:
    # Keyed, so the cookie names the account without showing (or letting anyone test) its email.
    return salted_hmac(f"{DEVICE_COOKIE_SALT}.account", email.strip().lower()).hexdigest()[:32]


def device_cookie_set(*, response: HttpResponse, user: User) -> None:
    """Give the browser a new device cookie for user, once their sign-in is complete."""
    value = signing.dumps(
        {"account": _device_account(user.email), "nonce": get_random_string(32)},
        salt=DEVICE_COOKIE_SALT,
    )
    response.set_cookie(
        settings.DEVICE_COOKIE_NAME,
        value,
        max_age=settings.DEVICE_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def device_cookie_trusted(*, request: HttpRequest | None, email: str) -> str | None:
    """The nonce of the request's device cookie if it is signed by us, for this email, and not
    distrusted by recent failures; else None (a missing, forged or garbled cookie alike)."""
    value = request.COOKIES.get(settings.DEVICE_COOKIE_NAME) if request is not None else None
    if not value:
        return None
    try:
        payload = signing.loads(value, salt=DEVICE_COOKIE_SALT, max_age=settings.DEVICE_COOKIE_AGE)
    except signing.BadSignature:
        return None
    account, nonce = payload.get("account"), payload.get("nonce")
    if not constant_time_compare(str(account), _device_account(email)) or not nonce:
        return None
    used = _used(_key("device", nonce), settings.AXES_COOLOFF_TIME)
    return nonce if used < settings.DEVICE_COOKIE_FAILURE_LIMIT else None


def sign_in_failure_record(*, email: str, request: HttpRequest | None) -> None:
    """Count one tried-and-failed password or code against the request's trusted device
    cookie for the account if it has one, else against the address and the account."""
    nonce = device_cookie_trusted(request=request, email=email)
    if nonce is not None:
        _count(_key("device", nonce), settings.AXES_COOLOFF_TIME)
        return
    window = settings.SIGN_IN_FAILURE_WINDOW
    _count(_key("address", client_network(_ip(request))), window)
    _count(_key("account", email), window)


def sign_in_lockout_get(*, email: str, request: HttpRequest | None) -> SignInLockout | None:
    """Which wider bound refuses this email from this request now, if any: none while the
    request presents a trusted device cookie for the account."""
    if device_cookie_trusted(request=request, email=email) is not None:
        return None
    window = settings.SIGN_IN_FAILURE_WINDOW
    if (
        _used(_key("address", client_network(_ip(request))), window)
        >= settings.SIGN_IN_FAILURE_LIMIT_PER_ADDRESS
    ):
        return SignInLockout.ADDRESS
    if _used(_key("account", email), window) >= settings.SIGN_IN_FAILURE_LIMIT_PER_ACCOUNT:
        return SignInLockout.ACCOUNT
    return None


def _ip(request: HttpRequest | None) -> str | None:
    return client_ip(request) if request is not None else None


def sign_in_failures_forget(*, email: str) -> None:
    """End the account-wide bound (after a password reset or change)."""
    _forget(_key("account", email), settings.SIGN_IN_FAILURE_WINDOW)


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
    them; the refusal is audited as a lockout. A wrong code counts against all three bounds
    (with a trusted device cookie, against the pair and the cookie); a right one clears the
    pair's count.
    """
    ip = client_ip(request)
    pair_key = _key("code", user.email, ip)
    window = settings.AXES_COOLOFF_TIME
    lockout = sign_in_lockout_get(email=user.email, request=request)
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
        sign_in_failure_record(email=user.email, request=request)
    else:
        _forget(pair_key, window)
    return device
