"""The national library's content rules, for the whole library at once. Pure: no Django.

Each module file must pass the engine's rules with the library's citation rule on (a source
from sources.json on every decision, a review date, placeholders from the pathway vocabulary);
across all files, more than half of the decisions must be proportionately answered without a
Prevent referral (their Prevent band starts at `none` or `advice`), so the library teaches
that most concerns are met without one. The content test and `load_library` rely on it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from training import engine, responses
from training.sources import library_sources

LIBRARY = Path(__file__).resolve().parent / "library"
MODULES = LIBRARY / "modules"
WITHOUT_REFERRAL = ("none", "advice")  # the Prevent band's lowest level, for the balance rule
CHOICE_TEXT_MAX_LENGTH = 300  # Choice.text


@dataclass(frozen=True)
class Balance:
    decisions: int
    without_referral: int

    @property
    def holds(self) -> bool:
        return self.without_referral * 2 > self.decisions


def library_documents() -> dict[str, dict[str, Any]]:
    """Every module file by file name, in name order."""
    return {
        path.name: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(MODULES.glob("*.json"))
    }


def known_indicators() -> list[str]:
    data = json.loads((LIBRARY / "indicators.json").read_text(encoding="utf-8"))
    return [item["key"] for item in data["indicators"]]


def decisions_of(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [
        step
        for scenario in document.get("scenarios") or []
        for step in scenario.get("steps") or []
        if step.get("kind") == engine.DECISION
    ]


def library_balance(documents: Iterable[Mapping[str, Any]]) -> Balance:
    decisions = [step for document in documents for step in decisions_of(document)]
    without = [
        step
        for step in decisions
        if ((step.get("bands") or {}).get(responses.PREVENT) or [""])[0] in WITHOUT_REFERRAL
    ]
    return Balance(decisions=len(decisions), without_referral=len(without))


def module_problems(
    document: Mapping[str, Any],
    indicators: Iterable[str],
    sources: Iterable[str],
) -> list[str]:
    """Everything wrong with one library file, as readable lines."""
    problems = engine.validate(document, indicators, sources, require_citations=True)
    for step in decisions_of(document):
        for index, choice in enumerate(step.get("choices") or []):
            if len(choice.get("text") or "") > CHOICE_TEXT_MAX_LENGTH:
                problems.append(
                    f'Step "{step.get("key")}", choice {index + 1}: the text is longer than '
                    f"{CHOICE_TEXT_MAX_LENGTH} characters."
                )
    return problems


def library_problems(
    documents: Mapping[str, Mapping[str, Any]],
    indicators: Iterable[str] | None = None,
    sources: Iterable[str] | None = None,
) -> list[str]:
    """Every problem in the library, each prefixed with its file, then the balance rule."""
    indicators = list(known_indicators() if indicators is None else indicators)
    sources = list(library_sources() if sources is None else sources)
    problems = [
        f"{name}: {problem}"
        for name, document in documents.items()
        for problem in module_problems(document, indicators, sources)
    ]
    balance = library_balance(documents.values())
    if not balance.holds:
        problems.append(
            f"library: only {balance.without_referral} of {balance.decisions} decisions are "
            "answered without a Prevent referral; more than half must be."
        )
    return problems
