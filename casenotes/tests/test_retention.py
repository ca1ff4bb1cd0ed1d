"""Retention: cases past their authority's period are deleted nightly with their discussion;
the audit log keeps a count per authority and nothing else."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from casenotes import tasks
from casenotes.models import Case, Comment, ConsensusVote, Flag
from casenotes.tests.case_factories import CaseFactory, CommentFactory, VoteFactory
from portal.celery import app as celery_app
from portal.models import AuditAction, AuditEvent

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 6, 10)


@pytest.fixture(autouse=True)
def _at_half_past_two():
    with time_machine.travel(datetime(2026, 6, 10, 2, 30, tzinfo=LONDON), tick=False):
        yield


def discussed_case(author, *, delete_after: date, commenter) -> Case:
    case = CaseFactory(author=author, delete_after=delete_after)
    comment = CommentFactory(case=case, author=commenter)
    VoteFactory(case=case, voter=commenter)
    Flag.objects.create(case=case, comment=comment, raised_by=commenter, reason="Names a school")
    return case


def test_it_deletes_expired_cases_with_their_comments_votes_and_flags(alice, bob):
    discussed_case(alice, delete_after=TODAY - timedelta(days=1), commenter=bob)
    assert tasks.cases_delete_expired.delay().get() == 1
    assert not Case.objects.exists()
    assert not Comment.objects.exists()
    assert not ConsensusVote.objects.exists()
    assert not Flag.objects.exists()


def test_it_keeps_cases_not_yet_due(alice, bob):
    kept = [
        discussed_case(alice, delete_after=TODAY, commenter=bob),
        discussed_case(alice, delete_after=TODAY + timedelta(days=1), commenter=bob),
    ]
    assert tasks.cases_delete_expired.delay().get() == 0
    assert set(Case.objects.all()) == set(kept)
    assert Comment.objects.count() == ConsensusVote.objects.count() == 2
    assert not AuditEvent.objects.exists()


def test_it_audits_only_the_count_for_each_authority(alice, bob, charlie):
    for _ in range(2):
        discussed_case(alice, delete_after=TODAY - timedelta(days=30), commenter=bob)
    discussed_case(charlie, delete_after=TODAY - timedelta(days=1), commenter=charlie)
    tasks.cases_delete_expired.delay().get()
    events = AuditEvent.objects.filter(action=AuditAction.CASES_DELETED)
    assert {(event.authority_id, json.dumps(event.detail)) for event in events} == {
        (alice.authority_id, '{"count": 2}'),
        (charlie.authority_id, '{"count": 1}'),
    }
    assert all(event.actor_id is None and event.subject_id is None for event in events)


def test_it_does_nothing_more_when_run_again(alice, bob):
    discussed_case(alice, delete_after=TODAY - timedelta(days=1), commenter=bob)
    tasks.cases_delete_expired.delay().get()
    assert tasks.cases_delete_expired.delay().get() == 0
    assert AuditEvent.objects.count() == 1


def test_it_runs_every_day_at_half_past_two_london_time():
    entry = celery_app.conf.beat_schedule["cases-delete-expired"]
    assert entry["task"] == tasks.cases_delete_expired.name
    schedule = entry["schedule"]
    assert (schedule.hour, schedule.minute) == ({2}, {30})
    assert schedule.day_of_week == set(range(7))
    assert settings.CELERY_TIMEZONE == "Europe/London"
