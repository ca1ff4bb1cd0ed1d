"""Validation rules about the module as a whole: its review date and its shortest path. Pure."""

from __future__ import annotations

from datetime import date

from training.engine.graph import (
    DEFAULT_MIN_DECISIONS,
    Module,
    is_whole_number,
    shortest_path_decisions,
)
from training.engine.problems import Problem


def reviewed_on_problems(module: Module, *, required: bool) -> list[Problem]:
    """A module teaches guidance as it stood when someone last checked it: say when."""
    value = module.get("reviewed_on")
    if not value:
        if not required:
            return []
        return [
            Problem(
                "The module does not say when its content was last reviewed against the "
                "guidance (reviewed_on).",
                "give the date the content was last reviewed against the guidance",
                field="reviewed_on",
            )
        ]
    try:
        date.fromisoformat(value if isinstance(value, str) and len(value) == 10 else "")
    except ValueError:
        return [
            Problem(
                "The review date must be a date written YYYY-MM-DD.",
                "must be a date written YYYY-MM-DD",
                field="reviewed_on",
            )
        ]
    return []


def min_decisions_problems(module: Module) -> list[Problem]:
    """A path that answers too few decisions lets a learner pass on one lucky answer."""
    value = module.get("min_decisions", DEFAULT_MIN_DECISIONS)
    if not is_whole_number(value) or value < 1:
        return [
            Problem(
                "The minimum number of decisions must be a whole number of at least 1.",
                "must be a whole number of at least 1",
                field="min_decisions",
            )
        ]
    path = shortest_path_decisions(module)
    if path is None or len(path) >= value:
        return []
    count = len(path)
    answered = f"{count} decision{'' if count == 1 else 's'}"
    keys = f" ({', '.join(path)})" if path else ""
    return [
        Problem(
            f"The shortest path through the module answers only {answered}{keys}; every path "
            f"must answer at least {value}, or a short branch can pass.",
            f"the shortest path answers {answered}{keys}; every path must answer at least {value}",
            field="min_decisions",
        )
    ]
