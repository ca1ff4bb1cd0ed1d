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


def _choice(text: str, level: str, next_key: str) -> dict[str, Any]:
    return {"text": text, "level": level, "feedback": f"Because {text}.", "next": next_key}


SMALL_MODULE: dict[str, Any] = {
    "format": "threshold-module/1",
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
                    "proportionate": "universal_support",
                    "explanation": "A conversation with the DSL is enough.",
                    "choices": [
                        _choice("Nothing", "no_further_action", "d2"),
                        _choice("Talk to the DSL", "universal_support", "d2"),
                        _choice("Refer to Prevent", "prevent_referral", "d2"),
                    ],
                },
                {
                    "key": "d2",
                    "kind": "decision",
                    "title": "Second worry",
                    "body": "Jo praises an attacker. What now?",
                    "indicators": ["justifying-violence", "protective-factors"],
                    "proportionate": "prevent_referral",
                    "explanation": "Praise for an attacker with other signs needs a referral.",
                    "choices": [
                        _choice("Monitor", "monitor_and_record", "end-a"),
                        _choice("Early help", "early_help", "end-a"),
                        _choice("Refer to Prevent", "prevent_referral", "end-b"),
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
                    "proportionate": "no_further_action",
                    "explanation": "Provocative ideas in an essay are not a safeguarding concern.",
                    "choices": [
                        _choice("Leave it", "no_further_action", "p2-end"),
                        _choice("Record it", "monitor_and_record", "p2-end"),
                        _choice("Refer again", "prevent_referral", "p2-end"),
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
