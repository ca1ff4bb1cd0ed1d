"""Celery application, following Celery's Django recipe (CELERY_ settings namespace)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("threshold")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Beat schedule lives here, in code; each entry says its crontab in words.
app.conf.beat_schedule = {
    # Every 5 minutes: return emails stuck with a dead worker, and send what is due.
    "outbox-sweep": {"task": "portal.tasks.outbox_sweep", "schedule": crontab(minute="*/5")},
    # Every day at 07:00 London time: plan due-soon, overdue and expiry reminders (and, on
    # Mondays, supervisors' weekly digests) into the outbox, then send them.
    "training-reminders": {
        "task": "training.tasks.reminders_plan",
        "schedule": crontab(hour=7, minute=0),
    },
    # Every day at 06:00 London time: refresher assignments for certificates about to expire.
    "training-refreshers": {
        "task": "training.tasks.refreshers_create",
        "schedule": crontab(hour=6, minute=0),
    },
    # Every day at 02:30 London time: delete cases (with their comments, votes and flags)
    # whose authority's retention period has ended; the audit log keeps only the counts.
    "cases-delete-expired": {
        "task": "casenotes.tasks.cases_delete_expired",
        "schedule": crontab(hour=2, minute=30),
    },
}
