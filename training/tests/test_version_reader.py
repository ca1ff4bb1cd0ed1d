"""The typed reader of a version's JSON: pure, so no database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from training.tests.factories import small_module
from training.version_reader import Choice, version_read

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "training" / "library" / "modules"


def _with_catalogue() -> dict:
    data = small_module()
    data["indicator_catalogue"] = {
        "grievance": {"name": "Grievance", "category": "vulnerability"},
        "protective-factors": {"name": "Protective factors", "category": "protective"},
    }
    return data


def test_it_imports_nothing_from_django():
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    probe = "import sys, training.version_reader; print('django' in sys.modules)"
    result = subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "False"


def test_it_reads_the_module_fields_as_typed_values():
    document = version_read(small_module())

    assert (document.title, document.pass_mark, document.refresher_months) == (
        "Jo's bedroom door",
        70,
        12,
    )
    assert document.learning_outcomes == ("Spot a grievance", "Respond in proportion")
    assert [scenario.key for scenario in document.scenarios] == ["part-1", "part-2"]


def test_it_reads_a_decision_with_its_choices():
    step = version_read(small_module()).decision("d1")

    assert step is not None and step.is_decision
    assert step.proportionate == "universal_support"
    assert step.indicators == ("grievance",)
    assert step.choices[1] == Choice(
        text="Talk to the DSL",
        level="universal_support",
        feedback=step.choices[1].feedback,
        next="d2",
    )


def test_it_reads_what_a_narrative_or_end_step_lacks_as_empty():
    document = version_read(small_module())

    end = document.steps["end-a"]
    assert (end.next, end.proportionate, end.choices, end.indicators) == ("", "", (), ())
    assert document.decision("intro") is None
    assert document.step("nowhere") is None


def test_it_moves_through_steps_and_scenarios_as_the_engine_does():
    document = version_read(small_module())

    assert document.first_step_key == "intro"
    assert document.step_after("intro") == "d1"
    assert document.step_after("d2", 2) == "end-b"
    assert document.step_after("end-a") == "p2-d1"


def test_it_records_a_choice_as_the_engine_scores_it():
    decision = version_read(small_module()).decision_for("d2", 0)

    assert (decision.chosen_level, decision.proportionate_level) == (
        "monitor_and_record",
        "prevent_referral",
    )
    assert decision.indicators == ("justifying-violence", "protective-factors")
    assert decision.distance == -4


def test_it_refuses_a_choice_the_version_does_not_have():
    document = version_read(small_module())

    with pytest.raises(IndexError):
        document.decision_for("d1", 9)
    with pytest.raises(KeyError):
        document.decision_for("intro", 0)


def test_it_names_indicators_from_the_versions_own_catalogue_in_the_order_asked():
    document = version_read(_with_catalogue())

    assert document.indicator_names(("protective-factors", "unknown", "grievance")) == [
        "Protective factors",
        "Grievance",
    ]
    assert document.protective_indicators == ["protective-factors"]


@pytest.mark.parametrize("path", sorted(LIBRARY.glob("*.json")), ids=lambda path: path.stem)
def test_it_reads_every_step_and_choice_of_the_library(path):
    data = json.loads(path.read_text(encoding="utf-8"))

    document = version_read(data)

    raw_steps = [step for scenario in data["scenarios"] for step in scenario["steps"]]
    assert list(document.steps) == [step["key"] for step in raw_steps]
    for raw in raw_steps:
        step = document.steps[raw["key"]]
        assert [choice.text for choice in step.choices] == [
            choice["text"] for choice in raw.get("choices", [])
        ]
        assert step.title == raw["title"]
