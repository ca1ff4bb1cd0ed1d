"""Writes of the discussion of a case: comments, votes, flags and moderation.

Raw text arrives only as arguments named `*_raw` (and the people a writer lists); it is
redacted here, as a case is and under the labels the case gave its people, before anything is
saved, and is never logged, put in an exception message or passed on. Every write
checks again that the person may see the case (the views already fetched it through a selector).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from casenotes import access
from casenotes.models import Case, Comment, ConsensusVote, Flag
from casenotes.services import names
from casenotes.services.cases import CaseRefused, response_checked
from portal import services as portal_services
from portal.models import AuditAction, EmailKind, User
from portal.tasks import outbox_send_queue

Target = TypeVar("Target", Case, Comment)


def _redacted(
    case: Case,
    text_raw: str,
    *,
    field: str,
    max_length: int | None = None,
    participants: Sequence[str] = (),
) -> str:
    """The text as it may be stored, redacted with the people the case named under their
    labels (and `participants`, people the writer listed); refused if empty, or too long once
    labels replace details."""
    (redacted,) = names.redact_on_case(case, [text_raw], participants=participants)
    text = redacted.text.strip()
    if not text:
        raise CaseRefused("Enter some text", field=field)
    if max_length is not None and len(text) > max_length:
        raise CaseRefused(
            f"This must be {max_length} characters or fewer once personal details are replaced: "
            "shorten it",
            field=field,
        )
    return text


def _require_taking_part(user: User, case: Case) -> None:
    """Staff of an authority who can see the case, while it is not hidden."""
    if not access.can_post(user) or not Case.objects.for_user(user).filter(pk=case.pk).exists():
        raise CaseRefused("You cannot take part in the discussion of this case.")
    if case.is_hidden:
        raise CaseRefused("This case is hidden by a moderator, so its discussion is closed.")


@transaction.atomic
def comment_post(
    *, author: User, case: Case, body_raw: str, participants: Sequence[str] = ()
) -> Comment:
    """Redact and save a comment; `participants` are people the commenter listed. The case's
    author is emailed (through the outbox) when someone else comments. The email carries a
    link, never the case's or the comment's text."""
    _require_taking_part(author, case)
    comment = Comment(
        case=case,
        author=author,
        body=_redacted(case, body_raw, field="body", participants=participants),
        created_at=timezone.now(),
    )
    comment.full_clean()
    comment.save()
    if case.author_id != author.pk:
        portal_services.outbox_plan(
            emails=[
                portal_services.PlannedEmail(
                    key=f"case_comment:{comment.pk}",
                    kind=EmailKind.CASE_COMMENT,
                    user_id=case.author_id,
                    authority_id=case.authority_id,
                    object_id=comment.pk,
                )
            ]
        )
        transaction.on_commit(outbox_send_queue)
    return comment


@transaction.atomic
def vote_record(
    *,
    voter: User,
    case: Case,
    safeguarding: str,
    prevent: str,
    actions: Iterable[str] = (),
    rationale_raw: str,
    participants: Sequence[str] = (),
) -> ConsensusVote:
    """The response the voter would choose, on both routes with its actions: one vote per
    person per case, changed by voting again; `participants` are people the voter listed.
    Whether their authority is a Prevent
    priority area is recorded as it is now, so the split of a case's votes does not move when
    an area's designation changes later.

    The author does not vote: their answer is the decision they recorded (Case.decision).
    """
    _require_taking_part(voter, case)
    if case.author_id == voter.pk:
        raise CaseRefused("You posted this case: your answer is what you did.")
    response = response_checked(
        safeguarding=safeguarding,
        prevent=prevent,
        actions=actions,
        fields=("safeguarding", "prevent", "actions"),
    )
    max_length = ConsensusVote._meta.get_field("rationale").max_length
    rationale = _redacted(
        case, rationale_raw, field="rationale", max_length=max_length, participants=participants
    )
    vote, _ = ConsensusVote.objects.update_or_create(
        case=case,
        voter=voter,
        defaults={
            "safeguarding": response.safeguarding,
            "prevent": response.prevent,
            "actions": list(response.actions),
            "rationale": rationale,
            "voter_in_priority_area": voter.authority.is_prevent_priority_area,
            "updated_at": timezone.now(),
        },
    )
    return vote


@transaction.atomic
def flag_raise(
    *, raised_by: User, case: Case, reason_raw: str, comment: Comment | None = None
) -> Flag:
    """Ask the owning authority's moderators to look at a case or one of its comments.

    A person has at most one open flag on a thing: flagging it again replaces the reason.
    """
    if (
        not access.can_post(raised_by)
        or not Case.objects.for_user(raised_by).filter(pk=case.pk).exists()
    ):
        raise CaseRefused("You cannot report this case.")
    if comment is not None and (
        comment.case_id != case.pk
        or (comment.is_hidden and not access.is_moderator_of(raised_by, case.authority_id))
    ):
        raise CaseRefused("You cannot report this comment.")
    max_length = Flag._meta.get_field("reason").max_length
    reason = _redacted(case, reason_raw, field="reason", max_length=max_length)
    flag, _ = Flag.objects.update_or_create(
        case=case,
        comment=comment,
        raised_by=raised_by,
        resolved_at=None,
        defaults={"reason": reason, "created_at": timezone.now()},
    )
    return flag


def case_moderate(
    *, actor: User, case: Case, hide: bool, reason_raw: str, request: HttpRequest | None = None
) -> Case:
    """Hide a case from all but its authority's moderators (and its author), or show it again;
    its open flags are closed and the decision audited."""
    return _moderate(
        actor=actor,
        target=case,
        case=case,
        flags=case.flags.filter(comment__isnull=True),
        hide=hide,
        reason_raw=reason_raw,
        request=request,
    )


def comment_moderate(
    *,
    actor: User,
    comment: Comment,
    hide: bool,
    reason_raw: str,
    request: HttpRequest | None = None,
) -> Comment:
    """Hide a comment from all but the case's authority's moderators, or show it again; its
    open flags are closed and the decision audited."""
    return _moderate(
        actor=actor,
        target=comment,
        case=comment.case,
        flags=comment.flags.all(),
        hide=hide,
        reason_raw=reason_raw,
        request=request,
    )


@transaction.atomic
def _moderate(
    *,
    actor: User,
    target: Target,
    case: Case,
    flags: models.QuerySet[Flag],
    hide: bool,
    reason_raw: str,
    request: HttpRequest | None,
) -> Target:
    if not access.is_moderator_of(actor, case.authority_id):
        raise CaseRefused("Only supervisors and authority admins of its authority can moderate.")
    max_length = Case._meta.get_field("hidden_reason").max_length
    reason = _redacted(case, reason_raw, field="reason", max_length=max_length)
    target.is_hidden = hide
    target.hidden_reason = reason if hide else ""
    target.save(update_fields=["is_hidden", "hidden_reason"])
    verb = "hide" if hide else "restore"
    resolution = f"{'Hidden' if hide else 'Shown'}: {reason}"
    flags.filter(resolved_at__isnull=True).update(
        resolved_at=timezone.now(),
        resolved_by=actor,
        resolution=resolution[: Flag._meta.get_field("resolution").max_length],
    )
    what = "case" if isinstance(target, Case) else "comment"
    portal_services.audit_record(
        action=AuditAction.CASE_MODERATED,
        actor=actor,
        subject=target.author,
        authority_id=case.authority_id,
        request=request,
        detail={
            "what": what,
            "which": target.pk,
            "case": case.pk,
            "action": verb,
            "reason": reason,
        },
    )
    return target
