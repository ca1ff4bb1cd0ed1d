"""Background jobs of the portal. Thin: take ids, call one service, retry on mail errors."""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from django.conf import settings

from portal import services
from portal.models import User

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def welcome_email_send(user_id: int) -> bool:
    """Email a new person their set-password link; True if sent.

    The link is made here, at send time, so it never rests in the broker or the database.
    Someone who has already chosen a password (or been deactivated) gets nothing.
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return False
    services.welcome_email_send(user=user)
    return True


@shared_task(acks_late=True, reject_on_worker_lost=True)
def outbox_send() -> int:
    """Send every due outbox row, a claimed batch at a time; returns how many it handled.

    Idempotent: a redelivered or duplicated task finds nothing left to claim.
    """
    handled = 0
    while ids := services.outbox_claim(batch_size=settings.OUTBOX_BATCH_SIZE):
        for email_id in ids:
            services.outbox_send_one(email_id=email_id)
        handled += len(ids)
    return handled


@shared_task
def outbox_sweep() -> int:
    """Every few minutes: rows whose worker died go back to pending, then sending resumes."""
    returned = services.outbox_sweep()
    outbox_send_queue()
    return returned


def outbox_send_queue() -> None:
    """Ask a worker to send; with the broker down, log it and let the next sweep catch up."""
    try:
        outbox_send.delay()
    except Exception:  # noqa: BLE001 - the broker being down must not fail the caller
        logger.warning("Could not queue outbox sending; the next sweep will catch up.")
