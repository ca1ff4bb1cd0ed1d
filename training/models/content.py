"""What authors write and publish: indicators, modules, their drafts and published versions."""

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
