"""Rows for the progress reports, made directly (no services): hand-made attempts with
chosen distances, assignments with any dates, and a generated team of any size. Each brings
the people's progress read model up to date (services.progress_refresh), as a service would.

Shared by the report tests and bench/team_progress.py.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.utils import timezone

from portal.models import Role, Team, User
from training import responses
from training.models import (
    Answer,
    Assignment,
    AssignmentRule,
    Attempt,
    Certificate,
    Module,
    ModuleVersion,
)
from training.services import progress_refresh
from training.tests.factories import small_module

# A distance is on the safeguarding route, from the band "universal" of the small test
# module's d1 and d2 (room for -2 to +3); the Prevent route is always inside the step's band.
BAND = "universal"
DECISION_STEPS = {"d1": "none", "d2": "referral"}  # each with its Prevent band


def level_at(distance: int) -> str:
    keys = responses.LEVEL_KEYS[responses.SAFEGUARDING]
    return keys[keys.index(BAND) + distance]


def _answer(attempt: Attempt, position: int, step_key: str, distance: int) -> Answer:
    return Answer(
        attempt=attempt,
        position=position,
        step_key=step_key,
        choice_index=0,
        safeguarding=level_at(distance),
        prevent=DECISION_STEPS[step_key],
        safeguarding_distance=distance,
        points=max(0, 2 - abs(distance)),
    )


def _totals(distances: Sequence[int]) -> dict[str, int]:
    """The totals answer_record keeps on the attempt for these answers."""
    return {
        "within_bands_count": list(distances).count(0),
        "safeguarding_under_count": sum(1 for d in distances if d < 0),
        "safeguarding_over_count": sum(1 for d in distances if d > 0),
    }


def attempt_with(
    user: User,
    version: ModuleVersion,
    distances: Sequence[int],
    *,
    completed: bool = True,
    before: int | None = 2,
    after: int | None = 4,
    percent: int | None = 50,
    at: datetime | None = None,
    critical: bool = False,
) -> Attempt:
    """An attempt whose answers are exactly these signed distances from the safeguarding
    band (inside the Prevent band); `critical` makes each under-reaction a critical miss (as
    on a safety-critical decision), which fails the attempt."""
    at = at or timezone.now()
    attempt = Attempt.objects.create(
        user=user,
        version=version,
        started_at=at - timedelta(minutes=30),
        completed_at=at if completed else None,
        confidence_before=before,
        confidence_after=after if completed else None,
        answer_count=len(distances),
        **_totals(distances),
        critical_miss_count=sum(1 for d in distances if critical and d < 0),
        percent=percent if completed else None,
        passed=bool(completed and percent and percent >= 70 and not critical),
    )
    steps = list(DECISION_STEPS)
    answers = [
        _answer(attempt, position, steps[position % len(steps)], distance)
        for position, distance in enumerate(distances)
    ]
    for answer in answers:
        answer.critical_miss = critical and answer.safeguarding_distance < 0
    Answer.objects.bulk_create(answers)
    progress_refresh(user_ids=[user.pk], module_ids=[version.module_id])
    return attempt


def assign(
    user: User,
    module: Module,
    *,
    due_on: date,
    extended_due_on: date | None = None,
    reason: str = "",
    completed: bool = False,
    cancelled: bool = False,
    certificate: Certificate | None = None,
) -> Assignment:
    """One person's assignment through its own person rule, with any dates (even past)."""
    rule = AssignmentRule.objects.create(
        authority_id=user.authority_id,
        module=module,
        target=AssignmentRule.Target.PERSON,
        target_user=user,
        due_on=due_on,
    )
    now = timezone.now()
    assignment = Assignment.objects.create(
        rule=rule,
        user=user,
        module=module,
        assigned_on=due_on - timedelta(days=28),
        due_on=due_on,
        extended_due_on=extended_due_on,
        extension_reason=reason,
        completed_at=now if completed or certificate else None,
        completed_by=certificate,
        cancelled_at=now if cancelled else None,
    )
    progress_refresh(user_ids=[user.pk], module_ids=[module.pk])
    return assignment


def modules_with_versions(
    count: int, *, prefix: str = "generated", first: int = 1
) -> list[ModuleVersion]:
    """Published modules of the national library, made in two bulk inserts, numbered from
    `first` ("Module 01")."""
    snapshot = small_module()
    modules = Module.objects.bulk_create(
        Module(
            key=f"{prefix}-{n:02d}",
            title=f"Module {n:02d}",
            summary="Generated.",
            confidence_topic="a concern",
            learning_outcomes="One",
            has_unpublished_changes=False,
        )
        for n in range(first, first + count)
    )
    return ModuleVersion.objects.bulk_create(
        ModuleVersion(module=module, number=1, snapshot={**snapshot, "title": module.title})
        for module in modules
    )


def generated_team(
    team: Team,
    *,
    people: int,
    versions: Sequence[ModuleVersion],
    seed: int = 1,
    first: int = 0,
) -> list[User]:
    """A team of practitioners, each assigned every module: some done (attempts with eight
    answers), some overdue, some extended, some in progress, some not started. They are
    numbered from `first` ("Person 0000"), so a team can grow in several calls."""
    rng = random.Random(seed)
    today = timezone.localdate()
    members = User.objects.bulk_create(
        User(
            email=f"person{n:04d}@{team.pk}.example",
            full_name=f"Person {n:04d}",
            role=Role.PRACTITIONER,
            authority_id=team.authority_id,
            team=team,
            password="!",
        )
        for n in range(first, first + people)
    )
    rules = AssignmentRule.objects.bulk_create(
        AssignmentRule(
            authority_id=team.authority_id,
            module_id=version.module_id,
            target=AssignmentRule.Target.TEAM,
            target_team=team,
            due_on=today,
        )
        for version in versions
    )
    assignments, attempts = [], []
    now = timezone.now()
    for person in members:
        for rule, version in zip(rules, versions, strict=True):
            roll = rng.random()
            done = roll < 0.5
            due = today + timedelta(days=rng.randint(-30, 30))
            assignments.append(
                Assignment(
                    rule=rule,
                    user=person,
                    module_id=version.module_id,
                    assigned_on=due - timedelta(days=28),
                    due_on=due,
                    extended_due_on=due + timedelta(days=14) if 0.5 <= roll < 0.6 else None,
                    extension_reason="Long-term sick leave" if 0.5 <= roll < 0.6 else "",
                    completed_at=now if done else None,
                )
            )
            if done or roll > 0.9:
                attempts.append(
                    Attempt(
                        user=person,
                        version=version,
                        started_at=now - timedelta(days=rng.randint(1, 60)),
                        completed_at=now if done else None,
                        confidence_before=rng.randint(1, 5),
                        confidence_after=rng.randint(1, 5) if done else None,
                        answer_count=8,
                        percent=rng.randint(30, 100) if done else None,
                    )
                )
    distances = [[rng.randint(-2, 2) for _ in range(8)] for _ in attempts]
    for attempt, chosen in zip(attempts, distances, strict=True):
        for name, value in _totals(chosen).items():
            setattr(attempt, name, value)
    Assignment.objects.bulk_create(assignments)
    Attempt.objects.bulk_create(attempts)
    Answer.objects.bulk_create(
        _answer(attempt, position, "d1", distance)
        for attempt, chosen in zip(attempts, distances, strict=True)
        for position, distance in enumerate(chosen)
    )
    progress_refresh(user_ids=[person.pk for person in members])
    return members
