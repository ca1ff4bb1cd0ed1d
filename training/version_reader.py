"""One typed reader for a published version's JSON (and the studio's draft snapshot).

A module version stores its content as the JSON of training/library/FORMAT.md. The player,
the studio preview and the reports read it through `version_read`, which turns the document
into frozen dataclasses once, so a page says `step.choices[0].level`, not
`step["choices"][0]["level"]` with its own guess at which keys may be missing. Pure: no
Django, like the engine (graph validation and scoring stay there, on the raw mapping).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from training import engine

PROTECTIVE = "protective"


@dataclass(frozen=True)
class Choice:
    text: str
    level: str
    feedback: str
    next: str


@dataclass(frozen=True)
class Step:
    """A narrative, decision or end step; `proportionate`, `explanation` and `choices` are a
    decision's, and empty on the others."""

    key: str
    kind: str
    title: str
    body: str
    indicators: tuple[str, ...] = ()
    next: str = ""
    proportionate: str = ""
    explanation: str = ""
    choices: tuple[Choice, ...] = ()

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
        return engine.Decision(
            step_key=step_key,
            chosen_level=step.choices[choice_index].level,
            proportionate_level=step.proportionate,
            indicators=step.indicators,
        )


def _choice(data: Mapping[str, Any]) -> Choice:
    return Choice(
        text=data.get("text") or "",
        level=data.get("level") or "",
        feedback=data.get("feedback") or "",
        next=data.get("next") or "",
    )


def _step(data: Mapping[str, Any]) -> Step:
    return Step(
        key=data.get("key") or "",
        kind=data.get("kind") or "",
        title=data.get("title") or "",
        body=data.get("body") or "",
        indicators=tuple(data.get("indicators") or ()),
        next=data.get("next") or "",
        proportionate=data.get("proportionate") or "",
        explanation=data.get("explanation") or "",
        choices=tuple(_choice(choice) for choice in data.get("choices") or ()),
    )


def version_read(document: Mapping[str, Any]) -> VersionDocument:
    """The typed form of a version's JSON. Missing optional text reads as ""."""
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
        raw=document,
    )
