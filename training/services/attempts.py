"""Attempts: playing a published version step by step, scoring it, certificates."""

from __future__ import annotations

import secrets

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.models import User
from training import access, selectors
from training.models import (
    DECISION_TOTAL_FIELDS,
    Answer,
    Attempt,
    Certificate,
    Module,
    ModuleVersion,
)
from training.services.assignments import assignments_complete
from training.services.module_progress import progress_refresh


class StaleStep(Exception):
    """A step was submitted that is no longer the attempt's current one (back, refresh, twice)."""


@transaction.atomic
def attempt_start(*, user: User, version: ModuleVersion) -> Attempt:
    """A new attempt at a version of a module the person may take (access.scope_modules)."""
    if not access.scope_modules(Module.objects.filter(pk=version.module_id), user).exists():
        raise PermissionDenied("This module is not open to you.")
    attempt = Attempt.objects.create(
        user=user, version=version, current_step_key=version.document.first_step_key
    )
    progress_refresh(user_ids=[user.pk], module_ids=[version.module_id])
    return attempt


@transaction.atomic
def attempt_rate_confidence(*, user: User, attempt: Attempt, confidence: int) -> Attempt:
    """Record confidence before the scenario; once only, so a resubmit changes nothing."""
    _confidence_check(confidence)
    locked = _locked(attempt, user=user)
    if locked.confidence_before is None:
        locked.confidence_before = confidence
        locked.save(update_fields=["confidence_before"])
    attempt.confidence_before = locked.confidence_before
    return attempt


@transaction.atomic
def attempt_continue(*, user: User, attempt: Attempt, from_step_key: str) -> Attempt:
    """Move on from a narrative or end step; a stale or repeated submit raises StaleStep."""
    attempt = _locked(attempt, user=user)
    if attempt.current_step_key != from_step_key or attempt.is_complete:
        raise StaleStep
    document = attempt.version.document
    if document.steps[from_step_key].is_decision:
        raise StaleStep
    attempt.current_step_key = document.step_after(from_step_key)
    attempt.save(update_fields=["current_step_key"])
    return attempt


@transaction.atomic
def answer_record(
    *, user: User, attempt: Attempt, step_key: str, position: int, choice_index: int
) -> Answer:
    """Record one decision and move on. The (attempt, position) key makes a repeat collide."""
    attempt = _locked(attempt, user=user)
    if (
        attempt.is_complete
        or attempt.current_step_key != step_key
        or attempt.answer_count != position
    ):
        raise StaleStep
    document = attempt.version.document
    step = document.decision(step_key)
    if step is None or not 0 <= choice_index < len(step.choices):
        raise StaleStep
    decision = document.decision_for(step_key, choice_index)
    try:
        with transaction.atomic():
            answer = Answer.objects.create(
                attempt=attempt,
                position=position,
                step_key=step_key,
                choice_index=choice_index,
                safeguarding=decision.safeguarding,
                prevent=decision.prevent,
                actions=list(decision.actions),
                error=decision.error,
                safeguarding_distance=decision.safeguarding_distance,
                prevent_distance=decision.prevent_distance,
                critical_miss=decision.critical_miss,
                points=decision.points,
            )
    except IntegrityError as error:
        raise StaleStep from error
    attempt.current_step_key = document.step_after(step_key, choice_index)
    attempt.answer_count = position + 1
    # The reports add up these totals rather than every answer (the attempt row is locked).
    sg, pv = decision.safeguarding_distance, decision.prevent_distance
    attempt.within_bands_count += int(decision.within_bands and not decision.error)
    attempt.safeguarding_under_count += int(sg < 0)
    attempt.safeguarding_over_count += int(sg > 0)
    attempt.prevent_under_count += int(pv < 0)
    attempt.prevent_over_count += int(pv > 0)
    attempt.critical_miss_count += int(decision.critical_miss)
    attempt.save(update_fields=["current_step_key", *DECISION_TOTAL_FIELDS])
    return answer


@transaction.atomic
def attempt_finish(*, user: User, attempt: Attempt, confidence: int) -> Attempt:
    """Score the path taken, record confidence after, and issue a certificate on a pass.

    Any critical miss fails the attempt whatever its percentage (engine.Result.passed): no
    certificate, and the learner can start again as after any fail."""
    _confidence_check(confidence)
    attempt = _locked(attempt, user=user)
    if attempt.is_complete or attempt.current_step_key:
        raise StaleStep
    result = selectors.attempt_result(attempt=attempt)
    pass_mark = attempt.version.document.pass_mark
    attempt.confidence_after = confidence
    attempt.completed_at = timezone.now()
    attempt.points, attempt.max_points = result.points, result.max_points
    attempt.percent = result.percent
    attempt.passed = result.passed(pass_mark)
    attempt.save(
        update_fields=[
            "confidence_after",
            "completed_at",
            "points",
            "max_points",
            "percent",
            "passed",
        ]
    )
    if attempt.passed:
        certificate = certificate_issue(attempt=attempt)
        if certificate.refresh_needed_for_id is None:  # outdated guidance completes nothing
            assignments_complete(certificate=certificate)
    progress_refresh(user_ids=[attempt.user_id], module_ids=[attempt.version.module_id])
    return attempt


def certificate_issue(*, attempt: Attempt) -> Certificate:
    """Internal to attempt_finish, in its transaction (no acting person of its own).

    Valid for the module's refresher months, counted as calendar months in UK local time.

    Counting in UTC would end a certificate issued just after midnight in summer a day early
    in winter (and 31 March + 1 month would be 1 May).

    A pass on a version older than the module's latest major revision (begun before it was
    published) needs refreshing from the start, like the certificates the revision flagged.
    """
    months = attempt.version.document.refresher_months
    issued = timezone.localtime(attempt.completed_at or timezone.now())
    superseded_by = (
        ModuleVersion.objects.filter(
            module_id=attempt.version.module_id, is_major=True, number__gt=attempt.version.number
        )
        .order_by("-number")
        .first()
    )
    return Certificate.objects.create(
        attempt=attempt,
        user=attempt.user,
        version=attempt.version,
        code=_verification_code(),
        issued_at=issued,
        expires_at=issued + relativedelta(months=months),
        refresh_needed_for=superseded_by,
    )


def _verification_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _locked(attempt: Attempt, *, user: User) -> Attempt:
    """The attempt's row, locked until the transaction ends, if it is the person's own.

    Only the row is read again: its version is the one `attempt` came with (an attempt keeps
    its version, and a published version never changes), so the snapshot, tens of kilobytes,
    is not fetched and parsed a second time on every answer.
    """
    locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if locked.user_id != user.pk:
        raise PermissionDenied("This attempt is not yours.")
    locked.version = attempt.version
    locked.user = user
    return locked


CONFIDENCE_RANGE = range(1, 6)


def _confidence_check(confidence: int) -> None:
    if confidence not in CONFIDENCE_RANGE:
        raise ValidationError({"confidence": "Choose how confident you feel, from 1 to 5"})
