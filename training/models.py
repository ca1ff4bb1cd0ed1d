from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.responses import PracticeError, PreventRoute, SafeguardingRoute
from training.version_reader import VersionDocument, version_read


class Indicator(models.Model):
    """A sign of vulnerability, engagement, intent or capability, or a protective factor."""

    class Category(models.TextChoices):
        VULNERABILITY = "vulnerability", "Vulnerability"
        ENGAGEMENT = "engagement", "Engagement"
        INTENT = "intent", "Intent"
        CAPABILITY = "capability", "Capability"
        PROTECTIVE = "protective", "Protective factor"

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=20, choices=Category.choices)
    description = models.TextField()

    class Meta:
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name


class ModuleQuerySet(models.QuerySet["Module"]):
    def for_user(self, user) -> ModuleQuerySet:
        from training import access

        return access.scope_modules(self, user)


class Module(models.Model):
    """The editable draft of a module; learners only ever play its published versions."""

    class Visibility(models.TextChoices):
        AUTHORITY = "authority", "Own authority only"
        SHARED = "shared", "Shared with every authority"

    key = models.SlugField(max_length=80, unique=True)
    authority = models.ForeignKey(
        "portal.Authority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="modules",
        help_text="Empty for the national library.",
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.AUTHORITY
    )
    title = models.CharField(max_length=200)
    summary = models.TextField()
    audience = models.CharField(max_length=200, blank=True)
    minutes = models.PositiveSmallIntegerField("time needed (minutes)", default=20)
    pass_mark = models.PositiveSmallIntegerField("pass mark (%)", default=70)
    refresher_months = models.PositiveSmallIntegerField(
        default=12, help_text="How long a certificate lasts before a refresher is due."
    )
    confidence_topic = models.CharField(
        max_length=200,
        help_text='Completes "How confident are you to recognise and respond proportionately to …"',
    )
    learning_outcomes = models.TextField(help_text="One outcome per line.")
    min_decisions = models.PositiveSmallIntegerField(
        default=4, help_text="Every path from start to end must answer at least this many."
    )
    library_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="Version of the library file this was loaded from."
    )
    reviewed_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the content was last checked against the guidance it cites.",
    )
    has_unpublished_changes = models.BooleanField(default=True)
    shared_at = models.DateTimeField(
        null=True, blank=True, help_text="When the owner shared it to the national library."
    )
    adopted_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adoptions",
        help_text="The shared module this copy was adopted from.",
    )
    # The credit outlives the source module, which its owner may later withdraw.
    adopted_from_authority = models.CharField(max_length=200, blank=True)
    adopted_from_version = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ModuleQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Scenario(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="scenarios")
    key = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["module", "key"], name="scenario_key_unique_in_module")
        ]

    def __str__(self) -> str:
        return self.title


class Step(models.Model):
    class Kind(models.TextChoices):
        NARRATIVE = "narrative", "Narrative"
        DECISION = "decision", "Decision"
        END = "end", "End"

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="steps")
    key = models.SlugField(max_length=80, help_text="Unique within the module.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NARRATIVE)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown.")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="The scenario starts at its lowest position."
    )
    next_step = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="For narrative steps: where Continue leads.",
    )
    # A decision's accepted band on each route, lowest to highest (equal for one level).
    safeguarding_band_low = models.CharField(
        max_length=30, choices=SafeguardingRoute.choices, blank=True
    )
    safeguarding_band_high = models.CharField(
        max_length=30, choices=SafeguardingRoute.choices, blank=True
    )
    prevent_band_low = models.CharField(max_length=30, choices=PreventRoute.choices, blank=True)
    prevent_band_high = models.CharField(max_length=30, choices=PreventRoute.choices, blank=True)
    safety_critical = models.BooleanField(
        default=False, help_text="An under-reaction or a practice error here fails the attempt."
    )
    explanation = models.TextField(blank=True, help_text="Why the accepted bands fit.")
    # A decision's citations, as the format writes them: [{"key": …, "section": …}], the keys
    # those of training/library/sources.json.
    sources = models.JSONField(default=list, blank=True)
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="steps")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.key}: {self.title}"


class Choice(models.Model):
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=300)
    safeguarding = models.CharField(max_length=30, choices=SafeguardingRoute.choices, blank=True)
    prevent = models.CharField(max_length=30, choices=PreventRoute.choices, blank=True)
    actions = models.JSONField(default=list, blank=True, help_text="Action keys, unordered.")
    error = models.CharField(
        "practice error", max_length=40, choices=PracticeError.choices, blank=True
    )
    feedback = models.TextField(blank=True)
    next_step = models.ForeignKey(
        Step, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class ModuleVersion(models.Model):
    """An immutable published snapshot (the library JSON format): attempts point here."""

    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    change_note = models.TextField(blank=True)
    changes = models.JSONField(
        default=dict, blank=True, help_text="Steps and choices added, removed and edited."
    )
    is_major = models.BooleanField(
        "major revision",
        default=False,
        help_text="Guidance changed: certificates on earlier versions need refreshing.",
    )
    refresh_due_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["module", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["module", "number"], name="version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.module} v{self.number}"

    @cached_property
    def document(self) -> VersionDocument:
        """The snapshot as typed dataclasses (training.version_reader), read once per row."""
        return version_read(self.snapshot)


# What each attempt (and each ModuleProgress row, over completed attempts) adds up of its
# answers, for the reports: per route, under- and over-reactions, and those within bands.
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
