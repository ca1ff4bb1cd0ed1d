"""Background jobs of the training app: thin, idempotent, ids only."""

from celery import shared_task
from django.db import transaction

from portal.tasks import outbox_send_queue
from training import services


@shared_task
def refreshers_create() -> int:
    """Daily: refresher assignments for certificates expiring within the notice period."""
    return services.refreshers_create()


@shared_task
def reminders_plan() -> int:
    """Daily: plan today's reminders (and Monday's digests) into the outbox, then send."""
    planned = services.reminders_plan()
    transaction.on_commit(outbox_send_queue)
    return planned
