"""Debriefs: a supervisor records talking a critical miss through with the learner."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from portal import services as portal_services
from portal.models import AuditAction, User
from training import access
from training.models import Answer, CriticalMissDebrief

NOTE_MAX_LENGTH = 500


@transaction.atomic
def debrief_record(
    *,
    supervisor: User,
    answer: Answer,
    held_on: date,
    note: str,
    request: HttpRequest | None = None,
) -> CriticalMissDebrief:
    """Record the debrief of a critical miss, once per miss. The note is about the training,
    never a case, so it is kept as written (plain text, at most 500 characters)."""
    person = answer.attempt.user
    if not access.can_debrief(supervisor, person):
        raise PermissionDenied("Only the person's supervisor or authority admin can debrief.")
    note = note.strip()
    if not answer.critical_miss:
        raise ValidationError("Only a critical miss is debriefed.")
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "The debrief date must be today or in the past"})
    if held_on < timezone.localdate(answer.answered_at):
        raise ValidationError({"held_on": "The debrief date must be on or after the miss"})
    if not note:
        raise ValidationError({"note": "Say what you talked about"})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": f"Keep the note to {NOTE_MAX_LENGTH} characters or fewer"})
    try:
        with transaction.atomic():
            debrief = CriticalMissDebrief.objects.create(
                answer=answer, supervisor=supervisor, held_on=held_on, note=note
            )
    except IntegrityError as error:
        raise ValidationError("This critical miss has already been debriefed.") from error
    portal_services.audit_record(
        action=AuditAction.CRITICAL_MISS_DEBRIEFED,
        actor=supervisor,
        subject=person,
        request=request,
        detail={"module": answer.attempt.version.module.title, "step": answer.step_key},
    )
    return debrief
