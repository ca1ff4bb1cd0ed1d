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
    """0 the day after the due date, then 1, 2, 3 at each following week; None before the
    first notice and after the last one's week."""
    if not 1 <= days_overdue <= OVERDUE_EVERY_DAYS * OVERDUE_TIMES:
        return None
    return (days_overdue - 1) // OVERDUE_EVERY_DAYS


def assignment_step(due_on: date, on: date) -> tuple[str, str] | None:
    """The (kind, step) of reminder an open assignment due on due_on calls for on day on.

    The planner plans it; the sender checks it again at send time, so a reminder held up past
    its moment (a due-soon one after the due date, an overdue one into the next week) is
    skipped rather than sent late with the wrong words.
    """
    days_until = (due_on - on).days
    if (step := due_soon_step(days_until)) is not None:
        return EmailKind.DUE_SOON, step
    if (week := overdue_step(-days_until)) is not None:
        return EmailKind.OVERDUE, str(week)
    return None


def digest_week(on: date) -> str:
    """The ISO week of a supervisor's digest, as its key names it: '2026-W23'."""
    year, week, _ = on.isocalendar()
    return f"{year}-W{week:02d}"


def key_for(kind: str, object_id: int, *parts: object) -> str:
    return ":".join([kind, str(object_id), *map(str, parts)])


def assignment_key_parts(key: str) -> tuple[date, str]:
    """The due date and step an assignment reminder was planned for (kind:id:due:step)."""
    _, _, due_on, step = key.split(":")
    return date.fromisoformat(due_on), step


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
        if (reminder := assignment_step(due, on)) is None:
            continue
        kind, step = reminder
        yield PlannedEmail(
            key=key_for(kind, assignment_id, due, step),
            kind=kind,
            user_id=user_id,
            authority_id=authority_id,
            object_id=assignment_id,
        )


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
    rows = (
        User.objects.filter(role=Role.SUPERVISOR, is_active=True, team__isnull=False)
        .values_list("id", "authority_id")
        .order_by()
        .iterator(chunk_size=BATCH_SIZE)
    )
    for user_id, authority_id in rows:
        yield PlannedEmail(
            key=key_for(EmailKind.SUPERVISOR_DIGEST, user_id, digest_week(on)),
            kind=EmailKind.SUPERVISOR_DIGEST,
            user_id=user_id,
            authority_id=authority_id,
        )
