"""Who may see which modules, attempts and certificates (extends portal.access)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from portal import access as portal_access
from portal.models import Role


def scope_modules(queryset: QuerySet, user) -> QuerySet:
    """Modules a person may take: the national library, shared modules, their authority's."""
    if portal_access.is_platform_admin(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(
        Q(authority__isnull=True) | Q(visibility="shared") | Q(authority_id=user.authority_id)
    )


def can_author(user) -> bool:
    return user.is_authenticated and (
        portal_access.is_platform_admin(user) or user.role == Role.AUTHOR
    )


def scope_attempts(queryset: QuerySet, user) -> QuerySet:
    """A learner sees their own attempts; supervisors and admins come with the reports issue."""
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(user_id=user.pk)
