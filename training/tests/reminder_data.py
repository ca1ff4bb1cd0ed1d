"""Building blocks of the reminder-email tests: assignments and certificates with any dates,
and the whole pipeline (plan the day's reminders, then send the outbox) run on a chosen day.

Shared by training/tests/test_reminders.py and the portal's outbox and email-page tests.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from portal import tasks as portal_tasks
from portal.models import User
from training import services
from training.models import Assignment, AssignmentRule, Attempt, Certificate, Module
from training.tests.factories import INDICATORS, small_module

LONDON = ZoneInfo("Europe/London")
PLANNING_TIME = time(7, 0)  # when beat plans each morning (portal/celery.py)


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def published_module() -> Module:
    """The small test module, published as version 1 in the national library."""
    services.indicators_load(data=INDICATORS)
    module, _ = services.module_load_from_json(data=small_module())
    return module


def assignment_due(user: User, module: Module, due_on: date) -> Assignment:
    """An open assignment of module to user, due on due_on (made directly: any date goes)."""
    rule = AssignmentRule.objects.create(
        authority_id=user.authority_id,
        module=module,
        target=AssignmentRule.Target.PERSON,
        target_user=user,
        due_on=due_on,
    )
    return Assignment.objects.create(
        rule=rule,
        user=user,
        module=module,
        assigned_on=due_on - timedelta(days=30),
        due_on=due_on,
    )


def certificate_expiring(user: User, module: Module, expires_at: datetime) -> Certificate:
    """A certificate of user for module that expires at expires_at (issued a year before)."""
    version = module.versions.get()
    issued_at = expires_at - timedelta(days=365)
    attempt = Attempt.objects.create(
        user=user, version=version, started_at=issued_at, completed_at=issued_at, passed=True
    )
    return Certificate.objects.create(
        attempt=attempt,
        user=user,
        version=version,
        code=f"TEST-{attempt.pk:04d}",
        issued_at=issued_at,
        expires_at=expires_at,
    )


def reminders_plan(day: date, at: time = PLANNING_TIME) -> int:
    """Plan the reminders of day, at that London time on that day; returns rows added."""
    with time_machine.travel(datetime.combine(day, at, tzinfo=LONDON), tick=False):
        return services.reminders_plan(on=day)


def outbox_send(day: date, at: time = PLANNING_TIME) -> list[EmailMultiAlternatives]:
    """Run the sender (eagerly, as in every test) at that London time on day; returns the
    emails it sent."""
    already = len(mail.outbox)
    with time_machine.travel(datetime.combine(day, at, tzinfo=LONDON), tick=False):
        portal_tasks.outbox_send.delay()
    return mail.outbox[already:]


def reminders_run(day: date, at: time = PLANNING_TIME) -> list[EmailMultiAlternatives]:
    """The whole pipeline of one morning: plan day's reminders, then send; returns the emails."""
    reminders_plan(day, at)
    return outbox_send(day, at)


def reminders_calendar(first: date, last: date) -> dict[date, list[str]]:
    """Run the pipeline every morning from first to last; the subjects sent, by day (days
    with none left out)."""
    sent = {}
    day = first
    while day <= last:
        if subjects := [message.subject for message in reminders_run(day)]:
            sent[day] = subjects
        day += timedelta(days=1)
    return sent


def html_of(message: EmailMultiAlternatives) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html
