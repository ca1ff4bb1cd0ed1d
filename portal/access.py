"""Who may see what: the one place the authority boundary and role rules are written.

Querysets call these through `for_user(user)`, and selectors call them before returning any
object, so a view cannot forget the authority filter. Anything outside a user's scope is
reported as missing (404), never as forbidden, so its existence is not revealed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from portal.models import AuditEvent, IdentityProvider, Team, User


def is_platform_admin(user: User) -> bool:
    return user.is_authenticated and user.is_superuser


def can_manage_authority(user: User) -> bool:
    """Authority admins run users, teams, imports and the audit log of their own authority."""
    return user.is_authenticated and user.is_active and user.is_authority_admin


def scope_users(queryset: QuerySet[User], user: User) -> QuerySet[User]:
    if is_platform_admin(user):
        return queryset
    if can_manage_authority(user):
        return queryset.filter(authority_id=user.authority_id)
    if user.is_authenticated and user.is_supervisor and user.team_id:
        return queryset.filter(authority_id=user.authority_id, team_id=user.team_id)
    if user.is_authenticated:
        return queryset.filter(pk=user.pk)
    return queryset.none()


def scope_teams(queryset: QuerySet[Team], user: User) -> QuerySet[Team]:
    if is_platform_admin(user):
        return queryset
    if user.is_authenticated and user.authority_id:
        return queryset.filter(authority_id=user.authority_id)
    return queryset.none()


def scope_audit_events(queryset: QuerySet[AuditEvent], user: User) -> QuerySet[AuditEvent]:
    if is_platform_admin(user):
        return queryset
    if can_manage_authority(user):
        return queryset.filter(authority_id=user.authority_id)
    return queryset.none()


def scope_identity_providers(
    queryset: QuerySet[IdentityProvider], user: User
) -> QuerySet[IdentityProvider]:
    if is_platform_admin(user):
        return queryset
    if can_manage_authority(user):
        return queryset.filter(authority_id=user.authority_id)
    return queryset.none()


View = Callable[..., HttpResponse]


def role_required(allowed: Callable[[Any], bool]) -> Callable[[View], View]:
    """Sign-in first (anonymous people are sent to it), then the role rule, else 403."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
