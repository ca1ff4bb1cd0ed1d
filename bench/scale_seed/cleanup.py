"""Removing an earlier run's scale data, so the seed can run again without duplicating.

Scale data is everything of the authorities named "Scale Authority NN": their people, teams,
modules, rules and cases, and whatever hangs off those (attempts by their people or at their
modules, comments and votes by their people). The big tables go with one DELETE each, children
first; the few thousand users, modules, teams and authorities go through the ORM, so Django
clears whatever else points at them (second-factor devices, audit events' actors, sessions'
…) and refuses, rather than silently breaking, if something still protects them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from bench.scale_seed.people import AUTHORITY_PREFIX
from bench.scale_seed.tables import raw_delete
from casenotes.models import Case, Comment, ConsensusVote, Flag
from portal.models import AuditEvent, Authority, OutboxEmail, Team, User
from training.models import (
    Answer,
    Assignment,
    AssignmentRule,
    Attempt,
    Certificate,
    Module,
    ModuleProgress,
    ModuleVersion,
)

STEPS = 18


def scale_data_exists() -> bool:
    return Authority.objects.filter(name__startswith=AUTHORITY_PREFIX).exists()


def scale_data_remove(on_step: Callable[[int], None] = lambda done: None) -> int:
    """Delete the previous run's data, children before parents; returns the rows removed."""
    authorities = Authority.objects.filter(name__startswith=AUTHORITY_PREFIX).values("pk")
    people = User.objects.filter(authority__in=authorities).values("pk")
    modules = Module.objects.filter(authority__in=authorities).values("pk")
    versions = ModuleVersion.objects.filter(module__in=modules).values("pk")
    cases = Case.objects.filter(authority__in=authorities).values("pk")
    comments = Comment.objects.filter(Q(case__in=cases) | Q(author__in=people)).values("pk")
    attempts = Attempt.objects.filter(Q(user__in=people) | Q(version__in=versions)).values("pk")
    certificates = Certificate.objects.filter(
        Q(attempt__in=attempts) | Q(refresh_needed_for__in=versions)
    ).values("pk")
    rules = AssignmentRule.objects.filter(
        Q(authority__in=authorities) | Q(module__in=modules) | Q(target_user__in=people)
    ).values("pk")
    steps = [
        ModuleProgress.objects.filter(Q(user__in=people) | Q(module__in=modules)),
        Flag.objects.filter(Q(case__in=cases) | Q(raised_by__in=people) | Q(comment__in=comments)),
        ConsensusVote.objects.filter(Q(case__in=cases) | Q(voter__in=people)),
        Comment.objects.filter(pk__in=comments),
        Case.indicators.through.objects.filter(case__in=cases),
        Case.objects.filter(pk__in=cases),
        Assignment.objects.filter(
            Q(user__in=people)
            | Q(rule__in=rules)
            | Q(completed_by__in=certificates)
            | Q(refresher_for__in=certificates)
        ),
        AssignmentRule.objects.filter(pk__in=rules),
        Certificate.objects.filter(pk__in=certificates),
        Answer.objects.filter(attempt__in=attempts),
        Attempt.objects.filter(pk__in=attempts),
        OutboxEmail.objects.filter(Q(user__in=people) | Q(authority__in=authorities)),
        AuditEvent.objects.filter(authority__in=authorities),
        ModuleVersion.objects.filter(pk__in=versions),
    ]
    removed = 0
    for done, queryset in enumerate(steps, start=1):
        removed += raw_delete(queryset)
        on_step(done)
    # Through the ORM: cascades (drafts, devices) and SET_NULLs (authorship) elsewhere.
    for done, queryset in enumerate(
        [
            Module.objects.filter(pk__in=modules),
            User.objects.filter(pk__in=people),
            Team.objects.filter(authority__in=authorities),
            Authority.objects.filter(pk__in=authorities),
        ],
        start=len(steps) + 1,
    ):
        removed += queryset.delete()[0]
        on_step(done)
    return removed
