"""The email outbox: plan rows once per key, claim them, send each once, retry, sweep.

Delivery bound: a row is marked sent in its own transaction right after the backend accepts
it, so a sending process killed at any moment loses nothing and can repeat at most the one
email it was handing to the backend: one per process, so up to N for a prefork worker with
`--concurrency N` killed outright. That row and the rest of the dead process's batch stay
`sending` until the sweeper returns them to `pending` after OUTBOX_SENDING_TIMEOUT. The killed
`outbox_send` task (acks_late) stays unacknowledged until Redis redelivers it after the
broker's visibility_timeout (CELERY_BROKER_TRANSPORT_OPTIONS, an hour), when it finds nothing
left to do; meanwhile the sweep's own `outbox_send` carries on. A sending task hands over after
OUTBOX_SEND_SECONDS, far inside that hour, so a slow batch is never started twice.
portal/tests/test_outbox_worker.py kills a real worker mid-batch to check all this.

Planning, claiming, sending, releasing and sweeping are the workers' and the beat's: no
person acts, so they check no permission. Retrying and email preferences are a person's.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from portal import access, outbox
from portal.models import EmailKind, EmailPreference, OutboxEmail, User

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlannedEmail:
    key: str
    kind: str
    user_id: int
    authority_id: int | None
    object_id: int | None = None


def outbox_plan(*, emails: Iterable[PlannedEmail]) -> int:
    """Insert rows for keys not seen before; planning the same thing twice adds nothing.

    Returns how many rows were new when it looked: two planners racing may both count a row
    that only one of them inserts. One query to find existing keys and one insert per batch,
    whatever the number of rows.
    """
    planned = {email.key: email for email in emails}
    if not planned:
        return 0
    existing = set(
        OutboxEmail.objects.filter(idempotency_key__in=list(planned)).values_list(
            "idempotency_key", flat=True
        )
    )
    rows = [
        OutboxEmail(
            idempotency_key=email.key,
            kind=email.kind,
            user_id=email.user_id,
            authority_id=email.authority_id,
            object_id=email.object_id,
        )
        for key, email in planned.items()
        if key not in existing
    ]
    # ignore_conflicts: a second planner racing this one loses quietly, never doubles.
    OutboxEmail.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


def outbox_claim(*, batch_size: int) -> list[int]:
    """Take up to batch_size due rows for this worker; concurrent workers skip locked rows."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxEmail.Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:batch_size]
        )
        OutboxEmail.objects.filter(id__in=ids, status=OutboxEmail.Status.PENDING).update(
            status=OutboxEmail.Status.SENDING, claimed_at=now
        )
    return ids


def outbox_send_one(*, email_id: int) -> str:
    """Render and send one claimed row, then record the outcome; returns the new status."""
    email = (
        OutboxEmail.objects.select_related("user__authority")
        .filter(pk=email_id, status=OutboxEmail.Status.SENDING)
        .first()
    )
    if email is None:
        return "gone"
    try:
        rendered = _render_if_wanted(email)
        if rendered is None:
            return _mark(email, OutboxEmail.Status.SKIPPED)
        message = EmailMultiAlternatives(
            subject=rendered.subject, body=rendered.text, to=[rendered.to],
            headers=rendered.headers,
        )  # fmt: skip
        message.attach_alternative(rendered.html, "text/html")
        message.send()
    except Exception as error:  # noqa: BLE001 - every failure is recorded and retried
        return _failed(email, error)
    return _mark(email, OutboxEmail.Status.SENT, sent_at=timezone.now())


def _render_if_wanted(email: OutboxEmail) -> outbox.Rendered | None:
    user = email.user
    if not user.is_active or not email_kind_wanted(user=user, kind=email.kind):
        return None
    return outbox.renderer_for(email.kind)(email)


def _mark(email: OutboxEmail, status: str, **fields) -> str:
    OutboxEmail.objects.filter(pk=email.pk, status=OutboxEmail.Status.SENDING).update(
        status=status, **fields
    )
    return status


def _failed(email: OutboxEmail, error: Exception) -> str:
    """Retry with exponential backoff (1, 2, 4 … minutes) until the limit, then `failed`."""
    attempts = email.attempts + 1
    summary = _error_summary(error)
    logger.warning("Outbox email %s failed (attempt %s): %s", email.pk, attempts, summary)
    if attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        return _mark(email, OutboxEmail.Status.FAILED, attempts=attempts, last_error=summary)
    delay = timedelta(minutes=2 ** (attempts - 1))
    return _mark(
        email,
        OutboxEmail.Status.PENDING,
        attempts=attempts,
        last_error=summary,
        next_attempt_at=timezone.now() + delay,
    )


def _error_summary(error: Exception) -> str:
    """The exception's type and the mail server's reply, for the outbox page: never a
    rendered body or a traceback."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        detail = "; ".join(
            f"{address}: {code} {_text(reply)}"
            for address, (code, reply) in error.recipients.items()
        )
    elif isinstance(error, smtplib.SMTPResponseException):
        detail = f"{error.smtp_code} {_text(error.smtp_error)}"
    else:
        detail = str(error)
    return f"{type(error).__name__}: {detail}"[:1000]


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


def outbox_release(*, email_ids: list[int]) -> int:
    """Hand back claimed rows unsent (their sender ran out of time) for the next sender."""
    return OutboxEmail.objects.filter(id__in=email_ids, status=OutboxEmail.Status.SENDING).update(
        status=OutboxEmail.Status.PENDING, claimed_at=None
    )


def outbox_sweep() -> int:
    """Return rows stuck in `sending` (their worker died) to `pending`."""
    stale = timezone.now() - timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT)
    return OutboxEmail.objects.filter(
        status=OutboxEmail.Status.SENDING, claimed_at__lt=stale
    ).update(status=OutboxEmail.Status.PENDING, claimed_at=None)


def outbox_retry(*, by: User, email_ids: Iterable[int]) -> int:
    """An authority admin sends failed emails of their own authority again; ids of other
    authorities' emails are ignored."""
    if not access.can_manage_authority(by):
        raise PermissionDenied("Only authority admins can retry their authority's emails.")
    return OutboxEmail.objects.filter(
        authority_id=by.authority_id, id__in=list(email_ids), status=OutboxEmail.Status.FAILED
    ).update(status=OutboxEmail.Status.PENDING, attempts=0, next_attempt_at=timezone.now())


def email_kind_wanted(*, user: User, kind: str) -> bool:
    """Mandatory kinds of the person's authority always arrive; others unless opted out."""
    if user.authority_id and kind in (user.authority.mandatory_email_kinds or []):
        return True
    return not EmailPreference.objects.filter(user=user, kind=kind).exists()


def email_preferences_set(*, user: User, wanted: Iterable[str]) -> None:
    """Opt out of every kind not in wanted, except the authority's mandatory ones."""
    mandatory = set(user.authority.mandatory_email_kinds or []) if user.authority_id else set()
    unwanted = set(EmailKind.values) - set(wanted) - mandatory
    with transaction.atomic():
        EmailPreference.objects.filter(user=user).exclude(kind__in=unwanted).delete()
        EmailPreference.objects.bulk_create(
            [EmailPreference(user=user, kind=kind) for kind in unwanted], ignore_conflicts=True
        )
