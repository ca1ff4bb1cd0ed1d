"""Administration: the users, teams and staff imports of one authority."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.template.defaultfilters import pluralize
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import access
from portal import staff_import as staff_csv
from portal.models import (
    AuditAction,
    Authority,
    IdentityProviderDevice,
    RecoveryCodeDevice,
    Role,
    Team,
    User,
)
from portal.services.accounts import audit_record, welcome_email_plan


def _standing_assignments_apply(*, users: list[User]) -> None:
    """Joiners, movers and role changes get the team's, role's and authority's standing
    assignments (training owns the rules; imported here to keep portal loadable alone)."""
    from training.services import assignments_sync_for_user

    for user in users:
        assignments_sync_for_user(user=user)


class ChangeRefused(Exception):
    """A business rule refused an administration change; the message is for the admin.

    field names the form field the message belongs with, or None for the whole form.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class StaffImportRejected(ChangeRefused):
    """The file had problems, so nothing was imported.

    A problem with the whole file (not CSV, too big) is the message itself; problems with
    rows are summed up in the message and listed, each with its line, in line_problems.
    """

    def __init__(self, problems: list[staff_csv.Problem]) -> None:
        self.problems = problems
        self.line_problems = [problem for problem in problems if problem.line is not None]
        count = len(self.line_problems)
        message = " ".join(problem.message for problem in problems if problem.line is None) or (
            f"The file has {count} problem{pluralize(count)}, listed below, so nothing was "
            "imported. Fix the file and upload it again"
        )
        super().__init__(message, field="file")


def _require_admin_of(actor: User, authority_id: int | None) -> None:
    if not access.can_manage_authority(actor) or actor.authority_id != authority_id:
        raise PermissionDenied("Only an admin of this authority can do that.")


def _require_admin_of_person(actor: User, user: User) -> None:
    """An authority's admin changes its people, but never a platform admin who belongs to it:
    that would let them deactivate, demote or strip the second factor of a wider role."""
    _require_admin_of(actor, user.authority_id)
    if user.is_superuser and not access.is_platform_admin(actor):
        raise ChangeRefused("Only a platform admin can change a platform admin’s account.")


def _require_team_of(actor: User, team: Team | None) -> None:
    if team is not None and team.authority_id != actor.authority_id:
        raise ChangeRefused("Choose one of your authority’s teams.", field="team")


def _audit_value(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return str(value)


@transaction.atomic
def user_create(
    *,
    actor: User,
    email: str,
    full_name: str,
    role: str,
    team: Team | None,
    request: HttpRequest | None = None,
) -> User:
    """Create a passwordless account in the admin's authority.

    Once the transaction commits, its owner is emailed a one-time link to choose a password.
    """
    _require_admin_of(actor, actor.authority_id)
    _require_team_of(actor, team)
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ChangeRefused(f"{email} already has an account.", field="email")
    user = User(
        email=email,
        full_name=" ".join(full_name.split()),
        role=role,
        authority_id=actor.authority_id,
        team=team,
    )
    user.set_unusable_password()
    user.full_clean()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:  # created by someone else since the check above
        raise ChangeRefused(f"{email} already has an account.", field="email") from error
    audit_record(
        action=AuditAction.USER_CREATED,
        actor=actor,
        subject=user,
        authority_id=actor.authority_id,
        request=request,
        detail={"email": email, "role": role, "team": _audit_value(team)},
    )
    welcome_email_plan(users=[user])
    _standing_assignments_apply(users=[user])
    return user


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    full_name: str,
    role: str,
    team: Team | None,
    request: HttpRequest | None = None,
) -> User:
    """Change a person's name, role or team; the audit event records each change old → new."""
    _require_admin_of_person(actor, user)
    _require_team_of(actor, team)
    if user.pk == actor.pk and role != Role.AUTHORITY_ADMIN:
        raise ChangeRefused(
            "You cannot take away your own admin role. Ask another authority admin.",
            field="role",
        )
    wanted = {"full_name": " ".join(full_name.split()), "role": role, "team": team}
    changes = {
        name: [_audit_value(getattr(user, name)), _audit_value(value)]
        for name, value in wanted.items()
        if getattr(user, name) != value
    }
    if not changes:
        return user
    for name in changes:
        setattr(user, name, wanted[name])
    user.full_clean()
    user.save(update_fields=list(changes))
    audit_record(
        action=AuditAction.USER_UPDATED,
        actor=actor,
        subject=user,
        authority_id=actor.authority_id,
        request=request,
        detail=changes,
    )
    if "team" in changes or "role" in changes:
        _standing_assignments_apply(users=[user])
    return user


@transaction.atomic
def user_deactivate(*, actor: User, user: User, request: HttpRequest | None = None) -> User:
    """Stop a person signing in, keeping their account and records."""
    _require_admin_of_person(actor, user)
    if user.pk == actor.pk:
        raise ChangeRefused("You cannot deactivate your own account. Ask another authority admin.")
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_record(
            action=AuditAction.USER_DEACTIVATED,
            actor=actor,
            subject=user,
            authority_id=actor.authority_id,
            request=request,
        )
    return user


@transaction.atomic
def user_second_factor_reset(
    *, actor: User, user: User, request: HttpRequest | None = None
) -> User:
    """Remove a person's authenticator and recovery codes after they lost both.

    They pair a new authenticator at their next sign-in, so an admin does this only after
    checking who is asking, outside Threshold. Ends their open sessions' second factor too.
    An authority's admins do it for their own people; platform admins for anyone (an
    authority admin, another platform admin), since the Django admin offers no device pages.
    """
    if not access.is_platform_admin(actor):
        _require_admin_of_person(actor, user)
    if user.pk == actor.pk:
        raise ChangeRefused("You cannot reset your own second factor. Ask another admin.")
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCodeDevice.objects.filter(user=user).delete()
    IdentityProviderDevice.objects.filter(user=user).delete()
    audit_record(
        action=AuditAction.SECOND_FACTOR_RESET,
        actor=actor,
        subject=user,
        authority_id=user.authority_id,
        request=request,
    )
    return user


@transaction.atomic
def user_reactivate(*, actor: User, user: User, request: HttpRequest | None = None) -> User:
    _require_admin_of_person(actor, user)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit_record(
            action=AuditAction.USER_REACTIVATED,
            actor=actor,
            subject=user,
            authority_id=actor.authority_id,
            request=request,
        )
        _standing_assignments_apply(users=[user])
    return user


def _team_name_check(team: Team) -> None:
    """Names are unique per authority ignoring case, so a CSV import can match them by name."""
    taken = (
        Team.objects.filter(authority_id=team.authority_id, name__iexact=team.name)
        .exclude(pk=team.pk)
        .exists()
    )
    if taken:
        raise ChangeRefused(f"There is already a team called {team.name}.", field="name")
    team.full_clean()


def _team_save(team: Team, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            team.save(**kwargs)
    except IntegrityError as error:  # the same name saved by someone else since the check
        raise ChangeRefused(f"There is already a team called {team.name}.", field="name") from error


@transaction.atomic
def team_create(*, actor: User, name: str, request: HttpRequest | None = None) -> Team:
    _require_admin_of(actor, actor.authority_id)
    team = Team(authority_id=actor.authority_id, name=" ".join(name.split()))
    _team_name_check(team)
    _team_save(team)
    audit_record(
        action=AuditAction.TEAM_CREATED,
        actor=actor,
        authority_id=actor.authority_id,
        request=request,
        detail={"team": team.name},
    )
    return team


@transaction.atomic
def team_rename(*, actor: User, team: Team, name: str, request: HttpRequest | None = None) -> Team:
    _require_admin_of(actor, team.authority_id)
    old_name, team.name = team.name, " ".join(name.split())
    if team.name == old_name:
        return team
    try:
        _team_name_check(team)
        _team_save(team, update_fields=["name"])
    except ChangeRefused:
        team.name = old_name  # the caller's object keeps the saved name
        raise
    audit_record(
        action=AuditAction.TEAM_UPDATED,
        actor=actor,
        authority_id=actor.authority_id,
        request=request,
        detail={"name": [old_name, team.name]},
    )
    return team


@transaction.atomic
def team_delete(*, actor: User, team: Team, request: HttpRequest | None = None) -> None:
    """Delete a team nobody belongs to, deactivated members included (their records keep it)."""
    _require_admin_of(actor, team.authority_id)
    members = team.members.count()
    if members:
        raise ChangeRefused(
            f"{team.name} still has {members} member{pluralize(members)} (deactivated "
            "accounts included). Move them to another team first."
        )
    audit_record(
        action=AuditAction.TEAM_DELETED,
        actor=actor,
        authority_id=actor.authority_id,
        request=request,
        detail={"team": team.name},
    )
    team.delete()


@transaction.atomic
def staff_import(
    *,
    actor: User,
    authority: Authority,
    file_bytes: bytes,
    request: HttpRequest | None = None,
) -> list[User]:
    """Create an account for every row of a staff CSV file, or for none.

    Raises StaffImportRejected listing every problem with its line. Each new person gets the
    welcome email once the import has committed; their standing assignments commit with it.
    """
    _require_admin_of(actor, authority.pk)
    teams = {team.name: team for team in Team.objects.filter(authority=authority)}
    # Addresses are unique across the platform, not per authority. One query for all of them
    # beats one per row; the platform's few tens of thousands of staff keep the set small.
    existing = set(
        User.objects.annotate(email_lower=Lower("email")).values_list("email_lower", flat=True)
    )
    parsed = staff_csv.parse_staff_csv(
        file_bytes, roles=dict(Role.choices), team_names=teams.keys(), existing_emails=existing
    )
    if not parsed.is_valid:
        raise StaffImportRejected(parsed.problems)
    users = [_imported_user(row, authority, teams) for row in parsed.rows]
    try:
        with transaction.atomic():
            users = User.objects.bulk_create(users)
            _staff_import_audit(actor=actor, authority=authority, users=users, request=request)
    except IntegrityError as error:
        raise ChangeRefused(
            "Someone else gave one of these addresses an account while the file was being "
            "checked, so nothing was imported. Upload the file again to see which.",
            field="file",
        ) from error
    welcome_email_plan(users=users)
    _standing_assignments_apply(users=users)
    return users


def _imported_user(row: staff_csv.StaffRow, authority: Authority, teams: dict[str, Team]) -> User:
    user = User(
        email=row.email,
        full_name=row.full_name,
        role=row.role,
        authority=authority,
        team=teams.get(row.team_name),
    )
    user.set_unusable_password()
    return user


def _staff_import_audit(
    *, actor: User, authority: Authority, users: list[User], request: HttpRequest | None
) -> None:
    """One summary event, and one per account so the log filtered by person shows it too."""
    audit_record(
        action=AuditAction.USERS_IMPORTED,
        actor=actor,
        authority_id=authority.pk,
        request=request,
        detail={"count": len(users)},
    )
    for user in users:
        audit_record(
            action=AuditAction.USER_CREATED,
            actor=actor,
            subject=user,
            authority_id=authority.pk,
            request=request,
            detail={"email": user.email, "role": user.role, "team": _audit_value(user.team)},
        )
