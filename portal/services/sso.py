"""Single sign-on: the identity providers authorities configure, and who a provider may sign in.

The protocol itself is mozilla-django-oidc's (portal/sso/backend.py); these are our rules.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from portal import access
from portal.models import (
    AuditAction,
    IdentityProvider,
    IdentityProviderDevice,
    IdentityProviderDomain,
    Role,
    User,
)
from portal.services.accounts import audit_record
from portal.services.administration import ChangeRefused, _standing_assignments_apply
from portal.sso import client_secrets
from portal.sso.refusals import SsoRefusal, SsoRefused

# --- Configuring providers ----------------------------------------------------------------


def _require_admin_of_provider(actor: User, provider: IdentityProvider) -> None:
    if access.is_platform_admin(actor):
        return
    if not access.can_manage_authority(actor) or actor.authority_id != provider.authority_id:
        raise PermissionDenied("Only an admin of this authority can do that.")


def identity_provider_domains_check(*, provider: IdentityProvider, domains: list[str]) -> None:
    """Refuse a domain another provider vouches for, or one where people of another authority
    already have accounts: its provider would decide who they are."""
    taken = IdentityProviderDomain.objects.filter(domain__in=domains).exclude(
        provider_id=provider.pk
    )
    for domain in taken.values_list("domain", flat=True):
        raise ChangeRefused(
            f"{domain} is already used by another sign-in provider.", field="domains"
        )
    for domain in domains:
        others = User.objects.filter(email__endswith=f"@{domain}").exclude(
            authority_id=provider.authority_id
        )
        if others.exists():
            raise ChangeRefused(
                f"People outside this authority have accounts at {domain}, so its sign-in "
                "provider cannot vouch for it.",
                field="domains",
            )


@transaction.atomic
def identity_provider_save(
    *,
    actor: User,
    provider: IdentityProvider,
    name: str,
    issuer: str,
    client_id: str,
    client_secret: str,
    domains: list[str],
    allow_account_creation: bool,
    require_sso: bool,
    accepted_acr_values: list[str],
    request: HttpRequest | None = None,
) -> IdentityProvider:
    """Add a provider (provider unsaved, its authority set) or change one.

    A blank client_secret keeps the stored one; a new one is stored only encrypted and the
    audit event says only that it changed.
    """
    _require_admin_of_provider(actor, provider)
    adding = provider.pk is None
    if adding and not client_secret:
        raise ChangeRefused("Enter the client secret", field="client_secret")
    identity_provider_domains_check(provider=provider, domains=domains)
    new_values = {
        "name": name.strip(),
        "issuer": issuer.strip(),
        "client_id": client_id.strip(),
        "allow_account_creation": allow_account_creation,
        "require_sso": require_sso,
        "accepted_acr_values": accepted_acr_values,
    }
    changed = [
        field.replace("_", " ")
        for field, value in new_values.items()
        if getattr(provider, field) != value
    ]
    for field, value in new_values.items():
        setattr(provider, field, value)
    if client_secret:
        provider.client_secret_encrypted = client_secrets.encrypt(client_secret)
        changed.append("client secret")
    provider.updated_at = timezone.now()
    provider.full_clean(exclude=["client_secret_encrypted"])
    provider.save()
    old_domains = set(provider.domains.values_list("domain", flat=True)) if not adding else set()
    if old_domains != set(domains):
        changed.append("domains")
    provider.domains.exclude(domain__in=domains).delete()
    try:
        with transaction.atomic():
            for domain in domains:
                IdentityProviderDomain.objects.get_or_create(provider=provider, domain=domain)
    except IntegrityError as error:  # claimed by another provider since the check above
        raise ChangeRefused(
            "One of these domains was just taken by another sign-in provider.", field="domains"
        ) from error
    if adding:
        detail = {"provider": provider.name, "domains": ", ".join(domains)}
    else:
        detail = {"provider": provider.name, "changed": ", ".join(changed) or "nothing"}
    audit_record(
        action=AuditAction.IDENTITY_PROVIDER_SAVED,
        actor=actor,
        authority_id=provider.authority_id,
        request=request,
        detail=detail,
    )
    return provider


@transaction.atomic
def identity_provider_delete(
    *, actor: User, provider: IdentityProvider, request: HttpRequest | None = None
) -> None:
    """Remove a provider: its people sign in with a password again (if they have one)."""
    _require_admin_of_provider(actor, provider)
    audit_record(
        action=AuditAction.IDENTITY_PROVIDER_DELETED,
        actor=actor,
        authority_id=provider.authority_id,
        request=request,
        detail={"provider": provider.name},
    )
    provider.delete()


# --- Signing in ---------------------------------------------------------------------------


def sso_account_for_claims(
    *, provider: IdentityProvider, claims: dict[str, Any], request: HttpRequest | None = None
) -> User:
    """The active account of the provider's authority that the verified ID token names by its
    email, or a new practitioner (no team) where the provider may create accounts.

    Raises SsoRefused: an unconfirmed email, one at a domain the provider does not vouch for
    or another authority owns, an account of another authority, deactivated or of a platform
    admin, or no account where none may be made.
    """
    email = str(claims.get("email") or "").strip().lower()
    if claims.get("email_verified") is not True or "@" not in email:
        raise SsoRefused(SsoRefusal.EMAIL_NOT_VERIFIED)
    domain = email.rpartition("@")[2]
    owner = IdentityProviderDomain.objects.filter(domain=domain).select_related("provider")
    owner = owner.first()
    if owner is not None and owner.provider.authority_id != provider.authority_id:
        raise SsoRefused(SsoRefusal.OTHER_AUTHORITY, detail={"email_domain": domain})
    if owner is None or owner.provider_id != provider.pk:
        raise SsoRefused(SsoRefusal.DOMAIN_NOT_VOUCHED, detail={"email_domain": domain})
    user = User.objects.filter(email=email).first()
    if user is None:
        return _account_create(provider=provider, email=email, claims=claims, request=request)
    if user.is_superuser:
        raise SsoRefused(SsoRefusal.PLATFORM_ADMIN, user=user)
    if user.authority_id != provider.authority_id:
        raise SsoRefused(SsoRefusal.OTHER_AUTHORITY, detail={"email_domain": domain})
    if not user.is_active:
        raise SsoRefused(SsoRefusal.DEACTIVATED, user=user)
    return user


def _account_create(
    *, provider: IdentityProvider, email: str, claims: dict[str, Any], request: HttpRequest | None
) -> User:
    if not provider.allow_account_creation:
        raise SsoRefused(SsoRefusal.NO_ACCOUNT, detail={"email": email})
    name = " ".join(str(claims.get("name") or "").split())[:150] or email.partition("@")[0]
    user = User(email=email, full_name=name, role=Role.PRACTITIONER, authority=provider.authority)
    user.set_unusable_password()
    user.full_clean()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same person's other tab made it first
        return User.objects.get(email=email)
    audit_record(
        action=AuditAction.USER_CREATED,
        subject=user,
        authority_id=provider.authority_id,
        request=request,
        detail={"email": email, "role": Role.PRACTITIONER, "via": f"single sign-on ({provider})"},
    )
    _standing_assignments_apply(users=[user])
    return user


def sso_claims_show_multi_factor(*, provider: IdentityProvider, claims: dict[str, Any]) -> bool:
    """Whether the provider says it used multi-factor authentication: `mfa` among the
    methods (amr), or an assurance level (acr) the authority accepts as such."""
    methods = claims.get("amr")
    if isinstance(methods, list) and "mfa" in methods:
        return True
    acr = claims.get("acr")
    return isinstance(acr, str) and acr in provider.accepted_acr_values


def sso_second_factor_device(*, user: User, provider: IdentityProvider) -> IdentityProviderDevice:
    """The device that marks a session verified by the provider's multi-factor check."""
    device, _ = IdentityProviderDevice.objects.update_or_create(
        user=user, defaults={"name": provider.name[:64], "confirmed": True}
    )
    return device


def sso_refusal_record(
    *, provider: IdentityProvider | None, refused: SsoRefused, request: HttpRequest
) -> None:
    """Audit a refused single sign-on under the provider's authority (never a token)."""
    audit_record(
        action=AuditAction.SSO_REFUSED,
        subject=refused.user,
        authority_id=provider.authority_id if provider else None,
        request=request,
        detail={
            "reason": refused.reason.value,
            **({"provider": provider.name} if provider else {}),
            **refused.detail,
        },
    )
