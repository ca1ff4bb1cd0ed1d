"""Why a single sign-on is refused, and what the person is told.

Each refusal answers with its own page (registration/sso_refused.html) and audit event
(`services.sso_refusal_record`), so a person knows what to do and an admin what happened.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied

from portal.models import User


class SsoRefusal(StrEnum):
    STATE = "state"
    PROVIDER_REFUSED = "provider_refused"
    PROVIDER_UNREACHABLE = "provider_unreachable"
    CONFIGURATION = "configuration"
    WRONG_ISSUER = "wrong_issuer"
    WRONG_AUDIENCE = "wrong_audience"
    EXPIRED = "expired"
    TAMPERED = "tampered"
    NONCE = "nonce"
    EMAIL_NOT_VERIFIED = "email_not_verified"
    DOMAIN_NOT_VOUCHED = "domain_not_vouched"
    OTHER_AUTHORITY = "other_authority"
    DEACTIVATED = "deactivated"
    NO_ACCOUNT = "no_account"
    PLATFORM_ADMIN = "platform_admin"


_CHECK_FAILED = (
    "Threshold could not trust the answer from {provider}, so you are not signed in. Try "
    "again; if it happens again, tell your authority admin (the audit log records why)."
)

# (page title, what the person is told); {provider} is the provider's name.
MESSAGES: dict[SsoRefusal, tuple[str, str]] = {
    SsoRefusal.STATE: (
        "This sign-in has expired",
        "This sign-in link was already used, or started in another browser or too long ago. "
        "Start again from the sign-in page.",
    ),
    SsoRefusal.PROVIDER_REFUSED: (
        "{provider} did not sign you in",
        "{provider} turned down this sign-in, for example because your work account is "
        "disabled or you cancelled. Ask your IT service desk if you think it should work.",
    ),
    SsoRefusal.PROVIDER_UNREACHABLE: (
        "{provider} is not answering",
        "Threshold could not reach {provider}. Try again in a few minutes.",
    ),
    SsoRefusal.CONFIGURATION: (
        "Single sign-on is not set up correctly",
        "Threshold cannot use the settings it has for {provider}. Tell your authority admin: "
        "its client secret needs entering again.",
    ),
    SsoRefusal.WRONG_ISSUER: ("The sign-in came from the wrong service", _CHECK_FAILED),
    SsoRefusal.WRONG_AUDIENCE: ("The sign-in was meant for another service", _CHECK_FAILED),
    SsoRefusal.EXPIRED: ("The sign-in from {provider} had expired", _CHECK_FAILED),
    SsoRefusal.TAMPERED: ("The sign-in from {provider} could not be checked", _CHECK_FAILED),
    SsoRefusal.NONCE: ("The sign-in from {provider} was not this one", _CHECK_FAILED),
    SsoRefusal.EMAIL_NOT_VERIFIED: (
        "{provider} did not confirm your email address",
        "Threshold signs you in only with an email address your organisation has confirmed. "
        "Ask your IT service desk to confirm the email address of your work account.",
    ),
    SsoRefusal.DOMAIN_NOT_VOUCHED: (
        "{provider} cannot sign in this email address",
        "Your work account's email address is not at a domain {provider} signs in for "
        "Threshold. Ask your authority admin.",
    ),
    SsoRefusal.OTHER_AUTHORITY: (
        "Your account belongs to another authority",
        "Your email address belongs to another authority in Threshold, so {provider} cannot "
        "sign you in to it. Sign in through your own authority's service.",
    ),
    SsoRefusal.DEACTIVATED: (
        "Your account has been deactivated",
        "Your Threshold account has been deactivated. Ask your authority admin.",
    ),
    SsoRefusal.NO_ACCOUNT: (
        "You do not have a Threshold account yet",
        "{provider} signed you in, but there is no Threshold account for your email address "
        "and your authority does not create them automatically. Ask your authority admin to "
        "create one.",
    ),
    SsoRefusal.PLATFORM_ADMIN: (
        "Platform admins sign in with a password",
        "A platform admin account is not signed in by an authority's service. Sign in with "
        "your password and authenticator.",
    ),
}


class SsoRefused(PermissionDenied):
    """A single sign-on refused for reason; user is the account concerned, when known.

    A PermissionDenied, so Django's authenticate() stops at it instead of asking the
    password backends about the callback.
    """

    def __init__(
        self, reason: SsoRefusal, *, user: User | None = None, detail: dict[str, Any] | None = None
    ) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.user = user
        self.detail = detail or {}

    def page(self, provider_name: str) -> dict[str, str]:
        title, message = MESSAGES[self.reason]
        return {
            "title": title.format(provider=provider_name),
            "message": message.format(provider=provider_name),
        }
