"""Reminder emails: decide what is due today and plan it into the outbox, once per key.

Keys (the outbox's idempotency keys) name the kind, the object, the due date and the step, so
planning twice — or two beats planning at once — adds nothing, and an extended due date plans
afresh for the new date while the renderer drops reminders for the old one.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from itertools import islice

from django.db.models import DateField, Exists, OuterRef
from django.db.models.functions import Coalesce

from portal.models import EmailKind, Role, User
from portal.services import PlannedEmail, outbox_plan
from training.models import Assignment, Certificate
from training.services.assignments import today

BATCH_SIZE = 1000
DUE_SOON_DAYS = (7, 1)
OVERDUE_EVERY_DAYS = 7
OVERDUE_TIMES = 4
EXPIRY_NOTICE_DAYS = 30


def due_soon_step(days_until_due: int) -> str | None:
    """'7d' inside the week before (from 7 days out), '1d' on the last day; else None."""
    if 2 <= days_until_due <= DUE_SOON_DAYS[0]:
        return "7d"
    if 0 <= days_until_due <= DUE_SOON_DAYS[1]:
        return "1d"
    return None


def overdue_step(days_overdue: int) -> int | None:
    """0 the day after the due date, then 1, 2, 3 at each following week; None before."""
    if days_overdue < 1:
        return None
    return min((days_overdue - 1) // OVERDUE_EVERY_DAYS, OVERDUE_TIMES - 1)


def key_for(kind: str, object_id: int, *parts: object) -> str:
    return ":".join([kind, str(object_id), *map(str, parts)])


def due_date_in_key(key: str) -> date:
    """The due date an assignment reminder was planned for (third part of its key)."""
    return date.fromisoformat(key.split(":")[2])


def reminders_plan(*, on: date | None = None) -> int:
    """Plan every reminder due on the given day (today in London); returns rows added."""
    on = on or today()
    added = 0
    for batch in _batches(_assignment_reminders(on)):
        added += outbox_plan(emails=batch)
    for batch in _batches(_certificate_reminders(on)):
        added += outbox_plan(emails=batch)
    if on.weekday() == 0:  # Mondays
        for batch in _batches(_supervisor_digests(on)):
            added += outbox_plan(emails=batch)
    return added


def _batches(items: Iterator[PlannedEmail]) -> Iterator[list[PlannedEmail]]:
    while batch := list(islice(items, BATCH_SIZE)):
        yield batch


def _assignment_reminders(on: date) -> Iterator[PlannedEmail]:
    last_overdue_day = OVERDUE_EVERY_DAYS * OVERDUE_TIMES
    rows = (
        Assignment.objects.filter(
            completed_at__isnull=True, cancelled_at__isnull=True, user__is_active=True
        )
        .annotate(due=Coalesce("extended_due_on", "due_on", output_field=DateField()))
        .filter(due__gte=on - timedelta(days=last_overdue_day), due__lte=on + timedelta(7))
        .values_list("id", "user_id", "user__authority_id", "due")
        .order_by()
        .iterator(chunk_size=BATCH_SIZE)
    )
    for assignment_id, user_id, authority_id, due in rows:
        days_until = (due - on).days
        if (step := due_soon_step(days_until)) is not None:
            kind, key = EmailKind.DUE_SOON, key_for(EmailKind.DUE_SOON, assignment_id, due, step)
        elif (week := overdue_step(-days_until)) is not None:
            kind, key = EmailKind.OVERDUE, key_for(EmailKind.OVERDUE, assignment_id, due, week)
        else:
            continue
        yield PlannedEmail(
            key=key, kind=kind, user_id=user_id, authority_id=authority_id,
            object_id=assignment_id,
        )  # fmt: skip


def _certificate_reminders(on: date) -> Iterator[PlannedEmail]:
    horizon = on + timedelta(EXPIRY_NOTICE_DAYS)
    renewed = Certificate.objects.filter(
        user=OuterRef("user"),
        version__module=OuterRef("version__module"),
        expires_at__date__gt=horizon,
    )
    rows = (
        Certificate.objects.filter(
            expires_at__date__gt=on, expires_at__date__lte=horizon, user__is_active=True
        )
        .filter(~Exists(renewed))
        .values_list("id", "user_id", "user__authority_id")
        .order_by()
        .iterator(chunk_size=BATCH_SIZE)
    )
    for certificate_id, user_id, authority_id in rows:
        yield PlannedEmail(
            key=key_for(EmailKind.CERTIFICATE_EXPIRING, certificate_id),
            kind=EmailKind.CERTIFICATE_EXPIRING,
            user_id=user_id,
            authority_id=authority_id,
            object_id=certificate_id,
        )


def _supervisor_digests(on: date) -> Iterator[PlannedEmail]:
    year, week, _ = on.isocalendar()
    rows = (
        User.objects.filter(role=Role.SUPERVISOR, is_active=True, team__isnull=False)
        .values_list("id", "authority_id")
        .order_by()
        .iterator(chunk_size=BATCH_SIZE)
    )
    for user_id, authority_id in rows:
        yield PlannedEmail(
            key=key_for(EmailKind.SUPERVISOR_DIGEST, user_id, f"{year}-W{week:02d}"),
            kind=EmailKind.SUPERVISOR_DIGEST,
            user_id=user_id,
            authority_id=authority_id,
        )
