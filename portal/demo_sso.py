"""The demo's single sign-on (`make demo-sso`): a Northbridge provider and the person it signs in.

The provider is oidc-provider-mock (a development dependency), run on this machine by
`manage.py demo_sso_provider`; `manage.py load_demo_sso` points Northbridge at it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction

from portal.models import (
    Authority,
    IdentityProvider,
    IdentityProviderDomain,
    Role,
    Team,
    User,
)
from portal.sso import client_secrets

DEMO_SSO_DOMAIN = "staff.northbridge.example"
DEMO_SSO_EMAIL = f"sam@{DEMO_SSO_DOMAIN}"
DEMO_SSO_CLIENT_ID = "threshold-demo"
DEMO_SSO_CLIENT_SECRET = "demo-secret-any-value-works"  # noqa: S105 - the mock accepts any
# What the demo provider says about Sam: a confirmed email, and that it used multi-factor
# authentication, so Threshold asks for no authenticator code.
DEMO_SSO_CLAIMS: dict[str, Any] = {
    "email": DEMO_SSO_EMAIL,
    "email_verified": True,
    "name": "Sam Taylor",
    "amr": ["pwd", "mfa"],
}


@transaction.atomic
def demo_sso_load(*, issuer: str) -> IdentityProvider:
    """Point Northbridge's demo provider at issuer and make Sam's account; runs again safely."""
    northbridge = Authority.objects.get(name="Northbridge City Council")
    provider, _ = IdentityProvider.objects.update_or_create(
        authority=northbridge,
        client_id=DEMO_SSO_CLIENT_ID,
        defaults={
            "name": "Northbridge staff account (demo provider)",
            "issuer": issuer,
            "client_secret_encrypted": client_secrets.encrypt(DEMO_SSO_CLIENT_SECRET),
            "allow_account_creation": True,
        },
    )
    IdentityProviderDomain.objects.update_or_create(
        domain=DEMO_SSO_DOMAIN, defaults={"provider": provider}
    )
    sam, created = User.objects.get_or_create(
        email=DEMO_SSO_EMAIL,
        defaults={
            "full_name": DEMO_SSO_CLAIMS["name"],
            "role": Role.PRACTITIONER,
            "authority": northbridge,
            "team": Team.objects.filter(authority=northbridge, name="Early Help North").first(),
        },
    )
    if created:
        sam.set_unusable_password()
        sam.save(update_fields=["password"])
    return provider


@contextmanager
def provider_keys_named() -> Iterator[None]:
    """oidc-provider-mock 0.3.4 (its last release for Python 3.11) signs ID tokens without
    the `kid` header that Entra ID, Google and Okta send and mozilla-django-oidc looks keys up
    by; while this is open, it names its key the same way. Tests and the demo both use it."""
    from oidc_provider_mock import _app as mock_app

    unnamed = mock_app.OpenIDCode.get_jwt_config

    def named(self, grant, client=None):
        config = unnamed(self, grant, client)
        return {**config, "kid": config["key"]["kid"]}

    mock_app.OpenIDCode.get_jwt_config = named
    try:
        yield
    finally:
        mock_app.OpenIDCode.get_jwt_config = unnamed
