"""Insight for authors: choices per decision over every version, indicators most often missed,
where learners stop, and a query count that does not grow with the attempts."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.template.loader import render_to_string

from portal.tests.factories import UserFactory
from training import engine, responses, selectors, services
from training.models import Attempt, Choice, Module, ModuleVersion, Step
from training.selectors import ModuleInsight
from training.selectors.insight import AFTER_LAST_STEP_TITLE, BEFORE_FIRST_STEP_TITLE

NOW = datetime.fromisoformat("2026-11-27 10:00 +00:00")
INSIGHT_QUERIES = 3  # versions, answers counted, attempts counted


def play(version: ModuleVersion, choices: list[int], *, until: str | None = None) -> Attempt:
    """A new learner's attempt through the services: rate confidence, then every step, picking
    choice indexes in order; stop on reaching step `until` ("" = before rating confidence
    after the last step). Without `until` the attempt is finished."""
    attempt = services.attempt_start(user=UserFactory(), version=version)
    services.attempt_rate_confidence(user=attempt.user, attempt=attempt, confidence=2)
    attempt.refresh_from_db()
    choices = list(choices)
    steps = engine.steps_by_key(version.snapshot)
    while attempt.current_step_key and attempt.current_step_key != until:
        step = steps[attempt.current_step_key]
        if step["kind"] == engine.DECISION:
            services.answer_record(
                user=attempt.user,
                attempt=attempt,
                step_key=step["key"],
                position=attempt.answer_count,
                choice_index=choices.pop(0),
            )
        else:
            services.attempt_continue(user=attempt.user, attempt=attempt, from_step_key=step["key"])
        attempt.refresh_from_db()
    if until is None:
        services.attempt_finish(user=attempt.user, attempt=attempt, confidence=4)
    return attempt


def insight_of(module: Module, **options) -> ModuleInsight:
    return selectors.module_insight(module=Module.objects.get(pk=module.pk), **options)


def decision_of(insight: ModuleInsight, step_key: str):
    return next(decision for decision in insight.decisions if decision.step_key == step_key)


@pytest.fixture
def second_version(module, version):
    """Version 2 rewords d1's first choice and drops the decision of part 2 (so its paths
    answer two decisions, which it asks for)."""
    Choice.objects.filter(step__scenario__module=module, step__key="d1", position=0).update(
        text="Wait and see"
    )
    Step.objects.filter(scenario__module=module, key="p2-d1").delete()
    Module.objects.filter(pk=module.pk).update(min_decisions=2)
    return services.module_publish(module=module)


@pytest.fixture
def played_two_versions(version, second_version):
    """d1 on version 1: Nothing ×2, Talk to the DSL ×1; on version 2: Wait and see ×1,
    Refer to Prevent ×1. Everyone refers at d2 and leaves part 2's essay alone."""
    for choices in ([0, 2, 0], [0, 2, 0], [1, 2, 0]):
        play(version, choices)
    for choices in ([0, 2], [2, 2]):
        play(second_version, choices)


# --- How learners chose ---------------------------------------------------------------------


def _route(decision, route: str):
    return next(row for row in decision.routes if row.route == route)


def test_it_counts_every_response_on_each_route_at_a_decision_across_versions(
    module, played_two_versions
):
    d1 = decision_of(insight_of(module), "d1")

    assert d1.answered == 5
    assert [(row.level, row.count, row.percent) for row in _route(d1, "safeguarding").by_level] == [
        ("none", 3, 60),
        ("record", 0, 0),
        ("universal", 2, 40),
        ("family_help", 0, 0),
        ("child_protection", 0, 0),
        ("emergency_protection", 0, 0),
    ]
    assert [(row.level, row.count) for row in _route(d1, "prevent").by_level] == [
        ("none", 4),
        ("advice", 0),
        ("referral", 1),
        ("emergency", 0),
    ]


def test_it_marks_only_the_responses_inside_each_band(module, played_two_versions):
    d1 = decision_of(insight_of(module), "d1")

    safeguarding, prevent = _route(d1, "safeguarding"), _route(d1, "prevent")
    assert [row.label for row in safeguarding.by_level if row.is_accepted] == ["Universal support"]
    assert [row.label for row in prevent.by_level if row.is_accepted] == ["No Prevent action"]
    assert (safeguarding.band_label, prevent.band_label) == (
        "Universal support",
        "No Prevent action",
    )


def test_it_lists_a_reworded_choice_as_its_own_row_with_its_version(module, played_two_versions):
    d1 = decision_of(insight_of(module), "d1")

    assert [
        (choice.text, choice.routes, choice.count, choice.percent, choice.offered_in, choice.note)
        for choice in d1.by_choice
    ] == [
        ("Wait and see", ("none", "none"), 1, 20, [2], ""),
        ("Talk to the DSL", ("universal", "none"), 1, 20, [1, 2], ""),
        ("Refer to Prevent", ("universal", "referral"), 1, 20, [1, 2], ""),
        ("Nothing", ("none", "none"), 2, 40, [1], "Offered in version 1"),
    ]
    assert d1.by_choice[2].label == "Universal support · Prevent referral"


def test_it_shows_the_latest_choices_even_when_no_one_picked_them(module, played_two_versions):
    d2 = decision_of(insight_of(module), "d2")

    assert [(choice.text, choice.count) for choice in d2.by_choice] == [
        ("Monitor", 0),
        ("Ask the Prevent lead", 0),
        ("Refer to Prevent", 5),
    ]


def test_it_counts_answers_within_bands_and_reactions_on_each_route(module, played_two_versions):
    d1 = decision_of(insight_of(module), "d1")

    assert (d1.within_bands_count, d1.within_bands_percent) == (1, 20)
    assert (_route(d1, "safeguarding").under_count, _route(d1, "safeguarding").over_count) == (3, 0)
    assert (_route(d1, "prevent").under_count, _route(d1, "prevent").over_count) == (0, 1)
    assert (d1.error_count, d1.critical_miss_count, d1.old_scale_count) == (0, 0, 0)


def test_it_counts_answers_recorded_on_the_old_scale(module, version):
    attempt = play(version, [0, 2, 0])
    attempt.answers.filter(step_key="d1").update(
        chosen_level="no_further_action", proportionate_level="universal_support"
    )

    d1 = decision_of(insight_of(module), "d1")

    assert (d1.answered, d1.old_scale_count) == (1, 1)


def test_it_orders_decisions_as_the_latest_version_then_those_only_older_ones_had(
    module, played_two_versions
):
    insight = insight_of(module)

    assert [(d.step_key, d.versions, d.versions_note) for d in insight.decisions] == [
        ("d1", [1, 2], ""),
        ("d2", [1, 2], ""),
        ("p2-d1", [1], "Only in version 1"),
    ]
    assert decision_of(insight, "p2-d1").answered == 3


def test_it_leaves_out_a_dropped_decision_no_one_answered(module, version, second_version):
    play(second_version, [1, 2])

    assert [d.step_key for d in insight_of(module).decisions] == ["d1", "d2"]


def test_it_counts_attempts_and_the_versions_they_cover(module, version, second_version):
    play(second_version, [1, 2])
    play(second_version, [1], until="d2")

    insight = insight_of(module)

    assert (insight.attempts_started, insight.attempts_completed) == (2, 1)
    assert insight.versions_covered == [2]
    assert insight.versions_covered_text == "Version 2"
    assert insight.latest_version == 2


# --- Indicators most often missed -----------------------------------------------------------


def test_it_ranks_indicators_by_times_missed_then_rate(module, version):
    play(version, [0, 0, 2])  # d1 under, d2 under, part 2 over
    play(version, [0, 2, 0])  # d1 under
    play(version, [1, 2, 1])  # part 2 over

    misses = insight_of(module).missed_indicators

    assert [
        (miss.name, miss.times_shown, miss.times_missed, miss.rate_percent) for miss in misses
    ] == [
        ("Grievance", 3, 2, 67),
        ("Protective factors", 6, 2, 33),
        ("Justifying violence", 3, 1, 33),
    ]


def test_it_misses_a_protective_factor_only_on_over_reaction(module, version):
    play(version, [1, 0, 0])  # d2 (violence and protective factors) under-reacted

    misses = {miss.key: miss for miss in insight_of(module).missed_indicators}

    assert (
        misses["justifying-violence"].times_missed,
        misses["justifying-violence"].missed_when,
    ) == (
        1,
        "Under-reacting",
    )
    protective = misses["protective-factors"]
    assert (protective.times_shown, protective.times_missed) == (2, 0)
    assert (protective.is_protective, protective.missed_when) == (True, "Over-reacting")
    assert protective.category_label == "Protective factor"


def test_it_counts_indicators_of_decisions_only(module, version):
    play(version, [1, 2, 0])

    keys = [miss.key for miss in insight_of(module).missed_indicators]

    assert "isolation" not in keys  # shown on a narrative step, where nothing is decided


# --- Where learners stop --------------------------------------------------------------------


@pytest.fixture
def stopped_attempts(version):
    """Ten days ago: one at d1, one at d2, one who never rated their confidence. Yesterday:
    one at d1, one who has not rated confidence after the last step, one who finished."""
    with time_machine.travel(NOW - timedelta(days=10), tick=False):
        play(version, [], until="d1")
        play(version, [1], until="d2")
        services.attempt_start(user=UserFactory(), version=version)
    with time_machine.travel(NOW - timedelta(days=1), tick=False):
        play(version, [], until="d1")
        play(version, [1, 2, 0], until="")
        play(version, [1, 2, 0])


def test_it_shows_where_unfinished_attempts_stop_most_abandoned_first(module, stopped_attempts):
    with time_machine.travel(NOW, tick=False):
        insight = insight_of(module)

    assert [
        (point.step_key, point.title, point.abandoned, point.in_progress)
        for point in insight.abandonment
    ] == [
        ("d1", "First worry", 1, 1),
        ("", BEFORE_FIRST_STEP_TITLE, 1, 0),
        ("d2", "Second worry", 1, 0),
        ("", AFTER_LAST_STEP_TITLE, 0, 1),
    ]
    assert (insight.attempts_abandoned, insight.attempts_in_progress) == (3, 2)
    assert (insight.attempts_started, insight.attempts_completed) == (6, 1)


def test_it_takes_the_time_from_now_when_given(module, stopped_attempts):
    insight = insight_of(module, now=NOW + timedelta(days=30))

    assert (insight.attempts_abandoned, insight.attempts_in_progress) == (5, 0)


def test_it_counts_as_abandoned_after_the_time_given(module, stopped_attempts):
    insight = insight_of(module, now=NOW, stale_after=timedelta(hours=12))

    assert (insight.attempts_abandoned, insight.attempts_in_progress) == (5, 0)
    assert insight.stale_after_text == "12 hours"


def test_it_names_a_stop_at_a_step_only_an_older_version_had(module, version, second_version):
    play(version, [1, 2], until="p2-d1")

    [point] = insight_of(module).abandonment

    assert (point.step_key, point.title) == ("p2-d1", "Six months on")


# --- No attempts ----------------------------------------------------------------------------


def test_it_reports_a_module_no_one_has_attempted(module, version):
    insight = insight_of(module)

    assert (insight.attempts_started, insight.attempts_completed) == (0, 0)
    assert (insight.versions_covered, insight.versions_covered_text) == ([], "None yet")
    assert [(d.step_key, d.answered) for d in insight.decisions] == [
        ("d1", 0),
        ("d2", 0),
        ("p2-d1", 0),
    ]
    routes = insight.decisions[0].routes
    assert [row.level for row in routes[0].by_level] == list(responses.LEVEL_KEYS["safeguarding"])
    assert [row.level for row in routes[1].by_level] == list(responses.LEVEL_KEYS["prevent"])
    assert {row.percent for route in routes for row in route.by_level} == {0}
    assert insight.missed_indicators == []
    assert insight.abandonment == []
    assert insight.stale_after_text == "7 days"


# --- Queries --------------------------------------------------------------------------------


@pytest.mark.parametrize("learners", [3, 30])
def test_it_reads_in_a_fixed_number_of_queries(
    module,
    version,
    second_version,
    learners,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    for n in range(learners):
        play(version if n % 2 else second_version, [n % 3, 2, n % 3], until="" if n % 5 else None)
    module = Module.objects.get(pk=module.pk)

    with django_assert_num_queries(INSIGHT_QUERIES):
        insight = selectors.module_insight(module=module)
    with django_assert_max_num_queries(INSIGHT_QUERIES):
        selectors.module_insight(module=module)

    assert insight.attempts_started == learners


# --- The page template ----------------------------------------------------------------------


def test_it_renders_every_section(module, played_two_versions):
    html = render_to_string(
        "training/studio/insight.html", {"module": module, "insight": insight_of(module)}
    )

    for heading in (
        "Summary",
        "How learners chose at each decision",
        "Indicators most often missed",
        "Where learners stop",
    ):
        assert f'<h2 class="govuk-heading-m">{heading}</h2>' in html
    assert '<strong class="govuk-tag govuk-tag--green">Accepted</strong>' in html
    assert "Safeguarding route at “First worry”: accepted Universal support" in html
    assert "Offered in version 1" in html
    assert "style=" not in html.split("<main", 1)[1]


def test_it_renders_empty_states(module, version):
    html = render_to_string(
        "training/studio/insight.html", {"module": module, "insight": insight_of(module)}
    )

    assert html.count("No one has answered this decision yet.") == 3
    assert "No one has answered a decision that shows an indicator yet." in html
    assert "There are no unfinished attempts." in html


def test_it_names_contacts_in_choice_texts_with_the_words_given(module, version):
    """A choice naming "{pathway.lado}" reads as the author's authority (or the nation) says."""
    Choice.objects.filter(step__scenario__module=module, step__key="d1", position=0).update(
        text="Phone {pathway.lado} first"
    )
    third = services.module_publish(module=module)
    play(third, [0, 2, 0])

    ours = decision_of(insight_of(module, words={"lado": "Jo Bell, LADO"}), "d1").by_choice
    national = decision_of(insight_of(module), "d1").by_choice

    assert "Phone Jo Bell, LADO first" in [choice.text for choice in ours]
    assert "Phone the Local Authority Designated Officer (LADO) first" in [
        choice.text for choice in national
    ]
