"""Reads shared by views and reports, always scoped through portal.access."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from portal.models import AuditEvent, Team, User


def team_members_for_supervisor(*, supervisor: User) -> QuerySet[User]:
    return (
        User.objects.for_user(supervisor)
        .filter(is_active=True)
        .exclude(pk=supervisor.pk)
        .order_by("full_name")
    )


def user_list_for_user(*, user: User) -> QuerySet[User]:
    return User.objects.for_user(user).select_related("team").order_by("full_name", "email")


def user_get_for_user(*, user: User, pk: int) -> User:
    return get_object_or_404(user_list_for_user(user=user), pk=pk)


def team_list_for_user(*, user: User) -> QuerySet[Team]:
    return Team.objects.for_user(user).annotate(
        member_count=Count("members", filter=Q(members__is_active=True))
    )


def team_get_for_user(*, user: User, pk: int) -> Team:
    return get_object_or_404(team_list_for_user(user=user), pk=pk)


def audit_event_list_for_user(
    *, user: User, person_id: int | None = None, action: str | None = None
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.for_user(user).select_related("actor", "subject")
    if person_id:
        events = events.filter(Q(actor_id=person_id) | Q(subject_id=person_id))
    if action:
        events = events.filter(action=action)
    return events


def user_search_for_user(*, user: User, query: str = "") -> QuerySet[User]:
    """The people the user may see, narrowed to those whose name or email contains query."""
    users = user_list_for_user(user=user)
    if query:
        users = users.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    return users


def team_list_with_counts_for_user(*, user: User) -> QuerySet[Team]:
    """Teams with member_count (active) and deactivated_member_count, for the admin's list."""
    return team_list_for_user(user=user).annotate(
        deactivated_member_count=Count("members", filter=Q(members__is_active=False))
    )
