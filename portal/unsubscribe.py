"""One-click unsubscribe links: a signed (user, kind) token, usable without signing in."""

from __future__ import annotations

import zlib
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from portal.models import EmailKind

SALT = "threshold.email.unsubscribe"
# Long enough for a reminder read late; short enough that an old mailbox holds no live link.
MAX_AGE = timedelta(days=365)


class InvalidToken(Exception):
    """Tampered with, made up, more than a year old, or not the shape token_make makes."""


def token_make(*, user_id: int, kind: str) -> str:
    return signing.dumps({"user": user_id, "kind": kind}, salt=SALT, compress=True)


def token_read(token: str) -> tuple[int, str]:
    """The (user id, kind) a token was made for; raises InvalidToken for anything else."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError, zlib.error) as error:  # expiry is a BadSignature
        raise InvalidToken from error
    user_id, kind = (data.get("user"), data.get("kind")) if isinstance(data, dict) else (0, "")
    # bool is an int too: {"user": true} must not name user 1.
    if type(user_id) is not int or user_id <= 0 or kind not in EmailKind.values:
        raise InvalidToken
    return user_id, kind


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    path = reverse("portal:email-unsubscribe", args=[token_make(user_id=user_id, kind=kind)])
    return f"{settings.SITE_URL}{path}"


def unsubscribe_headers(*, user_id: int, kind: str) -> dict[str, str]:
    """RFC 8058 headers, so mail apps offer their own one-click unsubscribe button."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user_id=user_id, kind=kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
