"""Who may see which case: the one place the case visibility rules are written.

Inside its authority a case is seen by everyone (or only its team, for "my team"). Beyond the
authority it is seen only once a supervisor or authority admin there approved it for wider
sharing, and then only by its region ("my region") or by everyone ("all authorities").
Hidden cases and comments are seen by their moderators only. Outsiders get 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from portal import access as portal_access
from portal.models import Authority, Role

# Visibilities that reach beyond the author's authority, so need approval first.
WIDER_THAN_AUTHORITY = frozenset({"region", "all"})


def is_moderator_of(user, authority_id: int | None) -> bool:
    """Supervisors and authority admins moderate, approve and identify their authority's cases."""
    return (
        user.is_authenticated
        and user.is_active
        and user.authority_id is not None
        and user.authority_id == authority_id
        and user.role in (Role.SUPERVISOR, Role.AUTHORITY_ADMIN)
    )


def can_post(user) -> bool:
    return user.is_authenticated and user.is_active and user.authority_id is not None


def scope_cases(queryset: QuerySet, user) -> QuerySet:
    if portal_access.is_platform_admin(user):
        return queryset
    if not can_post(user):
        return queryset.none()
    own_authority = Q(authority_id=user.authority_id) & (
        ~Q(visibility="team") | Q(team_id=user.team_id) | Q(author_id=user.pk)
    )
    if user.role == Role.AUTHORITY_ADMIN:
        own_authority = Q(authority_id=user.authority_id)
    shared = Q(sharing="approved") & (
        Q(visibility="all") | Q(visibility="region", authority__region__in=_own_region(user))
    )
    visible = queryset.filter(own_authority | shared)
    if user.role in (Role.SUPERVISOR, Role.AUTHORITY_ADMIN):
        return visible.filter(Q(is_hidden=False) | Q(authority_id=user.authority_id))
    return visible.filter(is_hidden=False)


def _own_region(user) -> QuerySet:
    """A subquery, so the region costs no query of its own."""
    return Authority.objects.filter(pk=user.authority_id).values("region")


def can_moderate(user) -> bool:
    """Supervisors and authority admins of some authority: the approval and moderation pages."""
    return can_post(user) and user.role in (Role.SUPERVISOR, Role.AUTHORITY_ADMIN)


def can_identify_author(user, authority_id: int | None) -> bool:
    """Only the owning authority's admins may look up who posted a case shared beyond it."""
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.AUTHORITY_ADMIN
        and user.authority_id is not None
        and user.authority_id == authority_id
    )


def author_shown_as(user, *, author, authority_id: int | None, region: str) -> str:
    """How a case's (or comment's) author is named to `user`: by name inside the authority the
    text belongs to, elsewhere only by role and region ("Practitioner, North West")."""
    if (
        user.is_authenticated
        and user.authority_id is not None
        and user.authority_id == authority_id
    ):
        return author.full_name or author.get_role_display()
    return f"{author.get_role_display()}, {region}"
