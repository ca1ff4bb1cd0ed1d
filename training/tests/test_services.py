"""Writes of the training app: loading, publishing, versions, attempts and certificates."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from training import engine, selectors, services
from training.models import Answer, Attempt, Certificate, Choice, Module, ModuleVersion, Step
from training.tests.factories import small_module

LONDON = ZoneInfo("Europe/London")
PROPORTIONATE_PATH = [1, 2, 0]  # d1, d2 (to end-b), p2-d1: full marks


def _walk(attempt: Attempt, choices: list[int]) -> Attempt:
    """Answer confidence, then every step through services, picking choice indexes in order."""
    choices = list(choices)
    services.attempt_rate_confidence(user=attempt.user, attempt=attempt, confidence=2)
    attempt.refresh_from_db()
    steps = engine.steps_by_key(attempt.version.snapshot)
    while attempt.current_step_key:
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
    return attempt


def _complete(user, version, choices=PROPORTIONATE_PATH) -> Attempt:
    attempt = _walk(services.attempt_start(user=user, version=version), choices)
    return services.attempt_finish(user=attempt.user, attempt=attempt, confidence=4)


def _at_first_decision(user, version) -> Attempt:
    attempt = services.attempt_start(user=user, version=version)
    services.attempt_rate_confidence(user=attempt.user, attempt=attempt, confidence=3)
    services.attempt_continue(user=attempt.user, attempt=attempt, from_step_key="intro")
    attempt.refresh_from_db()
    return attempt


def _summary_view(attempt: Attempt) -> dict:
    """What the summary page shows, read afresh from the database."""
    summary = selectors.attempt_summary(attempt=Attempt.objects.get(pk=attempt.pk))
    return {
        "points": (summary.result.points, summary.result.max_points, summary.result.percent),
        "pass_mark": summary.pass_mark,
        "titles": [row["title"] for row in summary.decisions],
        "choices": [row["choice"] for row in summary.decisions],
        "levels": [(row["chosen_label"], row["band_label"]) for row in summary.decisions],
        "indicators": (summary.indicators_spotted, summary.indicators_missed),
    }


# --- Loading the library ------------------------------------------------------------------


def test_it_publishes_version_one_when_a_module_first_loads(module):
    version = module.versions.get()

    assert version.number == 1
    assert version.snapshot["title"] == "Jo's bedroom door"
    assert module.has_unpublished_changes is False


def test_it_changes_nothing_when_the_same_library_version_loads_again(module):
    again, changed = services.module_load_from_json(data=small_module())

    assert (again.pk, changed) == (module.pk, False)
    assert ModuleVersion.objects.filter(module=module).count() == 1


def test_it_publishes_version_two_for_a_new_library_version(module, version):
    before = ModuleVersion.objects.get(pk=version.pk).snapshot

    _, changed = services.module_load_from_json(
        data=small_module(version=2, title="Jo's bedroom door, revised")
    )

    assert changed is True
    latest = module.versions.latest()
    assert (latest.number, latest.snapshot["title"]) == (2, "Jo's bedroom door, revised")
    assert ModuleVersion.objects.get(pk=version.pk).snapshot == before


def test_it_loads_nothing_from_a_library_file_with_problems(indicators):
    data = small_module()
    data["scenarios"][0]["steps"][1]["choices"][0]["feedback"] = ""

    with pytest.raises(services.PublishError):
        services.module_load_from_json(data=data)

    assert not Module.objects.exists()


# --- Publishing ---------------------------------------------------------------------------


def test_it_refuses_to_publish_a_draft_with_problems_and_lists_them_all(module):
    Choice.objects.filter(step__key="d1", position=0).update(feedback="")
    Step.objects.filter(key="intro").update(next_step=None)

    with pytest.raises(services.PublishError) as raised:
        services.module_publish(module=module)

    assert raised.value.problems == [
        'Scenario "Part 1": step "intro" (Meet Jo) is a narrative step with no next step, '
        "so its path never ends.",
        'Scenario "Part 1": step "d1" (First worry), choice 1 ("Nothing") has no feedback.',
        'Scenario "Part 1": no path reaches step "d1" (First worry).',
        'Scenario "Part 1": no path reaches step "d2" (Second worry).',
        'Scenario "Part 1": no path reaches step "end-a" (What happened).',
        'Scenario "Part 1": no path reaches step "end-b" (What happened).',
    ]


def test_it_creates_no_version_when_publishing_fails(module):
    Choice.objects.filter(step__key="d1", position=0).update(feedback="")
    services.module_mark_edited(module=module)

    with pytest.raises(services.PublishError):
        services.module_publish(module=module)

    assert module.versions.count() == 1
    module.refresh_from_db()
    assert module.has_unpublished_changes is True


def test_it_snapshots_the_draft_in_the_library_format(module):
    expected = small_module()["scenarios"]
    for scenario in expected:
        for step in scenario["steps"]:
            step.setdefault("indicators", [])  # the snapshot spells out "no indicators"
            if step["kind"] == "decision":
                step.setdefault("safety_critical", False)  # and "not safety-critical"

    snapshot = services.module_snapshot_build(module=module)

    assert snapshot["scenarios"] == expected
    assert snapshot["indicator_catalogue"]["protective-factors"] == {
        "name": "Protective factors",
        "category": "protective",
    }


# --- Published versions never change ------------------------------------------------------


@pytest.fixture
def edited(module):
    """The draft after publishing: d1's first choice now proportionate, d1 renamed."""
    Choice.objects.filter(step__key="d1", position=0).update(safeguarding="universal")
    Step.objects.filter(key="d1").update(title="A worry, renamed")
    services.module_mark_edited(module=module)
    return module


def test_it_marks_a_module_edited_after_publishing(edited):
    edited.refresh_from_db()

    assert edited.has_unpublished_changes is True


def test_it_keeps_learners_on_the_published_version_while_a_draft_is_edited(alice, edited):
    entry = selectors.catalogue_entry_for_user(user=alice, key=edited.key)

    assert entry.version.number == 1
    assert engine.steps_by_key(entry.snapshot)["d1"]["title"] == "First worry"


def test_it_publishes_an_edited_draft_as_version_two(alice, edited):
    services.module_publish(module=edited)

    entry = selectors.catalogue_entry_for_user(user=alice, key=edited.key)
    assert entry.version.number == 2
    d1 = engine.steps_by_key(entry.snapshot)["d1"]
    assert (d1["title"], d1["choices"][0]["safeguarding"]) == ("A worry, renamed", "universal")


def test_it_keeps_the_summary_of_an_attempt_on_an_older_version(alice, module, version):
    attempt = _complete(alice, version, [0, 0, 2])
    before = _summary_view(attempt)
    Choice.objects.filter(step__key="d1", position=0).update(safeguarding="universal")
    Step.objects.filter(key="d1").update(title="A worry, renamed")
    services.module_mark_edited(module=module)

    services.module_publish(module=module)

    assert _summary_view(attempt) == before
    assert before["titles"] == ["First worry", "Second worry", "Six months on"]
    assert before["points"] == (0, 6, 0)


def test_it_scores_the_same_path_on_the_new_version_by_the_new_rules(alice, edited, version):
    """The other side of the previous test: the edit did change what a new attempt gets."""
    new_version = services.module_publish(module=edited)

    summary = _summary_view(_complete(alice, new_version, [0, 0, 2]))

    assert summary["titles"][0] == "A worry, renamed"
    assert summary["points"] == (2, 6, 33)


def test_it_starts_new_attempts_on_the_latest_version(alice, edited, version):
    services.module_publish(module=edited)
    entry = selectors.catalogue_entry_for_user(user=alice, key=edited.key)

    attempt = services.attempt_start(user=alice, version=entry.version)

    assert attempt.version.number == 2


# --- Attempts: each step is answered once -------------------------------------------------


def test_it_starts_an_attempt_at_the_first_step(alice, version):
    attempt = services.attempt_start(user=alice, version=version)

    assert (attempt.current_step_key, attempt.answer_count) == ("intro", 0)


def test_it_refuses_an_attempt_at_another_authoritys_own_module(indicators, alice, charlie):
    module, _ = services.module_load_from_json(
        data=small_module(key="northbridge-own"), authority=alice.authority
    )

    with pytest.raises(PermissionDenied):
        services.attempt_start(user=charlie, version=module.versions.get())

    assert not Attempt.objects.exists()


def test_it_records_an_answer_and_moves_on(alice, version):
    attempt = _at_first_decision(alice, version)

    answer = services.answer_record(
        user=attempt.user, attempt=attempt, step_key="d1", position=0, choice_index=0
    )

    assert (answer.safeguarding, answer.prevent, answer.safeguarding_distance) == (
        "none",
        "none",
        -2,
    )
    assert (answer.prevent_distance, answer.points, answer.critical_miss) == (0, 0, False)
    assert answer.chosen_level == ""  # recorded on the two routes, not the old scale
    attempt.refresh_from_db()
    assert (attempt.current_step_key, attempt.answer_count) == ("d2", 1)


def test_it_keeps_the_attempts_decision_totals_with_each_answer(alice, version):
    attempt = _walk(services.attempt_start(user=alice, version=version), [0, 2, 1])

    distances = list(attempt.answers.values_list("safeguarding_distance", "prevent_distance"))
    assert distances == [(-2, 0), (0, 0), (1, 0)]
    assert (attempt.answer_count, attempt.within_bands_count) == (3, 1)
    assert (attempt.safeguarding_under_count, attempt.safeguarding_over_count) == (1, 1)
    assert (attempt.prevent_under_count, attempt.prevent_over_count) == (0, 0)
    assert attempt.critical_miss_count == 0


def test_it_counts_a_choice_inside_the_bands_with_a_practice_error_as_outside(alice, indicators):
    data = small_module()
    data["scenarios"][0]["steps"][1]["choices"][1]["error"] = "not_recording"
    module, _ = services.module_load_from_json(data=data)
    attempt = _at_first_decision(alice, module.versions.get())

    services.answer_record(user=alice, attempt=attempt, step_key="d1", position=0, choice_index=1)

    attempt.refresh_from_db()
    assert (attempt.answer_count, attempt.within_bands_count) == (1, 0)


def test_it_counts_a_repeated_answer_once_in_the_totals(alice, version):
    attempt = _at_first_decision(alice, version)
    services.answer_record(
        user=attempt.user, attempt=attempt, step_key="d1", position=0, choice_index=0
    )

    with pytest.raises(services.StaleStep):
        services.answer_record(
            user=attempt.user, attempt=attempt, step_key="d1", position=0, choice_index=0
        )

    attempt.refresh_from_db()
    assert (attempt.answer_count, attempt.safeguarding_under_count) == (1, 1)
    assert attempt.within_bands_count == 0


@pytest.mark.parametrize(
    ("step_key", "position"),
    [("d1", 1), ("d2", 0), ("intro", 0), ("d1", 5)],
    ids=["wrong position", "wrong step", "not a decision", "far ahead"],
)
def test_it_refuses_an_answer_to_a_step_that_is_not_current(alice, version, step_key, position):
    attempt = _at_first_decision(alice, version)

    with pytest.raises(services.StaleStep):
        services.answer_record(
            user=attempt.user, attempt=attempt, step_key=step_key, position=position, choice_index=0
        )

    assert not Answer.objects.exists()
    attempt.refresh_from_db()
    assert (attempt.current_step_key, attempt.answer_count) == ("d1", 0)


def test_it_refuses_a_choice_the_step_does_not_offer(alice, version):
    attempt = _at_first_decision(alice, version)

    with pytest.raises(services.StaleStep):
        services.answer_record(
            user=attempt.user, attempt=attempt, step_key="d1", position=0, choice_index=3
        )

    assert not Answer.objects.exists()


def test_it_refuses_the_same_answer_twice(alice, version):
    attempt = _at_first_decision(alice, version)
    services.answer_record(
        user=attempt.user, attempt=attempt, step_key="d1", position=0, choice_index=1
    )

    with pytest.raises(services.StaleStep):
        services.answer_record(
            user=attempt.user, attempt=attempt, step_key="d1", position=0, choice_index=1
        )

    assert Answer.objects.filter(attempt=attempt).count() == 1


def test_it_refuses_to_continue_twice_from_the_same_step(alice, version):
    attempt = services.attempt_start(user=alice, version=version)
    services.attempt_continue(user=attempt.user, attempt=attempt, from_step_key="intro")

    with pytest.raises(services.StaleStep):
        services.attempt_continue(user=attempt.user, attempt=attempt, from_step_key="intro")

    attempt.refresh_from_db()
    assert attempt.current_step_key == "d1"


def test_it_refuses_to_continue_past_a_decision(alice, version):
    attempt = _at_first_decision(alice, version)

    with pytest.raises(services.StaleStep):
        services.attempt_continue(user=attempt.user, attempt=attempt, from_step_key="d1")

    attempt.refresh_from_db()
    assert attempt.current_step_key == "d1"


def test_it_refuses_to_finish_before_the_last_step(alice, version):
    attempt = _at_first_decision(alice, version)

    with pytest.raises(services.StaleStep):
        services.attempt_finish(user=attempt.user, attempt=attempt, confidence=4)

    attempt.refresh_from_db()
    assert attempt.completed_at is None


def test_it_refuses_to_finish_twice(alice, version):
    attempt = _complete(alice, version)
    completed_at = attempt.completed_at

    with pytest.raises(services.StaleStep):
        services.attempt_finish(user=attempt.user, attempt=attempt, confidence=1)

    attempt.refresh_from_db()
    assert (attempt.completed_at, attempt.confidence_after) == (completed_at, 4)
    assert Certificate.objects.count() == 1


def test_it_records_confidence_before_once(alice, version):
    attempt = services.attempt_start(user=alice, version=version)
    services.attempt_rate_confidence(user=attempt.user, attempt=attempt, confidence=2)

    services.attempt_rate_confidence(user=attempt.user, attempt=attempt, confidence=5)

    assert Attempt.objects.get(pk=attempt.pk).confidence_before == 2


def test_it_refuses_to_rate_someone_elses_attempt(alice, bob, version):
    attempt = services.attempt_start(user=alice, version=version)

    with pytest.raises(PermissionDenied):
        services.attempt_rate_confidence(user=bob, attempt=attempt, confidence=2)

    assert Attempt.objects.get(pk=attempt.pk).confidence_before is None


def test_it_refuses_to_move_someone_elses_attempt_on(alice, bob, version):
    attempt = services.attempt_start(user=alice, version=version)
    services.attempt_rate_confidence(user=alice, attempt=attempt, confidence=3)

    with pytest.raises(PermissionDenied):
        services.attempt_continue(user=bob, attempt=attempt, from_step_key="intro")

    assert Attempt.objects.get(pk=attempt.pk).current_step_key == "intro"


def test_it_refuses_to_answer_in_someone_elses_attempt(alice, bob, version):
    attempt = _at_first_decision(alice, version)

    with pytest.raises(PermissionDenied):
        services.answer_record(user=bob, attempt=attempt, step_key="d1", position=0, choice_index=1)

    assert not Answer.objects.exists()


def test_it_refuses_to_finish_someone_elses_attempt(alice, bob, version):
    attempt = _walk(services.attempt_start(user=alice, version=version), PROPORTIONATE_PATH)

    with pytest.raises(PermissionDenied):
        services.attempt_finish(user=bob, attempt=attempt, confidence=4)

    assert Attempt.objects.get(pk=attempt.pk).completed_at is None
    assert not Certificate.objects.exists()


@pytest.mark.parametrize("confidence", [0, 6])
def test_it_refuses_a_confidence_outside_one_to_five(alice, version, confidence):
    attempt = _walk(services.attempt_start(user=alice, version=version), PROPORTIONATE_PATH)

    with pytest.raises(ValidationError):
        services.attempt_finish(user=alice, attempt=attempt, confidence=confidence)
    with pytest.raises(ValidationError):
        services.attempt_rate_confidence(
            user=alice, attempt=services.attempt_start(user=alice, version=version),
            confidence=confidence,
        )  # fmt: skip

    assert Attempt.objects.get(pk=attempt.pk).completed_at is None


def test_it_scores_a_finished_attempt_from_its_answers(alice, version):
    attempt = _complete(alice, version, [0, 0, 2])

    # d1 two levels under (0), d2 three under (0), p2-d1 five over (0)
    assert (attempt.points, attempt.max_points, attempt.percent) == (0, 6, 0)
    assert (attempt.passed, attempt.confidence_before, attempt.confidence_after) == (False, 2, 4)


def test_it_passes_and_certifies_a_proportionate_attempt(alice, version):
    attempt = _complete(alice, version)

    assert (attempt.points, attempt.max_points, attempt.percent, attempt.passed) == (
        6,
        6,
        100,
        True,
    )
    certificate = Certificate.objects.get(attempt=attempt)
    assert (certificate.user, certificate.version) == (alice, version)


def test_it_issues_no_certificate_below_the_pass_mark(alice, version):
    # d1 one under (1), d2 one under (1), p2-d1 one over (1): 3 of 6 points
    _complete(alice, version, [0, 1, 1])

    assert not Certificate.objects.exists()


def test_it_keeps_both_attempts_when_a_module_is_taken_again(alice, version):
    first = _complete(alice, version, [0, 0, 2])

    second = services.attempt_start(user=alice, version=version)

    assert second.pk != first.pk
    assert list(Attempt.objects.filter(user=alice).order_by("pk")) == [first, second]
    first.refresh_from_db()
    assert first.is_complete and first.answers.count() == 3
    assert (second.is_complete, second.answer_count, second.current_step_key) == (
        False,
        0,
        "intro",
    )


# --- Certificates -------------------------------------------------------------------------


@pytest.fixture
def monthly(indicators):
    """A module whose certificate lasts one month, to reach month ends quickly."""
    module, _ = services.module_load_from_json(data=small_module(key="monthly", refresher_months=1))
    return module.versions.get()


@pytest.mark.parametrize(
    ("issued", "expires"),
    [
        (datetime(2025, 1, 31, 14, 0, tzinfo=LONDON), date(2025, 2, 28)),
        (datetime(2024, 1, 31, 14, 0, tzinfo=LONDON), date(2024, 2, 29)),
        (datetime(2025, 3, 31, 0, 30, tzinfo=LONDON), date(2025, 4, 30)),
        (datetime(2025, 10, 15, 0, 30, tzinfo=LONDON), date(2025, 11, 15)),
    ],
    ids=["31 Jan", "31 Jan leap year", "just after midnight in summer", "into winter time"],
)
def test_it_expires_a_certificate_after_calendar_months(alice, monthly, issued, expires):
    with time_machine.travel(issued, tick=False):
        attempt = _complete(alice, monthly)

    certificate = Certificate.objects.get(attempt=attempt)
    assert certificate.issued_at == issued
    assert timezone.localtime(certificate.expires_at).date() == expires
    assert timezone.localtime(certificate.expires_at).time() == issued.time()


def test_it_expires_a_certificate_after_the_modules_refresher_months(alice, version):
    with time_machine.travel(datetime(2025, 5, 6, 9, 0, tzinfo=LONDON), tick=False):
        attempt = _complete(alice, version)

    certificate = Certificate.objects.get(attempt=attempt)
    assert certificate.expires_at == datetime(2026, 5, 6, 9, 0, tzinfo=LONDON)


def test_it_gives_a_certificate_a_readable_verification_code(alice, version):
    _complete(alice, version)

    code = Certificate.objects.get().code
    # No 0/O or 1/I: the code is read aloud and typed in from paper.
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", code)


def test_it_finds_a_certificate_by_its_code_however_it_is_typed(alice, version):
    _complete(alice, version)
    certificate = Certificate.objects.get()

    found = selectors.certificate_verify(code=f"  {certificate.code.lower()} ")

    assert found == certificate
