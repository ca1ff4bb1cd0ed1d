"""What learners do: attempts, answers, debriefs of critical misses, certificates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.responses import PracticeError, PreventRoute, SafeguardingRoute
from training.models.content import (
    ModuleVersion,
)

DECISION_TOTAL_FIELDS = (
    "answer_count",
    "within_bands_count",
    "safeguarding_under_count",
    "safeguarding_over_count",
    "prevent_under_count",
    "prevent_over_count",
    "critical_miss_count",
)


class Attempt(models.Model):
    # Indexed by (user, version) below, which leads with the person.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attempts", db_index=False
    )
    version = models.ForeignKey(ModuleVersion, on_delete=models.PROTECT, related_name="attempts")
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    confidence_before = models.PositiveSmallIntegerField(null=True, blank=True)
    confidence_after = models.PositiveSmallIntegerField(null=True, blank=True)
    current_step_key = models.CharField(max_length=80, blank=True)
    answer_count = models.PositiveIntegerField(default=0)
    # Kept with each answer (answer_record), so reports add up attempts, not their answers.
    within_bands_count = models.PositiveIntegerField(
        default=0, help_text="Answers inside both accepted bands with no practice error."
    )
    safeguarding_under_count = models.PositiveIntegerField(default=0)
    safeguarding_over_count = models.PositiveIntegerField(default=0)
    prevent_under_count = models.PositiveIntegerField(default=0)
    prevent_over_count = models.PositiveIntegerField(default=0)
    critical_miss_count = models.PositiveIntegerField(
        default=0, help_text="Any one fails the attempt whatever its percentage."
    )
    points = models.PositiveIntegerField(default=0)
    max_points = models.PositiveIntegerField(default=0)
    percent = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["user", "version"]),
            # Decision totals per person (selectors.reports.decision_totals) for a whole team
            # read from this index alone, not from each attempt's row.
            models.Index(
                fields=["user"],
                include=[*DECISION_TOTAL_FIELDS],
                condition=models.Q(completed_at__isnull=False, answer_count__gt=0),
                name="attempt_decision_totals",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confidence_before__gte=1, confidence_before__lte=5)
                | models.Q(confidence_before__isnull=True),
                name="confidence_before_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(confidence_after__gte=1, confidence_after__lte=5)
                | models.Q(confidence_after__isnull=True),
                name="confidence_after_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.version}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class Answer(models.Model):
    """One decision made in an attempt. Position makes a repeated submit collide, not double."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveIntegerField()
    step_key = models.CharField(max_length=80)
    choice_index = models.PositiveSmallIntegerField()
    # Answers recorded on the old single scale keep its levels; their routes below were read
    # through training.responses.FROM_OLD_LEVEL when the two routes came in.
    chosen_level = models.CharField(max_length=30, blank=True)
    proportionate_level = models.CharField(max_length=30, blank=True)
    safeguarding = models.CharField(max_length=30, choices=SafeguardingRoute.choices)
    prevent = models.CharField(max_length=30, choices=PreventRoute.choices)
    actions = models.JSONField(default=list, blank=True)
    error = models.CharField(
        "practice error", max_length=40, choices=PracticeError.choices, blank=True
    )
    safeguarding_distance = models.SmallIntegerField(default=0)
    prevent_distance = models.SmallIntegerField(default=0)
    critical_miss = models.BooleanField(default=False)
    distance = models.SmallIntegerField(
        default=0, help_text="On the old single scale; 0 for answers on the two routes."
    )
    points = models.PositiveSmallIntegerField()
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="answer_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}#{self.position} {self.step_key}"

    @property
    def recorded_on_old_scale(self) -> bool:
        """Answered before the two routes: reports label its routes as read through the
        mapping from the old single scale."""
        return bool(self.chosen_level)


class CriticalMissDebrief(models.Model):
    """A supervisor's talk with the learner about a critical miss: when, and what was said
    about the training (never a case)."""

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="debrief")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField()
    note = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Debrief of answer {self.answer_id} on {self.held_on}"


class Certificate(models.Model):
    attempt = models.OneToOneField(Attempt, on_delete=models.PROTECT, related_name="certificate")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    version = models.ForeignKey(ModuleVersion, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=20, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    refresh_needed_for = models.ForeignKey(
        ModuleVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="A major revision published since: the holder should take the module again.",
    )

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"Certificate {self.code}"

    @property
    def is_current(self) -> bool:
        return self.expires_at > timezone.now()
