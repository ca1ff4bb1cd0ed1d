"""A realistic, large dataset for benchmarking pages (`manage.py seed_scale`).

Ten authorities of staff with teams (one of exactly 200 people, the size the supervisor's
matrix is benchmarked at), forty published modules, standing assignment rules and each
person's assignments, a quarter of a million attempts with their answers and certificates,
and twenty thousand cases with two hundred thousand comments. Same `seed`, same data
(dated relative to the day it runs).

Speed comes from writing rows built in memory with their own ids, in batches, by COPY on
PostgreSQL (tables.BulkWriter); the only per-row ORM work is the module copies, which go
through the library service so their drafts and snapshots are exactly an author's. What the
services would keep alongside (the progress read model, the cases' search vectors) is then
computed by the services' own functions.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from io import StringIO
from typing import Protocol

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from bench.scale_seed import cleanup, learning, modules, people
from bench.scale_seed.cases import CaseWriter, spread
from bench.scale_seed.tables import sequences_reset
from casenotes.models import Case, Comment, ConsensusVote, Flag
from casenotes.services import case_search_vector_refresh
from portal.models import Authority, Role, Team, User
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
from training.services import progress_rebuild

PASSWORD = "threshold-scale-2026"  # noqa: S105 - benchmark accounts, printed on purpose
COUNTED = [
    Authority, Team, User, Module, ModuleVersion, AssignmentRule, Assignment, Attempt, Answer,
    Certificate, ModuleProgress, Case, Comment, ConsensusVote, Flag,
]  # fmt: skip
WRITTEN_WITH_IDS = [
    Authority, Team, User, AssignmentRule, Attempt, Certificate, Case, Comment,
    Case.indicators.through, Answer, Assignment, ConsensusVote, Flag,
]  # fmt: skip


@dataclass(frozen=True)
class ScaleOptions:
    authorities: int = 10
    staff: int = 5000
    modules: int = 40
    attempts: int = 250_000
    cases: int = 20_000
    comments: int = 200_000
    team_size: int = 200
    seed: int = 1
    batch_size: int = 10_000


class Progress(Protocol):
    """How a phase reports: its size once, then how much is done (a running total)."""

    def start(self, phase: str, total: int) -> None: ...

    def advance(self, done: int) -> None: ...

    def finish(self) -> None: ...


class _Silent:
    def start(self, phase: str, total: int) -> None:
        pass

    def advance(self, done: int) -> None:
        pass

    def finish(self) -> None:
        pass


@dataclass
class BenchLogins:
    practitioner: str
    attempt_pk: int | None  # the practitioner's attempt under way, with answers
    supervisor: str
    author: str
    authority_admin: str
    team: str
    team_size: int
    case_pk: int
    case_comments: int
    case_votes: int


@dataclass
class ScaleReport:
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    removed: int = 0
    logins: BenchLogins | None = None

    @property
    def elapsed(self) -> float:
        return sum(self.timings.values())


def seed_scale(*, options: ScaleOptions, progress: Progress | None = None) -> ScaleReport:
    """Replace any earlier scale data with a fresh dataset; all in one transaction, so a
    failed run leaves the database as it was."""
    progress = progress or _Silent()
    report = ScaleReport()
    now = timezone.now()

    @contextmanager
    def phase(name: str, total: int) -> Iterator[Callable[[int], None]]:
        started = time.perf_counter()
        progress.start(name, total)
        yield progress.advance
        progress.advance(total)
        progress.finish()
        report.timings[name] = time.perf_counter() - started

    def rng(name: str) -> random.Random:
        # One stream per phase: changing how much one phase draws leaves the others alone.
        return random.Random(f"{options.seed}:{name}")  # noqa: S311 - test data, not secrets

    with transaction.atomic():
        if cleanup.scale_data_exists():
            with phase("clean up", cleanup.STEPS) as advance:
                report.removed = cleanup.scale_data_remove(advance)
        with phase("library", 1):
            call_command("load_library", stdout=StringIO())
        with phase("people", options.staff):
            world = people.world_create(
                rng=rng("people"),
                now=now,
                authorities=options.authorities,
                staff=options.staff,
                team_size=options.team_size,
                # Hashed once: every account shares it, and hashing 5,000 times takes minutes.
                password_hash=make_password(PASSWORD),
            )
        copies = max(options.modules - len(list(modules.LIBRARY_MODULES.glob("*.json"))), 0)
        with phase("modules", copies) as advance:
            copied = modules.module_copies_create(
                world=world, count=copies, now=now, on_each=advance
            )
        with phase("rules", 1):
            national = list(
                Module.objects.filter(authority__isnull=True, versions__isnull=False)
                .distinct()
                .values_list("pk", flat=True)
            )
            playables = modules.playables_load(national + [m.pk for m in copied])
            plan = learning.rules_plan(world=world, playables=playables, rng=rng("rules"), now=now)
        with phase("training", options.attempts) as advance:
            _training_write(world, plan, playables, options, rng("training"), now, advance)
        with phase("progress", 1):  # written directly above, so the read model is rebuilt
            progress_rebuild()
        with phase("cases", options.cases + options.comments) as advance:
            writer = CaseWriter(
                world=world, rng=rng("cases"), now=now, batch_size=options.batch_size
            )
            case_pk = writer.write_all(
                cases=options.cases,
                comments=options.comments,
                on_cases=advance,
                on_comments=lambda done: advance(options.cases + done),
            )
            # Written directly, so their search vectors are computed as the services would.
            case_search_vector_refresh(case_ids=Case.objects.values("pk"))
        sequences_reset(WRITTEN_WITH_IDS)
        committing = time.perf_counter()
    # PostgreSQL checks the (deferred) foreign keys of every row written at commit.
    report.timings["commit"] = time.perf_counter() - committing
    with phase("statistics", 1):
        _analyze()
        report.counts = {
            model._meta.verbose_name_plural: model.objects.count() for model in COUNTED
        }
    report.logins = _bench_logins(world, case_pk)
    return report


def _training_write(
    world: people.World,
    plan: learning.Plan,
    playables: list[modules.Playable],
    options: ScaleOptions,
    rng: random.Random,
    now: datetime,
    advance: Callable[[int], None],
) -> None:
    """Each person's share of the attempts (a long tail: some keen, some barely started);
    whatever one person cannot use passes to the next."""
    writer = learning.TrainingWriter(
        rng=rng, now=now, batch_size=options.batch_size, playables=playables
    )
    average = options.attempts / len(world.people)
    quotas = spread(options.attempts, len(world.people), rng, cap=int(4 * average) + 1, base=0.5)
    carry = 0
    for number, (person, quota) in enumerate(zip(world.people, quotas, strict=True)):
        carry = writer.person_write(person, plan.duties.get(person.pk, []), quota + carry)
        if number % 50 == 49:
            advance(writer.attempts_added)
    writer.flush()


def _analyze() -> None:
    """Fresh planner statistics, so the first benchmark does not run on guesses; and, outside
    a transaction, a VACUUM too: it clears the previous run's dead rows and marks pages
    all-visible, which index-only scans need."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")


def _bench_logins(world: people.World, case_pk: int) -> BenchLogins:
    """Accounts for the page benchmarks. The practitioner is one of the big team's with an
    overdue assignment and an attempt under way that has answers, so the learner's home, a
    scenario step and an answer's feedback all have something to show."""
    first = world.authorities[0]
    team = world.big_team
    candidates = [p.pk for p in (team.members if team else first.people)]
    candidates = (
        list(
            User.objects.filter(pk__in=candidates, role=Role.PRACTITIONER).values_list(
                "pk", flat=True
            )
        )
        or candidates
    )
    under_way = dict(
        Attempt.objects.filter(
            user_id__in=candidates, completed_at__isnull=True, answer_count__gt=0
        ).values_list("user_id", "pk")
    )
    overdue = set(
        Assignment.objects.filter(
            user_id__in=candidates,
            completed_at__isnull=True,
            cancelled_at__isnull=True,
            due_on__lt=timezone.localdate(),
        ).values_list("user_id", flat=True)
    )
    chosen = next(
        (pk for pk in sorted(candidates) if pk in under_way and pk in overdue),
        next((pk for pk in sorted(candidates) if pk in under_way), min(candidates)),
    )
    by_pk = {p.pk: p for p in world.people}
    return BenchLogins(
        practitioner=by_pk[chosen].email,
        attempt_pk=under_way.get(chosen),
        supervisor=team.supervisor.email if team else "",
        author=(first.authors or [first.admin])[0].email,
        authority_admin=first.admin.email,
        team=f"{team.name}, {first.name}" if team else "",
        team_size=len(team.members) if team else 0,
        case_pk=case_pk,
        case_comments=Comment.objects.filter(case_id=case_pk).count(),
        case_votes=ConsensusVote.objects.filter(case_id=case_pk).count(),
    )
