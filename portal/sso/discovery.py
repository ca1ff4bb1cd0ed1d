"""A provider's OpenID configuration (its endpoints), read from its issuer and cached.

mozilla-django-oidc takes endpoints, not an issuer; OpenID Connect Discovery publishes them
at a well-known address under the issuer. Cached for an hour, so most sign-ins skip the call.
"""

from __future__ import annotations

import hashlib
from typing import Any

import requests
from django.conf import settings
from django.core.cache import cache

REQUIRED = ("authorization_endpoint", "token_endpoint", "jwks_uri")
CACHE_SECONDS = 60 * 60


class ProviderUnreachable(Exception):
    """The provider did not answer, or not with an OpenID configuration."""


def configuration_url(issuer: str) -> str:
    return f"{issuer.rstrip('/')}/.well-known/openid-configuration"


def provider_configuration(issuer: str) -> dict[str, Any]:
    key = f"sso:configuration:{hashlib.sha256(issuer.encode()).hexdigest()[:32]}"
    config = cache.get(key)
    if config is not None:
        return config
    try:
        response = requests.get(configuration_url(issuer), timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        config = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnreachable(str(error)) from error
    if not isinstance(config, dict) or not all(config.get(name) for name in REQUIRED):
        raise ProviderUnreachable("the OpenID configuration lacks an endpoint")
    cache.set(key, config, timeout=CACHE_SECONDS)
    return config
