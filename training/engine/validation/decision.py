"""A decision's rules: its choices, its band on each route, the guidance it cites, the
placeholders its text may use, and a safe answer where it is safety-critical."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from training import pathway_words
from training.engine.bands import band_of, inside_band
from training.engine.graph import MAX_CHOICES, MIN_CHOICES, Step
from training.engine.scoring import Band
from training.responses import (
    ACTION_KEYS,
    ERROR_KEYS,
    LEVEL_KEYS,
    PREVENT,
    ROUTES,
    SAFEGUARDING,
    level_label,
)

# How a route reads inside a sentence ("has no safeguarding route", "its Prevent band").
ROUTE_WORDS = {SAFEGUARDING: "safeguarding", PREVENT: "Prevent"}


@dataclass(frozen=True)
class Known:
    """What the caller knows: indicator and source keys (None: not checked), and whether
    the module must cite (the national library's rule: a source on every decision and a
    review date)."""

    indicators: set[str] | None
    sources: set[str] | None
    require_citations: bool


class DecisionRules:
    """The decision checks of a scenario's check (scenario.ScenarioCheck), which provides
    `known` and `add`."""

    known: Known

    def add(
        self,
        message: str,
        detail: str,
        step_index: int | None = None,
        choice_index: int | None = None,
        field: str = "",
    ) -> None:
        raise NotImplementedError

    def _check_decision(self, label: str, step_index: int, step: Step) -> None:
        choices = step.get("choices") or []
        if len(choices) < MIN_CHOICES:
            self.add(
                f"{label} is a decision with fewer than {MIN_CHOICES} choices.",
                f"a decision needs at least {MIN_CHOICES} choices",
                step_index,
                field="choices",
            )
        if len(choices) > MAX_CHOICES:
            self.add(
                f"{label} offers more than {MAX_CHOICES} choices.",
                f"a decision offers at most {MAX_CHOICES} choices",
                step_index,
                field="choices",
            )
        bands = self._check_bands(label, step_index, step)
        safety_critical = step.get("safety_critical", False)
        if not isinstance(safety_critical, bool):
            self.add(
                f"{label}: safety_critical must be true or false.",
                "must be true or false",
                step_index,
                field="safety_critical",
            )
        if not (step.get("explanation") or "").strip():
            self.add(
                f"{label} does not explain why its bands are right.",
                "explain why the bands are right",
                step_index,
                field="explanation",
            )
        self._check_sources(label, step_index, step)
        for choice_index, choice in enumerate(choices):
            self._check_choice(label, step_index, choice_index, choice)
        self._check_reach(label, step_index, choices, bands, safety_critical is True)

    def _check_placeholders(self, label: str, step_index: int, step: Step) -> None:
        """Text the player fills from the learner's authority may name only the pathway's
        fields; anything else would reach the learner as "{pathway.…}"."""
        places: list[tuple[str, int | None, Any]] = [
            (name, None, step.get(name)) for name in ("body", "explanation")
        ]
        for choice_index, choice in enumerate(step.get("choices") or []):
            if isinstance(choice, Mapping):
                places += [(name, choice_index, choice.get(name)) for name in ("text", "feedback")]
        for field_name, choice_index, text in places:
            if not isinstance(text, str):
                continue
            for name in pathway_words.unknown_placeholders(text):
                where = f", choice {choice_index + 1}," if choice_index is not None else ""
                self.add(
                    f'{label}{where} uses the placeholder "{{pathway.{name}}}", which is not '
                    f"one of the pathway's: {', '.join(pathway_words.KEYS)}.",
                    f'unknown placeholder "{{pathway.{name}}}"',
                    step_index,
                    choice_index,
                    field=field_name,
                )

    def _check_sources(self, label: str, step_index: int, step: Step) -> None:
        """A decision cites the guidance its bands rest on, so a reader can check them."""
        value = step.get("sources")
        if value in (None, []):
            if self.known.require_citations:
                self.add(
                    f"{label} cites no source for its bands.",
                    "cite at least one source (sources.json) for the bands",
                    step_index,
                    field="sources",
                )
            return
        if not isinstance(value, list | tuple):
            self.add(
                f"{label} lists its sources wrongly.",
                'sources are a list of {"key": …, "section": …}',
                step_index,
                field="sources",
            )
            return
        for item in value:
            key = item.get("key") if isinstance(item, Mapping) else None
            section = item.get("section", "") if isinstance(item, Mapping) else ""
            if not isinstance(key, str) or not key or not isinstance(section, str):
                self.add(
                    f"{label} lists a source wrongly.",
                    'each source is {"key": …} with an optional "section" of text',
                    step_index,
                    field="sources",
                )
            elif self.known.sources is not None and key not in self.known.sources:
                self.add(
                    f'{label} cites an unknown source "{key}".',
                    f'unknown source "{key}"',
                    step_index,
                    field="sources",
                )

    def _check_bands(self, label: str, step_index: int, step: Step) -> dict[str, Band]:
        """The well-formed bands by route, after reporting every malformed or missing one."""
        raw = step.get("bands")
        raw = raw if isinstance(raw, Mapping) else {}
        bands: dict[str, Band] = {}
        for route in ROUTES:
            word, value, where = ROUTE_WORDS[route], raw.get(route), f"bands.{route}"
            band = band_of(value, route)
            if band is not None:
                bands[route] = band
            elif not value:
                self.add(
                    f"{label} has no accepted band on the {word} route.",
                    f"give the accepted band on the {word} route",
                    step_index,
                    field=where,
                )
            elif not isinstance(value, list | tuple) or len(value) != 2:
                self.add(
                    f"{label}: its {word} band must be two levels, [lowest, highest].",
                    "a band is two levels, [lowest, highest]",
                    step_index,
                    field=where,
                )
            elif unknown := [end for end in value if end not in LEVEL_KEYS[route]]:
                self.add(
                    f'{label}: its {word} band names "{unknown[0]}", which is not a {word} level.',
                    f'"{unknown[0]}" is not a {word} level',
                    step_index,
                    field=where,
                )
            else:
                self.add(
                    f"{label}: its {word} band runs from high to low; give the lowest first.",
                    "the band runs from high to low; give the lowest first",
                    step_index,
                    field=where,
                )
        for route in raw:
            if route not in ROUTES:
                self.add(
                    f'{label} gives a band on "{route}", which is not a route.',
                    f'"{route}" is not a route',
                    step_index,
                    field=f"bands.{route}",
                )
        return bands

    def _check_choice(
        self, label: str, step_index: int, choice_index: int, choice: Mapping[str, Any]
    ) -> None:
        what = f'{label}, choice {choice_index + 1} ("{(choice.get("text") or "")[:40]}")'

        def add(message: str, detail: str, field: str) -> None:
            self.add(f"{what} {message}", detail, step_index, choice_index, field)

        if not (choice.get("text") or "").strip():
            add("has no text.", "the choice has no text", "text")
        if not (choice.get("feedback") or "").strip():
            add("has no feedback.", "the choice has no feedback", "feedback")
        for route in ROUTES:
            word, value = ROUTE_WORDS[route], choice.get(route)
            if not value:
                add(f"has no {word} route.", f"the choice has no {word} route", route)
            elif value not in LEVEL_KEYS[route]:
                add(
                    f'has an unknown {word} route "{value}".',
                    f'unknown {word} route "{value}"',
                    route,
                )
        actions = choice.get("actions")
        if actions is None:
            actions = []
        if not isinstance(actions, list | tuple):
            add("lists its actions wrongly.", "actions are a list of action keys", "actions")
        else:
            for action in actions:
                if action not in ACTION_KEYS:
                    add(
                        f'names an unknown action "{action}".',
                        f'unknown action "{action}"',
                        "actions",
                    )
        error = choice.get("error") or ""
        if error not in ERROR_KEYS and error != "":
            add(
                f'names an unknown practice error "{error}".',
                f'unknown practice error "{error}"',
                "error",
            )
        if not choice.get("next"):
            add(
                "leads nowhere, so its path never ends.",
                "the choice leads nowhere, so its path never ends",
                "next",
            )

    def _check_reach(
        self,
        label: str,
        step_index: int,
        choices: list[Mapping[str, Any]],
        bands: Mapping[str, Band],
        safety_critical: bool,
    ) -> None:
        """A band no choice reaches cannot be earned; a safety-critical decision must offer a
        safe answer."""
        for route, band in bands.items():
            word = ROUTE_WORDS[route]
            if not any(inside_band(choice.get(route), route, band) for choice in choices):
                lowest, highest = (level_label(route, end) for end in band)
                within = lowest if band[0] == band[1] else f"{lowest} to {highest}"
                self.add(
                    f"{label}: no choice is inside its {word} band ({within}).",
                    f"no choice is inside the {word} band",
                    step_index,
                    field=f"bands.{route}",
                )
        if not safety_critical or len(bands) != len(ROUTES):
            return
        if not any(
            all(inside_band(choice.get(route), route, band) for route, band in bands.items())
            and not choice.get("error")
            for choice in choices
        ):
            self.add(
                f"{label} is safety-critical, but no choice is inside both its bands without a "
                "practice error.",
                "a safety-critical decision needs a choice inside both bands with no practice "
                "error",
                step_index,
                field="safety_critical",
            )
