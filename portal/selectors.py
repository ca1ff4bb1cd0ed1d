"""Reads shared by views and reports, always scoped through portal.access."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from portal import access
from portal.models import (
    AuditEvent,
    AuthorityPathway,
    EmailKind,
    EmailPreference,
    IdentityProvider,
    OutboxEmail,
    Team,
    User,
)
from training import pathway_words


def team_members_for_supervisor(*, supervisor: User) -> QuerySet[User]:
    """The supervisor's active colleagues in their team, by name (what the home page lists)."""
    return (
        User.objects.for_user(supervisor)
        .filter(is_active=True)
        .exclude(pk=supervisor.pk)
        .only("full_name", "role", "email")
        .order_by("full_name", "pk")
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


def mandatory_email_kinds(*, user: User) -> list[str]:
    return list(user.authority.mandatory_email_kinds or []) if user.authority_id else []


def email_kinds_wanted(*, user: User) -> list[str]:
    opted_out = set(EmailPreference.objects.filter(user=user).values_list("kind", flat=True))
    mandatory = set(mandatory_email_kinds(user=user))
    return [kind for kind in EmailKind.values if kind in mandatory or kind not in opted_out]


def outbox_overview(*, authority_id: int, status: str) -> dict[str, object]:
    """For one authority: how many emails have each status, and those with `status` (with
    how many, to page through). Sent ones newest first; the rest oldest first, as they queue."""
    rows = OutboxEmail.objects.filter(authority_id=authority_id)
    counts = dict(rows.values_list("status").annotate(n=Count("id")).order_by())
    order = ["-sent_at", "-id"] if status == OutboxEmail.Status.SENT else ["created_at", "id"]
    return {
        "counts": [
            (choice.value, choice.label, counts.get(choice.value, 0))
            for choice in OutboxEmail.Status
        ],
        "emails": rows.filter(status=status).select_related("user").order_by(*order),
        "count": counts.get(status, 0),
    }


@dataclass(frozen=True)
class Todo:
    """One queue on a home page: how many wait, in words, and where to deal with them."""

    count: int
    words: str
    url: str


def home_todos_for_user(*, user: User) -> list[Todo]:
    """What waits for a supervisor or authority admin, each queue they may open (and only
    those), those with something in them: one COUNT per queue, however much waits."""
    from casenotes import access as case_access
    from casenotes import selectors as case_selectors
    from training import access as training_access
    from training.models import ModuleProgress
    from training.progress import Status

    todos = []
    if case_access.can_moderate(user):
        approvals = case_selectors.approval_queue_for_user(user=user).order_by().count()
        flags = case_selectors.moderation_queue_for_user(user=user).order_by().count()
        todos += [
            Todo(approvals, _counted(approvals, "case waits", "cases wait") + " for approval to be "
                 "shared wider", reverse("casenotes:approval-queue")),
            Todo(flags, _counted(flags, "report", "reports") + " of a case or comment to look at",
                 reverse("casenotes:moderation-queue")),
        ]  # fmt: skip
    if training_access.can_view_team_progress(user):
        people = access.scope_users(User.objects.filter(is_active=True), user).exclude(pk=user.pk)
        overdue = (
            ModuleProgress.objects.filter(
                user__in=people.values("pk"),
                assignment__isnull=False,
                completed_at__isnull=True,
                cancelled_at__isnull=True,
                effective_due_on__lt=timezone.localdate(),
            )
            .values("user_id")
            .distinct()
            .count()
        )
        progress = reverse("training:team-progress")
        todos.append(
            Todo(overdue, _counted(overdue, "person has", "people have") + " overdue training",
                 f"{progress}?status={Status.OVERDUE.value}")
        )  # fmt: skip
    if access.can_manage_authority(user) and user.authority_id:
        failed = OutboxEmail.objects.filter(
            authority_id=user.authority_id, status=OutboxEmail.Status.FAILED
        ).count()
        todos.append(
            Todo(failed, _counted(failed, "email", "emails") + " could not be sent",
                 reverse("portal:manage-outbox"))
        )  # fmt: skip
    return [todo for todo in todos if todo.count]


def _counted(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


# --- Single sign-on -----------------------------------------------------------------------


def identity_provider_list_for_user(*, user: User) -> QuerySet[IdentityProvider]:
    providers = access.scope_identity_providers(IdentityProvider.objects.all(), user)
    return providers.select_related("authority").prefetch_related("domains")


def identity_provider_get_for_user(*, user: User, pk: int) -> IdentityProvider:
    return get_object_or_404(identity_provider_list_for_user(user=user), pk=pk)


def identity_provider_for_email(*, email: str) -> IdentityProvider | None:
    """The provider that vouches for the email's domain, if any."""
    domain = email.strip().lower().rpartition("@")[2]
    return IdentityProvider.objects.filter(domains__domain=domain).first()


def identity_provider_requiring_sso(*, email: str) -> IdentityProvider | None:
    """The provider whose authority requires single sign-on for this email, so no password is
    accepted for it; never for a platform admin, whom no authority's provider signs in."""
    provider = identity_provider_for_email(email=email)
    if provider is None or not provider.require_sso:
        return None
    if User.objects.filter(email=email.strip().lower(), is_superuser=True).exists():
        return None
    return provider


def identity_provider_for_sign_in(*, pk: object) -> IdentityProvider | None:
    """The provider a sign-in in progress started with (its id kept in the session)."""
    if not isinstance(pk, int):
        return None
    return IdentityProvider.objects.select_related("authority").filter(pk=pk).first()


def identity_provider_origins() -> list[str]:
    """Where sign-in forms may send people: every provider's issuer origin (CSP form-action:
    the email step redirects a form submission there)."""
    origins = set()
    for issuer in IdentityProvider.objects.values_list("issuer", flat=True).distinct():
        scheme, _, rest = issuer.partition("://")
        origins.add(f"{scheme}://{rest.split('/', 1)[0]}")
    return sorted(origins)


# --- Who to contact (the authority's pathway) ------------------------------------------------


def pathway_of(*, authority_id: int | None) -> AuthorityPathway | None:
    """The authority's saved contacts; an unsaved, empty page when it has none yet."""
    if authority_id is None:
        return None
    return AuthorityPathway.objects.filter(authority_id=authority_id).first() or AuthorityPathway(
        authority_id=authority_id
    )


def pathway_for_user(*, user: User) -> AuthorityPathway:
    """The signed-in person's own authority's page; 404 for someone with no authority."""
    pathway = pathway_of(authority_id=user.authority_id)
    if pathway is None:
        raise Http404("No authority, so no local contacts.")
    return pathway


def pathway_for_editing(*, user: User, authority_pk: int) -> AuthorityPathway:
    """Only the authority's own admin edits its page; anyone else gets 404."""
    if not access.can_manage_authority(user) or user.authority_id != authority_pk:
        raise Http404("No such page to edit.")
    return pathway_for_user(user=user)


def pathway_words_for_user(*, user: User) -> dict[str, str]:
    """Each module placeholder's words for this learner: the authority's, else national."""
    pathway = pathway_of(authority_id=getattr(user, "authority_id", None))
    values = {key: getattr(pathway, key) for key in pathway_words.KEYS} if pathway else {}
    return pathway_words.wording(values)


@dataclass(frozen=True)
class PathwayEntry:
    """One row of the "Who to contact" page: the authority's words, or the national ones."""

    label: str
    value: str
    is_national: bool
    url: str = ""


def pathway_entries(pathway: AuthorityPathway) -> list[PathwayEntry]:
    links = {
        "referral_route": pathway.referral_url,
        "threshold_document": pathway.threshold_document_url,
    }
    return [
        PathwayEntry(
            label=field.label,
            value=getattr(pathway, field.key) or field.national,
            is_national=not getattr(pathway, field.key),
            url=links.get(field.key, ""),
        )
        for field in pathway_words.FIELDS
    ]
