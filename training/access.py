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


def scope_attempts(queryset: QuerySet, user) -> QuerySet:
    """A learner sees their own attempts; supervisors and admins come with the reports issue."""
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(user_id=user.pk)


def can_view_team_progress(user) -> bool:
    """Supervisors of a team and authority admins: the same people who assign modules."""
    return can_assign(user)


def can_debrief(user, person) -> bool:
    """Who sees a person's team progress (their team's supervisor, their authority's admins:
    portal.access.scope_users) may record a debrief of their critical misses; never of their
    own."""
    if not can_view_team_progress(user) or person.pk == user.pk:
        return False
    if person.authority_id != user.authority_id:
        return False
    return user.is_authority_admin or person.team_id == user.team_id


def can_view_authority_report(user) -> bool:
    return portal_access.can_manage_authority(user)


def can_assign(user) -> bool:
    """Supervisors assign to their team; authority admins to anyone in their authority."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_authority_admin or (user.is_supervisor and user.team_id is not None))
    )


def can_assign_to_team(user, team) -> bool:
    if not can_assign(user) or team.authority_id != user.authority_id:
        return False
    return user.is_authority_admin or team.pk == user.team_id


def can_assign_to(user, person) -> bool:
    if not can_assign(user) or person.authority_id != user.authority_id:
        return False
    return user.is_authority_admin or (person.team_id == user.team_id and person.pk != user.pk)


def can_manage_rule(user, rule) -> bool:
    if not can_assign(user) or rule.authority_id != user.authority_id:
        return False
    if user.is_authority_admin:
        return True
    return (rule.target == "team" and rule.target_team_id == user.team_id) or (
        rule.target == "person"
        and rule.target_user is not None
        and rule.target_user.team_id == user.team_id
    )


def scope_rules(queryset: QuerySet, user) -> QuerySet:
    """Rules a person may see: an admin's whole authority, a supervisor's own team."""
    if not can_assign(user):
        return queryset.none()
    queryset = queryset.filter(authority_id=user.authority_id)
    if user.is_authority_admin:
        return queryset
    return queryset.filter(
        Q(target="team", target_team_id=user.team_id)
        | Q(target="person", target_user__team_id=user.team_id)
    )


def scope_assignable_people(queryset: QuerySet, user) -> QuerySet:
    """People a user may assign to, as can_assign_to says: an admin's authority, a
    supervisor's own team (not themselves)."""
    if not can_assign(user):
        return queryset.none()
    queryset = queryset.filter(authority_id=user.authority_id)
    if user.is_authority_admin:
        return queryset
    return queryset.filter(team_id=user.team_id).exclude(pk=user.pk)


def scope_assignable_teams(queryset: QuerySet, user) -> QuerySet:
    """Teams a user may assign to, as can_assign_to_team says."""
    if not can_assign(user):
        return queryset.none()
    queryset = queryset.filter(authority_id=user.authority_id)
    if user.is_authority_admin:
        return queryset
    return queryset.filter(pk=user.team_id)


# --- The authoring studio -----------------------------------------------------------------


def can_use_studio(user) -> bool:
    """Authors and authority admins write their authority's modules; platform admins all."""
    return (
        user.is_authenticated
        and user.is_active
        and (
            portal_access.is_platform_admin(user)
            or (
                user.authority_id is not None
                and (user.role == Role.AUTHOR or user.is_authority_admin)
            )
        )
    )


def scope_studio_modules(queryset: QuerySet, user) -> QuerySet:
    """Modules a person may edit: only their own authority's (adopted copies included)."""
    if not can_use_studio(user):
        return queryset.none()
    if portal_access.is_platform_admin(user):
        return queryset
    return queryset.filter(authority_id=user.authority_id)


def can_write_modules_of(user, authority_id: int | None) -> bool:
    """The write rule matching scope_studio_modules: a studio user of that authority (platform
    admins of any, and of the national library, `None`)."""
    if not can_use_studio(user):
        return False
    return portal_access.is_platform_admin(user) or authority_id == user.authority_id


def can_edit_module(user, module) -> bool:
    return can_write_modules_of(user, module.authority_id)


def scope_adoptable_modules(queryset: QuerySet, user) -> QuerySet:
    """Modules in the national library that a studio user's authority does not own."""
    if not can_use_studio(user):
        return queryset.none()
    return queryset.filter(Q(authority__isnull=True) | Q(visibility="shared")).exclude(
        authority_id=user.authority_id
    )
