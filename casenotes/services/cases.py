"""Writes of cases: posting (redaction first), sharing approval, outcome, retention.

Raw text arrives only as arguments named `*_raw` (and the participants and extra terms that
steer the redaction); it is redacted here before anything is saved and is never logged, put in
an exception message or passed on. Every text on a case is redacted with the people the case
already named, under their labels (services.names); their names are kept only as keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from dateutil.relativedelta import relativedelta
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from casenotes import access
from casenotes.models import Case, Visibility
from casenotes.responses import UNKNOWN_ACTION, UNKNOWN_ROUTE, Response, actions_in_order
from casenotes.services import names
from portal import services as portal_services
from portal.models import AuditAction, User
from portal.responses import Action, PreventRoute, SafeguardingRoute
from training import responses
from training.models import Indicator

TITLE_MAX_LENGTH = Case._meta.get_field("title").max_length


# The search vector weighs the title over the question over the account and outcome, as the
# search ranks them (selectors.cases); the GIN index of migration 0002 serves it.
SEARCH_VECTOR = (
    SearchVector("title", weight="A", config="english")
    + SearchVector("question", weight="B", config="english")
    + SearchVector("account", "outcome", weight="C", config="english")
)


def case_search_vector_refresh(*, case_ids: Iterable[int]) -> None:
    """Recompute the cases' search vectors from their stored (redacted) text, in the caller's
    transaction: every service that writes a case's title, question, account or outcome
    calls it. PostgreSQL only: on SQLite search matches substrings and keeps no vector."""
    if connection.vendor == "postgresql":
        Case.objects.filter(pk__in=case_ids).update(search_vector=SEARCH_VECTOR)


class CaseRefused(Exception):
    """A change the rules do not allow; the message is for the person, `field` says where."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def response_checked(
    *, safeguarding: str, prevent: str, actions: Iterable[str], fields: tuple[str, str, str]
) -> Response:
    """A response on both routes with its actions in the vocabulary's order; refused, on the
    form field named in `fields` (safeguarding, Prevent, actions), when a route or an action is
    not in the vocabulary."""
    safeguarding_field, prevent_field, actions_field = fields
    if safeguarding not in SafeguardingRoute.values:
        raise CaseRefused(UNKNOWN_ROUTE[responses.SAFEGUARDING], field=safeguarding_field)
    if prevent not in PreventRoute.values:
        raise CaseRefused(UNKNOWN_ROUTE[responses.PREVENT], field=prevent_field)
    actions = list(actions)
    if any(action not in Action.values for action in actions):
        raise CaseRefused(UNKNOWN_ACTION, field=actions_field)
    return Response(safeguarding, prevent, tuple(actions_in_order(actions)))


@sensitive_variables()  # raw text in every frame below, if an error is reported
@transaction.atomic
def case_publish(
    *,
    author: User,
    title_raw: str,
    age_band: str,
    setting: str,
    ideology: str,
    indicators: Iterable[Indicator],
    response_safeguarding: str,
    response_prevent: str,
    response_actions: Iterable[str] = (),
    question_raw: str,
    account_raw: str,
    visibility: str,
    participants: Sequence[str] = (),
    extra_terms: Sequence[str] = (),
) -> Case:
    """Redact the title, question and account together and post the case.

    What was done is a response on both routes with its actions. A case meant for the region or
    every authority waits for a supervisor or authority admin of the author's authority to
    approve it; until then only that authority sees it.
    """
    if not access.can_post(author):
        raise CaseRefused("Only staff of an authority can post cases.")
    decision = response_checked(
        safeguarding=response_safeguarding,
        prevent=response_prevent,
        actions=response_actions,
        fields=("response_safeguarding", "response_prevent", "response_actions"),
    )
    if visibility == Visibility.TEAM and not author.team_id:
        raise CaseRefused(
            "You are not in a team: choose your authority instead", field="visibility"
        )
    fields, name_keys = names.redact_new_case(
        [title_raw, question_raw, account_raw],
        participants=participants,
        extra_terms=extra_terms,
        authority_id=author.authority_id,
    )
    title, question, account = (field.text.strip() for field in fields)
    if len(title) > TITLE_MAX_LENGTH:
        raise CaseRefused(
            f"The title must be {TITLE_MAX_LENGTH} characters or fewer once personal details "
            "are replaced: shorten it",
            field="title",
        )
    case = Case(
        authority_id=author.authority_id,
        author=author,
        team_id=author.team_id,
        title=title,
        age_band=age_band,
        setting=setting,
        ideology=ideology,
        response_safeguarding=decision.safeguarding,
        response_prevent=decision.prevent,
        response_actions=list(decision.actions),
        question=question,
        account=account,
        visibility=visibility,
        sharing=(
            Case.Sharing.PENDING
            if visibility in access.WIDER_THAN_AUTHORITY
            else Case.Sharing.NOT_NEEDED
        ),
        created_at=timezone.now(),
        delete_after=timezone.localdate()
        + relativedelta(months=author.authority.case_retention_months),
    )
    case.full_clean()
    case.save()
    case.indicators.set(indicators)
    name_keys.case = case
    name_keys.save()
    case_search_vector_refresh(case_ids=[case.pk])
    return case


@sensitive_variables()
@transaction.atomic
def case_sharing_decide(
    *,
    actor: User,
    case: Case,
    approve: bool,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Approve or decline a pending case for sharing beyond its authority, once, audited.

    The author never decides on their own case: the point is a second pair of eyes. The reason
    is redacted too before it reaches the audit log.
    """
    if not access.is_moderator_of(actor, case.authority_id):
        raise CaseRefused("Only supervisors and authority admins of its authority can decide.")
    if case.author_id == actor.pk:
        raise CaseRefused("Someone else must check a case you posted.")
    if case.sharing == Case.Sharing.NOT_NEEDED:
        raise CaseRefused("This case stays inside the authority, so it needs no approval.")
    decision = Case.Sharing.APPROVED if approve else Case.Sharing.DECLINED
    now = timezone.now()
    decided = Case.objects.filter(pk=case.pk, sharing=Case.Sharing.PENDING).update(
        sharing=decision, sharing_decided_by=actor, sharing_decided_at=now
    )
    if not decided:  # someone else decided first, or a second click
        raise CaseRefused("This case has already been decided.")
    case.sharing, case.sharing_decided_by, case.sharing_decided_at = decision, actor, now
    (redacted_reason,) = names.redact_on_case(case, [reason])
    portal_services.audit_record(
        action=AuditAction.CASE_SHARING_DECIDED,
        actor=actor,
        subject=case.author,
        authority_id=case.authority_id,
        request=request,
        detail={
            "case": case.pk,
            "decision": str(decision),
            "reason": redacted_reason.text.strip(),
        },
    )
    return case


@sensitive_variables()
@transaction.atomic
def case_outcome_record(
    *,
    author: User,
    case: Case,
    outcome_raw: str,
    outcome_safeguarding: str,
    outcome_prevent: str,
    outcome_actions: Iterable[str] = (),
    participants: Sequence[str] = (),
    extra_terms: Sequence[str] = (),
) -> Case:
    """The author says what happened in the end, and the response in the end on both routes
    with its actions; the text is redacted like the account."""
    if case.author_id != author.pk:
        raise CaseRefused("Only the person who posted a case can record its outcome.")
    response = response_checked(
        safeguarding=outcome_safeguarding,
        prevent=outcome_prevent,
        actions=outcome_actions,
        fields=("outcome_safeguarding", "outcome_prevent", "outcome_actions"),
    )
    (outcome,) = names.redact_on_case(
        case, [outcome_raw], participants=participants, extra_terms=extra_terms
    )
    case.outcome = outcome.text.strip()
    case.outcome_safeguarding = response.safeguarding
    case.outcome_prevent = response.prevent
    case.outcome_actions = list(response.actions)
    case.status = Case.Status.OUTCOME_RECORDED
    case.full_clean()
    case.save(
        update_fields=[
            "outcome",
            "outcome_safeguarding",
            "outcome_prevent",
            "outcome_actions",
            "status",
        ]
    )
    case_search_vector_refresh(case_ids=[case.pk])
    return case


@transaction.atomic
def case_author_view_record(*, actor: User, case: Case, request: HttpRequest | None = None) -> User:
    """Who posted a case, for the owning authority's admins only; every look is audited."""
    if not access.can_identify_author(actor, case.authority_id):
        raise CaseRefused("Only the authority admins of its authority can see who posted it.")
    portal_services.audit_record(
        action=AuditAction.CASE_AUTHOR_VIEWED,
        actor=actor,
        subject=case.author,
        authority_id=case.authority_id,
        request=request,
        detail={"case": case.pk},
    )
    return case.author


def cases_delete_expired(*, today: date | None = None) -> int:
    """Delete, with their comments, votes and flags, the cases whose retention period ended
    before `today` (London); one audit event per authority, holding the count only.

    Each authority is one transaction, so a failure leaves the others done and the next run
    finds only what is left.
    """
    today = today or timezone.localdate()
    expired = Case.objects.filter(delete_after__lt=today)
    authority_ids = sorted(set(expired.values_list("authority_id", flat=True)))
    total = 0
    for authority_id in authority_ids:
        with transaction.atomic():
            _, deleted = expired.filter(authority_id=authority_id).delete()
            count = deleted.get(Case._meta.label, 0)
            if count:
                portal_services.audit_record(
                    action=AuditAction.CASES_DELETED,
                    authority_id=authority_id,
                    detail={"count": count},
                )
            total += count
    return total
