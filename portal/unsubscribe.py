"""One-click unsubscribe links: a signed (user, kind) token, usable without signing in."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "threshold.email.unsubscribe"


def token_make(*, user_id: int, kind: str) -> str:
    return signing.dumps({"user": user_id, "kind": kind}, salt=SALT, compress=True)


def token_read(token: str) -> tuple[int, str]:
    """The (user id, kind) a token was made for; raises signing.BadSignature if tampered."""
    data = signing.loads(token, salt=SALT)
    return int(data["user"]), str(data["kind"])


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    path = reverse("portal:email-unsubscribe", args=[token_make(user_id=user_id, kind=kind)])
    return f"{settings.SITE_URL}{path}"


def unsubscribe_headers(*, user_id: int, kind: str) -> dict[str, str]:
    """RFC 8058 headers, so mail apps offer their own one-click unsubscribe button."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user_id=user_id, kind=kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
