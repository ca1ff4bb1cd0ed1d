"""Background jobs of the training app: thin, idempotent, ids only."""

from celery import shared_task

from training import services


@shared_task
def refreshers_create() -> int:
    """Daily: refresher assignments for certificates expiring within the notice period."""
    return services.refreshers_create()
