"""The report selectors: tendency and figures from hand-made attempts, matrix statuses, scope,
the training record, one attempt's decisions, and the authority comparison."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from portal.models import Role
from portal.tests.factories import AuthorityFactory, TeamFactory, UserFactory
from training import report_math as math
from training import selectors, services
from training.models import Answer, Module
from training.progress import Status
from training.selectors import ReportFilters
from training.tests.factories import small_module
from training.tests.report_data import (
    assign,
    attempt_with,
    generated_team,
    modules_with_versions,
)

NOW = "2026-11-27 10:00 +00:00"


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def today():
    return timezone.localdate()


def report(user, **filters):
    return selectors.team_report_for_user(user=user, filters=ReportFilters(**filters))


def row_of(team_report, person):
    (row,) = team_report.rows_for([p for p in team_report.people if p.pk == person.pk])
    return row


# --- Response tendency, calibration, score ---------------------------------------------------


def test_it_computes_response_tendency_over_every_completed_decision(bob, alice, version):
    # Over- minus under-reactions per decision, on both routes: 1 - 5 of 7.
    attempt_with(alice, version, [-2, 0, 1, -1], at=timezone.now() - timedelta(days=3))
    attempt_with(alice, version, [-1, 0, -2], at=timezone.now() - timedelta(days=1))
    row = row_of(report(bob), alice)
    assert row.decisions == 7
    assert row.tendency == pytest.approx(-3 / 7)
    assert row.safeguarding_text == "4 under, 1 over"
    assert row.prevent_text == "0 under, 0 over"
    assert row.tendency_text == "-0.43"
    assert row.tendency_words == "Proportionate"


def test_it_leaves_unfinished_attempts_out_of_the_tendency(bob, alice, version):
    attempt_with(alice, version, [1, 1])
    attempt_with(alice, version, [3, 3, 3], completed=False)
    row = row_of(report(bob), alice)
    assert (row.decisions, row.tendency) == (2, 1.0)  # an over-reaction at each decision
    assert row.tendency_words == "Over-referring"


def test_it_has_no_tendency_for_someone_without_decisions(bob, alice):
    row = row_of(report(bob), alice)
    assert row.tendency is None
    assert row.tendency_text == ""
    assert row.calibration is None


def test_it_takes_score_and_confidence_from_the_latest_completed_attempt(bob, alice, version):
    yesterday = timezone.now() - timedelta(days=1)
    attempt_with(alice, version, [0], percent=90, before=1, after=5, at=timezone.now())
    attempt_with(alice, version, [0], percent=40, before=3, after=3, at=yesterday)
    row = row_of(report(bob), alice)
    assert (row.score_text, row.confidence_before, row.confidence_after) == ("90%", 1, 5)
    assert row.confidence_change_text == "+4"


def test_it_shows_over_confidence_as_positive_calibration(bob, alice, version):
    # Confidence 5 of 5 (1.0) with one proportionate decision in four (0.25): +0.75.
    attempt_with(alice, version, [0, 2, -2, 1], after=5)
    row = row_of(report(bob), alice)
    assert row.proportionate_text == "25%"
    assert row.calibration_text == "+0.75"
    assert row.calibration_words == "More confident than their answers show"


def test_it_shows_under_confidence_as_negative_calibration(bob, alice, version):
    attempt_with(alice, version, [0, 0, 0, 0], after=2)  # 0.25 confident, all proportionate
    row = row_of(report(bob), alice)
    assert row.calibration_text == "-0.75"
    assert row.calibration_words == "Less confident than their answers show"


def test_it_draws_the_team_histogram_from_each_persons_tendency(bob, alice, team, version):
    attempt_with(alice, version, [-2, -2])  # under-reacting at both: -1.0
    attempt_with(UserFactory(authority=team.authority, team=team), version, [1, 1, 0])
    histogram = report(bob).histogram
    assert [bucket.count for bucket in histogram] == [0, 1, 0, 1, 0]


# --- Matrix statuses ------------------------------------------------------------------------


@pytest.fixture
def second(module):
    other, _ = services.module_load_from_json(data=small_module(key="second", title="Second"))
    return other


def test_it_shows_each_cells_status_from_the_effective_due_date(bob, alice, module, second, today):
    assign(alice, module, due_on=today - timedelta(days=2))
    assign(
        alice,
        second,
        due_on=today - timedelta(days=2),
        extended_due_on=today + timedelta(days=3),
        reason="Jury service",
    )
    row = row_of(report(bob), alice)
    overdue, extended = row.cells
    assert (overdue.status, extended.status) == (Status.OVERDUE, Status.DUE_SOON)
    assert extended.due_on == today + timedelta(days=3)
    assert extended.is_extended
    assert row.overdue == 1


def test_it_shows_not_assigned_for_a_module_only_someone_else_has(bob, alice, team, module, today):
    assign(UserFactory(authority=team.authority, team=team), module, due_on=today)
    assert row_of(report(bob), alice).cells[0].status == Status.NOT_ASSIGNED


def test_it_shows_an_unfinished_attempt_as_in_progress(bob, alice, version, today):
    assign(alice, version.module, due_on=today + timedelta(days=20))
    attempt_with(alice, version, [0], completed=False)
    assert row_of(report(bob), alice).cells[0].status == Status.IN_PROGRESS


def test_it_shows_a_completed_assignment_with_its_latest_score(bob, alice, version, today):
    assign(alice, version.module, due_on=today, completed=True)
    attempt_with(alice, version, [0, 0], percent=88)
    cell = row_of(report(bob), alice).cells[0]
    assert (cell.status, cell.percent) == (Status.COMPLETED, 88)


def test_it_lists_overdue_people_longest_overdue_first(bob, alice, team, module, second, today):
    assign(alice, module, due_on=today - timedelta(days=2))
    assign(alice, second, due_on=today - timedelta(days=9))
    later = UserFactory(authority=team.authority, team=team, full_name="Aaron Early")
    assign(later, module, due_on=today - timedelta(days=1))
    overdue = report(bob).overdue
    assert [entry.person.full_name for entry in overdue] == ["Alice Okafor", "Aaron Early"]
    assert [(item.module.title, item.days_overdue) for item in overdue[0].items] == [
        ("Second", 9),
        ("Jo's bedroom door", 2),
    ]
    assert report(bob).overdue_count == 3


def test_it_has_a_column_for_each_module_someone_was_assigned_or_attempted(
    bob, alice, authority, module, second, today
):
    third, _ = services.module_load_from_json(data=small_module(key="third", title="Third"))
    assign(alice, module, due_on=today)
    attempt_with(bob, second.versions.get(), [0], completed=False)
    outsider = UserFactory(authority=authority, team=TeamFactory(authority=authority))
    assign(outsider, third, due_on=today)

    assert [m.title for m in report(bob).modules] == ["Jo's bedroom door", "Second"]


def test_it_filters_people_by_status(bob, alice, team, module, today):
    late = UserFactory(authority=team.authority, team=team, full_name="Late Larry")
    assign(late, module, due_on=today - timedelta(days=1))
    assign(alice, module, due_on=today + timedelta(days=30))
    names = [person.full_name for person in report(bob, status="overdue").people]
    assert names == ["Late Larry"]


def test_it_filters_by_module(bob, alice, module, second, today):
    assign(alice, module, due_on=today)
    assign(alice, second, due_on=today)
    filtered = report(bob, module_key="second")
    assert [m.title for m in filtered.modules] == ["Second"]


def test_it_refuses_an_unknown_module_filter(bob):
    with pytest.raises(Http404):
        report(bob, module_key="no-such-module")


def test_it_sorts_by_tendency_with_people_without_decisions_last(bob, alice, team, version):
    over = UserFactory(authority=team.authority, team=team, full_name="Olu Over")
    under = UserFactory(authority=team.authority, team=team, full_name="Una Under")
    attempt_with(over, version, [2])
    attempt_with(under, version, [-2])
    attempt_with(alice, version, [0])
    names = [person.full_name for person in report(bob, sort="tendency").people]
    assert names == ["Una Under", "Alice Okafor", "Olu Over", "Bob Hughes"]
    names = [person.full_name for person in report(bob, sort="-tendency").people]
    assert names == ["Olu Over", "Alice Okafor", "Una Under", "Bob Hughes"]


# --- Scope ----------------------------------------------------------------------------------


def test_it_shows_a_supervisor_only_their_own_team(bob, alice, authority):
    other_team = TeamFactory(authority=authority, name="Youth Justice")
    UserFactory(authority=authority, team=other_team, full_name="Yusuf Other")
    names = {person.full_name for person in report(bob).people}
    assert names == {"Alice Okafor", "Bob Hughes"}


def test_it_refuses_a_supervisor_another_teams_filter(bob, authority):
    other_team = TeamFactory(authority=authority, name="Youth Justice")
    with pytest.raises(Http404):
        report(bob, team_id=other_team.pk)


def test_it_refuses_an_admin_a_team_of_another_authority(dave, other_team):
    with pytest.raises(Http404):
        report(dave, team_id=other_team.pk)


def test_it_shows_an_admin_every_team_of_their_authority_and_no_other(
    dave, alice, bob, charlie, authority
):
    other_team = TeamFactory(authority=authority, name="Youth Justice")
    UserFactory(authority=authority, team=other_team, full_name="Yusuf Other")
    all_teams = report(dave)
    assert all_teams.title == "Northbridge City Council"
    names = {person.full_name for person in all_teams.people}
    assert {"Alice Okafor", "Bob Hughes", "Yusuf Other"} <= names
    assert "Charlie Adeyemi" not in names
    one_team = report(dave, team_id=other_team.pk)
    assert [person.full_name for person in one_team.people] == ["Yusuf Other"]


def test_it_leaves_deactivated_people_off_the_team_page(bob, alice):
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert [person.full_name for person in report(bob).people] == ["Bob Hughes"]


# --- The training record and one attempt ----------------------------------------------------


def test_it_records_every_assignment_attempt_certificate_and_version(bob, alice, version, today):
    assign(
        alice,
        version.module,
        due_on=today - timedelta(days=1),
        extended_due_on=today + timedelta(days=10),
        reason="Parental leave",
    )
    passed = attempt_with(alice, version, [0, 0, 0], percent=100)
    services.certificate_issue(attempt=passed)
    attempt_with(alice, version, [0], completed=False)
    record = selectors.person_record_for_user(user=bob, pk=alice.pk)
    assert [line.status for line in record.assignments] == [Status.IN_PROGRESS]
    assert len(record.attempts) == 2
    assert [c.attempt_id for c in record.certificates] == [passed.pk]
    assert record.versions == [version]


def test_it_keeps_a_persons_record_from_another_team(bob, authority):
    stranger = UserFactory(authority=authority, team=TeamFactory(authority=authority))
    with pytest.raises(Http404):
        selectors.person_record_for_user(user=bob, pk=stranger.pk)


def test_it_reads_decisions_from_the_version_the_attempt_was_played_on(bob, alice, version):
    attempt = attempt_with(alice, version, [-1])
    revised = small_module(version=2)
    revised["scenarios"][0]["steps"][1]["title"] = "A new title"
    revised["scenarios"][0]["steps"][1]["choices"][0]["feedback"] = "New feedback."
    services.module_load_from_json(data=revised)
    assert Module.objects.get(key="test-module").versions.count() == 2
    detail = selectors.person_attempt_for_user(user=bob, pk=alice.pk, attempt_pk=attempt.pk)
    (decision,) = detail.decisions
    assert decision.step_title == "First worry"
    assert decision.choice_text == "Nothing"
    assert decision.feedback == "Because Nothing."
    assert decision.chosen_label == "Record and keep watch · No Prevent action"
    assert decision.band_label == "Safeguarding: Universal support; Prevent: No Prevent action"
    assert decision.distance_sentence == (
        "Safeguarding: 1 step below the accepted band, an under-reaction. "
        "Prevent: inside the accepted band."
    )


def test_it_refuses_an_attempt_of_someone_else_under_a_persons_address(bob, alice, team, version):
    colleague = UserFactory(authority=team.authority, team=team)
    theirs = attempt_with(colleague, version, [0])
    with pytest.raises(Http404):
        selectors.person_attempt_for_user(user=bob, pk=alice.pk, attempt_pk=theirs.pk)


# --- The authority report -------------------------------------------------------------------


def people_with_data(authority, count, version, distances=(1,)):
    team = TeamFactory(authority=authority)
    for _ in range(count):
        person = UserFactory(authority=authority, team=team)
        assign(person, version.module, due_on=timezone.localdate(), completed=True)
        attempt_with(person, version, list(distances), before=2, after=3)


def test_it_sums_team_figures_up_to_the_authority(dave, alice, team, version, today):
    assign(alice, version.module, due_on=today, completed=True)
    assign(alice, version.module, due_on=today + timedelta(days=9))
    attempt_with(alice, version, [-1, -1, 0, 0], before=2, after=4)
    authority_report = selectors.authority_report_for_user(user=dave)
    early_help = next(t for t in authority_report.teams if t.name == "Early Help North")
    assert early_help.completion_text == "50%"
    assert early_help.confidence_text == "+2.00"
    assert early_help.tendency_text == "-0.50"
    assert authority_report.overall.completion == early_help.completion


def test_it_withholds_the_comparison_with_four_people_elsewhere(dave, other_authority, version):
    people_with_data(other_authority, 4, version)
    authority_report = selectors.authority_report_for_user(user=dave)
    assert not authority_report.has_comparison


def test_it_compares_with_an_authority_of_five_people(dave, alice, other_authority, version):
    attempt_with(alice, version, [0, 0])
    people_with_data(other_authority, 5, version, distances=(1, 1))
    people_with_data(AuthorityFactory(name="Tiny Borough"), 4, version, distances=(-3,))
    authority_report = selectors.authority_report_for_user(user=dave)
    tendency = next(c for c in authority_report.comparisons if "tendency" in c.label)
    assert tendency.comparison.others_median == 1.0  # Tiny Borough's 4 people left out
    assert tendency.comparison.authorities == 1
    assert tendency.difference_text == "-1.00"


def test_it_refuses_the_authority_report_to_a_supervisor(bob):
    with pytest.raises(Http404):
        selectors.authority_report_for_user(user=bob)


def test_it_counts_only_active_people_elsewhere(dave, other_authority, version):
    people_with_data(other_authority, 5, version)
    gone = other_authority.users.filter(role=Role.PRACTITIONER).first()
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    assert not selectors.authority_report_for_user(user=dave).has_comparison


# --- A page's rows, built alone, are the whole team's ----------------------------------------


@pytest.fixture
def mixed_team(team, authority, alice, module, second, today):
    """Sixty generated people in bob's team and ten in another; names that tie but for case
    or email; and alice's assignments where the cell's choice of assignment matters."""
    versions = modules_with_versions(3)
    generated_team(team, people=60, versions=versions)
    generated_team(TeamFactory(authority=authority, name="youth Justice"), people=10,
                   versions=versions, first=60, seed=2)  # fmt: skip
    for email in ["a.smith@northbridge.example", "b.smith@northbridge.example"]:
        UserFactory(authority=authority, team=team, full_name="Sam Smith", email=email)
    UserFactory(authority=authority, team=team, full_name="sam smith")
    # Where a person has two open assignments of a module, the cell shows the one due first:
    # an overdue one before a later one; a late one before an extension not yet due.
    assign(alice, module, due_on=today - timedelta(days=1))
    assign(alice, module, due_on=today - timedelta(days=5))
    assign(alice, module, due_on=today + timedelta(days=3))
    assign(alice, second, due_on=today - timedelta(days=30), extended_due_on=today + timedelta(5),
           reason="Leave")  # fmt: skip
    assign(alice, second, due_on=today - timedelta(days=2))


def full(user, **filters):
    """The report with every row built first: the path a status filter takes."""
    return selectors.team_report_for_user(
        user=user, filters=ReportFilters(**filters), every_row=True
    )


def shown(row):
    """Everything a row puts on the page or in the CSV files."""
    return (
        row.person,
        row.cells,
        row.figures(),
        row.confidence_text,
        (row.tendency_note, row.calibration_note),
    )


def header(team_report):
    return (
        [(entry.person, entry.items) for entry in team_report.overdue],
        team_report.overdue_people,
        team_report.overdue_count,
        team_report.histogram,
        team_report.team_tendency,
        team_report.modules,
    )


@pytest.mark.parametrize("sort", ["name", "-name", "team", "-team", "overdue", "-overdue"])
def test_it_orders_and_builds_a_page_as_when_building_everyone(dave, mixed_team, sort):
    page_at_a_time, everyone = report(dave, sort=sort), full(dave, sort=sort)

    assert page_at_a_time.people == everyone.people
    assert len(page_at_a_time.people) > 70
    second_page = page_at_a_time.people[50:100]
    assert [shown(r) for r in page_at_a_time.rows_for(second_page)] == [
        shown(r) for r in everyone.rows_for(second_page)
    ]
    assert header(page_at_a_time) == header(everyone)


def test_it_builds_a_modules_page_as_when_building_everyone(bob, mixed_team, module):
    page_at_a_time, everyone = report(bob, module_key=module.key), full(bob, module_key=module.key)

    assert page_at_a_time.people == everyone.people
    assert [shown(r) for r in page_at_a_time.rows_for(page_at_a_time.people)] == [
        shown(r) for r in everyone.rows_for(everyone.people)
    ]
    assert header(page_at_a_time) == header(everyone)


def test_it_adds_up_the_decisions_the_answers_record(bob, mixed_team):
    answers = (
        Answer.objects.filter(attempt__user__team=bob.team, attempt__completed_at__isnull=False)
        .values("attempt__user")
        .annotate(
            n=Count("id"),
            under=Count("id", filter=Q(safeguarding_distance__lt=0)),
            over=Count("id", filter=Q(safeguarding_distance__gt=0)),
            same=Count("id", filter=Q(safeguarding_distance=0)),
        )
    )
    expected = {
        row["attempt__user"]: (row["n"], row["over"] - row["under"], row["same"]) for row in answers
    }
    team_report = report(bob)
    rows = team_report.rows_for(team_report.people)

    assert {row.person.pk: (row.decisions, row.totals.tendency_total, row.totals.within_bands)
            for row in rows if row.decisions} == expected  # fmt: skip
    assert team_report.team_tendency == math.add_up(
        math.Totals(1, total, n) for n, total, _ in expected.values()
    )
    assert team_report.histogram == math.tendency_histogram(
        total / n for n, total, _ in expected.values()
    )
    assert team_report.team_tendency.count > 500  # eight answers an attempt


def test_it_lists_as_overdue_exactly_the_cells_that_are(bob, mixed_team, today):
    team_report = report(bob)
    rows = team_report.rows_for(team_report.people)
    by_cells = [
        (row.person, [
            (m, cell.assignment, (today - cell.due_on).days)
            for m, cell in zip(team_report.modules, row.cells, strict=True)
            if cell.status == Status.OVERDUE
        ])
        for row in rows
        if row.overdue
    ]  # fmt: skip
    expected = sorted(by_cells, key=lambda entry: -max(days for *_, days in entry[1]))

    assert team_report.overdue_count == sum(row.overdue for row in rows) > 10
    assert team_report.overdue_people == len(expected)
    assert len(team_report.overdue) == selectors.reports.OVERDUE_LISTED
    for entry, (person, items) in zip(team_report.overdue, expected, strict=False):
        assert entry.person == person
        listed = [(i.module, i.cell.assignment, i.days_overdue) for i in entry.items]
        assert listed == sorted(items, key=lambda item: -item[2])


def test_it_lists_the_overdue_assignment_each_cell_shows(bob, alice, module, second, today):
    third, _ = services.module_load_from_json(data=small_module(key="third", title="Third"))
    assign(alice, module, due_on=today - timedelta(days=1))
    assign(alice, module, due_on=today - timedelta(days=5))
    assign(alice, module, due_on=today + timedelta(days=3))
    assign(alice, second, due_on=today - timedelta(days=30), extended_due_on=today + timedelta(5),
           reason="Leave")  # fmt: skip
    assign(alice, second, due_on=today - timedelta(days=2))
    assign(alice, third, due_on=today - timedelta(days=30), extended_due_on=today + timedelta(5),
           reason="Leave")  # fmt: skip

    team_report = report(bob)
    (entry,) = team_report.overdue
    (row,) = team_report.rows_for([entry.person])

    items = [
        (i.module.title, i.cell.due_on, i.cell.is_extended, i.days_overdue) for i in entry.items
    ]
    assert items == [
        ("Jo's bedroom door", today - timedelta(days=5), False, 5),
        ("Second", today - timedelta(days=2), False, 2),
    ]  # fmt: skip
    assert [cell.status for cell in row.cells] == [Status.OVERDUE, Status.OVERDUE, Status.DUE_SOON]
    assert (team_report.overdue_count, row.overdue) == (2, 2)
