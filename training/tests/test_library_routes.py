"""The library on two routes (issue #17): every module is threshold-module/3 and valid; the
safety-critical misses the subject-matter review found now fail the attempt; Noah's early
decisions accept Prevent advice or a referral; and most decisions need no Prevent referral."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from training import engine
from training.version_reader import VersionDocument, version_read

LIBRARY = Path(__file__).resolve().parents[1] / "library"
MODULE_FILES = sorted((LIBRARY / "modules").glob("*.json"))
INDICATORS = [i["key"] for i in json.loads((LIBRARY / "indicators.json").read_text())["indicators"]]
TOM, NOAH, HANA = (
    "information-sharing-channel",
    "school-violence-fixation",
    "family-and-faith-islamist",
)

# (module, the choices that lead to and make the miss, the step it happens on, its error).
# Every other decision on the path takes a choice inside both bands, so the miss alone fails.
NAMED_MISSES = [
    (TOM, {"tom-d1": 1}, "tom-d1", "coercive_statutory_powers"),  # s47 to force engagement
    (TOM, {"tom-d2": 2}, "tom-d2", "over_sharing"),  # the whole family file to the police
    (TOM, {"tom-d1": 3, "tom-d2-alt": 3}, "tom-d2-alt", "consent_misused"),  # Channel anyway
    (TOM, {"tom-d4": 1}, "tom-d4", "delay_on_threat"),  # a threat left until next week
    (TOM, {"tom-d4": 1, "tom-d4b": 2}, "tom-d4b", "wrong_channel"),  # an email, not 999
    (TOM, {"tom-d6": 1}, "tom-d6", ""),  # early help for an adult exploiting Tom
    (NOAH, {"noah-d5": 2}, "noah-d5", "wrong_channel"),  # advice, not 999, on a dated threat
    (NOAH, {"noah-d6": 3}, "noah-d6", ""),  # Channel instead of a section 47 plan
    (HANA, {"hana-d6": 2}, "hana-d6", "wrong_channel"),  # advice while Hana boards a plane
]


def _raw(stem: str) -> dict:
    return json.loads((LIBRARY / "modules" / f"{stem}.json").read_text(encoding="utf-8"))


def _best_choice(document: VersionDocument, step_key: str) -> int:
    step = document.decision(step_key)
    return next(
        index
        for index in range(len(step.choices))
        if document.decision_for(step_key, index).points == 2
    )


def _play(document: VersionDocument, forced: dict[str, int]) -> list[engine.Decision]:
    """Walk the module from its start, taking `forced` choices and a best choice elsewhere."""
    decisions, key = [], document.first_step_key
    while key:
        if document.decision(key) is None:
            key = document.step_after(key)
            continue
        index = forced.get(key, _best_choice(document, key))
        decisions.append(document.decision_for(key, index))
        key = document.step_after(key, index)
    return decisions


@pytest.mark.parametrize("path", MODULE_FILES, ids=lambda p: p.stem)
def test_every_library_module_is_format_3_and_valid(path):
    module = json.loads(path.read_text(encoding="utf-8"))

    assert module["format"] == "threshold-module/3"
    assert engine.validate(module, INDICATORS) == []
    assert version_read(module).upgraded_from == ""


@pytest.mark.parametrize("path", MODULE_FILES, ids=lambda p: p.stem)
def test_the_best_path_through_every_module_passes_with_full_marks(path):
    document = version_read(json.loads(path.read_text(encoding="utf-8")))

    result = engine.score(_play(document, {}), document.protective_indicators)

    assert result.critical_misses == ()
    assert result.percent == 100
    assert result.passed(document.pass_mark)


@pytest.mark.parametrize(
    ("stem", "forced", "step_key", "error"), NAMED_MISSES, ids=[m[2] for m in NAMED_MISSES]
)
def test_a_named_safety_critical_miss_fails_the_attempt(stem, forced, step_key, error):
    document = version_read(_raw(stem))
    decisions = _play(document, forced)

    result = engine.score(decisions, document.protective_indicators)

    miss = next(d for d in decisions if d.step_key == step_key)
    assert miss.safety_critical
    assert miss.error == error
    assert miss.error or miss.safeguarding_distance < 0 or miss.prevent_distance < 0
    assert miss.points == 0
    assert step_key in result.critical_misses
    assert not result.passed(document.pass_mark)


@pytest.mark.parametrize("step_key", ["noah-d1", "noah-d2", "noah-d2a"])
def test_noah_early_decisions_accept_prevent_advice_and_a_referral(step_key):
    document = version_read(_raw(NOAH))
    step = document.decision(step_key)
    full_marks = [
        choice.prevent
        for index, choice in enumerate(step.choices)
        if document.decision_for(step_key, index).points == 2
    ]

    assert tuple(step.bands["prevent"]) == ("advice", "referral")
    assert {"advice", "referral"} <= set(full_marks)
    assert "Southport Prevent Learning Review" in step.explanation
    assert "Lessons for Prevent" in step.explanation


def test_more_than_half_the_library_is_answered_without_a_prevent_referral():
    bands = [
        step.bands["prevent"]
        for path in MODULE_FILES
        for step in version_read(json.loads(path.read_text(encoding="utf-8"))).steps.values()
        if step.is_decision
    ]
    without_referral = [band for band in bands if band[0] in ("none", "advice")]

    assert len(without_referral) * 2 > len(bands), (len(without_referral), len(bands))
