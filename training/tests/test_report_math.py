"""The report arithmetic, without a database: cells, tendency buckets, medians, the
minimum group rule, sorting, chart geometry and CSV safety."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from training import progress
from training import report_math as math
from training.progress import Status

TODAY = date(2026, 11, 27)


def facts(**changes) -> math.AssignmentFacts:
    return math.AssignmentFacts(**{"due_on": TODAY + timedelta(days=20), **changes})


# --- Cells ----------------------------------------------------------------------------------


def test_it_reports_not_assigned_without_assignments():
    assert math.cell_for([], today=TODAY).status == Status.NOT_ASSIGNED


def test_it_takes_the_extended_due_date_for_the_status():
    late = facts(due_on=TODAY - timedelta(days=3), extended_due_on=TODAY + timedelta(days=20))
    cell = math.cell_for([late], today=TODAY)
    assert cell.status == Status.NOT_STARTED
    assert cell.due_on == TODAY + timedelta(days=20)
    assert cell.is_extended


def test_it_is_overdue_the_day_after_the_due_date():
    cell = math.cell_for([facts(due_on=TODAY - timedelta(days=1))], today=TODAY)
    assert cell.status == Status.OVERDUE


def test_it_reports_the_open_assignment_due_first():
    later = facts(due_on=TODAY + timedelta(days=30))
    sooner = facts(due_on=TODAY + timedelta(days=3))
    done = facts(completed=True, completed_on=TODAY)
    assert math.current_assignment([later, done, sooner]) == sooner


def test_it_reports_the_latest_completed_one_when_none_is_open():
    first = facts(completed=True, completed_on=TODAY - timedelta(days=400))
    refresher = facts(completed=True, completed_on=TODAY - timedelta(days=5))
    assert math.current_assignment([refresher, first]) == refresher


def test_it_reports_a_cancelled_assignment_only_when_nothing_else_is_left():
    cancelled = facts(cancelled=True)
    assert math.cell_for([cancelled], today=TODAY).status == Status.CANCELLED
    done = facts(completed=True, completed_on=TODAY)
    assert math.current_assignment([cancelled, done]) == done


def test_it_warns_of_a_certificate_expiring_within_thirty_days():
    done = facts(
        completed=True, completed_on=TODAY, certificate_expires_on=TODAY + timedelta(days=10)
    )
    assert math.cell_for([done], today=TODAY).status == Status.EXPIRING


def test_it_shows_an_attempt_under_way_as_in_progress():
    assert math.cell_for([facts()], today=TODAY, in_progress=True).status == Status.IN_PROGRESS


# --- Tendency -------------------------------------------------------------------------------


def test_it_takes_a_mean_from_totals_and_none_from_nothing():
    assert math.mean_from_totals(-2, 4) == -0.5
    assert math.mean_from_totals(None, 0) is None


@pytest.mark.parametrize(
    ("under", "over", "decisions", "words"),
    [
        (0, 0, 0, "No decisions yet"),
        (0, 0, 8, "Chooses within the accepted band every time"),
        (2, 0, 8, "Chooses less than needed about 1 time in 4"),
        (1, 2, 5, "Chooses less than needed about 1 time in 5, and more than needed about 1 "
         "time in 3"),
        (7, 0, 10, "Chooses less than needed about 7 times in 10"),
        (0, 3, 3, "Chooses more than needed every time"),
    ],
)  # fmt: skip
def test_it_puts_a_routes_tendency_into_words_first(under, over, decisions, words):
    assert math.route_tendency_words(under, over, decisions) == words


@pytest.mark.parametrize(
    ("tendency", "bucket"),
    [
        (-3.0, 0),
        (-1.5, 0),
        (-1.49, 1),
        (-0.51, 1),
        (-0.5, 2),
        (0.0, 2),
        (0.5, 2),
        (0.51, 3),
        (1.49, 3),
        (1.5, 4),
        (2.0, 4),
    ],
)
def test_it_buckets_tendencies_at_their_edges(tendency, bucket):
    assert math.tendency_bucket(tendency) == bucket


def test_it_counts_people_per_bucket_and_leaves_out_people_without_decisions():
    histogram = math.tendency_histogram([-2.0, -1.0, -0.75, 0.0, 0.25, None, 2.5])
    assert [b.count for b in histogram] == [1, 2, 2, 0, 1]
    assert [b.words for b in histogram] == [
        "under-reacting",
        "under-reacting",
        "proportionate",
        "over-referring",
        "over-referring",
    ]


@pytest.mark.parametrize(
    ("tendency", "words"),
    [
        (None, "No decisions yet"),
        (-0.51, "Under-reacting"),
        (-0.5, "Proportionate"),
        (0.5, "Proportionate"),
        (0.51, "Over-referring"),
    ],
)
def test_it_puts_a_tendency_into_words(tendency, words):
    assert math.tendency_words(tendency) == words


@pytest.mark.parametrize(
    ("confidence_after", "share", "words"),
    [
        (5, 0.25, "More confident than their answers show"),  # 1.0 - 0.25 = +0.75
        (1, 0.75, "Less confident than their answers show"),  # 0.0 - 0.75 = -0.75
        (4, 0.75, "Confidence matches their answers"),  # 0.75 - 0.75 = 0
        (None, 0.5, "Not known yet"),
    ],
)
def test_it_puts_calibration_into_words(confidence_after, share, words):
    assert math.calibration_words(progress.calibration(confidence_after, share)) == words


@pytest.mark.parametrize(
    ("value", "text"),
    [(-0.5, "-0.50"), (0.666, "+0.67"), (0.0, "0.00"), (-0.001, "0.00"), (None, "")],
)
def test_it_signs_figures(value, text):
    assert math.signed(value) == text


# --- Medians and the minimum group ----------------------------------------------------------


def test_it_takes_the_median_of_an_odd_and_an_even_number_of_values():
    assert math.median([3, 1, 2]) == 2
    assert math.median([4, 1, 2, 3]) == 2.5
    assert math.median([]) is None


def test_it_adds_team_totals_up_to_the_authority_figure():
    teams = [math.Totals(people=2, total=1, count=4), math.Totals(people=3, total=-5, count=6)]
    authority = math.add_up(teams)
    assert authority == math.Totals(people=5, total=-4, count=10)
    assert authority.value == -0.4


def test_it_leaves_authorities_under_five_people_out_of_the_median():
    others = [
        math.Totals(people=5, total=1, count=10),  # 0.1
        math.Totals(people=9, total=3, count=10),  # 0.3
        math.Totals(people=4, total=-40, count=10),  # -4.0, too few people
    ]
    comparison = math.compare(math.Totals(people=6, total=5, count=10), others)
    assert comparison.others_median == pytest.approx(0.2)
    assert comparison.authorities == 2
    assert comparison.difference == pytest.approx(0.3)


def test_it_withholds_the_median_when_no_other_authority_has_five_people():
    comparison = math.compare(math.Totals(6, 1, 2), [math.Totals(4, 1, 2), math.Totals(1, 0, 1)])
    assert comparison.others_median is None
    assert comparison.difference is None
    assert comparison.authorities == 0


# --- Sorting, charts, CSV -------------------------------------------------------------------


def test_it_sorts_unknown_values_last_in_both_directions():
    items = [("a", 2), ("b", None), ("c", 1), ("d", 3)]
    ascending = math.sort_nones_last(items, key=lambda item: item[1])
    descending = math.sort_nones_last(items, key=lambda item: item[1], descending=True)
    assert [name for name, _ in ascending] == ["c", "a", "d", "b"]
    assert [name for name, _ in descending] == ["d", "a", "c", "b"]


def test_it_draws_bars_in_proportion_to_the_tallest():
    buckets = math.tendency_histogram([-2.0, 0.0, 0.0, 0.1, 3.0])
    bars = math.histogram_bars(buckets, width=500, height=100, gap=10)
    assert [bar.height for bar in bars] == [33, 0, 100, 0, 33]
    assert [bar.y for bar in bars] == [67, 100, 0, 100, 67]
    assert [bar.x for bar in bars] == [5, 105, 205, 305, 405]
    assert {bar.width for bar in bars} == {90}


def test_it_draws_an_empty_chart_without_dividing_by_zero():
    bars = math.histogram_bars(math.tendency_histogram([]))
    assert {bar.height for bar in bars} == {0}


def test_it_labels_each_run_of_bars_once_under_their_middle():
    bars = math.histogram_bars(math.tendency_histogram([]), width=500, gap=10)
    words = math.axis_words(bars)
    assert [(w.words, w.x) for w in words] == [
        ("under-reacting", 100),
        ("proportionate", 250),
        ("over-referring", 400),
    ]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("-0.50", "-0.50"),
        ("+0.25", "+0.25"),
        ("75%", "75%"),
        (3, "3"),
        (None, ""),
        ("Alice Okafor", "Alice Okafor"),
    ],
)
def test_it_stops_a_spreadsheet_running_a_cell_as_a_formula(value, cell):
    assert math.csv_safe(value) == cell
