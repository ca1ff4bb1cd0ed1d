"""Assignments: the pure status rules, targeting, joiners, due dates, extensions, refreshers."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from portal import services as portal_services
from portal.celery import app as celery_app
from portal.models import AuditAction, AuditEvent, OutboxEmail, Role
from portal.tests.factories import TeamFactory, UserFactory
from training import engine, progress, selectors, services, tasks
from training.models import Assignment, AssignmentRule, Attempt, Module
from training.progress import Status
from training.tests.factories import best_choice, small_module

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 6, 10)


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def walk(user, version, *, passing: bool = True) -> Attempt:
    """Play a whole attempt through services: a choice inside the bands at every decision
    (a pass), or the first choice (a fail)."""
    attempt = services.attempt_start(user=user, version=version)
    services.attempt_rate_confidence(user=attempt.user, attempt=attempt, confidence=3)
    steps = engine.steps_by_key(version.snapshot)
    while attempt.current_step_key:
        step = steps[attempt.current_step_key]
        if step["kind"] == engine.DECISION:
            services.answer_record(
                user=attempt.user,
                attempt=attempt,
                step_key=step["key"],
                position=attempt.answer_count,
                choice_index=best_choice(step) if passing else 0,
            )
        else:
            services.attempt_continue(user=attempt.user, attempt=attempt, from_step_key=step["key"])
        attempt.refresh_from_db()
    return services.attempt_finish(user=attempt.user, attempt=attempt, confidence=4)


@pytest.fixture(autouse=True)
def _on_a_summer_day():
    with time_machine.travel(london(2026, 6, 10, 9, 0), tick=False):
        yield


@pytest.fixture
def team_rule(bob, module, alice):
    return services.rule_create(
        actor=bob, module=module, target=AssignmentRule.Target.TEAM, target_team=bob.team,
        due_in_days=30,
    )  # fmt: skip


def assignment_of(user, rule) -> Assignment:
    return Assignment.objects.get(user=user, rule=rule, refresher_for__isnull=True)


# --- Pure status rules (no database) ------------------------------------------------------


def status(due_on: date, **kwargs) -> Status:
    return progress.assignment_status(due_on=due_on, today=TODAY, **kwargs)


def test_it_calls_an_assignment_overdue_the_day_after_its_due_date():
    assert status(TODAY - timedelta(days=1), completed=False) == Status.OVERDUE


def test_it_calls_an_assignment_due_soon_on_its_due_date():
    assert status(TODAY, completed=False) == Status.DUE_SOON


def test_it_calls_an_assignment_due_soon_seven_days_ahead():
    assert status(TODAY + timedelta(days=7), completed=False) == Status.DUE_SOON


def test_it_calls_an_unstarted_assignment_due_in_eight_days_not_started():
    assert status(TODAY + timedelta(days=8), completed=False) == Status.NOT_STARTED


def test_it_calls_a_started_assignment_not_yet_due_soon_in_progress():
    assert status(TODAY + timedelta(days=8), completed=False, in_progress=True) == (
        Status.IN_PROGRESS
    )


def test_it_calls_an_overdue_assignment_overdue_even_when_started():
    assert status(TODAY - timedelta(days=1), completed=False, in_progress=True) == (Status.OVERDUE)


def test_it_calls_a_completed_assignment_completed_even_after_its_due_date():
    expires = TODAY + timedelta(days=31)
    assert status(TODAY - timedelta(days=9), completed=True, certificate_expires_on=expires) == (
        Status.COMPLETED
    )


def test_it_calls_a_completed_assignment_expiring_within_30_days_of_its_certificate_expiry():
    expires = TODAY + timedelta(days=30)
    assert status(TODAY, completed=True, certificate_expires_on=expires) == Status.EXPIRING


def test_it_calls_a_cancelled_assignment_cancelled_whatever_its_dates():
    assert status(TODAY - timedelta(days=9), completed=False, cancelled=True) == (Status.CANCELLED)


def test_it_ranks_statuses_by_urgency_with_cancelled_last():
    ranked = sorted(Status, key=progress.urgency_rank)
    assert ranked[:6] == [
        Status.OVERDUE,
        Status.DUE_SOON,
        Status.IN_PROGRESS,
        Status.NOT_STARTED,
        Status.COMPLETED,
        Status.EXPIRING,
    ]


# --- Who a rule reaches -------------------------------------------------------------------


def test_it_assigns_a_team_rule_to_every_active_member_of_the_team(
    bob, alice, module, charlie, authority, team
):
    left = UserFactory(authority=authority, team=team, is_active=False)
    elsewhere = UserFactory(authority=authority, team=TeamFactory(authority=authority))
    rule = services.rule_create(
        actor=bob, module=module, target=AssignmentRule.Target.TEAM, target_team=team,
        due_in_days=30,
    )  # fmt: skip
    assigned = set(rule.assignments.values_list("user", flat=True))
    assert alice.pk in assigned and bob.pk in assigned
    assert not assigned & {left.pk, elsewhere.pk, charlie.pk}


def test_it_assigns_a_role_rule_to_everyone_with_the_role_across_teams(
    dave, alice, bob, carol, module, authority
):
    other_team_member = UserFactory(authority=authority, team=TeamFactory(authority=authority))
    rule = services.rule_create(
        actor=dave, module=module, target=AssignmentRule.Target.ROLE,
        target_role=Role.PRACTITIONER, due_in_days=30,
    )  # fmt: skip
    assert set(rule.assignments.values_list("user", flat=True)) == {
        alice.pk,
        other_team_member.pk,
    }


def test_it_assigns_an_authority_rule_to_everyone_active_in_the_authority_only(
    dave, alice, bob, carol, charlie, wendy, module
):
    rule = services.rule_create(
        actor=dave, module=module, target=AssignmentRule.Target.AUTHORITY, due_in_days=30
    )
    assert set(rule.assignments.values_list("user", flat=True)) == {
        alice.pk,
        bob.pk,
        carol.pk,
        dave.pk,
    }


def test_it_assigns_a_person_rule_to_that_person_only(bob, alice, module, authority, team):
    UserFactory(authority=authority, team=team)
    rule = services.rule_create(
        actor=bob, module=module, target=AssignmentRule.Target.PERSON, target_user=alice,
        due_on=date(2026, 7, 1),
    )  # fmt: skip
    assignment = rule.assignments.get()
    assert (assignment.user, assignment.assigned_on, assignment.due_on) == (
        alice,
        TODAY,
        date(2026, 7, 1),
    )


def test_it_starts_the_assignment_completed_for_someone_already_certified(
    bob, alice, module, version
):
    certificate = walk(alice, version).certificate
    rule = services.rule_create(
        actor=bob, module=module, target=AssignmentRule.Target.PERSON, target_user=alice,
        due_in_days=30,
    )  # fmt: skip
    assert rule.assignments.get().completed_by == certificate


def test_it_records_who_assigned_what_in_the_audit_log(bob, alice, module, team_rule):
    event = AuditEvent.objects.get(action=AuditAction.ASSIGNMENT_CREATED)
    assert (event.actor, event.detail["module"], event.detail["people"]) == (
        bob,
        module.title,
        2,
    )


def test_it_refuses_a_due_date_in_the_past(bob, alice, module):
    with pytest.raises(services.AssignmentRefused, match="today or later") as refused:
        services.rule_create(
            actor=bob, module=module, target=AssignmentRule.Target.PERSON, target_user=alice,
            due_on=TODAY - timedelta(days=1),
        )  # fmt: skip
    assert refused.value.field == "due_on"


def test_it_refuses_a_rule_with_both_kinds_of_due_date(bob, alice, module):
    with pytest.raises(services.AssignmentRefused, match="either a due date or a number"):
        services.rule_create(
            actor=bob, module=module, target=AssignmentRule.Target.PERSON, target_user=alice,
            due_on=TODAY, due_in_days=3,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("limits", "field"),
    [
        ({"due_in_days": 0}, "due_in_days"),
        ({"due_in_days": 366}, "due_in_days"),
        ({"due_in_days": 3, "refresher_months": 0}, "refresher_months"),
        ({"due_in_days": 3, "refresher_months": 61}, "refresher_months"),
    ],
)
def test_it_refuses_days_or_months_the_form_would_refuse(bob, alice, module, limits, field):
    with pytest.raises(services.AssignmentRefused) as refused:
        services.rule_create(
            actor=bob, module=module, target=AssignmentRule.Target.PERSON, target_user=alice,
            **limits,
        )  # fmt: skip

    assert refused.value.field == field
    assert not AssignmentRule.objects.exists()


def test_it_uses_the_modules_refresher_period_unless_given_one(bob, alice, module):
    rule = services.rule_create(
        actor=bob, module=module, target=AssignmentRule.Target.PERSON, target_user=alice,
        due_in_days=3,
    )  # fmt: skip
    assert rule.refresher_months == module.refresher_months == 12


# --- Who may assign to whom ---------------------------------------------------------------


def test_it_lets_a_supervisor_assign_to_a_person_in_their_team(bob, alice, module):
    rule = services.rule_create(
        actor=bob, module=module, target=AssignmentRule.Target.PERSON, target_user=alice,
        due_in_days=3,
    )  # fmt: skip
    assert rule.assignments.get().user == alice


def test_it_refuses_a_supervisor_assigning_to_someone_in_another_authority(bob, charlie, module):
    with pytest.raises(services.AssignmentRefused) as refused:
        services.rule_create(
            actor=bob, module=module, target=AssignmentRule.Target.PERSON, target_user=charlie,
            due_in_days=3,
        )  # fmt: skip
    assert refused.value.field == "target_user"
    assert not AssignmentRule.objects.exists()


def test_it_refuses_a_supervisor_assigning_to_someone_in_another_team(bob, module, authority):
    outsider = UserFactory(authority=authority, team=TeamFactory(authority=authority))
    with pytest.raises(services.AssignmentRefused, match="a person you supervise"):
        services.rule_create(
            actor=bob, module=module, target=AssignmentRule.Target.PERSON, target_user=outsider,
            due_in_days=3,
        )  # fmt: skip


def test_it_refuses_a_supervisor_assigning_to_another_team(bob, module, authority):
    with pytest.raises(services.AssignmentRefused, match="a team you supervise"):
        services.rule_create(
            actor=bob, module=module, target=AssignmentRule.Target.TEAM,
            target_team=TeamFactory(authority=authority), due_in_days=3,
        )  # fmt: skip


@pytest.mark.parametrize("target", [AssignmentRule.Target.ROLE, AssignmentRule.Target.AUTHORITY])
def test_it_refuses_a_supervisor_assigning_to_a_role_or_the_authority(bob, module, target):
    with pytest.raises(services.AssignmentRefused, match="Only authority admins") as refused:
        services.rule_create(
            actor=bob, module=module, target=target, target_role=Role.PRACTITIONER, due_in_days=3
        )
    assert refused.value.field == "target"


def test_it_refuses_a_practitioner_assigning(alice, bob, module):
    with pytest.raises(services.AssignmentRefused, match="Only supervisors"):
        services.rule_create(
            actor=alice, module=module, target=AssignmentRule.Target.PERSON, target_user=bob,
            due_in_days=3,
        )  # fmt: skip


def test_it_refuses_another_authoritys_private_module(dave, alice, indicators, other_authority):
    private, _ = services.module_load_from_json(
        data=small_module(key="private-b"), authority=other_authority
    )
    with pytest.raises(services.AssignmentRefused, match="published module") as refused:
        services.rule_create(
            actor=dave, module=private, target=AssignmentRule.Target.PERSON, target_user=alice,
            due_in_days=3,
        )  # fmt: skip
    assert refused.value.field == "module"


def test_it_refuses_an_unpublished_module(dave, alice, authority):
    draft = Module.objects.create(
        key="draft", authority=authority, title="Draft", summary=".", confidence_topic=".",
        learning_outcomes=".",
    )  # fmt: skip
    with pytest.raises(services.AssignmentRefused, match="published module"):
        services.rule_create(
            actor=dave, module=draft, target=AssignmentRule.Target.PERSON, target_user=alice,
            due_in_days=3,
        )  # fmt: skip


# --- Joiners, movers and role changes -----------------------------------------------------


def test_it_gives_someone_created_in_a_team_its_standing_assignments(dave, team, team_rule):
    erin = portal_services.user_create(
        actor=dave, email="erin@northbridge.example", full_name="Erin Walsh",
        role=Role.PRACTITIONER, team=team,
    )  # fmt: skip
    assert assignment_of(erin, team_rule).is_open


def test_it_counts_a_joiners_due_days_from_the_day_they_join(dave, team, team_rule):
    with time_machine.travel(london(2026, 7, 1, 9, 0), tick=False):
        erin = portal_services.user_create(
            actor=dave, email="erin@northbridge.example", full_name="Erin Walsh",
            role=Role.PRACTITIONER, team=team,
        )  # fmt: skip
    assignment = assignment_of(erin, team_rule)
    assert (assignment.assigned_on, assignment.due_on) == (date(2026, 7, 1), date(2026, 7, 31))


def test_it_gives_a_joiner_after_a_fixed_due_date_until_the_day_they_join(dave, bob, team, module):
    rule = services.rule_create(
        actor=bob, module=module, target=AssignmentRule.Target.TEAM, target_team=team,
        due_on=date(2026, 6, 30),
    )  # fmt: skip
    with time_machine.travel(london(2026, 7, 10, 9, 0), tick=False):
        erin = portal_services.user_create(
            actor=dave, email="erin@northbridge.example", full_name="Erin Walsh",
            role=Role.PRACTITIONER, team=team,
        )  # fmt: skip
    assert assignment_of(erin, rule).due_on == date(2026, 7, 10)


def test_it_gives_someone_moved_into_a_team_its_standing_assignments(
    dave, team, team_rule, authority
):
    mover = UserFactory(authority=authority, team=TeamFactory(authority=authority))
    portal_services.user_update(
        actor=dave, user=mover, full_name=mover.full_name, role=mover.role, team=team
    )
    assert assignment_of(mover, team_rule).is_open


def test_it_cancels_a_movers_open_assignment_from_their_old_team_and_keeps_it(
    dave, alice, team_rule, authority
):
    portal_services.user_update(
        actor=dave, user=alice, full_name=alice.full_name, role=alice.role,
        team=TeamFactory(authority=authority),
    )  # fmt: skip
    assignment = assignment_of(alice, team_rule)
    assert assignment.cancelled_at is not None
    assert assignment.completed_at is None


def test_it_keeps_a_movers_completed_assignment_from_their_old_team(
    dave, alice, version, team_rule, authority
):
    walk(alice, version)
    portal_services.user_update(
        actor=dave, user=alice, full_name=alice.full_name, role=alice.role,
        team=TeamFactory(authority=authority),
    )  # fmt: skip
    assignment = assignment_of(alice, team_rule)
    assert (assignment.completed_at is not None, assignment.cancelled_at) == (True, None)


def test_it_gives_back_the_teams_assignment_to_someone_who_moves_back(
    dave, alice, team, team_rule, authority
):
    for new_team in [TeamFactory(authority=authority), team]:
        portal_services.user_update(
            actor=dave, user=alice, full_name=alice.full_name, role=alice.role, team=new_team
        )
    assignment = assignment_of(alice, team_rule)
    assert assignment.is_open
    assert Assignment.objects.filter(user=alice).count() == 1


def test_it_gives_someone_whose_role_changes_the_roles_standing_assignments(
    dave, bob, alice, module
):
    rule = services.rule_create(
        actor=dave, module=module, target=AssignmentRule.Target.ROLE,
        target_role=Role.SUPERVISOR, due_in_days=30,
    )  # fmt: skip
    portal_services.user_update(
        actor=dave, user=alice, full_name=alice.full_name, role=Role.SUPERVISOR, team=alice.team
    )
    assert assignment_of(alice, rule).is_open


def test_it_gives_imported_staff_their_teams_standing_assignments(dave, team_rule, authority):
    rows = "email,full_name,role,team\nerin@northbridge.example,Erin Walsh,practitioner,"
    users = portal_services.staff_import(
        actor=dave,
        authority=authority,
        file_bytes=f"{rows}{team_rule.target_team.name}\n".encode(),
    )
    assert assignment_of(users[0], team_rule).is_open


def test_it_gives_a_cancelled_rule_to_no_one_who_joins_later(bob, dave, team, team_rule):
    services.rule_cancel(actor=bob, rule=team_rule)
    erin = portal_services.user_create(
        actor=dave, email="erin@northbridge.example", full_name="Erin Walsh",
        role=Role.PRACTITIONER, team=team,
    )  # fmt: skip
    assert not Assignment.objects.filter(user=erin).exists()


# --- Cancelling a rule --------------------------------------------------------------------


def test_it_cancels_open_assignments_with_the_rule_and_keeps_them(bob, alice, team_rule):
    services.rule_cancel(actor=bob, rule=team_rule)
    assignment = assignment_of(alice, team_rule)
    assert team_rule.cancelled_at is not None
    assert assignment.cancelled_at is not None


def test_it_keeps_completed_assignments_and_attempts_when_a_rule_is_cancelled(
    bob, alice, version, team_rule
):
    attempt = walk(alice, version)
    services.rule_cancel(actor=bob, rule=team_rule)
    assignment = assignment_of(alice, team_rule)
    assert (assignment.cancelled_at, assignment.completed_by) == (None, attempt.certificate)


def test_it_records_a_cancellation_once_however_often_it_is_asked(bob, team_rule):
    services.rule_cancel(actor=bob, rule=team_rule)
    services.rule_cancel(actor=bob, rule=team_rule)
    assert AuditEvent.objects.filter(action=AuditAction.ASSIGNMENT_CANCELLED).count() == 1


def test_it_refuses_a_supervisor_cancelling_an_authority_wide_rule(bob, dave, module):
    rule = services.rule_create(
        actor=dave, module=module, target=AssignmentRule.Target.AUTHORITY, due_in_days=3
    )
    with pytest.raises(services.AssignmentRefused):
        services.rule_cancel(actor=bob, rule=rule)


# --- Completing ---------------------------------------------------------------------------


def test_it_completes_the_open_assignment_when_the_module_is_passed(alice, version, team_rule):
    attempt = walk(alice, version)
    assignment = assignment_of(alice, team_rule)
    assert assignment.completed_at == attempt.certificate.issued_at
    assert assignment.completed_by == attempt.certificate


def test_it_leaves_the_assignment_open_when_the_attempt_fails(alice, version, team_rule):
    attempt = walk(alice, version, passing=False)
    assert not attempt.passed
    assert assignment_of(alice, team_rule).is_open


# --- Due dates in London days, across month ends and clock changes ------------------------


@pytest.mark.parametrize(
    ("assigned_at", "days", "assigned_on", "due_on"),
    [
        (london(2026, 1, 31, 10, 0), 30, date(2026, 1, 31), date(2026, 3, 2)),
        (london(2026, 1, 31, 10, 0), 28, date(2026, 1, 31), date(2026, 2, 28)),
        (london(2026, 2, 28, 10, 0), 1, date(2026, 2, 28), date(2026, 3, 1)),
        (london(2026, 10, 30, 10, 0), 7, date(2026, 10, 30), date(2026, 11, 6)),
        # Clocks go forward at 01:00 on 29 March 2026.
        (london(2026, 3, 28, 23, 30), 1, date(2026, 3, 28), date(2026, 3, 29)),
        (london(2026, 3, 29, 0, 30), 1, date(2026, 3, 29), date(2026, 3, 30)),
        # 00:30 BST on 30 March is still 29 March in UTC.
        (london(2026, 3, 30, 0, 30), 1, date(2026, 3, 30), date(2026, 3, 31)),
        # Clocks go back at 02:00 on 25 October 2026; 00:30 BST that day is 24 October in UTC.
        (london(2026, 10, 24, 23, 30), 1, date(2026, 10, 24), date(2026, 10, 25)),
        (london(2026, 10, 25, 0, 30), 1, date(2026, 10, 25), date(2026, 10, 26)),
        (london(2026, 10, 26, 0, 30), 1, date(2026, 10, 26), date(2026, 10, 27)),
    ],
)
def test_it_counts_due_days_from_the_london_date_of_assignment(
    bob, alice, module, assigned_at, days, assigned_on, due_on
):
    with time_machine.travel(assigned_at, tick=False):
        rule = services.rule_create(
            actor=bob, module=module, target=AssignmentRule.Target.PERSON, target_user=alice,
            due_in_days=days,
        )  # fmt: skip
    assignment = rule.assignments.get()
    assert (assignment.assigned_on, assignment.due_on) == (assigned_on, due_on)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (london(2026, 6, 15, 23, 59), Status.DUE_SOON),
        # 00:01 BST on 16 June: UTC is still 15 June, London is a day past the due date.
        (london(2026, 6, 16, 0, 1), Status.OVERDUE),
        (london(2026, 10, 25, 23, 59), Status.DUE_SOON),
        (london(2026, 10, 26, 0, 1), Status.OVERDUE),
    ],
)
def test_it_makes_an_assignment_overdue_from_the_london_day_after_its_due_date(
    bob, alice, module, now, expected
):
    rule = services.rule_create(
        actor=bob, module=module, target=AssignmentRule.Target.PERSON, target_user=alice,
        due_on=now.date() - timedelta(days=1) if expected == Status.OVERDUE else now.date(),
    )  # fmt: skip
    with time_machine.travel(now, tick=False):
        assert selectors.assignment_status(rule.assignments.get()) == expected


# --- Extending one person's due date ------------------------------------------------------


@pytest.fixture
def overdue(bob, alice, module):
    """Alice's assignment, due on 1 June and so overdue on 10 June."""
    with time_machine.travel(london(2026, 5, 20, 9, 0), tick=False):
        rule = services.rule_create(
            actor=bob, module=module, target=AssignmentRule.Target.PERSON, target_user=alice,
            due_on=date(2026, 6, 1),
        )  # fmt: skip
    return rule.assignments.get()


def test_it_makes_status_follow_the_extended_due_date(bob, overdue):
    assert selectors.assignment_status(overdue) == Status.OVERDUE
    services.assignment_extend(
        actor=bob, assignment=overdue, due_on=date(2026, 7, 1), reason="Long-term sick leave"
    )
    overdue.refresh_from_db()
    assert overdue.effective_due_on == date(2026, 7, 1)
    assert overdue.due_on == date(2026, 6, 1)
    assert selectors.assignment_status(overdue) == Status.NOT_STARTED


def test_it_records_an_extension_and_its_reason_in_the_audit_log(bob, alice, overdue):
    services.assignment_extend(
        actor=bob, assignment=overdue, due_on=date(2026, 7, 1), reason="  Long-term sick leave "
    )
    event = AuditEvent.objects.get(action=AuditAction.DUE_DATE_EXTENDED)
    assert (event.actor, event.subject) == (bob, alice)
    assert event.detail == {
        "module": overdue.module.title,
        "from": "2026-06-01",
        "to": "2026-07-01",
        "reason": "Long-term sick leave",
    }


def test_it_refuses_an_extension_without_a_reason(bob, overdue):
    with pytest.raises(services.AssignmentRefused) as refused:
        services.assignment_extend(
            actor=bob, assignment=overdue, due_on=date(2026, 7, 1), reason=" "
        )
    assert refused.value.field == "reason"


def test_it_refuses_an_extension_to_an_earlier_date(bob, overdue):
    services.assignment_extend(actor=bob, assignment=overdue, due_on=date(2026, 7, 1), reason="Ill")
    with pytest.raises(services.AssignmentRefused, match="later than the current one") as refused:
        services.assignment_extend(
            actor=bob, assignment=overdue, due_on=date(2026, 6, 20), reason="Changed my mind"
        )
    assert refused.value.field == "due_on"


def test_it_refuses_a_supervisor_extending_someone_outside_their_team(bob, charlie, wendy, module):
    rule = services.rule_create(
        actor=wendy, module=module, target=AssignmentRule.Target.PERSON, target_user=charlie,
        due_in_days=3,
    )  # fmt: skip
    with pytest.raises(services.AssignmentRefused):
        services.assignment_extend(
            actor=bob, assignment=rule.assignments.get(), due_on=date(2026, 7, 1), reason="Ill"
        )


def test_it_plans_reminders_for_the_extended_due_date(bob, overdue):
    services.assignment_extend(
        actor=bob, assignment=overdue, due_on=date(2026, 6, 15), reason="Long-term sick leave"
    )
    services.reminders_plan(on=TODAY)
    assert list(OutboxEmail.objects.values_list("kind", flat=True)) == ["due_soon"]


# --- Refreshers ---------------------------------------------------------------------------


@pytest.fixture
def certified(alice, version, team_rule):
    """Alice passed on 10 June 2026 (certificate to 10 June 2027), completing team_rule."""
    return walk(alice, version).certificate


def refreshers_of(user) -> list[Assignment]:
    return list(Assignment.objects.filter(user=user, refresher_for__isnull=False))


def test_it_gives_a_refresher_due_on_the_expiry_date_within_30_days_of_it(
    alice, certified, team_rule
):
    created = services.refreshers_create(on=date(2027, 5, 11))
    [refresher] = refreshers_of(alice)
    assert created == 1
    assert (refresher.rule, refresher.refresher_for) == (team_rule, certified)
    assert (refresher.assigned_on, refresher.due_on) == (date(2027, 5, 11), date(2027, 6, 10))


def test_it_gives_no_refresher_more_than_30_days_before_expiry(alice, certified):
    assert services.refreshers_create(on=date(2027, 5, 10)) == 0
    assert refreshers_of(alice) == []


def test_it_gives_one_refresher_however_often_it_runs(alice, certified):
    services.refreshers_create(on=date(2027, 5, 11))
    assert services.refreshers_create(on=date(2027, 5, 12)) == 0
    assert len(refreshers_of(alice)) == 1


def test_it_gives_no_refresher_once_the_rule_is_cancelled(bob, alice, certified, team_rule):
    services.rule_cancel(actor=bob, rule=team_rule)
    services.refreshers_create(on=date(2027, 5, 11))
    assert refreshers_of(alice) == []


def test_it_gives_no_refresher_to_a_deactivated_person(dave, alice, certified):
    portal_services.user_deactivate(actor=dave, user=alice)
    services.refreshers_create(on=date(2027, 5, 11))
    assert refreshers_of(alice) == []


def test_it_gives_no_refresher_to_someone_who_left_the_team(dave, alice, certified, authority):
    portal_services.user_update(
        actor=dave, user=alice, full_name=alice.full_name, role=alice.role,
        team=TeamFactory(authority=authority),
    )  # fmt: skip
    services.refreshers_create(on=date(2027, 5, 11))
    assert refreshers_of(alice) == []


def test_it_gives_no_refresher_to_someone_who_renewed_early(alice, version, certified):
    with time_machine.travel(london(2027, 3, 1, 9, 0), tick=False):
        walk(alice, version)
    services.refreshers_create(on=date(2027, 5, 11))
    assert refreshers_of(alice) == []


def test_it_gives_a_refresher_sooner_when_the_rules_refresher_period_is_shorter(
    bob, alice, module, version
):
    services.rule_create(
        actor=bob, module=module, target=AssignmentRule.Target.PERSON, target_user=alice,
        due_in_days=30, refresher_months=6,
    )  # fmt: skip
    walk(alice, version)
    services.refreshers_create(on=date(2026, 11, 10))
    [refresher] = refreshers_of(alice)
    assert refresher.due_on == date(2026, 12, 10)


def test_it_completes_a_refresher_and_renews_again_a_year_later(alice, version, certified):
    services.refreshers_create(on=date(2027, 5, 11))
    with time_machine.travel(london(2027, 5, 20, 9, 0), tick=False):
        renewed = walk(alice, version).certificate
    [refresher] = refreshers_of(alice)
    assert refresher.completed_by == renewed
    services.refreshers_create(on=date(2028, 4, 20))
    assert Assignment.objects.get(refresher_for=renewed).due_on == date(2028, 5, 20)


def test_it_runs_the_refreshers_from_the_daily_beat_task(alice, certified):
    entry = celery_app.conf.beat_schedule["training-refreshers"]
    assert entry["task"] == tasks.refreshers_create.name
    assert entry["schedule"].hour == {6}
    with time_machine.travel(london(2027, 5, 11, 6, 0), tick=False):
        assert celery_app.tasks[entry["task"]].delay().get() == 1
    assert len(refreshers_of(alice)) == 1


def test_it_shows_a_refresher_on_the_learners_list_as_due(alice, certified):
    with time_machine.travel(london(2027, 6, 5, 9, 0), tick=False):
        services.refreshers_create()
        [row] = selectors.assignments_for_learner(user=alice)
    assert (row.assignment.refresher_for, row.status) == (certified, Status.DUE_SOON)


def test_it_dates_a_certificates_expiry_in_london(alice, certified):
    assert timezone.localdate(certified.expires_at) == date(2026, 6, 10) + relativedelta(years=1)
