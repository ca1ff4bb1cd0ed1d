"""mozilla-django-oidc's authentication backend, for the provider a sign-in started with.

mozilla-django-oidc reads one provider from the settings; here each sign-in names its own
(`request.sso_provider`, set by portal.views.sso from the session). The library exchanges the
code (with the PKCE verifier), fetches the provider's keys, checks the ID token's signature
and nonce; PyJWT, through `_verify_jws`, also checks its issuer, audience and expiry. What it
cannot trust is refused with the reason named (`SsoRefused`), and the verified claims go to
`services.sso_account_for_claims`, which owns who may sign in.
"""

from __future__ import annotations

from typing import Any

import jwt
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from portal import services
from portal.models import IdentityProvider, User
from portal.sso import client_secrets, discovery
from portal.sso.refusals import SsoRefusal, SsoRefused


class ProviderBackend(OIDCAuthenticationBackend):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Not the library's: it would read one provider's endpoints from the settings.
        self.UserModel = get_user_model()
        self.OIDC_RP_SIGN_ALGO = "RS256"
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        """The account the provider signed in, or None when this is no single sign-on (a
        password attempt); raises SsoRefused, remembered on the request, when refused."""
        provider = getattr(request, "sso_provider", None)
        if request is None or provider is None or "nonce" not in kwargs:
            return None
        try:
            self._configure(provider)
            return super().authenticate(request, **kwargs)
        except SsoRefused as refused:
            request.sso_refusal = refused
            raise
        except requests.RequestException as error:  # the token or key endpoint failed
            detail = {"error": type(error).__name__}
            request.sso_refusal = SsoRefused(SsoRefusal.PROVIDER_UNREACHABLE, detail=detail)
            raise request.sso_refusal from error

    def _configure(self, provider: IdentityProvider) -> None:
        try:
            config = discovery.provider_configuration(provider.issuer)
        except discovery.ProviderUnreachable as error:
            raise SsoRefused(SsoRefusal.PROVIDER_UNREACHABLE) from error
        try:
            secret = client_secrets.decrypt(provider.client_secret_encrypted)
        except client_secrets.SecretUnreadable as error:
            raise SsoRefused(SsoRefusal.CONFIGURATION) from error
        self.provider: IdentityProvider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = config["token_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = config["jwks_uri"]
        self.OIDC_OP_USER_ENDPOINT = config.get("userinfo_endpoint")
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = secret

    def retrieve_matching_jwk(self, token: str) -> jwt.PyJWK:
        try:
            return super().retrieve_matching_jwk(token)
        except (SuspiciousOperation, jwt.PyJWTError, KeyError) as error:
            # Signed with no key the provider publishes, or no token at all.
            raise SsoRefused(SsoRefusal.TAMPERED) from error

    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        """The library's check of the signature, with the issuer and audience PyJWT checks
        too (the library leaves them out), each failure refused by name."""
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.provider.issuer,
                options={"require": ["exp", "iat", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise SsoRefused(SsoRefusal.EXPIRED) from error
        except jwt.InvalidIssuerError as error:
            raise SsoRefused(SsoRefusal.WRONG_ISSUER) from error
        except jwt.InvalidAudienceError as error:
            raise SsoRefused(SsoRefusal.WRONG_AUDIENCE) from error
        except jwt.PyJWTError as error:
            raise SsoRefused(SsoRefusal.TAMPERED) from error

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        try:
            return super().verify_token(token, **kwargs)
        except SuspiciousOperation as error:
            # The signature and claims passed (_verify_jws), so what is left is the nonce: the
            # token answers another sign-in than the one this browser started.
            raise SsoRefused(SsoRefusal.NONCE) from error

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User:
        """From the verified ID token's claims (no userinfo call: those are unsigned)."""
        user = services.sso_account_for_claims(
            provider=self.provider, claims=payload, request=self.request
        )
        self.request.sso_multi_factor = services.sso_claims_show_multi_factor(
            provider=self.provider, claims=payload
        )
        return user

    def get_user(self, user_id: int) -> User | None:
        # Django's rule, not the library's: a deactivated account's sessions end.
        return ModelBackend.get_user(self, user_id)
