"""Background jobs of the portal. Thin: take ids, call one service, retry on mail errors."""

from __future__ import annotations

import logging
import time

from celery import shared_task
from django.conf import settings

from portal import services

logger = logging.getLogger(__name__)


@shared_task
def password_reset_email_send(email: str, ip_address: str | None) -> bool:
    """Put a reset email in the outbox if the address has an active account; True if so.
    Queued for every request, known address or not (services.password_reset_request), so
    the request itself never looks the address up; the outbox sends and retries."""
    return services.password_reset_email_send(email=email, ip_address=ip_address)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def outbox_send() -> int:
    """Send due outbox rows, a claimed batch at a time; returns how many it handled.

    Idempotent: a redelivered or duplicated task finds nothing left to claim. After
    OUTBOX_SEND_SECONDS it hands back what it claimed but has not sent and queues another run,
    so it ends well inside Celery's time limits: a soft limit would be taken for a failure of
    the email in hand, and a hard limit kills the process, stranding its batch in `sending`.
    """
    stop_at = time.monotonic() + settings.OUTBOX_SEND_SECONDS
    handled = 0
    while ids := services.outbox_claim(batch_size=settings.OUTBOX_BATCH_SIZE):
        for position, email_id in enumerate(ids, start=1):
            services.outbox_send_one(email_id=email_id)
            handled += 1
            if time.monotonic() > stop_at:
                services.outbox_release(email_ids=ids[position:])
                outbox_send_queue()
                return handled
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
    except Exception as error:  # noqa: BLE001 - the broker being down must not fail the caller
        logger.warning("Could not queue outbox sending (%s); the next sweep will catch up.", error)
