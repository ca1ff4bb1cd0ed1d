from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

from portal import recovery_codes


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    SUPERVISOR = "supervisor", "Supervisor"
    AUTHOR = "author", "Author"
    AUTHORITY_ADMIN = "authority_admin", "Authority admin"


class Authority(models.Model):
    """A local authority: the boundary no data crosses unless its owner widens it."""

    name = models.CharField(max_length=200, unique=True)
    region = models.CharField(max_length=100)
    is_prevent_priority_area = models.BooleanField(
        "Prevent priority area",
        default=False,
        help_text="Areas with higher prevalence, as designated by the Home Office.",
    )
    case_retention_months = models.PositiveSmallIntegerField(
        default=24, help_text="Cases are deleted, with their discussion, this long after posting."
    )
    mandatory_email_kinds = models.JSONField(
        default=list,
        blank=True,
        help_text="Kinds of reminder email this authority's staff cannot turn off.",
    )

    class Meta:
        verbose_name_plural = "authorities"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AuthorityPathway(models.Model):
    """The authority's "Who to contact" page: where a practitioner takes a concern.

    Each sentence-sized field fills a module placeholder of the same name
    (training/pathway_words.py: "Phone {pathway.front_door} today."), so it is written to read
    inside a sentence; an empty one reads as the national wording.
    """

    authority = models.OneToOneField(
        Authority, on_delete=models.CASCADE, primary_key=True, related_name="pathway"
    )
    prevent_lead = models.CharField("Prevent lead", max_length=200, blank=True)
    referral_route = models.CharField("How Prevent referrals are made", max_length=200, blank=True)
    referral_url = models.URLField("Referral form or route (link)", blank=True)
    ct_policing = models.CharField(
        "Counter-terrorism policing (your region)", max_length=200, blank=True
    )
    front_door = models.CharField(
        "Children's social care front door (MASH)", max_length=200, blank=True
    )
    lado = models.CharField("Local Authority Designated Officer (LADO)", max_length=200, blank=True)
    out_of_hours = models.CharField("Out of hours", max_length=200, blank=True)
    threshold_document = models.CharField("Local threshold document", max_length=200, blank=True)
    threshold_document_url = models.URLField("Local threshold document (link)", blank=True)
    other_contacts = models.TextField(
        "Other local contacts",
        blank=True,
        help_text="Anything else staff should know: early help, the DSL network, phone numbers.",
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        "User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Who to contact: {self.authority}"


class TeamQuerySet(models.QuerySet["Team"]):
    def for_user(self, user: User) -> TeamQuerySet:
        from portal import access

        return access.scope_teams(self, user)


class Team(models.Model):
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=120)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "name"], name="team_name_unique_per_authority"
            )
        ]

    def __str__(self) -> str:
        return self.name


class UserQuerySet(models.QuerySet["User"]):
    def for_user(self, user: User) -> UserQuerySet:
        from portal import access

        return access.scope_users(self, user)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        if not email:
            raise ValueError("Users need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)  # None gives an unusable password
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRACTITIONER)
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can use the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        indexes = [models.Index(fields=["authority", "role"])]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        # Stored in lower case, as create_user does: sign-in and every lookup rely on it.
        self.email = self.email.strip().lower()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_authority_admin(self) -> bool:
        return self.role == Role.AUTHORITY_ADMIN and self.authority_id is not None

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR


class AuditAction(models.TextChoices):
    SIGNED_IN = "signed_in", "Signed in"
    SIGNED_OUT = "signed_out", "Signed out"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    LOCKED_OUT = "locked_out", "Locked out"
    PASSWORD_RESET_REQUESTED = "password_reset_requested", "Password reset requested"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    SECOND_FACTOR_SET_UP = "second_factor_set_up", "Second factor set up"
    RECOVERY_CODE_USED = "recovery_code_used", "Recovery code used"
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed", "New recovery codes made"
    SECOND_FACTOR_RESET = "second_factor_reset", "Second factor reset by an admin"
    USER_CREATED = "user_created", "User created"
    USER_UPDATED = "user_updated", "User changed"
    USER_DEACTIVATED = "user_deactivated", "User deactivated"
    USER_REACTIVATED = "user_reactivated", "User reactivated"
    TEAM_CREATED = "team_created", "Team created"
    TEAM_UPDATED = "team_updated", "Team renamed"
    TEAM_DELETED = "team_deleted", "Team deleted"
    CASE_SHARING_DECIDED = "case_sharing_decided", "Case approved or declined for wider sharing"
    CASE_AUTHOR_VIEWED = "case_author_viewed", "Looked up who posted a shared case"
    CASE_MODERATED = "case_moderated", "Case or comment hidden or restored"
    CASES_DELETED = "cases_deleted", "Cases deleted at the end of retention"
    USERS_IMPORTED = "users_imported", "Staff imported"
    ASSIGNMENT_CREATED = "assignment_created", "Module assigned"
    ASSIGNMENT_CANCELLED = "assignment_cancelled", "Assignment cancelled"
    DUE_DATE_EXTENDED = "due_date_extended", "Due date extended"
    MODULE_PUBLISHED = "module_published", "Module published"
    MODULE_IMPORTED = "module_imported", "Module imported"
    MODULE_SHARED = "module_shared", "Module shared to the national library"
    MODULE_UNSHARED = "module_unshared", "Module withdrawn from the national library"
    MODULE_ADOPTED = "module_adopted", "Module adopted from the national library"
    SSO_REFUSED = "sso_refused", "Single sign-on refused"
    IDENTITY_PROVIDER_SAVED = "identity_provider_saved", "Sign-in provider added or changed"
    IDENTITY_PROVIDER_DELETED = "identity_provider_deleted", "Sign-in provider removed"
    CRITICAL_MISS_DEBRIEFED = "critical_miss_debriefed", "Critical miss debriefed"
    PATHWAY_UPDATED = "pathway_updated", "Who to contact changed"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def for_user(self, user: User) -> AuditEventQuerySet:
        from portal import access

        return access.scope_audit_events(self, user)


class AuditEvent(models.Model):
    """Append-only record of security and administration events, read by authority admins."""

    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_events_acted"
    )
    subject = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_events_about"
    )
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["authority", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} at {self.created_at:%Y-%m-%d %H:%M}"


class EmailKind(models.TextChoices):
    """Kinds of reminder email; people choose which they receive (unless mandatory)."""

    DUE_SOON = "due_soon", "Training due soon (7 days and 1 day before)"
    OVERDUE = "overdue", "Training overdue (the day after, then weekly, at most 4 times)"
    CERTIFICATE_EXPIRING = "certificate_expiring", "Certificate expiring in 30 days"
    SUPERVISOR_DIGEST = "supervisor_digest", "Weekly team digest for supervisors (Mondays)"
    CASE_COMMENT = "case_comment", "Someone commented on a case you posted"


class AccountEmailKind(models.TextChoices):
    """Emails about a person's account: always sent, so never among their preferences."""

    WELCOME = "welcome", "Welcome (a link to choose a password)"
    PASSWORD_RESET = "password_reset", "Password reset (a link to choose a new password)"


# What the outbox sends: the reminders people choose, and the account emails.
OUTBOX_EMAIL_KINDS = [*EmailKind.choices, *AccountEmailKind.choices]


class EmailPreference(models.Model):
    """A kind of email a person has turned off. No row means they receive it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_opt_outs")
    kind = models.CharField(max_length=30, choices=EmailKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_opt_out_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} opted out of {self.kind}"


class OutboxEmail(models.Model):
    """An email planned for sending, at most once per idempotency key.

    The unique key (kind + object + due date + step) is what stops a second planner, a
    second beat or a retried task from planning twice. Rows hold ids, not text: the sender
    renders at send time and checks the email still applies.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "No longer needed"

    idempotency_key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=OUTBOX_EMAIL_KINDS)
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, null=True, blank=True, related_name="outbox"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="outbox")
    object_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The assignment or certificate the email is about."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["authority", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id} ({self.status})"


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """A person's set of one-use recovery codes, as a django-otp device (one per person).

    It stands in for django-otp's StaticDevice, which keeps its tokens in plain text.
    verify_token is django-otp's contract (match_token calls it), so like StaticDevice's it
    consumes the code it matches. One per person, so a new set always retires the old one
    (`services.recovery_codes_replace`).
    """

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user"], name="one_recovery_device_per_user"),
        ]

    def get_throttle_factor(self) -> int:
        return 1  # StaticDevice's default: each failure in a row doubles the wait, from 1 s

    def verify_token(self, token: str) -> bool:
        """True once per code: the matching row is deleted, and only the request whose delete
        removed it succeeds, so two sign-ins racing with one code cannot both pass.

        Every kept digest is compared with every candidate in constant time, without
        stopping at a match, so the time taken says nothing about which code matched.
        """
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        candidates = recovery_codes.digests(token)
        match = None
        for pk, kept in self.codes.values_list("pk", "digest"):
            for candidate in candidates:
                if constant_time_compare(kept, candidate):
                    match = pk
        consumed = match is not None and RecoveryCode.objects.filter(pk=match).delete()[0] > 0
        if consumed:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
        else:
            self.throttle_increment()
        return consumed


class RecoveryCode(models.Model):
    """One unused recovery code, kept only as its keyed digest (portal.recovery_codes)."""

    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"Recovery code {self.pk} of {self.device}"


class IdentityProvider(models.Model):
    """An authority's OpenID Connect provider (Entra ID, Google Workspace, Okta…): people
    whose email is at one of its domains sign in with their work account there.

    The client secret is kept only encrypted (portal.sso.client_secrets, keyed from settings);
    nothing shows it after it is saved.
    """

    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="identity_providers"
    )
    name = models.CharField(max_length=120)
    issuer = models.URLField(max_length=300)
    client_id = models.CharField(max_length=255)
    client_secret_encrypted = models.TextField(editable=False)
    allow_account_creation = models.BooleanField(default=False)
    require_sso = models.BooleanField(default=False)
    accepted_acr_values = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class IdentityProviderDomain(models.Model):
    """An email domain a provider vouches for: one provider per domain, across authorities."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=253, unique=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


class IdentityProviderDevice(Device):
    """Stands, as a django-otp device, for a provider's own multi-factor check.

    When a provider says it used multi-factor authentication, the sign-in is marked verified
    with this device instead of asking for a TOTP code. It accepts no code itself.
    """

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user"], name="one_identity_provider_device_per_user"),
        ]

    def verify_token(self, token: str) -> bool:
        return False
