"""Reminder emails from planning to the inbox: which day each kind goes out (in London, across
month ends and the clock changes), when they stop, what they say, and how planning scales.

Each test runs the whole pipeline on chosen mornings: training.services.reminders_plan for the
day, then portal.tasks.outbox_send (eager in tests), reading what reached mail.outbox.
"""

from __future__ import annotations

from datetime import date, time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import services as portal_services
from portal import unsubscribe
from portal.models import EmailKind, OutboxEmail, Role, User
from portal.tests.factories import UserFactory
from training import services
from training.models import Assignment, AssignmentRule, Attempt, Certificate
from training.services import reminders
from training.tests.reminder_data import (
    assignment_due,
    certificate_expiring,
    html_of,
    london,
    outbox_send,
    reminders_calendar,
    reminders_plan,
    reminders_run,
)

DUE_IN_7 = "Due in 7 days: Jo's bedroom door"
DUE_TOMORROW = "Due tomorrow: Jo's bedroom door"
OVERDUE = "Overdue: Jo's bedroom door"


def statuses() -> list[str]:
    return list(OutboxEmail.objects.order_by("id").values_list("status", flat=True))


# --- The pure step rules (no database) ----------------------------------------------------


@pytest.mark.parametrize(
    ("days_until_due", "step"),
    [(8, None), (7, "7d"), (2, "7d"), (1, "1d"), (0, "1d"), (-1, None)],
)
def test_it_names_the_due_soon_step_by_days_left(days_until_due, step):
    assert reminders.due_soon_step(days_until_due) == step


@pytest.mark.parametrize(
    ("days_overdue", "week"),
    [(0, None), (1, 0), (7, 0), (8, 1), (15, 2), (22, 3), (28, 3), (29, None)],
)
def test_it_names_the_overdue_week_and_stops_after_the_fourth(days_overdue, week):
    assert reminders.overdue_step(days_overdue) == week


# --- Due soon -----------------------------------------------------------------------------


def test_it_reminds_7_days_and_1_day_before_the_due_date_across_a_month_end(alice, module):
    assignment_due(alice, module, date(2026, 3, 1))

    sent = reminders_calendar(date(2026, 2, 10), date(2026, 3, 1))

    assert sent == {date(2026, 2, 22): [DUE_IN_7], date(2026, 2, 28): [DUE_TOMORROW]}


def test_it_reminds_by_the_day_across_the_spring_clock_change(alice, module):
    assignment_due(alice, module, date(2026, 3, 30))  # clocks go forward on Sunday 29 March

    sent = reminders_calendar(date(2026, 3, 20), date(2026, 3, 30))

    assert sent == {date(2026, 3, 23): [DUE_IN_7], date(2026, 3, 29): [DUE_TOMORROW]}


def test_it_catches_up_a_reminder_whose_day_was_missed(alice, module):
    assignment_due(alice, module, date(2026, 3, 1))

    [message] = reminders_run(date(2026, 2, 24))  # nothing ran on 22 or 23 February

    assert message.subject == "Due in 5 days: Jo's bedroom door"


def test_it_plans_by_the_london_date_just_after_midnight_in_summer(alice, module):
    assignment_due(alice, module, date(2026, 6, 8))

    # 00:30 on 1 June in London is still 31 May in UTC, when the assignment is 8 days away.
    with time_machine.travel(london(2026, 6, 1, 0, 30), tick=False):
        services.reminders_plan()

    assert list(OutboxEmail.objects.values_list("idempotency_key", flat=True)) == [
        reminders.key_for(EmailKind.DUE_SOON, alice.assignments.get().pk, "2026-06-08", "7d")
    ]


# --- Overdue ------------------------------------------------------------------------------


def test_it_sends_overdue_notices_the_day_after_then_weekly_at_most_four_times(alice, module):
    assignment_due(alice, module, date(2026, 3, 1))  # the weeks after cross 29 March

    sent = reminders_calendar(date(2026, 3, 2), date(2026, 4, 30))

    assert sent == {
        date(2026, 3, 2): [OVERDUE],
        date(2026, 3, 9): [OVERDUE],
        date(2026, 3, 16): [OVERDUE],
        date(2026, 3, 23): [OVERDUE],
    }


def test_it_counts_overdue_weeks_by_the_day_across_the_autumn_clock_change(alice, module):
    assignment_due(alice, module, date(2026, 10, 24))  # clocks go back on Sunday 25 October

    sent = reminders_calendar(date(2026, 10, 25), date(2026, 11, 30))

    assert list(sent) == [
        date(2026, 10, 25),
        date(2026, 11, 1),
        date(2026, 11, 8),
        date(2026, 11, 15),
    ]


def test_it_says_how_many_days_overdue(alice, module):
    assignment_due(alice, module, date(2026, 3, 1))

    [message] = reminders_run(date(2026, 3, 9))

    assert "overdue by 8 days" in message.body


# --- Certificates -------------------------------------------------------------------------


def test_it_warns_30_days_before_a_certificate_expires(alice, module):
    # Notice in winter time (11 March) for an expiry in summer time (10 April).
    certificate_expiring(alice, module, london(2026, 4, 10, 9, 0))

    sent = reminders_calendar(date(2026, 3, 1), date(2026, 4, 10))

    assert sent == {
        date(2026, 3, 11): ["Your certificate expires on 10 April 2026: Jo's bedroom door"]
    }


def test_it_takes_the_london_date_of_an_expiry_just_after_midnight_in_summer(alice, module):
    # 00:30 on 1 May in London is 23:30 on 30 April in UTC.
    certificate_expiring(alice, module, london(2026, 5, 1, 0, 30))

    sent = reminders_calendar(date(2026, 3, 28), date(2026, 4, 3))

    assert list(sent) == [date(2026, 4, 1)]


def test_it_does_not_warn_about_a_certificate_already_renewed(alice, module):
    certificate_expiring(alice, module, london(2026, 4, 10, 9, 0))
    certificate_expiring(alice, module, london(2027, 3, 20, 9, 0))

    assert reminders_calendar(date(2026, 3, 1), date(2026, 4, 10)) == {}


# --- Supervisors' digest ------------------------------------------------------------------


def test_it_sends_the_supervisors_digest_on_mondays_only(bob, alice, module):
    sent = reminders_calendar(date(2026, 5, 31), date(2026, 6, 14))

    assert list(sent) == [date(2026, 6, 1), date(2026, 6, 8)]


def test_it_sends_one_digest_a_week_however_often_planning_runs(bob):
    first = reminders_run(date(2026, 6, 1), time(7, 0))
    again = reminders_run(date(2026, 6, 1), time(12, 0))

    assert ([m.to for m in first], again) == ([["bob@northbridge.example"]], [])


def test_it_plans_mondays_digest_just_after_midnight_in_summer(bob):
    # 00:30 on Monday 1 June in London is still Sunday in UTC.
    with time_machine.travel(london(2026, 6, 1, 0, 30), tick=False):
        services.reminders_plan()

    assert list(OutboxEmail.objects.values_list("kind", flat=True)) == [EmailKind.SUPERVISOR_DIGEST]


def test_it_lists_the_teams_overdue_due_this_week_and_completed_last_week(bob, alice, module):
    erin = UserFactory(full_name="Erin Walsh", authority=alice.authority, team=alice.team)
    assignment_due(alice, module, date(2026, 5, 29))  # overdue
    assignment_due(erin, module, date(2026, 6, 7))  # due this week (Sunday)
    done = assignment_due(erin, module, date(2026, 6, 20))
    Assignment.objects.filter(pk=done.pk).update(completed_at=london(2026, 5, 27, 16, 0))

    [digest] = [m for m in reminders_run(date(2026, 6, 1)) if m.to == [bob.email]]

    assert digest.subject == "Early Help North this week: 1 overdue, 1 due, 1 completed"
    overdue, due, completed = digest.body.split("Overdue")[1].split("\n\n")[:3]
    assert "Alice Okafor: Jo's bedroom door, due 29 May" in overdue
    assert "Erin Walsh: Jo's bedroom door, due 7 Jun" in due
    assert "Erin Walsh: Jo's bedroom door" in completed


def test_it_leaves_out_people_of_other_teams_and_deactivated_people(bob, alice, charlie, module):
    assignment_due(charlie, module, date(2026, 5, 29))
    assignment_due(alice, module, date(2026, 5, 29))
    User.objects.filter(pk=alice.pk).update(is_active=False)

    [digest] = [m for m in reminders_run(date(2026, 6, 1)) if m.to == [bob.email]]

    assert digest.subject == "Early Help North this week: 0 overdue, 0 due, 0 completed"


def test_it_skips_a_digest_held_up_until_the_next_week(bob):
    reminders_plan(date(2026, 6, 1))

    assert outbox_send(date(2026, 6, 8), time(6, 0)) == []
    assert statuses() == [OutboxEmail.Status.SKIPPED]


# --- When reminders stop ------------------------------------------------------------------


def complete(assignment: Assignment) -> None:
    certificate = certificate_expiring(assignment.user, assignment.module, london(2027, 2, 1))
    services.assignments_complete(certificate=certificate)


def test_it_stops_reminding_once_the_assignment_is_completed(alice, module):
    assignment = assignment_due(alice, module, date(2026, 3, 1))
    reminders_run(date(2026, 2, 22))
    complete(assignment)

    assert reminders_calendar(date(2026, 2, 23), date(2026, 4, 30)) == {}


def test_it_skips_a_planned_reminder_when_the_assignment_is_completed_before_sending(alice, module):
    assignment = assignment_due(alice, module, date(2026, 3, 1))
    reminders_plan(date(2026, 2, 28))
    complete(assignment)

    assert outbox_send(date(2026, 2, 28)) == []
    assert statuses() == [OutboxEmail.Status.SKIPPED]


def test_it_skips_a_planned_reminder_when_the_assignment_is_cancelled(dave, alice, module):
    assignment = assignment_due(alice, module, date(2026, 3, 1))
    reminders_plan(date(2026, 3, 2))
    services.rule_cancel(actor=dave, rule=assignment.rule)

    assert outbox_send(date(2026, 3, 2)) == []
    assert statuses() == [OutboxEmail.Status.SKIPPED]


def extend(dave, assignment: Assignment, due_on: date, *, on: date) -> None:
    with time_machine.travel(london(on.year, on.month, on.day, 10, 0), tick=False):
        services.assignment_extend(
            actor=dave, assignment=assignment, due_on=due_on, reason="Long-term sick leave"
        )


def test_it_skips_a_reminder_planned_for_the_due_date_before_an_extension(dave, alice, module):
    assignment = assignment_due(alice, module, date(2026, 3, 1))
    reminders_plan(date(2026, 2, 22))
    extend(dave, assignment, date(2026, 3, 31), on=date(2026, 2, 22))

    assert outbox_send(date(2026, 2, 22), time(11, 0)) == []
    assert statuses() == [OutboxEmail.Status.SKIPPED]


def test_it_reminds_for_the_extended_due_date(dave, alice, module):
    assignment = assignment_due(alice, module, date(2026, 3, 1))
    reminders_run(date(2026, 3, 2))  # the first overdue notice
    extend(dave, assignment, date(2026, 3, 31), on=date(2026, 3, 3))

    sent = reminders_calendar(date(2026, 3, 3), date(2026, 4, 1))

    assert sent == {
        date(2026, 3, 24): ["Due in 7 days: Jo's bedroom door"],
        date(2026, 3, 30): [DUE_TOMORROW],
        date(2026, 4, 1): [OVERDUE],
    }


def test_it_never_plans_reminders_for_deactivated_people(dave, alice, module):
    assignment_due(alice, module, date(2026, 3, 1))
    certificate_expiring(alice, module, london(2026, 3, 20, 9, 0))
    portal_services.user_deactivate(actor=dave, user=alice)

    assert reminders_calendar(date(2026, 2, 20), date(2026, 3, 31)) == {}
    assert not OutboxEmail.objects.exists()


def test_it_skips_a_planned_reminder_for_someone_deactivated_before_it_is_sent(dave, alice, module):
    assignment_due(alice, module, date(2026, 3, 1))
    reminders_plan(date(2026, 2, 28))
    portal_services.user_deactivate(actor=dave, user=alice)

    assert outbox_send(date(2026, 2, 28)) == []
    assert statuses() == [OutboxEmail.Status.SKIPPED]


def test_it_skips_a_due_soon_reminder_held_up_until_after_the_due_date(alice, module):
    assignment_due(alice, module, date(2026, 3, 1))
    reminders_plan(date(2026, 2, 28))

    # Not sent until the day after the due date: "Due tomorrow" would be wrong by then.
    sent = outbox_send(date(2026, 3, 2), time(6, 0))

    assert sent == []
    assert statuses() == [OutboxEmail.Status.SKIPPED]


def test_it_skips_an_overdue_notice_held_up_into_the_next_week(alice, module):
    assignment_due(alice, module, date(2026, 3, 1))
    reminders_plan(date(2026, 3, 2))

    assert outbox_send(date(2026, 3, 9), time(6, 0)) == []
    assert [m.subject for m in reminders_run(date(2026, 3, 9))] == [OVERDUE]


# --- Idempotency --------------------------------------------------------------------------


def test_it_sends_each_email_once_when_planning_and_sending_run_twice(bob, alice, module):
    assignment_due(alice, module, date(2026, 6, 8))
    certificate_expiring(alice, module, london(2026, 7, 1, 9, 0))

    first = reminders_run(date(2026, 6, 1))
    second = reminders_run(date(2026, 6, 1))

    assert sorted(m.subject for m in first) == [
        "Due in 7 days: Jo's bedroom door",
        "Early Help North this week: 0 overdue, 0 due, 0 completed",
        "Your certificate expires on 1 July 2026: Jo's bedroom door",
    ]
    assert second == []


# --- What the emails say ------------------------------------------------------------------


def sent_on_first_of_june(bob, alice, module) -> list:
    assignment_due(alice, module, date(2026, 6, 2))
    assignment_due(alice, module, date(2026, 5, 31))
    certificate_expiring(alice, module, london(2026, 7, 1, 9, 0))
    return reminders_run(date(2026, 6, 1))


def test_it_writes_every_kind_with_a_plain_text_and_an_html_part(bob, alice, module):
    sent = sent_on_first_of_june(bob, alice, module)

    assert len(sent) == 4
    for message in sent:
        assert message.body.startswith("Hello ")
        assert html_of(message).startswith("<p>Hello ")


def test_it_gives_every_kind_a_clear_subject(bob, alice, module):
    sent = sent_on_first_of_june(bob, alice, module)

    assert sorted(message.subject for message in sent) == [
        "Due tomorrow: Jo's bedroom door",
        "Early Help North this week: 1 overdue, 1 due, 0 completed",
        "Overdue: Jo's bedroom door",
        "Your certificate expires on 1 July 2026: Jo's bedroom door",
    ]


def test_it_links_straight_to_the_module_with_an_absolute_address(settings, alice, module):
    settings.SITE_URL = "https://threshold.example.gov.uk"
    assignment_due(alice, module, date(2026, 6, 2))

    [message] = reminders_run(date(2026, 6, 1))

    link = "https://threshold.example.gov.uk/training/modules/test-module/"
    assert link in message.body
    assert f'href="{link}"' in html_of(message)


def test_it_links_straight_to_the_expiring_certificate(settings, alice, module):
    settings.SITE_URL = "https://threshold.example.gov.uk"
    certificate = certificate_expiring(alice, module, london(2026, 7, 1, 9, 0))

    [message] = reminders_run(date(2026, 6, 1))

    link = f"https://threshold.example.gov.uk/training/certificates/{certificate.code}/"
    assert link in message.body
    assert f'href="{link}"' in html_of(message)


def test_it_links_the_digest_to_the_teams_progress(settings, bob):
    settings.SITE_URL = "https://threshold.example.gov.uk"

    [message] = reminders_run(date(2026, 6, 1))

    assert "https://threshold.example.gov.uk/training/progress/" in message.body


def test_it_offers_one_click_unsubscribe_for_the_kind_in_a_header_and_the_footer(alice, module):
    assignment_due(alice, module, date(2026, 6, 2))

    [message] = reminders_run(date(2026, 6, 1))

    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    token = link.removeprefix("http://testserver/email/unsubscribe/").rstrip("/")
    with time_machine.travel(london(2026, 6, 1, 9, 0)):  # links work for a year from sending
        assert unsubscribe.token_read(token) == (alice.pk, EmailKind.DUE_SOON)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body
    assert link in html_of(message)


# --- Planning scales ----------------------------------------------------------------------


def people_with_reminders(authority, module, count: int, start: int) -> None:
    """count people, each needing one email on Monday 1 June 2026: three in ten an assignment
    due tomorrow, three an overdue one, four a certificate expiring in 30 days (made in bulk:
    this is about the planner's queries)."""
    people = User.objects.bulk_create(
        User(email=f"p{start + n}@bulk.example", full_name="Bulk", authority=authority)
        for n in range(count)
    )
    due_soon = [p for n, p in enumerate(people) if n % 10 < 3]
    overdue = [p for n, p in enumerate(people) if 3 <= n % 10 < 6]
    certified = [p for n, p in enumerate(people) if n % 10 >= 6]
    for due_on, group in ((date(2026, 6, 2), due_soon), (date(2026, 5, 20), overdue)):
        rule = AssignmentRule.objects.create(
            authority=authority, module=module, target="authority", due_on=due_on
        )
        Assignment.objects.bulk_create(
            Assignment(rule=rule, user=person, module=module, assigned_on=due_on, due_on=due_on)
            for person in group
        )
    version = module.versions.get()
    attempts = Attempt.objects.bulk_create(
        Attempt(user=person, version=version, passed=True) for person in certified
    )
    Certificate.objects.bulk_create(
        Certificate(
            attempt=attempt,
            user_id=attempt.user_id,
            version=version,
            code=f"B-{attempt.pk}",
            expires_at=london(2026, 7, 1, 9, 0),
        )
        for attempt in attempts
    )


def planning_queries(on: date) -> int:
    """Queries of one planning run, each bulk insert counted once: Django splits a bulk
    insert into statements of at most 999 variables on SQLite (one statement on PostgreSQL)."""
    with CaptureQueriesContext(connection) as queries:
        services.reminders_plan(on=on)
    counted, previous = 0, None
    for query in queries:
        statement = query["sql"].split(" (", 1)[0]  # INSERT ... INTO "table", or a whole query
        if not (statement.startswith("INSERT") and statement == previous):
            counted += 1
        previous = statement
    return counted


def test_it_plans_1000_emails_in_as_many_queries_as_100(authority, team, module):
    UserFactory.create_batch(3, role=Role.SUPERVISOR, authority=authority, team=team)
    people_with_reminders(authority, module, 100, start=0)
    for_100 = planning_queries(date(2026, 6, 1))
    OutboxEmail.objects.all().delete()
    people_with_reminders(authority, module, 900, start=100)

    for_1000 = planning_queries(date(2026, 6, 1))

    assert OutboxEmail.objects.count() == 1000 + 3  # and the supervisors' digests
    assert for_1000 == for_100
