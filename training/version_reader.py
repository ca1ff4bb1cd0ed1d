"""One typed reader for a published version's JSON (and the studio's draft snapshot).

A module version stores its content as the JSON of training/library/FORMAT.md. The player,
the studio preview and the reports read it through `version_read`, which turns the document
into frozen dataclasses once, so a page says `step.choices[0].prevent`, not
`step["choices"][0]["prevent"]` with its own guess at which keys may be missing. Pure: no
Django, like the engine (graph validation and scoring stay there, on the raw mapping).

Versions published before `threshold-module/3` keep their JSON as it was; they are read
through `engine.upgrade_document` in memory, so the player and reports see one shape
(`upgraded_from` says which old format it was).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from training import engine
from training.sources import Citation, citations_of

PROTECTIVE = "protective"


@dataclass(frozen=True)
class Choice:
    """A choice's level on both routes, its actions and any practice error ("" for none)."""

    text: str
    safeguarding: str = ""
    prevent: str = ""
    actions: tuple[str, ...] = ()
    error: str = ""
    feedback: str = ""
    next: str = ""


@dataclass(frozen=True)
class Step:
    """A narrative, decision or end step; `bands` (route -> (lowest, highest)),
    `safety_critical`, `explanation`, `choices` and `sources` (the guidance its bands rest
    on) are a decision's, and empty on the others."""

    key: str
    kind: str
    title: str
    body: str
    indicators: tuple[str, ...] = ()
    next: str = ""
    bands: Mapping[str, engine.Band] = field(default_factory=dict)
    safety_critical: bool = False
    explanation: str = ""
    choices: tuple[Choice, ...] = ()
    sources: tuple[Citation, ...] = ()

    @property
    def is_decision(self) -> bool:
        return self.kind == engine.DECISION


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Indicator:
    """An entry of the version's indicator catalogue: what the author meant by a key."""

    key: str
    name: str
    category: str


@dataclass(frozen=True)
class VersionDocument:
    key: str
    title: str
    summary: str
    audience: str
    minutes: int
    pass_mark: int
    refresher_months: int
    confidence_topic: str
    learning_outcomes: tuple[str, ...]
    scenarios: tuple[Scenario, ...]
    indicator_catalogue: Mapping[str, Indicator] = field(default_factory=dict)
    min_decisions: int = engine.DEFAULT_MIN_DECISIONS
    reviewed_on: str = ""  # "YYYY-MM-DD": when the content was last checked against guidance
    upgraded_from: str = ""  # the old format read through the mapping; "" for /3
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def steps(self) -> dict[str, Step]:
        """Every step by key, across scenarios, in reading order."""
        return {step.key: step for scenario in self.scenarios for step in scenario.steps}

    def step(self, key: str) -> Step | None:
        return self.steps.get(key)

    def decision(self, key: str) -> Step | None:
        step = self.steps.get(key)
        return step if step is not None and step.is_decision else None

    @property
    def first_step_key(self) -> str:
        return self.scenarios[0].steps[0].key

    def step_after(self, step_key: str, choice_index: int | None = None) -> str:
        """The step that follows (the engine's rule); "" once the last scenario has ended."""
        return engine.step_after(self.raw, step_key, choice_index)

    def indicator_names(self, keys: tuple[str, ...] | list[str]) -> list[str]:
        """The names of the keys the catalogue knows, in the order given."""
        return [
            self.indicator_catalogue[key].name for key in keys if key in self.indicator_catalogue
        ]

    @property
    def protective_indicators(self) -> list[str]:
        return [
            key for key, item in self.indicator_catalogue.items() if item.category == PROTECTIVE
        ]

    def decision_for(self, step_key: str, choice_index: int) -> engine.Decision:
        """The engine's record of choosing `choice_index` at a decision (KeyError/IndexError
        when the version has no such step or choice)."""
        step = self.decision(step_key)
        if step is None:
            raise KeyError(step_key)
        choice = step.choices[choice_index]
        return engine.Decision(
            step_key=step_key,
            safeguarding=choice.safeguarding,
            prevent=choice.prevent,
            bands=step.bands,
            safety_critical=step.safety_critical,
            error=choice.error,
            actions=choice.actions,
            indicators=step.indicators,
        )


def _choice(data: Mapping[str, Any]) -> Choice:
    return Choice(
        text=data.get("text") or "",
        safeguarding=data.get("safeguarding") or "",
        prevent=data.get("prevent") or "",
        actions=tuple(data.get("actions") or ()),
        error=data.get("error") or "",
        feedback=data.get("feedback") or "",
        next=data.get("next") or "",
    )


def _bands(value: Any) -> dict[str, engine.Band]:
    """The two-level bands as tuples; a malformed one (only in a draft) is left out."""
    if not isinstance(value, Mapping):
        return {}
    return {
        route: (band[0], band[1])
        for route, band in value.items()
        if isinstance(band, list | tuple) and len(band) == 2
    }


def _step(data: Mapping[str, Any]) -> Step:
    return Step(
        key=data.get("key") or "",
        kind=data.get("kind") or "",
        title=data.get("title") or "",
        body=data.get("body") or "",
        indicators=tuple(data.get("indicators") or ()),
        next=data.get("next") or "",
        bands=_bands(data.get("bands")),
        safety_critical=data.get("safety_critical") is True,
        explanation=data.get("explanation") or "",
        choices=tuple(_choice(choice) for choice in data.get("choices") or ()),
        sources=citations_of(data.get("sources")),
    )


def version_read(document: Mapping[str, Any]) -> VersionDocument:
    """The typed form of a version's JSON (/1 and /2 read as /3, in memory). Missing optional
    text reads as ""."""
    original_format = document.get("format")
    document, _ = engine.upgrade_document(document)
    upgraded_from = ""
    if document.get("format") != original_format:  # a file with no format is the first one
        upgraded_from = original_format or engine.OLD_FORMATS[0]
    catalogue = document.get("indicator_catalogue") or {}
    return VersionDocument(
        key=document.get("key") or "",
        title=document.get("title") or "",
        summary=document.get("summary") or "",
        audience=document.get("audience") or "",
        minutes=document.get("minutes") or 0,
        pass_mark=document.get("pass_mark") or 0,
        refresher_months=document.get("refresher_months") or 0,
        confidence_topic=document.get("confidence_topic") or "",
        learning_outcomes=tuple(document.get("learning_outcomes") or ()),
        scenarios=tuple(
            Scenario(
                key=scenario.get("key") or "",
                title=scenario.get("title") or "",
                steps=tuple(_step(step) for step in scenario.get("steps") or ()),
            )
            for scenario in document.get("scenarios") or ()
        ),
        indicator_catalogue={
            key: Indicator(
                key=key, name=item.get("name") or key, category=item.get("category") or ""
            )
            for key, item in catalogue.items()
        },
        min_decisions=engine.min_decisions(document),
        reviewed_on=document.get("reviewed_on") or "",
        upgraded_from=upgraded_from,
        raw=document,
    )
