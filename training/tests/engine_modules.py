"""The pure engine's and reader's own module: /3, with a safety-critical decision (d2, where
"Monitor" or "Early help" is a critical miss), actions, and a practice error (p2-d1's "Refer
again" is `bias`). Kept apart from factories.small_module, which the Django tests play."""

from __future__ import annotations

import copy
from typing import Any

from training.tests.factories import INDICATORS

__all__ = ["INDICATORS", "small_module"]


def _choice(
    text: str, safeguarding: str, prevent: str, next_key: str, **extra: Any
) -> dict[str, Any]:
    return {
        "text": text,
        "safeguarding": safeguarding,
        "prevent": prevent,
        "actions": extra.pop("actions", []),
        **extra,
        "feedback": f"Because {text}.",
        "next": next_key,
    }


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
                    "bands": {
                        "safeguarding": ["universal", "universal"],
                        "prevent": ["none", "advice"],
                    },
                    "explanation": "A conversation with the DSL is enough.",
                    "choices": [
                        _choice("Nothing", "none", "none", "d2"),
                        _choice(
                            "Talk to the DSL", "universal", "none", "d2", actions=["consult_dsl"]
                        ),
                        _choice("Refer to Prevent", "universal", "referral", "d2"),
                    ],
                },
                {
                    "key": "d2",
                    "kind": "decision",
                    "title": "Second worry",
                    "body": "Jo praises an attacker. What now?",
                    "indicators": ["justifying-violence", "protective-factors"],
                    "bands": {
                        "safeguarding": ["universal", "family_help"],
                        "prevent": ["referral", "referral"],
                    },
                    "safety_critical": True,
                    "explanation": "Praise for an attacker with other signs needs a referral.",
                    "choices": [
                        _choice("Monitor", "record", "none", "end-a"),
                        _choice("Early help", "family_help", "none", "end-a"),
                        _choice(
                            "Refer to Prevent",
                            "universal",
                            "referral",
                            "end-b",
                            actions=["consult_dsl", "share_information"],
                        ),
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
                    "bands": {"safeguarding": ["none", "record"], "prevent": ["none", "none"]},
                    "explanation": "Provocative ideas in an essay are not a safeguarding concern.",
                    "choices": [
                        _choice("Leave it", "none", "none", "p2-end"),
                        _choice(
                            "Record it", "record", "none", "p2-end", actions=["record_decision"]
                        ),
                        _choice("Refer again", "universal", "referral", "p2-end", error="bias"),
                    ],
                },
                {"key": "p2-end", "kind": "end", "title": "The end", "body": "Jo is fine."},
            ],
        },
    ],
}


def small_module(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(SMALL_MODULE)
    data.update(changes)
    return data
