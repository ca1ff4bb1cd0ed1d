"""Pure rules of progress: an assignment's status, response tendency and calibration.

No ORM here, so the learner's home, the supervisor's matrix, the CSV exports and the
reminders all agree on what "overdue" or "over-referring" means.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

DUE_SOON_DAYS = 7
EXPIRING_DAYS = 30


class Status(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    COMPLETED = "completed"
    EXPIRING = "expiring"
    CANCELLED = "cancelled"
    NOT_ASSIGNED = "not_assigned"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    Status.OVERDUE: "Overdue",
    Status.DUE_SOON: "Due soon",
    Status.IN_PROGRESS: "In progress",
    Status.NOT_STARTED: "Not started",
    Status.COMPLETED: "Completed",
    Status.EXPIRING: "Certificate expiring",
    Status.CANCELLED: "Cancelled",
    Status.NOT_ASSIGNED: "Not assigned",
}

# The learner's home lists assignments in this order (most urgent first).
URGENCY = [
    Status.OVERDUE,
    Status.DUE_SOON,
    Status.IN_PROGRESS,
    Status.NOT_STARTED,
    Status.COMPLETED,
    Status.EXPIRING,
]


def assignment_status(
    *,
    due_on: date,
    today: date,
    completed: bool,
    cancelled: bool = False,
    in_progress: bool = False,
    certificate_expires_on: date | None = None,
) -> Status:
    """Where one assignment stands today. Due dates are whole days in Europe/London."""
    if cancelled:
        return Status.CANCELLED
    if completed:
        if certificate_expires_on and certificate_expires_on <= today + timedelta(EXPIRING_DAYS):
            return Status.EXPIRING
        return Status.COMPLETED
    if today > due_on:
        return Status.OVERDUE
    if due_on <= today + timedelta(DUE_SOON_DAYS):
        return Status.DUE_SOON
    return Status.IN_PROGRESS if in_progress else Status.NOT_STARTED


def urgency_rank(status: Status) -> int:
    return URGENCY.index(status) if status in URGENCY else len(URGENCY)


def calibration(confidence_after: float | None, share: float | None) -> float | None:
    """Confidence (1–5 mapped to 0–1) minus the share of decisions inside both bands with no
    practice error.

    Positive means more confident than accurate (over-confident); negative, under-confident.
    """
    if confidence_after is None or share is None:
        return None
    return (confidence_after - 1) / 4 - share
