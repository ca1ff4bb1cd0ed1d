"""Data migrations: what they fill in for rows made before them."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from training.models import Answer, Attempt, Choice, ModuleProgress, Step
from training.tests.report_data import assign, attempt_with

module_progress = importlib.import_module("training.migrations.0007_module_progress")

BEFORE = [("training", "0007_module_progress")]
AFTER = [("training", "0010_drop_single_scale")]


def test_it_fills_the_progress_read_model_from_existing_assignments_and_attempts(
    alice, bob, version
):
    assign(alice, version.module, due_on=timezone.localdate())
    attempt_with(bob, version, [1, 0], percent=80)
    kept = set(ModuleProgress.objects.values_list("user_id", "module_id", "latest_percent"))
    ModuleProgress.objects.all().delete()  # as before the migration

    module_progress.module_progress_build(apps, None)

    rows = set(ModuleProgress.objects.values_list("user_id", "module_id", "latest_percent"))
    assert rows == kept == {(alice.pk, version.module_id, None), (bob.pk, version.module_id, 80)}


def _old_world(old_apps, user):
    """A draft decision, a published version and a finished attempt on the single scale."""
    Module = old_apps.get_model("training", "Module")
    Scenario = old_apps.get_model("training", "Scenario")
    OldStep = old_apps.get_model("training", "Step")
    OldChoice = old_apps.get_model("training", "Choice")
    Version = old_apps.get_model("training", "ModuleVersion")
    OldAttempt = old_apps.get_model("training", "Attempt")
    OldAnswer = old_apps.get_model("training", "Answer")
    module = Module.objects.create(
        key="old", title="Old", summary=".", confidence_topic=".", learning_outcomes="."
    )
    scenario = Scenario.objects.create(module=module, key="s", title="S")
    step = OldStep.objects.create(
        scenario=scenario,
        key="d1",
        kind="decision",
        title="A worry",
        body=".",
        proportionate_level="prevent_referral",
    )
    for position, level in enumerate(["early_help", "prevent_referral", ""]):
        OldChoice.objects.create(step=step, text=level or "blank", response_level=level,
                                 position=position)  # fmt: skip
    version = Version.objects.create(module=module, number=1, snapshot={"format": "x"})
    attempt = OldAttempt.objects.create(
        user_id=user.pk,
        version=version,
        completed_at=timezone.now(),
        answer_count=2,
        distance_total=-2,
        proportionate_count=1,
        points=2,
        max_points=4,
        percent=50,
    )
    rows = [
        # early help where a Prevent referral was proportionate: one level below, 1 point
        ("early_help", "prevent_referral", -1, 1),
        ("statutory_social_care", "statutory_social_care", 0, 2),
    ]
    for position, (chosen, proportionate, distance, points) in enumerate(rows):
        OldAnswer.objects.create(
            attempt=attempt, position=position, step_key="d1", choice_index=0,
            chosen_level=chosen, proportionate_level=proportionate, distance=distance,
            points=points,
        )  # fmt: skip
    return step.pk, attempt.pk


@pytest.mark.django_db(transaction=True)
def test_it_reads_drafts_answers_and_totals_onto_the_two_routes(alice):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    step_pk, attempt_pk = _old_world(old_apps, alice)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    step = Step.objects.get(pk=step_pk)
    assert (step.safeguarding_band_low, step.safeguarding_band_high) == ("universal", "universal")
    assert (step.prevent_band_low, step.prevent_band_high) == ("referral", "referral")
    assert step.safety_critical is False
    routes = list(Choice.objects.filter(step=step).values_list("safeguarding", "prevent"))
    assert routes == [("family_help", "none"), ("universal", "referral"), ("", "")]
    answers = Answer.objects.filter(attempt_id=attempt_pk).order_by("position")
    assert [
        (a.safeguarding, a.prevent, a.safeguarding_distance, a.prevent_distance, a.points)
        for a in answers
    ] == [("family_help", "none", 1, -2, 1), ("child_protection", "none", 0, 0, 2)]
    assert [a.recorded_on_old_scale for a in answers] == [True, True]
    assert answers[0].chosen_level == "early_help"  # the old levels stay
    attempt = Attempt.objects.get(pk=attempt_pk)
    assert (attempt.within_bands_count, attempt.critical_miss_count) == (1, 0)
    assert (attempt.safeguarding_under_count, attempt.safeguarding_over_count) == (0, 1)
    assert (attempt.prevent_under_count, attempt.prevent_over_count) == (1, 0)
    progress = ModuleProgress.objects.get(user=alice)
    assert (progress.decisions, progress.safeguarding_over_count, progress.prevent_under_count) == (
        2,
        1,
        1,
    )
