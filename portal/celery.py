"""Celery application, following Celery's Django recipe (CELERY_ settings namespace)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("threshold")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Beat schedule lives here, in code; each entry says its crontab in words.
app.conf.beat_schedule = {}
