"""Who must complete what, by when, and the progress read model the reports use."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from training.models.content import (
    Module,
)
from training.models.learning import (
    Attempt,
)


class AssignmentRule(models.Model):
    """A standing instruction: complete this module, for a person, team, role or authority.

    People who later join the team (or take the role) get their own Assignment from it.
    """

    class Target(models.TextChoices):
        PERSON = "person", "A person"
        TEAM = "team", "A team"
        ROLE = "role", "Everyone with a role"
        AUTHORITY = "authority", "Everyone in the authority"

    authority = models.ForeignKey(
        "portal.Authority", on_delete=models.PROTECT, related_name="assignment_rules"
    )
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="assignment_rules")
    target = models.CharField(max_length=10, choices=Target.choices)
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    target_team = models.ForeignKey(
        "portal.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_role = models.CharField(max_length=20, blank=True)
    due_on = models.DateField(null=True, blank=True, help_text="A fixed due date.")
    due_in_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Or: due this many days after each person gets it."
    )
    refresher_months = models.PositiveSmallIntegerField(default=12)
    reason = models.CharField(
        max_length=200, blank=True, help_text="Why it was assigned, when not by a person."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__isnull=False, due_in_days__isnull=True)
                | models.Q(due_on__isnull=True, due_in_days__isnull=False),
                name="rule_has_one_kind_of_due_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module} for {self.get_target_display().lower()}"


class Assignment(models.Model):
    """One person's copy of a rule: what they must complete, and by when."""

    rule = models.ForeignKey(AssignmentRule, on_delete=models.PROTECT, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="assignments")
    assigned_on = models.DateField()
    due_on = models.DateField()
    extended_due_on = models.DateField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    refresher_for = models.ForeignKey(
        "Certificate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refreshers",
        help_text="The expiring certificate this refresher renews.",
    )
    completed_by = models.ForeignKey(
        "Certificate", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["user", "module"]),
            models.Index(fields=["due_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "user"],
                condition=models.Q(refresher_for__isnull=True),
                name="one_first_assignment_per_rule_and_person",
            ),
            models.UniqueConstraint(
                fields=["rule", "user", "refresher_for"],
                condition=models.Q(refresher_for__isnull=False),
                name="one_refresher_per_certificate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module} for {self.user}, due {self.effective_due_on}"

    @property
    def effective_due_on(self):
        return self.extended_due_on or self.due_on

    @property
    def is_open(self) -> bool:
        return self.completed_at is None and self.cancelled_at is None


class ModuleProgress(models.Model):
    """The read model of one person's standing in one module: the team matrix's cell and
    figures and the learner's home row, without reading their assignments and attempts.

    Written only by training.services.progress_refresh, which the services that change an
    assignment, an attempt's finish or a certificate call in their own transaction, and
    rebuilt whole by `manage.py progress_rebuild`. It keeps dates, not statuses: whether an
    assignment is overdue, due soon or expiring depends on the day it is read
    (progress.assignment_status). A row exists while the person has an assignment of the
    module or has attempted it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="+")
    # The assignment the cell and the home row report (report_math.current_assignment).
    assignment = models.ForeignKey(
        Assignment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    extended_due_on = models.DateField(null=True, blank=True)
    effective_due_on = models.DateField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    certificate_expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Of the certificate that completed the assignment."
    )
    in_progress = models.BooleanField(default=False, help_text="An attempt is under way.")
    # The latest completed attempt.
    latest_attempt = models.ForeignKey(
        Attempt, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    latest_completed_at = models.DateTimeField(null=True, blank=True)
    latest_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    latest_passed = models.BooleanField(default=False)
    latest_confidence_before = models.PositiveSmallIntegerField(null=True, blank=True)
    latest_confidence_after = models.PositiveSmallIntegerField(null=True, blank=True)
    latest_critical_misses = models.PositiveSmallIntegerField(default=0)
    # Over the completed attempts with answers (as selectors.reports.decision_totals).
    decisions = models.PositiveIntegerField(default=0)
    within_bands_count = models.PositiveIntegerField(default=0)
    safeguarding_under_count = models.PositiveIntegerField(default=0)
    safeguarding_over_count = models.PositiveIntegerField(default=0)
    prevent_under_count = models.PositiveIntegerField(default=0)
    prevent_over_count = models.PositiveIntegerField(default=0)
    critical_miss_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="one_progress_per_module")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.module_id}"

    @property
    def is_open(self) -> bool:
        return (
            self.assignment_id is not None
            and self.completed_at is None
            and self.cancelled_at is None
        )
