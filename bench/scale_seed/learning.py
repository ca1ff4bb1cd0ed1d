"""Training records of the scale seed: assignment rules, assignments, attempts, answers and
certificates.

The story is kept consistent the way the services keep it: an attempt's score is its
answers', a certificate exists exactly for each passed attempt, and a completed assignment
points at the certificate of the attempt that passed it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from bench.scale_seed import wording
from bench.scale_seed.modules import Decision, Playable, play, score
from bench.scale_seed.people import AuthorityInfo, Person, World
from bench.scale_seed.tables import BulkWriter, id_counter
from portal.models import Role
from training import engine, services
from training.models import (
    DECISION_TOTAL_FIELDS,
    Answer,
    Assignment,
    AssignmentRule,
    Attempt,
    Certificate,
)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # as certificate_issue's codes
EXTRA_TRIES = 3  # failed attempts before someone is coached through a pass


# --- Assignment rules ---------------------------------------------------------------------


@dataclass
class Duty:
    """One assignment someone has, before its outcome is played out."""

    rule: AssignmentRule
    playable: Playable


@dataclass
class Plan:
    rules: list[AssignmentRule] = field(default_factory=list)
    duties: dict[int, list[Duty]] = field(default_factory=dict)  # by person pk


def rules_plan(
    *, world: World, playables: list[Playable], rng: random.Random, now: datetime
) -> Plan:
    """Standing rules in layers, as authorities use them: three modules for everyone, a
    couple per role, three to eight per team, and up to five for individuals (8–20 each).

    A person never gets the same module from two layers, and keeps at least one module of
    their catalogue unassigned (for the practice attempts).
    """
    plan = Plan()
    ids = id_counter(AssignmentRule)
    for authority in world.authorities:
        pool = [p for p in playables if p.visible_to(authority.pk)]
        rng.shuffle(pool)
        national = [p for p in pool if p.authority_id is None]
        layer = national[:3]
        admin = authority.admin
        by_role = {
            Role.PRACTITIONER: _pick(pool, layer, 2),
            Role.SUPERVISOR: _pick(pool, layer, 1),
        }
        everyone = [
            _rule(ids, authority, p, AssignmentRule.Target.AUTHORITY, admin, rng, now)
            for p in layer
        ]
        role_rules = {
            role: [
                _rule(ids, authority, p, AssignmentRule.Target.ROLE, admin, rng, now, role=role)
                for p in modules
            ]
            for role, modules in by_role.items()
        }
        plan.rules += everyone + [r for rules in role_rules.values() for r in rules]
        taken = layer + by_role[Role.PRACTITIONER] + by_role[Role.SUPERVISOR]
        team_rules = {}
        for team in authority.teams:
            modules = _pick(rng.sample(pool, len(pool)), taken, rng.randint(3, 8))
            team_rules[team.pk] = [
                _rule(ids, authority, p, AssignmentRule.Target.TEAM, team.supervisor, rng, now)
                for p in modules
            ]
            for rule in team_rules[team.pk]:
                rule.target_team_id = team.pk
            plan.rules += team_rules[team.pk]
        for person in authority.people:
            rules = everyone + role_rules.get(person.role, [])
            if person.team is not None:
                rules = rules + team_rules[person.team.pk]
            used = [_playable_of(r, pool) for r in rules]
            supervisor = person.team.supervisor if person.team else admin
            boss = admin if supervisor is person else supervisor
            own = [
                _rule(ids, authority, p, AssignmentRule.Target.PERSON, boss, rng, now)
                for p in _pick(rng.sample(pool, len(pool)), used, rng.randint(0, 5))
            ]
            for rule in own:
                rule.target_user_id = person.pk
            plan.rules += own
            plan.duties[person.pk] = [Duty(r, _playable_of(r, pool)) for r in rules + own]
    AssignmentRule.objects.bulk_create(plan.rules, batch_size=2000)
    return plan


def _pick(pool: list[Playable], taken: list[Playable], count: int) -> list[Playable]:
    """Up to `count` modules not yet taken, always leaving one of the pool free."""
    free = [p for p in pool if p not in taken]
    return free[: max(0, min(count, len(free) - 1))]


def _playable_of(rule: AssignmentRule, pool: list[Playable]) -> Playable:
    return next(p for p in pool if p.module_id == rule.module_id)


def _rule(
    ids: Iterator[int],
    authority: AuthorityInfo,
    playable: Playable,
    target: str,
    by: Person,
    rng: random.Random,
    now: datetime,
    *,
    role: str = "",
) -> AssignmentRule:
    """Authority and role rules are a year old; team and personal ones spread over the year."""
    match target:
        case AssignmentRule.Target.AUTHORITY:
            age, due_in_days = rng.uniform(300, 420), 60
        case AssignmentRule.Target.ROLE:
            age, due_in_days = rng.uniform(150, 300), 45
        case AssignmentRule.Target.TEAM:
            age, due_in_days = rng.uniform(5, 360), rng.choice((14, 28, 42, 56))
        case _:
            age, due_in_days = rng.uniform(1, 240), rng.choice((7, 14, 28))
    created_at = now - timedelta(days=age)
    due_on = None
    if target == AssignmentRule.Target.TEAM and rng.random() < 0.5:
        due_on, due_in_days = timezone.localdate(created_at) + timedelta(rng.randint(21, 90)), None
    return AssignmentRule(
        pk=next(ids),
        authority_id=authority.pk,
        module_id=playable.module_id,
        target=target,
        target_role=role,
        due_on=due_on,
        due_in_days=due_in_days,
        refresher_months=playable.refresher_months,
        created_by_id=by.pk,
        created_at=created_at,
    )


# --- Assignments, attempts, answers, certificates -----------------------------------------


class TrainingWriter:
    """Plays out each person's assignments and history within their share of the attempts."""

    def __init__(
        self, *, rng: random.Random, now: datetime, batch_size: int, playables: list[Playable]
    ) -> None:
        self.rng, self.now = rng, now
        self.today = timezone.localdate(now)
        self.playables = playables
        self.attempt_ids = id_counter(Attempt)
        self.certificate_ids = id_counter(Certificate)
        self.codes: set[str] = set()
        self.attempts = BulkWriter(
            Attempt,
            [
                "id", "user_id", "version_id", "started_at", "completed_at",
                "confidence_before", "confidence_after", "current_step_key", *DECISION_TOTAL_FIELDS,
                "points", "max_points", "percent", "passed",
            ],
            batch_size=batch_size,
        )  # fmt: skip
        self.answers = BulkWriter(
            Answer,
            [
                "attempt_id", "position", "step_key", "choice_index", "safeguarding",
                "prevent", "actions", "error", "safeguarding_distance", "prevent_distance",
                "critical_miss", "points", "answered_at",
            ],
            batch_size=batch_size,
        )  # fmt: skip
        self.certificates = BulkWriter(
            Certificate,
            ["id", "attempt_id", "user_id", "version_id", "code", "issued_at", "expires_at"],
            batch_size=batch_size,
        )
        self.assignments = BulkWriter(
            Assignment,
            [
                "rule_id", "user_id", "module_id", "assigned_on", "due_on", "extended_due_on",
                "extension_reason", "completed_by_id", "completed_at", "cancelled_at",
            ],
            batch_size=batch_size,
        )  # fmt: skip
        self.attempts_added = 0

    def flush(self) -> None:
        for writer in (self.attempts, self.answers, self.certificates, self.assignments):
            writer.flush()

    # 1. assignments first, each with the attempts its outcome needs, while the quota lasts;
    # 2. what is left of the quota becomes practice: earlier attempts whose certificates ran
    #    out before any assignment of that module, or attempts at modules never assigned.
    def person_write(self, person: Person, duties: list[Duty], quota: int) -> int:
        """Write one person's training; returns the part of the quota left unused."""
        rng = self.rng
        duties = duties[:]
        rng.shuffle(duties)
        assigned_at: dict[int, datetime] = {}
        for duty in duties:
            quota, started = self._assignment(person, duty, quota)
            assigned_at[duty.playable.module_id] = started
        catalogue = [p for p in self.playables if p.visible_to(person.authority.pk)]
        windows = []
        for playable in catalogue:
            latest = self.now - timedelta(days=1)
            if playable.module_id in assigned_at:
                latest = assigned_at[playable.module_id] - relativedelta(
                    months=playable.refresher_months + 1
                )
            if latest - person.joined > timedelta(days=1):
                windows.append((playable, latest, playable.module_id not in assigned_at))
        open_modules: set[int] = set()
        while quota > 0 and windows:
            playable, latest, unassigned = rng.choice(windows)
            started = person.joined + (latest - person.joined) * rng.random()
            # Now and then someone leaves a module they were never assigned half-way.
            stop = unassigned and playable.module_id not in open_modules and rng.random() < 0.03
            if stop:
                open_modules.add(playable.module_id)
            self._attempt(person, playable, started, finished=not stop)
            quota -= 1
        return quota

    def _assignment(self, person: Person, duty: Duty, quota: int) -> tuple[int, datetime]:
        """Write one assignment and the attempts its outcome needs; returns the quota left and
        when it was assigned.

        Outcomes, roughly as a year of real use looks: 2% cancelled; of those already due,
        most completed (some late), a few under way and the rest overdue (8% of them with an
        extension); of those not yet due, under half completed and a fifth under way.
        """
        rng, rule, playable = self.rng, duty.rule, duty.playable
        assigned_at = max(rule.created_at, person.joined)
        assigned_on = timezone.localdate(assigned_at)
        due_on = services.rule_due_on(rule, assigned_on)
        due_at = _end_of_day(due_on)
        latest = self.now - timedelta(hours=1)
        completed_by = completed_at = cancelled_at = extended = None
        reason = ""
        roll = rng.random()
        overdue = due_on < self.today
        if roll < 0.02 and latest > assigned_at:
            cancelled_at = assigned_at + (latest - assigned_at) * rng.random()
        elif roll < (0.85 if overdue else 0.45) and quota > 0:
            finish_by = due_at + timedelta(days=rng.uniform(1, 30)) if roll < 0.1 else due_at
            finish_by = min(finish_by, latest)
            if finish_by > assigned_at:
                quota, completed_by, completed_at = self._complete(
                    person, playable, assigned_at, finish_by, quota
                )
        elif roll < (0.90 if overdue else 0.65) and quota > 0 and latest > assigned_at:
            started = assigned_at + (latest - assigned_at) * rng.random()
            self._attempt(person, playable, started, finished=False)
            quota -= 1
        if completed_by is None and cancelled_at is None and overdue and rng.random() < 0.08:
            extended = due_on + timedelta(days=rng.randint(14, 42))
            reason = rng.choice(wording.EXTENSION_REASONS)
        self.assignments.add(
            (
                rule.pk, person.pk, playable.module_id, assigned_on, due_on, extended, reason,
                completed_by, completed_at, cancelled_at,
            )
        )  # fmt: skip
        return quota, assigned_at

    def _complete(
        self,
        person: Person,
        playable: Playable,
        start: datetime,
        finish_by: datetime,
        quota: int,
    ) -> tuple[int, int | None, datetime | None]:
        """Fail a few times (perhaps), then pass; the pass's certificate completes the
        assignment. A quota that runs out first leaves only the failures."""
        rng = self.rng
        paths = []
        while quota - len(paths) > 0:
            coached = len(paths) >= EXTRA_TRIES
            path = play(playable, rng, 1.0 if coached else person.skill, person.bias)
            paths.append(path)
            if score(path, playable.pass_mark)[1]:
                break
        times = sorted(start + (finish_by - start) * rng.random() for _ in paths)
        certificate = completed_at = None
        for path, started in zip(paths, times, strict=True):
            certificate, completed_at = self._attempt(
                person, playable, started, finished=True, path=path
            )
        return quota - len(paths), certificate, completed_at if certificate else None

    def _attempt(
        self,
        person: Person,
        playable: Playable,
        started: datetime,
        *,
        finished: bool,
        path: list[Decision] | None = None,
    ) -> tuple[int | None, datetime | None]:
        """Write an attempt with its answers (and certificate, on a pass); an unfinished one
        stops at a decision. Returns the certificate id and completion time."""
        rng = self.rng
        if path is None:
            path = play(playable, rng, person.skill, person.bias)
        waiting_at = ""
        if not finished:  # stopped at a decision on the path: answers only before it
            cut = rng.randrange(len(path)) if path else 0
            waiting_at = path[cut][0] if path else playable.first
            path = path[:cut]
        pk = next(self.attempt_ids)
        moment = started
        for position, (key, index, decision) in enumerate(path):
            moment += timedelta(seconds=rng.uniform(20, 150))
            self.answers.add(
                (
                    pk, position, key, index, decision.safeguarding, decision.prevent,
                    list(decision.actions), decision.error, decision.safeguarding_distance,
                    decision.prevent_distance, decision.critical_miss, decision.points, moment,
                )
            )  # fmt: skip
        before = min(5, max(1, round(1.5 + 3 * person.skill + rng.gauss(0, 0.7))))
        totals = _decision_totals([decision for *_, decision in path])
        self.attempts_added += 1
        if not finished:
            self.attempts.add(
                (
                    pk, person.pk, playable.version_id, started, None, before, None, waiting_at,
                    *totals, 0, 0, None, False,
                )
            )  # fmt: skip
            return None, None
        completed_at = min(moment + timedelta(seconds=rng.uniform(30, 300)), self.now)
        after = min(5, before + rng.choice((0, 0, 1, 1, 2)))
        result, passed = score(path, playable.pass_mark)
        self.attempts.add(
            (
                pk, person.pk, playable.version_id, started, completed_at, before, after, "",
                *totals, result.points, result.max_points, result.percent, passed,
            )
        )  # fmt: skip
        if not passed:
            return None, completed_at
        certificate = next(self.certificate_ids)
        issued = timezone.localtime(completed_at)
        self.certificates.add(
            (
                certificate, pk, person.pk, playable.version_id, self._code(), issued,
                issued + relativedelta(months=playable.refresher_months),
            )
        )  # fmt: skip
        return certificate, completed_at

    def _code(self) -> str:
        while True:
            raw = "".join(self.rng.choices(CODE_ALPHABET, k=12))
            code = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
            if code not in self.codes:
                self.codes.add(code)
                return code


def _decision_totals(decisions: list[engine.Decision]) -> tuple[int, ...]:
    """As answer_record keeps them on the attempt, in DECISION_TOTAL_FIELDS' order."""
    totals = {
        "answer_count": len(decisions),
        "within_bands_count": sum(d.within_bands and not d.error for d in decisions),
        "safeguarding_under_count": sum(d.safeguarding_distance < 0 for d in decisions),
        "safeguarding_over_count": sum(d.safeguarding_distance > 0 for d in decisions),
        "prevent_under_count": sum(d.prevent_distance < 0 for d in decisions),
        "prevent_over_count": sum(d.prevent_distance > 0 for d in decisions),
        "critical_miss_count": sum(d.critical_miss for d in decisions),
    }
    return tuple(totals[name] for name in DECISION_TOTAL_FIELDS)


def _end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59)))
