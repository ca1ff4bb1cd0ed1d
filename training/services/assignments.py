"""Assignments: who must complete which module by when, joiners, extensions, refreshers."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from portal import services as portal_services
from portal.models import AuditAction, Role, Team, User
from training import access, progress
from training.models import Assignment, AssignmentRule, Certificate, Module
from training.services.module_progress import progress_refresh

REFRESHER_NOTICE_DAYS = progress.EXPIRING_DAYS
# The form's limits, held here too so no caller saves a rule the form would refuse.
DUE_IN_DAYS_MAX = 365
REFRESHER_MONTHS_MAX = 60


class AssignmentRefused(Exception):
    """A rule refused the change; the message is for the person who asked, on field."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def today() -> date:
    """Due dates are whole days in Europe/London, whatever the server's clock zone."""
    return timezone.localdate()


def rule_due_on(rule: AssignmentRule, assigned_on: date) -> date:
    if rule.due_on is not None:
        return max(rule.due_on, assigned_on)
    return assigned_on + timedelta(days=rule.due_in_days or 0)


def rule_targets(rule: AssignmentRule) -> QuerySet[User]:
    """The active people a rule applies to today."""
    people = User.objects.filter(authority_id=rule.authority_id, is_active=True)
    match rule.target:
        case AssignmentRule.Target.PERSON:
            return people.filter(pk=rule.target_user_id)
        case AssignmentRule.Target.TEAM:
            return people.filter(team_id=rule.target_team_id)
        case AssignmentRule.Target.ROLE:
            return people.filter(role=rule.target_role)
    return people


def _rules_targeting(user: User) -> QuerySet[AssignmentRule]:
    return AssignmentRule.objects.filter(
        Q(target=AssignmentRule.Target.AUTHORITY)
        | Q(target=AssignmentRule.Target.PERSON, target_user=user)
        | Q(target=AssignmentRule.Target.TEAM, target_team_id=user.team_id)
        | Q(target=AssignmentRule.Target.ROLE, target_role=user.role),
        authority_id=user.authority_id,
        cancelled_at__isnull=True,
    )


def _check_rule(
    *, actor: User, module: Module, target: str, user: User | None, team: Team | None, role: str
) -> None:
    if not access.can_assign(actor):
        raise AssignmentRefused("Only supervisors and authority admins can assign modules.")
    if not Module.objects.for_user(actor).filter(pk=module.pk, versions__isnull=False).exists():
        raise AssignmentRefused("Choose a published module.", field="module")
    if target == AssignmentRule.Target.PERSON and (
        user is None or not user.is_active or not access.can_assign_to(actor, user)
    ):
        raise AssignmentRefused("Choose a person you supervise.", field="target_user")
    if target == AssignmentRule.Target.TEAM and (
        team is None or not access.can_assign_to_team(actor, team)
    ):
        raise AssignmentRefused("Choose a team you supervise.", field="target_team")
    if target in (AssignmentRule.Target.ROLE, AssignmentRule.Target.AUTHORITY):
        if not actor.is_authority_admin:
            raise AssignmentRefused(
                "Only authority admins can assign to a role or the whole authority.",
                field="target",
            )
        if target == AssignmentRule.Target.ROLE and role not in Role.values:
            raise AssignmentRefused("Choose a role.", field="target_role")


@transaction.atomic
def rule_create(
    *,
    actor: User,
    module: Module,
    target: str,
    target_user: User | None = None,
    target_team: Team | None = None,
    target_role: str = "",
    due_on: date | None = None,
    due_in_days: int | None = None,
    refresher_months: int | None = None,
    request: HttpRequest | None = None,
) -> AssignmentRule:
    """Assign a module and give everyone it targets today their own assignment."""
    _check_rule(
        actor=actor, module=module, target=target, user=target_user, team=target_team,
        role=target_role,
    )  # fmt: skip
    if (due_on is None) == (due_in_days is None):
        raise AssignmentRefused("Give either a due date or a number of days.", field="due_on")
    if due_on is not None and due_on < today():
        raise AssignmentRefused("The due date must be today or later.", field="due_on")
    if due_in_days is not None and not 1 <= due_in_days <= DUE_IN_DAYS_MAX:
        raise AssignmentRefused(
            f"The number of days must be from 1 to {DUE_IN_DAYS_MAX}.", field="due_in_days"
        )
    if refresher_months is not None and not 1 <= refresher_months <= REFRESHER_MONTHS_MAX:
        raise AssignmentRefused(
            f"The refresher period must be from 1 to {REFRESHER_MONTHS_MAX} months.",
            field="refresher_months",
        )
    rule = AssignmentRule.objects.create(
        authority_id=actor.authority_id,
        module=module,
        target=target,
        target_user=target_user if target == AssignmentRule.Target.PERSON else None,
        target_team=target_team if target == AssignmentRule.Target.TEAM else None,
        target_role=target_role if target == AssignmentRule.Target.ROLE else "",
        due_on=due_on,
        due_in_days=due_in_days,
        refresher_months=refresher_months or module.refresher_months,
        created_by=actor,
    )
    people = list(rule_targets(rule))
    created = _assignments_create(rule=rule, people=people)
    progress_refresh(user_ids=[person.pk for person in people], module_ids=[module.pk])
    portal_services.audit_record(
        action=AuditAction.ASSIGNMENT_CREATED,
        actor=actor,
        authority_id=actor.authority_id,
        request=request,
        detail={"module": module.title, "target": str(rule), "people": len(created)},
    )
    return rule


def _assignments_create(*, rule: AssignmentRule, people: list[User]) -> list[Assignment]:
    """First assignments for these people; someone already certified starts completed."""
    if not people:
        return []
    assigned_on = today()
    due_on = rule_due_on(rule, assigned_on)
    certificates = _certificates_lasting_beyond(people, rule.module_id, due_on)
    now = timezone.now()
    rows = [
        Assignment(
            rule=rule,
            user=person,
            module_id=rule.module_id,
            assigned_on=assigned_on,
            due_on=due_on,
            completed_by=certificates.get(person.pk),
            completed_at=now if person.pk in certificates else None,
        )
        for person in people
    ]
    return Assignment.objects.bulk_create(rows, ignore_conflicts=True)


def _certificates_lasting_beyond(
    people: list[User], module_id: int, due_on: date
) -> dict[int, Certificate]:
    """Each person's longest-lasting certificate for the module still valid after due_on."""
    return {
        c.user_id: c
        for c in Certificate.objects.filter(
            user__in=people,
            version__module_id=module_id,
            expires_at__date__gt=due_on,
            refresh_needed_for__isnull=True,  # the guidance changed since: it cannot count
        ).order_by("expires_at")
    }


@transaction.atomic
def assignments_sync_for_user(*, user: User) -> None:
    """After someone joins, moves team or changes role: give them the standing assignments
    that now apply, and cancel (keeping history) open ones whose rule no longer does.

    No acting person: the administration services call it after their own checks."""
    rules = list(_rules_targeting(user)) if user.is_active and user.authority_id else []
    for rule in rules:
        _assignments_create(rule=rule, people=[user])
    _assignments_reinstate(user=user, rules=rules)
    Assignment.objects.filter(
        user=user, completed_at__isnull=True, cancelled_at__isnull=True
    ).exclude(rule__in=rules).update(cancelled_at=timezone.now())
    progress_refresh(user_ids=[user.pk])


REINSTATED_FIELDS = [
    "assigned_on",
    "due_on",
    "extended_due_on",
    "extension_reason",
    "cancelled_at",
    "completed_by",
    "completed_at",
]


def _assignments_reinstate(*, user: User, rules: list[AssignmentRule]) -> None:
    """Someone back in a team (or role) they left gets back what leaving cancelled.

    A person has one first assignment per rule (and one refresher per certificate), so the
    cancelled one is reopened rather than duplicated: assigned afresh from today, or
    completed at once by a certificate that outlasts the new due date.
    """
    open_rule_ids = set(
        Assignment.objects.filter(
            user=user, rule__in=rules, completed_at__isnull=True, cancelled_at__isnull=True
        ).values_list("rule_id", flat=True)
    )
    rules_by_id = {rule.pk: rule for rule in rules}
    cancelled = Assignment.objects.filter(
        user=user, rule__in=rules, completed_at__isnull=True, cancelled_at__isnull=False
    ).order_by("-cancelled_at", "-id")
    for assignment in cancelled:
        if assignment.rule_id in open_rule_ids:
            continue
        open_rule_ids.add(assignment.rule_id)
        if assignment.refresher_for_id is None:
            assignment.assigned_on = today()
            assignment.due_on = rule_due_on(rules_by_id[assignment.rule_id], today())
            assignment.extended_due_on, assignment.extension_reason = None, ""
        certificate = _certificates_lasting_beyond(
            [user], assignment.module_id, assignment.due_on
        ).get(user.pk)
        assignment.cancelled_at = None
        assignment.completed_by = certificate
        assignment.completed_at = timezone.now() if certificate else None
        assignment.save(update_fields=REINSTATED_FIELDS)


@transaction.atomic
def rule_cancel(*, actor: User, rule: AssignmentRule, request: HttpRequest | None = None) -> None:
    """Stop a rule: open assignments are cancelled, completed ones and attempts are kept."""
    if not access.can_manage_rule(actor, rule):
        raise AssignmentRefused("You cannot cancel this assignment.")
    now = timezone.now()
    cancelled = AssignmentRule.objects.filter(pk=rule.pk, cancelled_at__isnull=True).update(
        cancelled_at=now, cancelled_by=actor
    )
    if not cancelled:  # already cancelled, by someone else or a second click
        return
    rule.cancelled_at, rule.cancelled_by = now, actor
    rule.assignments.filter(completed_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=now
    )
    progress_refresh(
        user_ids=rule.assignments.values_list("user_id", flat=True), module_ids=[rule.module_id]
    )
    portal_services.audit_record(
        action=AuditAction.ASSIGNMENT_CANCELLED,
        actor=actor,
        authority_id=actor.authority_id,
        request=request,
        detail={"module": rule.module.title, "target": str(rule)},
    )


@transaction.atomic
def assignment_extend(
    *,
    actor: User,
    assignment: Assignment,
    due_on: date,
    reason: str,
    request: HttpRequest | None = None,
) -> Assignment:
    """Give one person more time; status, reports and reminders follow the new date."""
    if not access.can_assign_to(actor, assignment.user):
        raise AssignmentRefused("You cannot change this person's assignments.")
    if not assignment.is_open:
        raise AssignmentRefused("Only open assignments can be extended.", field="due_on")
    if due_on <= assignment.effective_due_on or due_on < today():
        raise AssignmentRefused(
            "The new due date must be later than the current one and not in the past.",
            field="due_on",
        )
    if not reason.strip():
        raise AssignmentRefused("Give a reason for the extension.", field="reason")
    old = assignment.effective_due_on
    assignment.extended_due_on = due_on
    assignment.extension_reason = reason.strip()
    assignment.save(update_fields=["extended_due_on", "extension_reason"])
    progress_refresh(user_ids=[assignment.user_id], module_ids=[assignment.module_id])
    portal_services.audit_record(
        action=AuditAction.DUE_DATE_EXTENDED,
        actor=actor,
        subject=assignment.user,
        authority_id=actor.authority_id,
        request=request,
        detail={
            "module": assignment.module.title,
            "from": old.isoformat(),
            "to": due_on.isoformat(),
            "reason": assignment.extension_reason,
        },
    )
    return assignment


def assignments_complete(*, certificate: Certificate) -> int:
    """A pass completes every open assignment of that person for that module (inside
    attempt_finish's transaction; no acting person of its own)."""
    return Assignment.objects.filter(
        user_id=certificate.user_id,
        module_id=certificate.version.module_id,
        completed_at__isnull=True,
        cancelled_at__isnull=True,
    ).update(completed_at=certificate.issued_at, completed_by=certificate)


# The rule still applies to the assignment's person (movers keep what they completed, but
# their old team's refreshers are no longer theirs).
_still_targeted = (
    Q(rule__target=AssignmentRule.Target.AUTHORITY)
    | Q(rule__target=AssignmentRule.Target.PERSON, rule__target_user=F("user"))
    | Q(rule__target=AssignmentRule.Target.TEAM, rule__target_team=F("user__team"))
    | Q(rule__target=AssignmentRule.Target.ROLE, rule__target_role=F("user__role"))
)


@transaction.atomic
def refreshers_create(*, on: date | None = None) -> int:
    """Give refresher assignments to people whose certificate needs renewing within the
    notice period. Run daily by the beat (no acting person); running again the same day adds
    nothing.

    1. Pairs of an active rule and an active person it still targets, with an assignment on
       it completed and nothing open.
    2. The person's latest certificate for the module needs renewing when it lapses, or
       when the rule's refresher period since its issue ends, whichever comes first.
    3. A refresher due on that date, once it is within the notice period, unless that
       certificate already has one from this rule.
    """
    on = on or today()
    horizon = on + timedelta(REFRESHER_NOTICE_DAYS)
    still_open = Assignment.objects.filter(
        rule=OuterRef("rule"), user=OuterRef("user"), completed_at__isnull=True
    ).filter(cancelled_at__isnull=True)
    pairs = set(
        Assignment.objects.filter(
            _still_targeted,
            completed_by__isnull=False,
            cancelled_at__isnull=True,
            rule__cancelled_at__isnull=True,
            user__is_active=True,
        )
        .filter(~Exists(still_open))
        .values_list("rule_id", "user_id", "module_id", "rule__refresher_months")
        .order_by()
    )
    latest = _latest_certificates(pairs)
    renewed = set(
        Assignment.objects.filter(refresher_for__in=[c.pk for c in latest.values()]).values_list(
            "rule_id", "user_id", "refresher_for_id"
        )
    )
    rows = []
    for rule_id, user_id, module_id, months in pairs:
        certificate = latest.get((user_id, module_id))
        if certificate is None or (rule_id, user_id, certificate.pk) in renewed:
            continue
        renew_by = min(
            timezone.localdate(certificate.expires_at),
            timezone.localdate(certificate.issued_at) + relativedelta(months=months),
        )
        if renew_by <= horizon:
            rows.append(
                Assignment(
                    rule_id=rule_id,
                    user_id=user_id,
                    module_id=module_id,
                    assigned_on=on,
                    due_on=renew_by,
                    refresher_for=certificate,
                )
            )
    created = Assignment.objects.bulk_create(rows, ignore_conflicts=True)
    progress_refresh(
        user_ids={row.user_id for row in rows}, module_ids={row.module_id for row in rows}
    )
    return len(created)


def _latest_certificates(
    pairs: set[tuple[int, int, int, int]],
) -> dict[tuple[int, int], Certificate]:
    """Each (person, module)'s most recently issued certificate."""
    if not pairs:
        return {}
    certificates = (
        Certificate.objects.filter(
            user_id__in={user_id for _, user_id, _, _ in pairs},
            version__module_id__in={module_id for _, _, module_id, _ in pairs},
        )
        .select_related("version")
        .order_by("issued_at", "id")
    )
    return {(c.user_id, c.version.module_id): c for c in certificates}
