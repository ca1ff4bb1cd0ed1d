"""Anonymised cases and their discussion. Every free-text field holds redacted text only."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone

from casenotes.responses import Response
from portal.responses import PreventRoute, SafeguardingRoute


class AgeBand(models.TextChoices):
    UNDER_10 = "under_10", "Under 10"
    AGE_10_13 = "10_13", "10 to 13"
    AGE_14_15 = "14_15", "14 to 15"
    AGE_16_17 = "16_17", "16 to 17"
    AGE_18_25 = "18_25", "18 to 25 (care leaver or SEND)"


class Setting(models.TextChoices):
    PRIMARY_SCHOOL = "primary_school", "Primary school"
    SECONDARY_SCHOOL = "secondary_school", "Secondary school"
    COLLEGE = "college", "Further education college"
    HOME = "home", "Home and family"
    ONLINE = "online", "Online"
    YOUTH_SERVICE = "youth_service", "Youth service"
    COMMUNITY = "community", "Community"
    SOCIAL_CARE = "social_care", "Children's social care"
    HEALTH = "health", "Health"


class Ideology(models.TextChoices):
    EXTREME_RIGHT_WING = "extreme_right_wing", "Extreme right-wing"
    ISLAMIST = "islamist", "Islamist"
    MIXED_UNCLEAR = "mixed_unclear", "Mixed, unclear or unstable"
    SCHOOL_VIOLENCE = "school_violence", "Fixation on school violence"
    INCEL = "incel", "Incel or misogynist"
    LEFT_ANARCHIST = "left_anarchist", "Extreme left-wing or anarchist"
    SINGLE_ISSUE = "single_issue", "Single issue"
    NONE = "none", "None identified"


class Visibility(models.TextChoices):
    TEAM = "team", "My team"
    AUTHORITY = "authority", "My authority"
    REGION = "region", "My region"
    ALL = "all", "All authorities"


class CaseQuerySet(models.QuerySet["Case"]):
    def for_user(self, user) -> CaseQuerySet:
        from casenotes import access

        return access.scope_cases(self, user)


class Case(models.Model):
    class Sharing(models.TextChoices):
        NOT_NEEDED = "not_needed", "Inside the authority only"
        PENDING = "pending", "Waiting for approval to share wider"
        APPROVED = "approved", "Approved for wider sharing"
        DECLINED = "declined", "Not approved for wider sharing"

    class Status(models.TextChoices):
        OPEN = "open", "Open for discussion"
        OUTCOME_RECORDED = "outcome_recorded", "Outcome recorded"

    authority = models.ForeignKey(
        "portal.Authority", on_delete=models.PROTECT, related_name="cases"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases"
    )
    team = models.ForeignKey(
        "portal.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    title = models.CharField(max_length=150, help_text="Redacted.")
    age_band = models.CharField(max_length=10, choices=AgeBand.choices)
    setting = models.CharField(max_length=20, choices=Setting.choices)
    ideology = models.CharField(max_length=20, choices=Ideology.choices)
    indicators = models.ManyToManyField("training.Indicator", blank=True, related_name="cases")
    # What was done (the author's decision): both routes and the actions, keys of
    # portal.responses.Action in the vocabulary's order (casenotes.responses.actions_in_order).
    response_safeguarding = models.CharField(max_length=30, choices=SafeguardingRoute.choices)
    response_prevent = models.CharField(max_length=30, choices=PreventRoute.choices)
    response_actions = models.JSONField(default=list, blank=True)
    question = models.TextField(help_text="What the author wants advice on. Redacted.")
    account = models.TextField(help_text="The redacted account of the case.")
    visibility = models.CharField(max_length=10, choices=Visibility.choices)
    sharing = models.CharField(max_length=12, choices=Sharing.choices)
    sharing_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sharing_decided_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(blank=True, help_text="Redacted.")
    # The response in the end, the same way; empty until the outcome is recorded.
    outcome_safeguarding = models.CharField(
        max_length=30, choices=SafeguardingRoute.choices, blank=True
    )
    outcome_prevent = models.CharField(max_length=30, choices=PreventRoute.choices, blank=True)
    outcome_actions = models.JSONField(default=list, blank=True)
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delete_after = models.DateField(help_text="The authority's retention period ends here.")
    # Kept up to date by the services that write the text (services.case_search_vector_refresh)
    # from the stored, redacted text, GIN-indexed (migration 0002); always empty on SQLite,
    # where search falls back to substring matching.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["authority", "-created_at"]),
            # The list's order: its first page is read from here, not sorted from all rows. It
            # also carries what deciding who may see a case needs (casenotes.access), so that
            # counting the visible cases reads this index alone (PostgreSQL), not the rows.
            models.Index(
                fields=["-created_at", "-id"],
                include=["authority", "visibility", "sharing", "team", "author", "is_hidden"],
                name="case_list_covering",
            ),
            models.Index(fields=["visibility", "sharing"]),
            models.Index(fields=["delete_after"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def decision(self) -> Response:
        """What was done."""
        return Response(
            self.response_safeguarding, self.response_prevent, tuple(self.response_actions)
        )

    @property
    def outcome_response(self) -> Response | None:
        """The response in the end, once the outcome is recorded."""
        if not self.outcome_safeguarding:
            return None
        return Response(
            self.outcome_safeguarding, self.outcome_prevent, tuple(self.outcome_actions)
        )


class Comment(models.Model):
    # Indexed by comment_case_order below, which leads with the case.
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="comments", db_index=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_comments"
    )
    body = models.TextField(help_text="Redacted.")
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # A page of a case's discussion is read in this order, from here, not sorted.
            models.Index(fields=["case", "created_at", "id"], name="comment_case_order"),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on case {self.case_id}"


class ConsensusVote(models.Model):
    """The response a peer would choose; one per person per case, changeable."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_votes"
    )
    safeguarding = models.CharField(max_length=30, choices=SafeguardingRoute.choices)
    prevent = models.CharField(max_length=30, choices=PreventRoute.choices)
    actions = models.JSONField(default=list, blank=True)  # as Case.response_actions
    rationale = models.CharField(max_length=500, help_text="Redacted.")
    voter_in_priority_area = models.BooleanField(
        help_text="Whether the voter's authority was a Prevent priority area when they voted."
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "voter"], name="one_vote_per_person_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.voter_id} → {self.safeguarding} + {self.prevent} on case {self.case_id}"

    @property
    def response(self) -> Response:
        return Response(self.safeguarding, self.prevent, tuple(self.actions))


class Flag(models.Model):
    """Someone asked moderators to look at a case or a comment."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="flags")
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Flag on case {self.case_id}"


class CaseNameKeys(models.Model):
    """What a case remembers of the people named on it, so every text written on it (comments,
    votes, outcome, reports) redacts them under the labels the case gave them, and a new person
    never gets a label already given (casenotes.redaction.known).

    Never a name: per person a label, a role and keyed one-way forms (HMAC with a key from the
    settings and this case's salt, casenotes.case_names) of their name words."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, primary_key=True, related_name="name_keys"
    )
    salt = models.CharField(max_length=32)
    known = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Name keys of case {self.case_id}"
