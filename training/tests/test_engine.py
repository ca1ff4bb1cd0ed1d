"""The pure rules: graph validation, two-route scoring, the upgrade of old formats and moving
through a snapshot. No database."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from training import engine
from training.responses import (
    ACTION_KEYS,
    ACTIONS,
    ERROR_KEYS,
    FROM_OLD_LEVEL,
    LEVEL_KEYS,
    LEVELS,
    OLD_LEVELS,
    PRACTICE_ERRORS,
    ROUTES,
)
from training.tests.engine_modules import INDICATORS, small_module

KNOWN = [item["key"] for item in INDICATORS["indicators"]]
PROTECTIVE = ["protective-factors"]
LIBRARY = Path(__file__).resolve().parents[1] / "library" / "modules"
FORMAT_MD = Path(__file__).resolve().parents[1] / "library" / "FORMAT.md"


def _steps(module: dict[str, Any], scenario: int = 0) -> list[dict[str, Any]]:
    return module["scenarios"][scenario]["steps"]


def _step(module: dict[str, Any], key: str) -> dict[str, Any]:
    return engine.steps_by_key(module)[key]


def _narrative(key: str, next_key: str) -> dict[str, Any]:
    return {"key": key, "kind": "narrative", "title": key.title(), "body": ".", "next": next_key}


def _problems(module: dict[str, Any]) -> list[tuple[str, str]]:
    """Each problem as (path, message), to check where it is as well as what it says."""
    return [(p.path, p.message) for p in engine.find_problems(module, KNOWN)]


D1 = 'Scenario "Part 1": step "d1" (First worry)'
D2 = 'Scenario "Part 1": step "d2" (Second worry)'


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


def test_it_finds_no_problem_in_a_valid_module():
    assert engine.validate(small_module(), KNOWN) == []


def test_it_catches_a_decision_with_fewer_than_two_choices():
    module = small_module()
    _step(module, "d1")["choices"] = _step(module, "d1")["choices"][1:2]

    assert engine.validate(module, KNOWN) == [
        'Scenario "Part 1": step "d1" (First worry) is a decision with fewer than 2 choices.'
    ]


def test_it_catches_a_choice_without_feedback():
    module = small_module()
    _step(module, "d1")["choices"][0]["feedback"] = "  "

    assert engine.validate(module, KNOWN) == [
        'Scenario "Part 1": step "d1" (First worry), choice 1 ("Nothing") has no feedback.'
    ]


def test_it_catches_a_decision_without_an_explanation():
    module = small_module()
    _step(module, "d1")["explanation"] = ""

    assert _problems(module) == [
        ("scenarios[0].steps[1].explanation", f"{D1} does not explain why its bands are right.")
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
    d1["choices"][1]["prevent"] = ""
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
        "has no Prevent route.",
        'Scenario "Part 1": step "d2" (Second worry), choice 1 ("Monitor") leads nowhere, '
        "so its path never ends.",
        'Scenario "Part 1": no path reaches step "aside" (Aside).',
        'Scenario "Part 2": step "p2-d1" (Six months on) is a decision with fewer than 2 choices.',
    ]


# --- Validation of the two routes ---------------------------------------------------------


def test_it_catches_a_decision_with_no_bands_on_either_route():
    module = small_module()
    del _step(module, "d1")["bands"]

    assert _problems(module) == [
        (
            "scenarios[0].steps[1].bands.safeguarding",
            f"{D1} has no accepted band on the safeguarding route.",
        ),
        ("scenarios[0].steps[1].bands.prevent", f"{D1} has no accepted band on the Prevent route."),
    ]


@pytest.mark.parametrize("band", [[], None, ""])
def test_it_catches_an_empty_band(band):
    module = small_module()
    _step(module, "d1")["bands"]["prevent"] = band

    assert _problems(module) == [
        ("scenarios[0].steps[1].bands.prevent", f"{D1} has no accepted band on the Prevent route.")
    ]


@pytest.mark.parametrize("band", [["advice"], ["none", "advice", "referral"], "advice"])
def test_it_catches_a_band_that_is_not_two_levels(band):
    module = small_module()
    _step(module, "d1")["bands"]["prevent"] = band

    assert _problems(module) == [
        (
            "scenarios[0].steps[1].bands.prevent",
            f"{D1}: its Prevent band must be two levels, [lowest, highest].",
        )
    ]


@pytest.mark.parametrize(
    ("band", "named"),
    [
        (["universal_support", "universal"], "universal_support"),
        (["universal", "referral"], "referral"),  # a Prevent level is not a safeguarding one
    ],
)
def test_it_catches_a_band_end_off_the_routes_order(band, named):
    module = small_module()
    _step(module, "d1")["bands"]["safeguarding"] = band

    assert _problems(module) == [
        (
            "scenarios[0].steps[1].bands.safeguarding",
            f'{D1}: its safeguarding band names "{named}", which is not a safeguarding level.',
        )
    ]


def test_it_catches_a_band_given_highest_first():
    module = small_module()
    _step(module, "d1")["bands"]["safeguarding"] = ["family_help", "universal"]

    assert _problems(module) == [
        (
            "scenarios[0].steps[1].bands.safeguarding",
            f"{D1}: its safeguarding band runs from high to low; give the lowest first.",
        )
    ]


def test_it_catches_a_band_on_a_route_that_does_not_exist():
    module = small_module()
    _step(module, "d1")["bands"]["police"] = ["none", "none"]

    assert _problems(module) == [
        (
            "scenarios[0].steps[1].bands.police",
            f'{D1} gives a band on "police", which is not a route.',
        )
    ]


def test_it_catches_a_band_no_choice_reaches_on_its_route():
    module = small_module()
    _step(module, "d1")["bands"]["safeguarding"] = ["child_protection", "emergency_protection"]

    assert _problems(module) == [
        (
            "scenarios[0].steps[1].bands.safeguarding",
            f"{D1}: no choice is inside its safeguarding band (Child protection (section 47) to "
            "Immediate protection).",
        )
    ]


def test_it_names_a_single_level_band_once():
    module = small_module()
    _step(module, "d1")["bands"]["prevent"] = ["emergency", "emergency"]

    assert engine.validate(module, KNOWN) == [
        f"{D1}: no choice is inside its Prevent band (999 emergency)."
    ]


@pytest.mark.parametrize(
    ("route", "word"), [("safeguarding", "safeguarding"), ("prevent", "Prevent")]
)
def test_it_catches_a_choice_missing_a_route(route, word):
    module = small_module()
    del _step(module, "d1")["choices"][0][route]

    assert _problems(module) == [
        (
            f"scenarios[0].steps[1].choices[0].{route}",
            f'{D1}, choice 1 ("Nothing") has no {word} route.',
        )
    ]


@pytest.mark.parametrize(
    ("route", "value", "word"),
    [
        ("safeguarding", "early_help", "safeguarding"),  # the old single scale's spelling
        ("safeguarding", "advice", "safeguarding"),  # the other route's level
        ("prevent", "prevent_referral", "Prevent"),
    ],
)
def test_it_catches_a_choice_with_an_unknown_route_value(route, value, word):
    module = small_module()
    _step(module, "d1")["choices"][0][route] = value

    assert _problems(module) == [
        (
            f"scenarios[0].steps[1].choices[0].{route}",
            f'{D1}, choice 1 ("Nothing") has an unknown {word} route "{value}".',
        )
    ]


def test_it_does_not_count_a_choice_with_an_unknown_value_as_reaching_a_band():
    module = small_module()
    d1 = _step(module, "d1")
    d1["bands"]["safeguarding"] = ["record", "record"]
    d1["choices"][0]["safeguarding"] = "monitor_and_record"

    assert [path for path, _ in _problems(module)] == [
        "scenarios[0].steps[1].choices[0].safeguarding",
        "scenarios[0].steps[1].bands.safeguarding",
    ]


def test_it_catches_an_unknown_action_each_by_name():
    module = small_module()
    _step(module, "d1")["choices"][1]["actions"] = ["consult_dsl", "have_a_word", "ring_round"]

    assert _problems(module) == [
        (
            "scenarios[0].steps[1].choices[1].actions",
            f'{D1}, choice 2 ("Talk to the DSL") names an unknown action "{name}".',
        )
        for name in ("have_a_word", "ring_round")
    ]


def test_it_catches_actions_that_are_not_a_list():
    module = small_module()
    _step(module, "d1")["choices"][1]["actions"] = "consult_dsl"

    assert _problems(module) == [
        (
            "scenarios[0].steps[1].choices[1].actions",
            f'{D1}, choice 2 ("Talk to the DSL") lists its actions wrongly.',
        )
    ]


def test_it_accepts_a_choice_with_no_actions_or_error_at_all():
    module = small_module()
    for choice in _step(module, "p2-d1")["choices"]:
        choice.pop("actions", None)
        choice.pop("error", None)

    assert engine.validate(module, KNOWN) == []


def test_it_catches_an_unknown_practice_error():
    module = small_module()
    _step(module, "d1")["choices"][0]["error"] = "too_slow"

    assert _problems(module) == [
        (
            "scenarios[0].steps[1].choices[0].error",
            f'{D1}, choice 1 ("Nothing") names an unknown practice error "too_slow".',
        )
    ]


@pytest.mark.parametrize("flag", ["yes", 1, None])
def test_it_catches_a_safety_critical_flag_that_is_not_true_or_false(flag):
    module = small_module()
    _step(module, "d1")["safety_critical"] = flag

    assert _problems(module) == [
        ("scenarios[0].steps[1].safety_critical", f"{D1}: safety_critical must be true or false.")
    ]


def test_it_catches_a_safety_critical_decision_whose_only_safe_routes_carry_an_error():
    module = small_module()
    _step(module, "d2")["choices"][2]["error"] = "over_sharing"

    assert _problems(module) == [
        (
            "scenarios[0].steps[2].safety_critical",
            f"{D2} is safety-critical, but no choice is inside both its bands without a "
            "practice error.",
        )
    ]


def test_it_catches_a_safety_critical_decision_with_no_choice_inside_both_bands():
    """Each band is reached, by different choices, but no one choice is inside both."""
    module = small_module()
    d2 = _step(module, "d2")
    d2["choices"][2]["safeguarding"] = "none"  # inside on Prevent only
    d2["choices"][1]["prevent"] = "none"  # family_help: inside on safeguarding only

    assert _problems(module) == [
        (
            "scenarios[0].steps[2].safety_critical",
            f"{D2} is safety-critical, but no choice is inside both its bands without a "
            "practice error.",
        )
    ]


def test_it_accepts_the_same_decision_when_it_is_not_safety_critical():
    module = small_module()
    _step(module, "d2")["choices"][2]["error"] = "over_sharing"
    _step(module, "d2")["safety_critical"] = False

    assert engine.validate(module, KNOWN) == []


# --- The fewest decisions a path may answer -----------------------------------------------


def _shortcut(module: dict[str, Any]) -> dict[str, Any]:
    """d1's first choice skips d2 and goes straight to an end."""
    _step(module, "d1")["choices"][0]["next"] = "end-a"
    return module


def test_it_asks_four_decisions_of_every_path_by_default():
    module = small_module()
    del module["min_decisions"]

    assert engine.min_decisions(module) == 4
    assert _problems(module) == [
        (
            "min_decisions",
            "The shortest path through the module answers only 3 decisions (d1, d2, p2-d1); "
            "every path must answer at least 4, or a short branch can pass.",
        )
    ]


def test_it_refuses_a_branch_that_answers_fewer_decisions_than_the_module_asks():
    module = _shortcut(small_module())

    assert engine.validate(module, KNOWN) == [
        "The shortest path through the module answers only 2 decisions (d1, p2-d1); every path "
        "must answer at least 3, or a short branch can pass."
    ]


def test_it_counts_the_shortest_path_over_every_scenario():
    module = _shortcut(small_module(min_decisions=2))

    assert engine.shortest_path_decisions(module) == ["d1", "p2-d1"]
    assert engine.validate(module, KNOWN) == []


def test_it_takes_the_branch_with_fewest_decisions_not_fewest_steps():
    """Two narrative steps and no decision are shorter, in decisions, than one decision."""
    module = small_module(min_decisions=2)
    _step(module, "d1")["choices"][0]["next"] = "n1"
    _steps(module).extend([_narrative("n1", "n2"), _narrative("n2", "end-a")])

    assert engine.shortest_path_decisions(module) == ["d1", "p2-d1"]


def test_it_counts_a_loop_through_a_decision_no_more_than_once():
    module = small_module()
    _step(module, "d2")["choices"][0]["next"] = "think-again"
    _steps(module).append(_narrative("think-again", "d2"))

    assert engine.shortest_path_decisions(module) == ["d1", "d2", "p2-d1"]
    assert engine.validate(module, KNOWN) == []


def test_it_says_answered_once_in_the_singular():
    module = small_module(scenarios=small_module()["scenarios"][1:])

    assert engine.validate(module, KNOWN) == [
        "The shortest path through the module answers only 1 decision (p2-d1); every path must "
        "answer at least 3, or a short branch can pass."
    ]


def test_it_skips_the_count_when_a_scenario_has_no_way_to_its_end():
    """The broken path is the problem to fix; a count over it would mislead."""
    module = small_module(min_decisions=10)
    _step(module, "d2")["choices"][0]["next"] = ""
    _step(module, "d2")["choices"][1]["next"] = ""
    _step(module, "d2")["choices"][2]["next"] = ""

    assert engine.shortest_path_decisions(module) is None
    assert all(path != "min_decisions" for path, _ in _problems(module))


@pytest.mark.parametrize("value", [0, -1, "4", True, 2.5])
def test_it_catches_a_minimum_that_is_not_a_whole_number_of_at_least_one(value):
    assert _problems(small_module(min_decisions=value)) == [
        ("min_decisions", "The minimum number of decisions must be a whole number of at least 1.")
    ]


# --- Scoring ------------------------------------------------------------------------------

BAND = {"safeguarding": ("universal", "family_help"), "prevent": ("advice", "referral")}


def _decision(
    safeguarding: str = "universal",
    prevent: str = "advice",
    *,
    step_key: str = "d",
    bands: dict[str, tuple[str, str]] = BAND,
    **extra: Any,
) -> engine.Decision:
    return engine.Decision(step_key, safeguarding, prevent, bands, **extra)


@pytest.mark.parametrize(
    ("route", "chosen", "band", "distance"),
    [
        ("safeguarding", "none", ("universal", "family_help"), -2),
        ("safeguarding", "record", ("universal", "family_help"), -1),
        ("safeguarding", "universal", ("universal", "family_help"), 0),
        ("safeguarding", "family_help", ("universal", "family_help"), 0),
        ("safeguarding", "child_protection", ("universal", "family_help"), 1),
        ("safeguarding", "emergency_protection", ("universal", "family_help"), 2),
        ("prevent", "none", ("referral", "referral"), -2),
        ("prevent", "emergency", ("referral", "referral"), 1),
        ("prevent", "advice", ("advice", "referral"), 0),
    ],
)
def test_it_measures_the_distance_to_the_nearest_edge_of_the_band(route, chosen, band, distance):
    assert engine.route_distance(route, chosen, band) == distance


def test_it_refuses_a_level_the_route_does_not_have():
    with pytest.raises(ValueError, match="early_help"):
        engine.route_distance("safeguarding", "early_help", ("none", "record"))


def test_it_measures_each_route_of_a_decision_apart():
    decision = _decision("none", "emergency")

    assert (decision.safeguarding_distance, decision.prevent_distance) == (-2, 1)
    assert (decision.distance("safeguarding"), decision.distance("prevent")) == (-2, 1)


@pytest.mark.parametrize(
    ("safeguarding", "prevent", "extra", "points"),
    [
        ("universal", "advice", {}, 2),
        ("family_help", "referral", {"actions": ("consult_dsl",)}, 2),
        ("record", "advice", {}, 1),  # one step under on safeguarding
        ("family_help", "emergency", {}, 1),  # one step over on Prevent
        ("record", "none", {}, 0),  # one step under on each: two in all
        ("none", "advice", {}, 0),
        ("universal", "advice", {"error": "over_sharing"}, 0),  # inside, but a practice error
        ("record", "advice", {"error": "not_recording"}, 0),
        ("child_protection", "advice", {"safety_critical": True}, 1),  # over-reacting is no miss
        ("record", "advice", {"safety_critical": True}, 0),  # under-reacting is
        ("universal", "advice", {"safety_critical": True}, 2),
    ],
)
def test_it_scores_a_decision_on_both_routes(safeguarding, prevent, extra, points):
    assert _decision(safeguarding, prevent, **extra).points == points


@pytest.mark.parametrize(
    ("safeguarding", "prevent", "error", "critical"),
    [
        ("record", "advice", "", True),  # under on safeguarding
        ("universal", "none", "", True),  # under on Prevent
        ("universal", "advice", "delay_on_threat", True),  # inside both, but an error
        ("child_protection", "emergency", "", False),  # over on both
        ("universal", "advice", "", False),
    ],
)
def test_it_calls_an_under_reaction_or_error_on_a_safety_critical_decision_a_critical_miss(
    safeguarding, prevent, error, critical
):
    decision = _decision(safeguarding, prevent, error=error, safety_critical=True)
    ordinary = _decision(safeguarding, prevent, error=error)

    assert decision.critical_miss is critical
    assert ordinary.critical_miss is False


def test_it_keeps_within_bands_apart_from_the_practice_error():
    decision = _decision(error="consent_misused")

    assert decision.within_bands is True
    assert decision.points == 0


def test_it_adds_points_over_every_decision():
    result = engine.score([_decision(), _decision("record"), _decision("none")])

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
    result = engine.Result(points=points, max_points=max_points)

    assert (result.percent, result.passed(70)) == (percent, passes)


def test_it_passes_a_scored_path_of_exactly_seventy_percent():
    decisions = [_decision(step_key=f"p{n}") for n in range(4)]
    decisions += [_decision("record", step_key=f"o{n}") for n in range(6)]

    result = engine.score(decisions)

    assert (result.points, result.max_points, result.percent) == (14, 20, 70)
    assert result.passed(70) is True
    assert result.passed(71) is False


def test_it_fails_a_path_with_a_critical_miss_whatever_its_percentage():
    decisions = [_decision(step_key=f"p{n}") for n in range(9)]
    decisions.append(_decision("record", step_key="threat", safety_critical=True))

    result = engine.score(decisions)

    assert (result.percent, result.critical_misses) == (90, ("threat",))
    assert result.passed(70) is False


def test_it_lists_errors_and_critical_misses_in_path_order():
    result = engine.score(
        [
            _decision(step_key="a", error="over_sharing"),
            _decision("none", step_key="b", safety_critical=True),
            _decision(step_key="c"),
            _decision(step_key="d", error="bias", safety_critical=True),
        ]
    )

    assert result.errors == ("a", "d")
    assert result.critical_misses == ("b", "d")
    assert result.within_bands == 1  # "a" and "d" are inside both bands but carry an error


def test_it_tallies_under_and_over_reactions_per_route():
    result = engine.score(
        [
            _decision("none", "advice"),  # under on safeguarding
            _decision("record", "none"),  # under on both
            _decision("universal", "emergency"),  # over on Prevent
            _decision("emergency_protection", "none"),  # over on one, under on the other
            _decision(),
        ]
    )

    assert result.under_reactions == {"safeguarding": 2, "prevent": 2}
    assert result.over_reactions == {"safeguarding": 1, "prevent": 1}
    assert result.within_bands == 1


def test_it_starts_every_route_at_nought():
    result = engine.score([])

    assert result.under_reactions == result.over_reactions == {"safeguarding": 0, "prevent": 0}
    assert (result.max_points, result.passed(1)) == (0, False)


@pytest.mark.parametrize(
    ("safeguarding", "prevent", "spotted", "missed"),
    [
        ("record", "advice", (), ("grievance",)),  # under on safeguarding
        ("universal", "none", (), ("grievance",)),  # under on Prevent
        ("universal", "advice", ("grievance",), ()),
        ("child_protection", "emergency", ("grievance",), ()),
    ],
)
def test_it_misses_a_risk_indicator_by_under_reacting_on_either_route(
    safeguarding, prevent, spotted, missed
):
    decision = _decision(safeguarding, prevent, indicators=("grievance",))

    result = engine.score([decision], PROTECTIVE)

    assert (result.indicators_spotted, result.indicators_missed) == (spotted, missed)


@pytest.mark.parametrize(
    ("safeguarding", "prevent", "spotted", "missed"),
    [
        ("child_protection", "advice", (), ("protective-factors",)),
        ("universal", "emergency", (), ("protective-factors",)),
        ("universal", "advice", ("protective-factors",), ()),
        ("none", "none", ("protective-factors",), ()),
    ],
)
def test_it_misses_a_protective_factor_by_over_reacting_on_either_route(
    safeguarding, prevent, spotted, missed
):
    decision = _decision(safeguarding, prevent, indicators=("protective-factors",))

    result = engine.score([decision], PROTECTIVE)

    assert (result.indicators_spotted, result.indicators_missed) == (spotted, missed)


def test_it_counts_an_indicator_missed_once_as_missed_though_spotted_elsewhere():
    result = engine.score(
        [
            _decision(step_key="a", indicators=("grievance",)),
            _decision("none", step_key="b", indicators=("grievance", "isolation")),
        ]
    )

    assert result.indicators_spotted == ()
    assert result.indicators_missed == ("grievance", "isolation")


# --- Properties of scoring ----------------------------------------------------------------


@st.composite
def _bands(draw: st.DrawFn) -> dict[str, tuple[str, str]]:
    bands = {}
    for route in ROUTES:
        ends = sorted(
            draw(st.lists(st.sampled_from(range(len(LEVEL_KEYS[route]))), min_size=2, max_size=2))
        )
        bands[route] = (LEVEL_KEYS[route][ends[0]], LEVEL_KEYS[route][ends[1]])
    return bands


@st.composite
def _decisions(draw: st.DrawFn, step_key: str = "d") -> engine.Decision:
    return engine.Decision(
        step_key=step_key,
        safeguarding=draw(st.sampled_from(LEVEL_KEYS["safeguarding"])),
        prevent=draw(st.sampled_from(LEVEL_KEYS["prevent"])),
        bands=draw(_bands()),
        safety_critical=draw(st.booleans()),
        error=draw(st.sampled_from(("", *ERROR_KEYS))),
        actions=tuple(draw(st.lists(st.sampled_from(ACTION_KEYS), max_size=3))),
    )


@st.composite
def _paths(draw: st.DrawFn) -> list[engine.Decision]:
    size = draw(st.integers(min_value=1, max_value=12))
    return [draw(_decisions(step_key=f"d{n}")) for n in range(size)]


@given(_bands(), st.booleans(), st.data())
def test_a_choice_inside_both_bands_with_no_error_always_scores_two(bands, critical, data):
    safeguarding = data.draw(_inside(bands, "safeguarding"))
    prevent = data.draw(_inside(bands, "prevent"))

    decision = engine.Decision("d", safeguarding, prevent, bands, safety_critical=critical)

    assert decision.points == 2
    assert decision.critical_miss is False


def _inside(bands: dict[str, tuple[str, str]], route: str) -> st.SearchStrategy[str]:
    order = LEVEL_KEYS[route]
    lowest, highest = (order.index(end) for end in bands[route])
    return st.sampled_from(order[lowest : highest + 1])


@given(_paths(), st.integers(min_value=0, max_value=100))
def test_any_critical_miss_fails_whatever_the_percentage(path, pass_mark):
    result = engine.score(path)

    has_miss = any(d.critical_miss for d in path)
    assert bool(result.critical_misses) is has_miss
    if has_miss:
        assert result.passed(pass_mark) is False
    else:
        assert result.passed(pass_mark) is (result.percent >= pass_mark)


@given(_paths())
def test_points_never_exceed_two_a_decision(path):
    result = engine.score(path)

    assert all(0 <= d.points <= 2 for d in path)
    assert 0 <= result.points <= result.max_points == 2 * len(path)
    assert 0 <= result.percent <= 100


@given(st.sampled_from(ROUTES), st.data())
def test_the_distance_is_nought_exactly_inside_the_band(route, data):
    order = LEVEL_KEYS[route]
    lowest, highest = sorted(
        data.draw(st.lists(st.sampled_from(range(len(order))), min_size=2, max_size=2))
    )
    chosen = data.draw(st.sampled_from(range(len(order))))

    distance = engine.route_distance(route, order[chosen], (order[lowest], order[highest]))

    assert (distance == 0) is (lowest <= chosen <= highest)
    assert (distance < 0) is (chosen < lowest)
    assert abs(distance) == max(lowest - chosen, chosen - highest, 0)


# --- Old formats --------------------------------------------------------------------------


def _old_module(fmt: str = "threshold-module/1", **changes: Any) -> dict[str, Any]:
    """A small module on the old single scale, as the library and old exports hold it."""
    steps: list[dict[str, Any]] = [
        {"key": "o-intro", "kind": "narrative", "title": "Intro", "body": ".", "next": "o-d1"},
        {
            "key": "o-d1",
            "kind": "decision",
            "title": "First",
            "body": "?",
            "indicators": ["grievance"],
            "proportionate": "early_help",
            "explanation": "Because.",
            "choices": [
                {"text": "Nothing", "level": "no_further_action", "feedback": ".", "next": "o-d2"},
                {"text": "Help", "level": "early_help", "feedback": ".", "next": "o-d2"},
            ],
        },
        {
            "key": "o-d2",
            "kind": "decision",
            "title": "Second",
            "body": "?",
            "proportionate": "prevent_referral",
            "explanation": "Because.",
            "choices": [
                {"text": "Refer", "level": "prevent_referral", "feedback": ".", "next": "o-end"},
                {"text": "999", "level": "police_emergency", "feedback": ".", "next": "o-end"},
            ],
        },
        {"key": "o-end", "kind": "end", "title": "End", "body": "."},
    ]
    module = {
        "format": fmt,
        "key": "old",
        "title": "Old",
        "pass_mark": 70,
        "scenarios": [{"key": "s", "title": "S", "steps": steps}],
    }
    module.update(changes)
    return module


@pytest.mark.parametrize("fmt", ["threshold-module/1", "threshold-module/2"])
def test_it_upgrades_an_old_module_to_two_routes_and_lists_every_decision(fmt):
    upgraded, review = engine.upgrade_document(_old_module(fmt))

    d1, d2 = (engine.steps_by_key(upgraded)[key] for key in ("o-d1", "o-d2"))
    assert upgraded["format"] == "threshold-module/3"
    assert review == ["o-d1", "o-d2"]
    assert d1["bands"] == {
        "safeguarding": ["family_help", "family_help"],
        "prevent": ["none", "none"],
    }
    assert d2["bands"] == {
        "safeguarding": ["universal", "universal"],
        "prevent": ["referral", "referral"],
    }
    assert (d1["safety_critical"], d2["safety_critical"]) == (False, False)
    assert [(c["safeguarding"], c["prevent"], c["actions"]) for c in d2["choices"]] == [
        ("universal", "referral", []),
        ("emergency_protection", "emergency", []),
    ]
    assert "proportionate" not in d1 and all("level" not in c for c in d1["choices"])


@pytest.mark.parametrize("old_level", OLD_LEVELS)
def test_it_reads_every_old_level_through_the_documented_mapping(old_level):
    module = _old_module()
    d1 = engine.steps_by_key(module)["o-d1"]
    d1["proportionate"] = old_level
    d1["choices"][0]["level"] = old_level

    upgraded, _ = engine.upgrade_document(module)

    safeguarding, prevent = FROM_OLD_LEVEL[old_level]
    step = engine.steps_by_key(upgraded)["o-d1"]
    assert step["bands"] == {"safeguarding": [safeguarding] * 2, "prevent": [prevent] * 2}
    assert (step["choices"][0]["safeguarding"], step["choices"][0]["prevent"]) == (
        safeguarding,
        prevent,
    )


def test_it_keeps_the_keys_of_an_upgraded_step_where_they_were():
    upgraded, _ = engine.upgrade_document(_old_module())

    d1 = engine.steps_by_key(upgraded)["o-d1"]
    assert list(d1) == [
        "key",
        "kind",
        "title",
        "body",
        "indicators",
        "bands",
        "safety_critical",
        "explanation",
        "choices",
    ]
    assert list(d1["choices"][0]) == [
        "text",
        "safeguarding",
        "prevent",
        "actions",
        "feedback",
        "next",
    ]


def test_it_upgrades_without_touching_the_stored_document():
    original = _old_module("threshold-module/2", indicator_catalogue={"grievance": {"name": "G"}})
    before = copy.deepcopy(original)

    upgraded, _ = engine.upgrade_document(original)

    assert original == before
    assert upgraded["indicator_catalogue"] == {"grievance": {"name": "G"}}


def test_it_gives_an_upgraded_module_that_validates():
    upgraded, _ = engine.upgrade_document(_old_module(min_decisions=2))

    assert engine.validate(upgraded, KNOWN) == []


def test_it_leaves_an_unknown_old_level_for_validation_to_name():
    module = _old_module(min_decisions=2)
    engine.steps_by_key(module)["o-d1"]["choices"][0]["level"] = "have_a_word"

    upgraded, _ = engine.upgrade_document(module)

    assert engine.validate(upgraded, KNOWN) == [
        f'Scenario "S": step "o-d1" (First), choice 1 ("Nothing") has no {word} route.'
        for word in ("safeguarding", "Prevent")
    ]


def test_it_reads_a_document_with_no_format_by_its_shape():
    module = _old_module()
    del module["format"]

    upgraded, review = engine.upgrade_document(module)

    assert (upgraded["format"], review) == ("threshold-module/3", ["o-d1", "o-d2"])


def test_it_returns_a_current_document_as_it_is():
    module = small_module()

    assert engine.upgrade_document(module) == (module, [])
    assert engine.upgrade_document(module)[0] is module


def test_it_refuses_a_format_it_does_not_know():
    with pytest.raises(ValueError, match="threshold-module/9"):
        engine.upgrade_document(_old_module("threshold-module/9"))


@pytest.mark.parametrize("path", sorted(LIBRARY.glob("*.json")), ids=lambda path: path.stem)
def test_it_upgrades_every_library_module_to_two_routes(path):
    data = json.loads(path.read_text(encoding="utf-8"))

    upgraded, review = engine.upgrade_document(data)

    decisions = [s for s in engine.steps_by_key(upgraded).values() if s["kind"] == "decision"]
    assert upgraded["format"] == "threshold-module/3"
    assert review == ([s["key"] for s in decisions] if data["format"] in engine.OLD_FORMATS else [])
    for step in decisions:
        assert set(step["bands"]) == {"safeguarding", "prevent"}, step["key"]
        for route, (lowest, highest) in step["bands"].items():
            assert lowest in LEVEL_KEYS[route] and highest in LEVEL_KEYS[route], step["key"]
        for choice in step["choices"]:
            assert choice["safeguarding"] in LEVEL_KEYS["safeguarding"], step["key"]
            assert choice["prevent"] in LEVEL_KEYS["prevent"], step["key"]


def test_format_md_lists_the_vocabulary_and_the_old_level_mapping_as_the_engine_reads_them():
    text = FORMAT_MD.read_text(encoding="utf-8")

    terms = [*LEVELS["safeguarding"], *LEVELS["prevent"], *ACTIONS, *PRACTICE_ERRORS]
    for term in terms:
        assert f"| `{term.key}` | {term.label} | {term.explanation} |" in text, term.key
    for old, (safeguarding, prevent) in FROM_OLD_LEVEL.items():
        assert f"| `{old}` | `{safeguarding}` | `{prevent}` |" in text, old


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
