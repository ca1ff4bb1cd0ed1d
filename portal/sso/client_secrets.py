"""Client secrets of identity providers, encrypted at rest with a key from the settings.

Fernet (from `cryptography`) authenticates as well as encrypts, so a secret changed in the
database is refused rather than used. The key is SSO_SECRET_KEY, or one derived from
SECRET_KEY when it is unset; SSO_SECRET_KEY_FALLBACKS still decrypt after a rotation.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class SecretUnreadable(Exception):
    """The stored secret was encrypted with a key the settings no longer hold."""


def _derived_key() -> bytes:
    digest = hashlib.sha256(f"portal.sso.client-secret:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


def _fernet() -> MultiFernet:
    keys = [settings.SSO_SECRET_KEY or _derived_key(), *settings.SSO_SECRET_KEY_FALLBACKS]
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable from None
