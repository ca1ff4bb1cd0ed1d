"""Recovery codes: how they are made, and the only form in which they are kept.

A recovery code is a lookup secret (ASVS 5.0 6.5): the database holds a keyed digest of it,
never the code. The digest is HMAC-SHA256 under a key derived from SECRET_KEY (Django's
`salted_hmac`), not a password hasher: a code carries about 50 bits of randomness, so a slow
hash buys nothing over a keyed one, and checking ten codes per attempt must stay quick. The
key keeps a stolen copy of the table useless without the settings; a key in
SECRET_KEY_FALLBACKS still checks, so rotating the key does not void codes people saved.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.utils.crypto import salted_hmac

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no look-alikes (0/o, 1/l/i)
LENGTH = 10
_KEY_SALT = "portal.recovery_codes"


def code_new() -> str:
    """A fresh code as shown to its owner, in two halves: `abcde-fghjk`."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalise(code: str) -> str:
    """The code as typed, without case, spaces or the dash between its halves."""
    return "".join(code.split()).replace("-", "").lower()


def digest(code: str, *, secret: str | None = None) -> str:
    """The keyed digest kept for a code (hex, 64 characters), under SECRET_KEY by default."""
    return salted_hmac(
        _KEY_SALT, normalise(code), secret=secret or settings.SECRET_KEY, algorithm="sha256"
    ).hexdigest()


def digests(code: str) -> list[str]:
    """The code's digest under the current key and under each fallback key."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [digest(code, secret=key) for key in keys]
