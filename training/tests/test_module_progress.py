"""The progress read model (ModuleProgress) stays equal to a recomputation from the source
tables whatever the services do, in any order: assigning and cancelling, extending,
starting and finishing attempts (certificates with them), refreshers, people moving team,
changing role, leaving and coming back, and major revisions of a module."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from portal import services as portal_services
from portal.models import Role, User
from portal.tests.factories import TeamFactory, UserFactory
from training import engine, selectors, services
from training.models import Assignment, AssignmentRule, Attempt, Module, ModuleProgress
from training.tests.factories import best_choice, small_module

FIELDS = [
    field.name for field in ModuleProgress._meta.concrete_fields if field.name != "id"
]  # fmt: skip
OPERATIONS = (
    "assign_person", "assign_team", "assign_role", "assign_authority", "cancel_rule",
    "extend", "start", "pass", "fail", "refreshers", "move_team", "change_role",
    "deactivate", "reactivate", "major_revision", "minor_revision",
)  # fmt: skip

operation = st.tuples(
    st.sampled_from(OPERATIONS),
    st.integers(min_value=0, max_value=3),  # whom
    st.integers(min_value=0, max_value=1),  # which module
    st.integers(min_value=0, max_value=60),  # how many days
)


def _rows() -> dict[tuple[int, int], dict]:
    return {(row["user"], row["module"]): row for row in ModuleProgress.objects.values(*FIELDS)}


def _recomputed() -> dict[tuple[int, int], dict]:
    services.progress_rebuild()
    return _rows()


def _play(user: User, module: Module, *, best: bool) -> None:
    """Finish the person's attempt under way (or a new one): choices inside the bands pass,
    the first choices (under-reacting, a critical miss at the safety-critical d2) fail."""
    version = module.versions.order_by("-number").first()
    attempt = Attempt.objects.filter(
        user=user, version__module=module, completed_at__isnull=True
    ).first() or services.attempt_start(user=user, version=version)
    steps = engine.steps_by_key(attempt.version.snapshot)
    while attempt.current_step_key:
        step = steps[attempt.current_step_key]
        if step["kind"] != engine.DECISION:
            attempt = services.attempt_continue(
                user=attempt.user, attempt=attempt, from_step_key=step["key"]
            )
            continue
        services.answer_record(
            user=attempt.user,
            attempt=attempt,
            step_key=step["key"],
            position=attempt.answer_count,
            choice_index=best_choice(step) if best else 0,
        )
        attempt.refresh_from_db()
    services.attempt_finish(user=attempt.user, attempt=attempt, confidence=4)


class World:
    def __init__(self, *, dave, carol, people, teams, modules) -> None:
        self.dave, self.carol = dave, carol
        self.people, self.teams, self.modules = people, teams, modules

    def apply(self, kind: str, whom: int, which: int, days: int) -> None:
        person = User.objects.get(pk=self.people[whom].pk)
        module = self.modules[which]
        today = timezone.localdate()
        try:
            self._apply(kind, person, module, days, today)
        except (services.AssignmentRefused, portal_services.ChangeRefused):
            pass  # refused: nothing changed, and the read model must say so too

    def _apply(self, kind, person, module, days, today) -> None:  # noqa: C901 - a dispatch
        dave = self.dave
        due = {"due_in_days": days} if days % 2 else {"due_on": today + timedelta(days)}
        if kind == "assign_person":
            services.rule_create(
                actor=dave, module=module, target="person", target_user=person, **due
            )
        elif kind == "assign_team":
            team = self.teams[days % 2]
            services.rule_create(actor=dave, module=module, target="team", target_team=team, **due)
        elif kind == "assign_role":
            services.rule_create(
                actor=dave, module=module, target="role", target_role=Role.PRACTITIONER, **due
            )
        elif kind == "assign_authority":
            services.rule_create(actor=dave, module=module, target="authority", **due)
        elif kind == "cancel_rule":
            rule = AssignmentRule.objects.filter(cancelled_at__isnull=True).order_by("pk")
            if rule.exists():
                services.rule_cancel(actor=dave, rule=rule[days % rule.count()])
        elif kind == "extend":
            assignment = Assignment.objects.filter(
                user=person, module=module, completed_at__isnull=True, cancelled_at__isnull=True
            ).first()
            if assignment is not None:
                services.assignment_extend(
                    actor=dave,
                    assignment=assignment,
                    due_on=max(assignment.effective_due_on, today) + timedelta(days + 1),
                    reason="Leave",
                )
        elif kind == "start":
            services.attempt_start(user=person, version=module.versions.order_by("-number")[0])
        elif kind in ("pass", "fail"):
            _play(person, module, best=kind == "pass")
        elif kind == "refreshers":
            services.refreshers_create(on=today + timedelta(days * 7))
        elif kind == "move_team":
            team = self.teams[1] if person.team_id == self.teams[0].pk else self.teams[0]
            self._update(person, team=team)
        elif kind == "change_role":
            role = Role.SUPERVISOR if person.role == Role.PRACTITIONER else Role.PRACTITIONER
            self._update(person, role=role)
        elif kind == "deactivate":
            portal_services.user_deactivate(actor=dave, user=person)
        elif kind == "reactivate":
            portal_services.user_reactivate(actor=dave, user=person)
        else:
            services.version_publish(
                module=module,
                by=self.carol,
                change_note="Revised.",
                is_major=kind == "major_revision",
                refresh_due_on=today + timedelta(days) if kind == "major_revision" else None,
            )

    def _update(self, person: User, **changes) -> None:
        fields = {"full_name": person.full_name, "role": person.role, "team": person.team}
        portal_services.user_update(actor=self.dave, user=person, **{**fields, **changes})


def _with_safety_critical_d2(data: dict) -> dict:
    """d2 safety-critical, so a failing walk through it makes a critical miss."""
    d2 = next(step for step in data["scenarios"][0]["steps"] if step["key"] == "d2")
    d2["safety_critical"] = True
    return data


@pytest.fixture
def world(indicators, authority, team, alice, dave, carol):
    modules = [
        # The authority's own, so carol (its author) may publish revisions of them.
        services.module_load_from_json(
            data=_with_safety_critical_d2(small_module(key=key, title=key.title())),
            authority=authority,
        )[0]
        for key in ("first", "second")
    ]
    other_team = TeamFactory(authority=authority, name="Early Help South")
    people = [
        alice,
        UserFactory(authority=authority, team=team, full_name="Erin Shaw"),
        UserFactory(authority=authority, team=other_team, full_name="Frank Lowe"),
        UserFactory(authority=authority, team=None, full_name="Grace Pike"),
    ]
    return World(
        dave=dave,
        carol=carol,
        people=people,
        teams=[team, other_team],
        modules=modules,
    )


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=12))
# Every writer at least once, whatever the random examples hold.
@example([("assign_team", 0, 0, 0), ("move_team", 0, 0, 0), ("change_role", 1, 0, 0)])
@example([("assign_person", 1, 1, 3), ("extend", 1, 1, 5), ("cancel_rule", 0, 0, 0)])
@example([("assign_authority", 2, 0, 2), ("start", 2, 0, 0), ("pass", 2, 0, 0)])
@example([("pass", 0, 1, 0), ("assign_role", 0, 1, 1), ("refreshers", 0, 0, 60)])
@example([("assign_person", 3, 0, 2), ("pass", 3, 0, 0), ("major_revision", 0, 0, 9)])
@example([("assign_team", 0, 0, 0), ("deactivate", 0, 0, 0), ("reactivate", 0, 0, 0)])
@example([("start", 1, 0, 0), ("fail", 1, 0, 0), ("minor_revision", 0, 1, 0)])
def test_it_keeps_the_read_model_equal_to_a_recomputation_after_any_operations(world, operations):
    with transaction.atomic():  # each example starts from the same world
        for step in operations:
            world.apply(*step)
            kept = _rows()
            assert kept == _recomputed(), f"after {step}"
        transaction.set_rollback(True)


def test_it_keeps_a_row_of_each_persons_assignments_and_attempts(world):
    """The recomputation itself, against the source tables read another way."""
    alice, erin = world.people[:2]
    first, second = world.modules
    for kind, whom, which, days in [
        ("assign_team", 0, 0, 4), ("pass", 0, 0, 0), ("fail", 0, 0, 0), ("start", 0, 0, 0),
        ("assign_person", 1, 1, 9), ("extend", 1, 1, 3), ("fail", 1, 0, 0),
    ]:  # fmt: skip
        world.apply(kind, whom, which, days)
    rows = _rows()
    for user in (alice, erin):
        for module in (first, second):
            attempts = Attempt.objects.filter(user=user, version__module=module)
            assignments = Assignment.objects.filter(user=user, module=module)
            if not attempts.exists() and not assignments.exists():
                assert (user.pk, module.pk) not in rows
                continue
            row = rows[user.pk, module.pk]
            done = attempts.filter(completed_at__isnull=False)
            latest = done.order_by("-completed_at", "-pk").first()
            assert row["in_progress"] == attempts.filter(completed_at__isnull=True).exists()
            assert row["latest_percent"] == (latest.percent if latest else None)
            assert row["decisions"] == (done.aggregate(n=Sum("answer_count"))["n"] or 0)
            assert row["critical_miss_count"] == (
                done.aggregate(n=Sum("critical_miss_count"))["n"] or 0
            )
            assert row["latest_critical_misses"] == (latest.critical_miss_count if latest else 0)
            current = assignments.filter(completed_at__isnull=True).order_by("due_on").first()
            if current is not None:
                assert row["effective_due_on"] == current.effective_due_on
    assert rows[erin.pk, second.pk]["extended_due_on"] is not None
    assert rows[alice.pk, first.pk]["completed_at"] is not None
    # alice passed, then failed with a critical miss at d2; erin only failed.
    assert rows[alice.pk, first.pk]["critical_miss_count"] == 1
    assert rows[erin.pk, first.pk]["latest_critical_misses"] == 1


def test_it_shows_the_learner_their_assignments_from_the_read_model(world):
    alice = world.people[0]
    world.apply("assign_person", 0, 0, 10)
    world.apply("assign_person", 0, 1, 10)
    world.apply("start", 0, 1, 0)
    rows = {row.module.title: row for row in selectors.assignments_for_learner(user=alice)}
    assert set(rows) == {"First", "Second"}
    assert rows["Second"].in_progress and not rows["First"].in_progress


def test_it_rebuilds_the_read_model_with_the_command(world):
    world.apply("assign_authority", 0, 0, 10)
    world.apply("pass", 0, 0, 0)
    kept = _rows()
    ModuleProgress.objects.all().delete()
    out = StringIO()
    call_command("progress_rebuild", stdout=out)
    assert _rows() == kept
    assert f"Rebuilt the progress of {len(kept)} person-module pairs." in out.getvalue()
