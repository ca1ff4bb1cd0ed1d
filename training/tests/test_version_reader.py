"""The typed reader of a version's JSON: pure, so no database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from training import engine
from training.tests.engine_modules import small_module
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


def test_it_reads_a_decision_with_its_bands_and_choices():
    step = version_read(small_module()).decision("d1")

    assert step is not None and step.is_decision
    assert step.bands == {"safeguarding": ("universal", "universal"), "prevent": ("none", "advice")}
    assert step.safety_critical is False
    assert step.indicators == ("grievance",)
    assert step.choices[1] == Choice(
        text="Talk to the DSL",
        safeguarding="universal",
        prevent="none",
        actions=("consult_dsl",),
        error="",
        feedback="Because Talk to the DSL.",
        next="d2",
    )


def test_it_reads_a_safety_critical_decision_and_a_practice_error():
    document = version_read(small_module())

    assert document.decision("d2").safety_critical is True
    assert document.decision("p2-d1").choices[2].error == "bias"


def test_it_reads_what_a_narrative_or_end_step_lacks_as_empty():
    document = version_read(small_module())

    end = document.steps["end-a"]
    assert (end.next, end.bands, end.safety_critical, end.choices, end.indicators) == (
        "",
        {},
        False,
        (),
        (),
    )
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

    assert decision == engine.Decision(
        step_key="d2",
        safeguarding="record",
        prevent="none",
        bands={"safeguarding": ("universal", "family_help"), "prevent": ("referral", "referral")},
        safety_critical=True,
        indicators=("justifying-violence", "protective-factors"),
    )
    assert (decision.safeguarding_distance, decision.prevent_distance) == (-1, -2)
    assert (decision.critical_miss, decision.points) == (True, 0)


def test_it_records_the_actions_and_error_of_a_choice():
    document = version_read(small_module())

    assert document.decision_for("d2", 2).actions == ("consult_dsl", "share_information")
    assert document.decision_for("p2-d1", 2).error == "bias"
    assert document.decision_for("p2-d1", 2).points == 0


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


def test_it_reads_the_minimum_number_of_decisions_or_the_default():
    assert version_read(small_module()).min_decisions == 3
    module = small_module()
    del module["min_decisions"]
    assert version_read(module).min_decisions == 4


def _old_version(fmt: str) -> dict:
    """small_module as a version published before the two routes stored it."""
    data = small_module(format=fmt)
    del data["min_decisions"]
    for scenario in data["scenarios"]:
        for step in scenario["steps"]:
            if step["kind"] != "decision":
                continue
            for name in ("bands", "safety_critical"):
                step.pop(name, None)
            step["proportionate"] = "prevent_referral" if step["key"] == "d2" else "early_help"
            for choice in step["choices"]:
                for name in ("safeguarding", "prevent", "actions", "error"):
                    choice.pop(name, None)
                choice["level"] = "statutory_social_care"
    return data


@pytest.mark.parametrize("fmt", ["threshold-module/1", "threshold-module/2"])
def test_it_reads_an_old_version_through_the_mapping_in_memory(fmt):
    stored = _old_version(fmt)
    before = json.dumps(stored, sort_keys=True)

    document = version_read(stored)

    assert document.upgraded_from == fmt
    assert json.dumps(stored, sort_keys=True) == before  # the stored JSON stays as it was
    d2 = document.decision("d2")
    assert d2.bands == {
        "safeguarding": ("universal", "universal"),
        "prevent": ("referral", "referral"),
    }
    assert d2.safety_critical is False
    assert (d2.choices[0].safeguarding, d2.choices[0].prevent, d2.choices[0].actions) == (
        "child_protection",
        "none",
        (),
    )
    assert document.raw["format"] == "threshold-module/3"
    assert document.step_after("d2", 2) == "end-b"


def test_it_scores_an_old_version_on_the_two_routes():
    decision = version_read(_old_version("threshold-module/1")).decision_for("d1", 0)

    assert (decision.safeguarding, decision.prevent) == ("child_protection", "none")
    assert decision.bands == {
        "safeguarding": ("family_help", "family_help"),
        "prevent": ("none", "none"),
    }
    assert (decision.safeguarding_distance, decision.points) == (1, 1)


def test_it_reads_a_stored_version_with_no_format_as_the_first_one():
    stored = _old_version("threshold-module/1")
    del stored["format"]

    assert version_read(stored).upgraded_from == "threshold-module/1"


def test_it_says_a_current_version_was_not_upgraded():
    assert version_read(small_module()).upgraded_from == ""


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
        if step.is_decision:
            assert set(step.bands) == {"safeguarding", "prevent"}
            assert all(choice.safeguarding and choice.prevent for choice in step.choices)
