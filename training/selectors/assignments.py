"""Reads for assigning modules and for the learner's own assignments.

Rules come only through access.scope_rules and assignments only for people the viewer may
assign to, so anything else answers 404. Status always comes from progress.assignment_status
on the effective (extended) due date, in Europe/London days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from portal.models import Team, User
from training import access, progress
from training.models import Assignment, AssignmentRule, Attempt, Module, ModuleProgress

# GOV.UK tag colours for each status.
STATUS_TAGS = {
    progress.Status.OVERDUE: "govuk-tag--red",
    progress.Status.DUE_SOON: "govuk-tag--orange",
    progress.Status.IN_PROGRESS: "govuk-tag--light-blue",
    progress.Status.NOT_STARTED: "govuk-tag--grey",
    progress.Status.COMPLETED: "govuk-tag--green",
    progress.Status.EXPIRING: "govuk-tag--yellow",
    progress.Status.CANCELLED: "govuk-tag--grey",
}


@dataclass(frozen=True)
class AssignmentRow:
    """One assignment with its status today, for the learner's home and a rule's people."""

    assignment: Assignment
    status: progress.Status
    in_progress: bool = False
    can_extend: bool = False

    @property
    def module(self) -> Module:
        return self.assignment.module

    @property
    def due_on(self) -> date:
        return self.assignment.effective_due_on

    @property
    def is_extended(self) -> bool:
        return self.assignment.extended_due_on is not None

    @property
    def certificate_expires_on(self) -> date | None:
        certificate = self.assignment.completed_by
        return timezone.localdate(certificate.expires_at) if certificate else None

    @property
    def certificate_expired(self) -> bool:
        expires_on = self.certificate_expires_on
        return expires_on is not None and expires_on < timezone.localdate()

    @property
    def tag_class(self) -> str:
        return STATUS_TAGS.get(self.status, "govuk-tag--grey")

    @property
    def sort_date(self) -> date:
        if self.status == progress.Status.EXPIRING and self.certificate_expires_on:
            return self.certificate_expires_on
        return self.due_on


def assignment_status(
    assignment: Assignment, *, today: date | None = None, in_progress: bool = False
) -> progress.Status:
    """Where an assignment stands on a London day (today unless given). A completed one
    needs its completed_by certificate fetched with it."""
    certificate = assignment.completed_by if assignment.completed_by_id else None
    return progress.assignment_status(
        due_on=assignment.effective_due_on,
        today=today or timezone.localdate(),
        completed=assignment.completed_at is not None,
        cancelled=assignment.cancelled_at is not None,
        in_progress=in_progress,
        certificate_expires_on=timezone.localdate(certificate.expires_at) if certificate else None,
    )


def _with_in_progress(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Annotate in_progress: the person has an unfinished attempt at the module."""
    unfinished = Attempt.objects.filter(
        user=OuterRef("user"), version__module=OuterRef("module"), completed_at__isnull=True
    )
    return assignments.annotate(in_progress=Exists(unfinished))


# What the learner's rows show (templates/portal/_assignment_row.html): not the modules' long
# texts nor the certificates' other columns.
LEARNER_ROW_FIELDS = (
    "in_progress",
    "assignment__module__key", "assignment__module__title",
    "assignment__due_on", "assignment__extended_due_on", "assignment__completed_at",
    "assignment__cancelled_at", "assignment__completed_by__code",
    "assignment__completed_by__expires_at",
)  # fmt: skip


def assignments_for_learner(*, user: User) -> list[AssignmentRow]:
    """The person's assignments, most urgent first (progress.URGENCY), in one query.

    Passing a module completes all its open assignments, so a learner sees one row a
    module: the assignment their progress in it reports (ModuleProgress: the open one due
    first, else the latest completed one), unless it was cancelled.
    """
    progress_rows = (
        ModuleProgress.objects.filter(
            user=user, assignment__isnull=False, cancelled_at__isnull=True
        )
        .select_related("assignment__module", "assignment__completed_by")
        .only(*LEARNER_ROW_FIELDS)
    )
    today = timezone.localdate()
    rows = [
        AssignmentRow(
            assignment=row.assignment,
            status=assignment_status(row.assignment, today=today, in_progress=row.in_progress),
            in_progress=row.in_progress,
        )
        for row in progress_rows
    ]
    return sorted(
        rows,
        key=lambda row: (progress.urgency_rank(row.status), row.sort_date, row.module.title),
    )


# --- Assigning (supervisors and authority admins) -----------------------------------------


def assignable_modules_for_user(*, user: User) -> QuerySet[Module]:
    """Published modules the person may assign: those their authority may take."""
    return Module.objects.for_user(user).filter(versions__isnull=False).distinct()


def assignable_people_for_user(*, user: User) -> QuerySet[User]:
    return (
        access.scope_assignable_people(User.objects.filter(is_active=True), user)
        .select_related("team")
        .order_by("full_name", "email")
    )


def assignable_teams_for_user(*, user: User) -> QuerySet[Team]:
    return access.scope_assignable_teams(Team.objects.all(), user).order_by("name")


def rule_list_for_user(*, user: User) -> QuerySet[AssignmentRule]:
    """Rules the person may see, active first, each with how many people it holds (not
    counting cancelled assignments) and how many of them have nothing left to do."""
    current = Q(assignments__cancelled_at__isnull=True)
    return (
        access.scope_rules(AssignmentRule.objects.all(), user)
        .select_related("module", "target_user", "target_team")
        .annotate(
            people=Count("assignments__user", filter=current, distinct=True),
            outstanding=Count(
                "assignments__user",
                filter=current & Q(assignments__completed_at__isnull=True),
                distinct=True,
            ),
        )
        .annotate(done=F("people") - F("outstanding"))
        .order_by(F("cancelled_at").asc(nulls_first=True), "-created_at", "-id")
    )


def rule_get_for_user(*, user: User, pk: int) -> AssignmentRule:
    return get_object_or_404(
        access.scope_rules(AssignmentRule.objects.all(), user).select_related(
            "module", "target_user__team", "target_team", "created_by", "cancelled_by"
        ),
        pk=pk,
    )


def rule_assignments(*, rule: AssignmentRule) -> QuerySet[Assignment]:
    """Everyone the rule has given an assignment, cancelled ones too (history is kept), by
    name. A page of them becomes rows through assignment_rows_for_user. The viewer must be
    allowed the rule (rule_get_for_user)."""
    return _with_in_progress(
        rule.assignments.select_related("user", "module", "completed_by")
    ).order_by("user__full_name", "user__email", "assigned_on", "id")


def assignment_rows_for_user(
    *, user: User, assignments: Sequence[Assignment]
) -> list[AssignmentRow]:
    """Rows for assignments from rule_assignments, with who the viewer may give
    more time to (one query, for these people only)."""
    assignable = set(
        access.scope_assignable_people(User.objects.all(), user)
        .filter(pk__in={a.user_id for a in assignments})
        .values_list("pk", flat=True)
    )
    today = timezone.localdate()
    return [
        AssignmentRow(
            assignment=a,
            status=assignment_status(a, today=today, in_progress=a.in_progress),
            in_progress=a.in_progress,
            can_extend=a.is_open and a.user_id in assignable,
        )
        for a in assignments
    ]


def assignment_get_for_user(*, user: User, pk: int) -> Assignment:
    """An assignment of someone the viewer may assign to; anyone else's is missing (404)."""
    if not access.can_assign(user):
        raise Http404
    people = access.scope_assignable_people(User.objects.all(), user)
    return get_object_or_404(
        Assignment.objects.filter(user__in=people).select_related(
            "user", "module", "rule", "completed_by"
        ),
        pk=pk,
    )
