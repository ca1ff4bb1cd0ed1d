"""Background jobs of case discussion: thin, idempotent."""

from celery import shared_task

from casenotes import services


@shared_task
def cases_delete_expired() -> int:
    """Daily: delete cases past their authority's retention period, with their discussion."""
    return services.cases_delete_expired()
