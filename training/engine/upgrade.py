"""Reading old formats: `threshold-module/1` and `/2` as `/3` through the documented mapping
from the single old scale to the two routes (training.responses.FROM_OLD_LEVEL). Pure."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from training.engine.graph import DECISION
from training.responses import FROM_OLD_LEVEL, ROUTES

FORMAT = "threshold-module/3"
OLD_FORMATS = ("threshold-module/1", "threshold-module/2")


def upgrade_document(document: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A `threshold-module/1` or `/2` document as `/3`, and the decision keys an author must
    review, through `training.responses.FROM_OLD_LEVEL`.

    Each choice's `level` becomes its two routes; each decision's `proportionate` becomes a
    single-level band on both routes; nothing is safety-critical (only an author can say so).
    A level the mapping does not know is dropped, so validation names the gap. A `/3` document
    comes back as it is, with nothing to review. ValueError for any other `format`.
    """
    if not _is_old(document):
        return (document if isinstance(document, dict) else dict(document)), []
    upgraded = copy.deepcopy(dict(document))
    upgraded["format"] = FORMAT
    review: list[str] = []
    for scenario in upgraded.get("scenarios") or []:
        for step in scenario.get("steps") or []:
            if step.get("kind") != DECISION:
                continue
            review.append(step.get("key") or "")
            _upgrade_decision(step)
    return upgraded, review


def _is_old(document: Mapping[str, Any]) -> bool:
    found = document.get("format")
    if found in OLD_FORMATS:
        return True
    if found == FORMAT:
        return False
    if found:
        raise ValueError(f"{found!r} is not a threshold-module format this site reads.")
    # No format at all: judge by the shape (a single-scale level anywhere is the old one).
    return any(
        "proportionate" in step or any("level" in choice for choice in step.get("choices") or [])
        for scenario in document.get("scenarios") or []
        for step in scenario.get("steps") or []
    )


def _upgrade_decision(step: dict[str, Any]) -> None:
    """In place, keeping the keys where they were: `bands` and `safety_critical` take
    `proportionate`'s place, the two routes and `actions` take `level`'s."""
    new_fields: dict[str, Any] = {}
    bands = FROM_OLD_LEVEL.get(step.get("proportionate") or "")
    if bands is not None:
        new_fields["bands"] = {
            route: [level, level] for route, level in zip(ROUTES, bands, strict=True)
        }
    new_fields["safety_critical"] = False
    _replace_key(step, "proportionate", new_fields)
    for choice in step.get("choices") or []:
        routes = FROM_OLD_LEVEL.get(choice.get("level") or "")
        routes_fields = dict(zip(ROUTES, routes, strict=True)) if routes is not None else {}
        _replace_key(choice, "level", routes_fields | {"actions": choice.get("actions", [])})


def _replace_key(item: dict[str, Any], old: str, new_fields: Mapping[str, Any]) -> None:
    """Put `new_fields` where `old` was (at the end if it was absent) and drop `old`."""
    rebuilt: dict[str, Any] = {}
    for key, value in item.items():
        if key == old:
            rebuilt.update(new_fields)
        elif key not in new_fields:
            rebuilt[key] = value
    if old not in item:
        rebuilt.update(new_fields)
    item.clear()
    item.update(rebuilt)
