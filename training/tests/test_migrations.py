"""Data migrations: what they fill in for rows made before them."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.utils import timezone

from training.models import Attempt, ModuleProgress
from training.tests.report_data import assign, attempt_with

decision_totals = importlib.import_module("training.migrations.0003_attempt_decision_totals")
module_progress = importlib.import_module("training.migrations.0007_module_progress")


def test_it_fills_each_attempts_decision_totals_from_its_answers(alice, version):
    finished = attempt_with(alice, version, [-2, 0, 1, 0])
    unfinished = attempt_with(alice, version, [3, 0], completed=False)
    unanswered = attempt_with(alice, version, [], completed=False)
    Attempt.objects.update(distance_total=0, proportionate_count=0)  # as before the migration

    decision_totals.fill_decision_totals(apps, None)

    totals = dict(Attempt.objects.values_list("pk", "distance_total"))
    proportionate = dict(Attempt.objects.values_list("pk", "proportionate_count"))
    assert [totals[finished.pk], totals[unfinished.pk], totals[unanswered.pk]] == [-1, 3, 0]
    assert [proportionate[a.pk] for a in (finished, unfinished, unanswered)] == [2, 1, 0]


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
