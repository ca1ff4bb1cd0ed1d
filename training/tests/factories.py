"""Hand-made modules for tests: small enough to reason about, shaped like the library files."""

from __future__ import annotations

import copy
from typing import Any

INDICATORS = {
    "format": "threshold-indicators/1",
    "indicators": [
        {"key": "isolation", "category": "vulnerability", "name": "Isolation", "description": "."},
        {"key": "grievance", "category": "vulnerability", "name": "Grievance", "description": "."},
        {
            "key": "justifying-violence",
            "category": "intent",
            "name": "Justifying violence",
            "description": ".",
        },
        {
            "key": "protective-factors",
            "category": "protective",
            "name": "Protective factors",
            "description": ".",
        },
    ],
}


def _choice(
    text: str, safeguarding: str, prevent: str, next_key: str, **extra: Any
) -> dict[str, Any]:
    return {
        "text": text,
        "safeguarding": safeguarding,
        "prevent": prevent,
        "actions": [],
        **extra,
        "feedback": f"Because {text}.",
        "next": next_key,
    }


def _bands(safeguarding: str | list[str], prevent: str | list[str]) -> dict[str, list[str]]:
    def band(value: str | list[str]) -> list[str]:
        return [value, value] if isinstance(value, str) else value

    return {"safeguarding": band(safeguarding), "prevent": band(prevent)}


# On every path: inside both bands 2 points, one step off 1, else 0. d1: Nothing 0, DSL 2,
# Prevent 0; d2: Monitor 0, Prevent advice 1 (an under-reaction), referral 2; p2-d1: Leave it
# 2, Record it 1 (an over-reaction), Refer again 0. Three decisions on every path.
SMALL_MODULE: dict[str, Any] = {
    "format": "threshold-module/3",
    "key": "test-module",
    "version": 1,
    "title": "Jo's bedroom door",
    "summary": "A short test module.",
    "audience": "Everyone",
    "minutes": 10,
    "pass_mark": 70,
    "refresher_months": 12,
    "confidence_topic": "a test concern",
    "learning_outcomes": ["Spot a grievance", "Respond in proportion"],
    "min_decisions": 3,
    "scenarios": [
        {
            "key": "part-1",
            "title": "Part 1",
            "steps": [
                {
                    "key": "intro",
                    "kind": "narrative",
                    "title": "Meet Jo",
                    "body": "Jo is **14**.",
                    "indicators": ["isolation"],
                    "next": "d1",
                },
                {
                    "key": "d1",
                    "kind": "decision",
                    "title": "First worry",
                    "body": "Jo talks about unfairness. What do you do?",
                    "indicators": ["grievance"],
                    "bands": _bands("universal", "none"),
                    "explanation": "A conversation with the DSL is enough.",
                    "choices": [
                        _choice("Nothing", "none", "none", "d2"),
                        _choice("Talk to the DSL", "universal", "none", "d2"),
                        _choice("Refer to Prevent", "universal", "referral", "d2"),
                    ],
                },
                {
                    "key": "d2",
                    "kind": "decision",
                    "title": "Second worry",
                    "body": "Jo praises an attacker. What now?",
                    "indicators": ["justifying-violence", "protective-factors"],
                    "bands": _bands("universal", "referral"),
                    "explanation": "Praise for an attacker with other signs needs a referral.",
                    "choices": [
                        _choice("Monitor", "record", "none", "end-a"),
                        _choice("Ask the Prevent lead", "universal", "advice", "end-a"),
                        _choice("Refer to Prevent", "universal", "referral", "end-b"),
                    ],
                },
                {"key": "end-a", "kind": "end", "title": "What happened", "body": "Jo drifted."},
                {"key": "end-b", "kind": "end", "title": "What happened", "body": "Jo got help."},
            ],
        },
        {
            "key": "part-2",
            "title": "Part 2",
            "steps": [
                {
                    "key": "p2-d1",
                    "kind": "decision",
                    "title": "Six months on",
                    "body": "Jo is doing well at school. A teacher is uneasy about an essay.",
                    "indicators": ["protective-factors"],
                    "bands": _bands("none", "none"),
                    "explanation": "Provocative ideas in an essay are not a safeguarding concern.",
                    "choices": [
                        _choice("Leave it", "none", "none", "p2-end"),
                        _choice("Record it", "record", "none", "p2-end"),
                        _choice("Refer again", "universal", "referral", "p2-end"),
                    ],
                },
                {"key": "p2-end", "kind": "end", "title": "The end", "body": "Jo is fine."},
            ],
        },
    ],
}


def best_choice(step: dict[str, Any]) -> int:
    """The first choice inside both of a /3 decision's bands with no practice error."""
    from training import engine

    return next(
        index
        for index, choice in enumerate(step["choices"])
        if not choice.get("error")
        and all(
            engine.route_distance(route, choice[route], tuple(step["bands"][route])) == 0
            for route in ("safeguarding", "prevent")
        )
    )


def _old_choice(text: str, level: str, next_key: str) -> dict[str, Any]:
    return {"text": text, "level": level, "feedback": f"Because {text}.", "next": next_key}


def _old_decision(key: str, proportionate: str, levels: list[str], next_key: str) -> dict:
    return {
        "key": key,
        "kind": "decision",
        "title": f"Decision {key}",
        "body": "What do you do?",
        "indicators": [],
        "proportionate": proportionate,
        "explanation": "Because.",
        "choices": [_old_choice(f"{key} {level}", level, next_key) for level in levels],
    }


def small_module_v1(**changes: Any) -> dict[str, Any]:
    """A `threshold-module/1` file on the old single scale, four decisions on every path."""
    data = {
        **{name: copy.deepcopy(value) for name, value in SMALL_MODULE.items()},
        "format": "threshold-module/1",
        "key": "old-module",
        "scenarios": [
            {
                "key": "old-part",
                "title": "Old part",
                "steps": [
                    _old_decision("o1", "early_help", ["monitor_and_record", "early_help"], "o2"),
                    _old_decision(
                        "o2", "prevent_referral", ["universal_support", "prevent_referral"], "o3"
                    ),
                    _old_decision(
                        "o3",
                        "statutory_social_care",
                        ["early_help", "statutory_social_care"],
                        "o4",
                    ),
                    _old_decision(
                        "o4",
                        "police_emergency",
                        ["prevent_referral", "police_emergency"],
                        "o-end",
                    ),
                    {"key": "o-end", "kind": "end", "title": "The end", "body": "Done."},
                ],
            }
        ],
    }
    del data["min_decisions"]
    data.update(changes)
    return data


def safety_critical_module(**changes: Any) -> dict[str, Any]:
    """Twenty decisions (so a miss on the last alone still scores 95 %), the last safety-critical:
    there, calling for advice instead of 999 under-reacts with a practice error."""
    steps: list[dict[str, Any]] = []
    for number in range(1, 20):
        steps.append(
            {
                "key": f"s{number}",
                "kind": "decision",
                "title": f"Worry {number}",
                "body": "What do you do?",
                "indicators": [],
                "bands": _bands("universal", "advice"),
                "explanation": "The DSL and the Prevent lead.",
                "choices": [
                    _choice("DSL and Prevent lead", "universal", "advice", f"s{number + 1}"),
                    _choice("DSL only", "universal", "none", f"s{number + 1}"),
                ],
            }
        )
    steps.append(
        {
            "key": "s20",
            "kind": "decision",
            "title": "A dated threat",
            "body": "He names a date and a weapon. What do you do?",
            "indicators": ["justifying-violence"],
            "bands": _bands("emergency_protection", "emergency"),
            "safety_critical": True,
            "explanation": "A dated threat with a weapon is a 999 call.",
            "choices": [
                _choice(
                    "Call 999",
                    "emergency_protection",
                    "emergency",
                    "end",
                    actions=["share_information", "safety_plan"],
                ),
                _choice(
                    "Phone the Prevent lead for advice",
                    "universal",
                    "advice",
                    "end",
                    actions=["consult_dsl"],
                    error="wrong_channel",
                ),
            ],
        }
    )
    steps.append({"key": "end", "kind": "end", "title": "The end", "body": "Done."})
    data = {
        **{name: copy.deepcopy(value) for name, value in SMALL_MODULE.items()},
        "key": "threat-module",
        "title": "A dated threat",
        "pass_mark": 80,
        "min_decisions": 4,
        "scenarios": [{"key": "threat", "title": "The threat", "steps": steps}],
    }
    data.update(changes)
    return data


def small_module(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(SMALL_MODULE)
    data.update(changes)
    return data
