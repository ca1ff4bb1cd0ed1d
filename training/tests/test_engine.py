"""The pure rules: graph validation, scoring and moving through a snapshot. No database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from portal.response_levels import ResponseLevel
from training import engine
from training.tests.factories import INDICATORS, small_module

KNOWN = [item["key"] for item in INDICATORS["indicators"]]
PROTECTIVE = ["protective-factors"]


def _steps(module: dict[str, Any], scenario: int = 0) -> list[dict[str, Any]]:
    return module["scenarios"][scenario]["steps"]


def _step(module: dict[str, Any], key: str) -> dict[str, Any]:
    return engine.steps_by_key(module)[key]


def _narrative(key: str, next_key: str) -> dict[str, Any]:
    return {"key": key, "kind": "narrative", "title": key.title(), "body": ".", "next": next_key}


def _decision(
    step_key: str, chosen: str, proportionate: str, indicators: tuple[str, ...] = ()
) -> engine.Decision:
    return engine.Decision(
        step_key=step_key,
        chosen_level=chosen,
        proportionate_level=proportionate,
        indicators=indicators,
    )


# --- Validation ---------------------------------------------------------------------------


def test_it_imports_nothing_from_django():
    """A fresh interpreter with no settings imports the engine and never loads Django."""
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    probe = "import sys, training.engine; print('django' in sys.modules)"
    result = subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-c", probe],
        cwd=Path(__file__).resolve().parents[2],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "False"


def test_it_orders_levels_as_the_response_scale_does():
    assert engine.LEVEL_ORDER == tuple(ResponseLevel.values)


def test_it_finds_no_problem_in_a_valid_module():
    assert engine.validate(small_module(), KNOWN) == []


def test_it_catches_a_decision_with_fewer_than_two_choices():
    module = small_module()
    _step(module, "d1")["choices"] = _step(module, "d1")["choices"][:1]

    assert engine.validate(module, KNOWN) == [
        'Scenario "Part 1": step "d1" (First worry) is a decision with fewer than 2 choices.'
    ]


def test_it_catches_a_choice_without_feedback():
    module = small_module()
    _step(module, "d1")["choices"][0]["feedback"] = "  "

    assert engine.validate(module, KNOWN) == [
        'Scenario "Part 1": step "d1" (First worry), choice 1 ("Nothing") has no feedback.'
    ]


def test_it_catches_a_choice_without_a_response_level():
    module = small_module()
    del _step(module, "d1")["choices"][1]["level"]

    assert engine.validate(module, KNOWN) == [
        'Scenario "Part 1": step "d1" (First worry), choice 2 ("Talk to the DSL") '
        "has no response level."
    ]


def test_it_catches_a_choice_with_a_level_off_the_scale():
    module = small_module()
    _step(module, "d1")["choices"][1]["level"] = "have_a_word"

    assert engine.validate(module, KNOWN) == [
        'Scenario "Part 1": step "d1" (First worry), choice 2 ("Talk to the DSL") '
        "has no response level."
    ]


def test_it_catches_a_decision_that_does_not_say_what_is_proportionate():
    module = small_module()
    del _step(module, "d1")["proportionate"]

    assert engine.validate(module, KNOWN) == [
        'Scenario "Part 1": step "d1" (First worry) does not say which response is proportionate.'
    ]


def test_it_catches_a_decision_without_an_explanation():
    module = small_module()
    _step(module, "d1")["explanation"] = ""

    assert engine.validate(module, KNOWN) == [
        'Scenario "Part 1": step "d1" (First worry) does not explain why its response is '
        "proportionate."
    ]


def test_it_catches_a_choice_without_text():
    module = small_module()
    _step(module, "d1")["choices"][2]["text"] = ""

    assert engine.validate(module, KNOWN) == [
        'Scenario "Part 1": step "d1" (First worry), choice 3 ("") has no text.'
    ]


def test_it_catches_a_step_no_path_reaches():
    module = small_module()
    _steps(module).append(_narrative("aside", "d2"))

    assert engine.validate(module, KNOWN) == [
        'Scenario "Part 1": no path reaches step "aside" (Aside).'
    ]


def test_it_catches_a_narrative_step_without_next():
    module = small_module()
    _step(module, "d2")["choices"][0]["next"] = "limbo"
    _steps(module).append(_narrative("limbo", ""))

    assert engine.validate(module, KNOWN) == [
        'Scenario "Part 1": step "limbo" (Limbo) is a narrative step with no next step, '
        "so its path never ends."
    ]


def test_it_catches_a_choice_without_next():
    module = small_module()
    _step(module, "d2")["choices"][0]["next"] = ""

    assert engine.validate(module, KNOWN) == [
        'Scenario "Part 1": step "d2" (Second worry), choice 1 ("Monitor") leads nowhere, '
        "so its path never ends."
    ]


def test_it_catches_a_loop_with_no_way_out():
    module = small_module()
    _step(module, "d1")["choices"][0]["next"] = "loop-a"
    _steps(module).extend([_narrative("loop-a", "loop-b"), _narrative("loop-b", "loop-a")])

    assert engine.validate(module, KNOWN) == [
        'Scenario "Part 1": step "loop-a" (Loop-A) is in a loop with no way out to an end.',
        'Scenario "Part 1": step "loop-b" (Loop-B) is in a loop with no way out to an end.',
    ]


def test_it_allows_a_loop_with_a_way_out():
    module = small_module()
    _step(module, "d2")["choices"][0]["next"] = "think-again"
    _steps(module).append(_narrative("think-again", "d2"))

    assert engine.validate(module, KNOWN) == []


def test_it_reports_a_loop_the_same_whatever_order_the_steps_come_in():
    """Problems come in reading order, not in the order of a set's hashes."""
    module = small_module()
    _step(module, "d1")["choices"][0]["next"] = "loop-1"
    loop = [_narrative(f"loop-{n}", f"loop-{(n + 1) % 8}") for n in range(8)]
    _steps(module).extend(loop)

    labels = [problem.split('"')[3] for problem in engine.validate(module, KNOWN)]

    assert labels == [f"loop-{n}" for n in range(8)]


@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("nowhere", "a key no step has"),
        ("p2-end", "a step of another scenario"),
    ],
)
def test_it_catches_a_choice_leading_to_an_unknown_key(target, why):
    module = small_module()
    _step(module, "d1")["choices"][0]["next"] = target

    assert engine.validate(module, KNOWN) == [
        f'Scenario "Part 1": step "d1" (First worry) leads to "{target}", '
        "which is not a step of this scenario."
    ], why


def test_it_catches_a_narrative_leading_to_an_unknown_key_and_nothing_more():
    module = small_module()
    _step(module, "d2")["choices"][0]["next"] = "limbo"
    _steps(module).append(_narrative("limbo", "nowhere"))

    assert engine.validate(module, KNOWN) == [
        'Scenario "Part 1": step "limbo" (Limbo) leads to "nowhere", '
        "which is not a step of this scenario."
    ]


def test_it_does_not_call_a_step_leading_into_a_dead_end_a_loop():
    module = small_module()
    _step(module, "d2")["choices"][0]["next"] = "limbo"
    _steps(module).extend([_narrative("limbo", "dead-end"), _narrative("dead-end", "")])

    assert engine.validate(module, KNOWN) == [
        'Scenario "Part 1": step "dead-end" (Dead-End) is a narrative step with no next step, '
        "so its path never ends."
    ]


def test_it_catches_an_unknown_indicator():
    module = small_module()
    _step(module, "d1")["indicators"].append("bad-vibes")

    assert engine.validate(module, KNOWN) == [
        'Scenario "Part 1": step "d1" (First worry) is tagged with an unknown indicator '
        '"bad-vibes".'
    ]


def test_it_skips_the_indicator_check_without_a_taxonomy():
    module = small_module()
    _step(module, "d1")["indicators"].append("bad-vibes")

    assert engine.validate(module) == []


def test_it_catches_a_step_key_used_twice_in_one_scenario():
    module = small_module()
    _steps(module).append({"key": "end-a", "kind": "end", "title": "Again", "body": "."})

    assert engine.validate(module, KNOWN) == [
        'Scenario "Part 1": the key "end-a" is used by more than one step.'
    ]


def test_it_catches_a_step_key_used_in_two_scenarios():
    module = small_module()
    _step(module, "p2-d1")["choices"][0]["next"] = "intro"
    _steps(module, 1).append(_narrative("intro", "p2-end"))

    assert engine.validate(module, KNOWN) == [
        'Scenario "Part 2": the key "intro" is used by more than one step.'
    ]


def test_it_catches_a_module_without_scenarios():
    assert engine.validate(small_module(scenarios=[]), KNOWN) == ["The module has no scenarios."]


@pytest.mark.parametrize("pass_mark", [0, 101, "70", None])
def test_it_catches_a_pass_mark_that_is_not_a_percentage(pass_mark):
    assert engine.validate(small_module(pass_mark=pass_mark), KNOWN) == [
        "The pass mark must be a whole percentage between 1 and 100."
    ]


def test_it_lists_every_problem_of_a_module_at_once():
    module = small_module(title="")
    d1 = _step(module, "d1")
    d1["choices"][0]["feedback"] = ""
    d1["choices"][1]["level"] = ""
    d1["indicators"].append("bad-vibes")
    _step(module, "d2")["choices"][0]["next"] = ""
    _steps(module).append(_narrative("aside", "d2"))
    p2 = _step(module, "p2-d1")
    p2["choices"] = p2["choices"][:1]

    problems = engine.validate(module, KNOWN)

    assert problems == [
        "The module has no title.",
        'Scenario "Part 1": step "d1" (First worry) is tagged with an unknown indicator '
        '"bad-vibes".',
        'Scenario "Part 1": step "d1" (First worry), choice 1 ("Nothing") has no feedback.',
        'Scenario "Part 1": step "d1" (First worry), choice 2 ("Talk to the DSL") '
        "has no response level.",
        'Scenario "Part 1": step "d2" (Second worry), choice 1 ("Monitor") leads nowhere, '
        "so its path never ends.",
        'Scenario "Part 1": no path reaches step "aside" (Aside).',
        'Scenario "Part 2": step "p2-d1" (Six months on) is a decision with fewer than 2 choices.',
    ]


# --- Scoring ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chosen", "proportionate", "points"),
    [
        ("early_help", "early_help", 2),
        ("universal_support", "early_help", 1),
        ("statutory_social_care", "early_help", 1),
        ("monitor_and_record", "early_help", 0),
        ("prevent_referral", "early_help", 0),
        ("no_further_action", "police_emergency", 0),
    ],
)
def test_it_scores_a_decision_by_its_distance_from_proportionate(chosen, proportionate, points):
    assert _decision("d", chosen, proportionate).points == points


@pytest.mark.parametrize(
    ("chosen", "distance"),
    [
        ("no_further_action", -3),
        ("universal_support", -1),
        ("early_help", 0),
        ("statutory_social_care", 1),
        ("police_emergency", 3),
    ],
)
def test_it_signs_the_distance_negative_below_and_positive_above(chosen, distance):
    assert _decision("d", chosen, "early_help").distance == distance


def test_it_adds_points_over_every_decision():
    result = engine.score(
        [
            _decision("a", "early_help", "early_help"),
            _decision("b", "universal_support", "early_help"),
            _decision("c", "no_further_action", "early_help"),
        ]
    )

    assert (result.points, result.max_points) == (3, 6)


@pytest.mark.parametrize(
    ("points", "max_points", "percent", "passes"),
    [
        (70, 100, 70, True),
        (7, 10, 70, True),
        (69, 100, 69, False),
        (139, 200, 69, False),  # 69.5% is below a 70% pass mark, and says so
        (141, 200, 70, True),  # 70.5%
        (100, 100, 100, True),
        (0, 0, 0, False),
    ],
)
def test_it_passes_at_the_pass_mark_and_not_below(points, max_points, percent, passes):
    result = engine.Result(
        points=points, max_points=max_points, under_reactions=0, over_reactions=0, proportionate=0
    )

    assert (result.percent, result.passed(70)) == (percent, passes)


def test_it_passes_a_scored_path_of_exactly_seventy_percent():
    decisions = [_decision(f"p{n}", "early_help", "early_help") for n in range(4)]
    decisions += [_decision(f"o{n}", "universal_support", "early_help") for n in range(6)]

    result = engine.score(decisions)

    assert (result.points, result.max_points, result.percent) == (14, 20, 70)
    assert result.passed(70) is True
    assert result.passed(71) is False


def test_it_tallies_under_and_over_reactions_apart():
    result = engine.score(
        [
            _decision("a", "no_further_action", "early_help"),
            _decision("b", "universal_support", "early_help"),
            _decision("c", "early_help", "early_help"),
            _decision("d", "police_emergency", "early_help"),
        ]
    )

    assert (result.under_reactions, result.proportionate, result.over_reactions) == (2, 1, 1)


@pytest.mark.parametrize(
    ("chosen", "spotted", "missed"),
    [
        ("monitor_and_record", (), ("grievance",)),
        ("early_help", ("grievance",), ()),
        ("prevent_referral", ("grievance",), ()),
    ],
)
def test_it_misses_a_risk_indicator_only_by_under_reacting(chosen, spotted, missed):
    result = engine.score([_decision("d", chosen, "early_help", ("grievance",))], PROTECTIVE)

    assert (result.indicators_spotted, result.indicators_missed) == (spotted, missed)


@pytest.mark.parametrize(
    ("chosen", "spotted", "missed"),
    [
        ("prevent_referral", (), ("protective-factors",)),
        ("early_help", ("protective-factors",), ()),
        ("monitor_and_record", ("protective-factors",), ()),
    ],
)
def test_it_misses_a_protective_factor_only_by_over_reacting(chosen, spotted, missed):
    result = engine.score(
        [_decision("d", chosen, "early_help", ("protective-factors",))], PROTECTIVE
    )

    assert (result.indicators_spotted, result.indicators_missed) == (spotted, missed)


def test_it_counts_an_indicator_missed_once_as_missed_though_spotted_elsewhere():
    result = engine.score(
        [
            _decision("a", "early_help", "early_help", ("grievance",)),
            _decision("b", "no_further_action", "early_help", ("grievance", "isolation")),
        ]
    )

    assert result.indicators_spotted == ()
    assert result.indicators_missed == ("grievance", "isolation")


# --- Moving through a snapshot ------------------------------------------------------------


@pytest.mark.parametrize(
    ("step_key", "choice_index", "expected"),
    [
        ("intro", None, "d1"),
        ("d1", 0, "d2"),
        ("d2", 1, "end-a"),
        ("d2", 2, "end-b"),
        ("end-a", None, "p2-d1"),
        ("end-b", None, "p2-d1"),
        ("p2-end", None, ""),
    ],
)
def test_it_finds_the_step_after(step_key, choice_index, expected):
    assert engine.step_after(small_module(), step_key, choice_index) == expected


def test_it_needs_a_choice_to_move_on_from_a_decision():
    with pytest.raises(ValueError, match="needs a choice"):
        engine.step_after(small_module(), "d1")


def test_it_starts_at_the_first_step_of_the_first_scenario():
    assert engine.first_step_key(small_module()) == "intro"


def test_it_counts_decisions_on_every_branch():
    assert engine.decision_count(small_module()) == 3


def test_it_lists_indicators_in_first_seen_order():
    assert engine.indicators_of(small_module()) == [
        "isolation",
        "grievance",
        "justifying-violence",
        "protective-factors",
    ]
