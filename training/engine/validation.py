"""Validation: every reason a module cannot be published, with where it is. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from training import pathway_words
from training.engine.bands import band_of, inside_band
from training.engine.graph import (
    DECISION,
    END,
    MAX_CHOICES,
    MIN_CHOICES,
    NARRATIVE,
    STEP_KINDS,
    Module,
    Step,
    is_whole_number,
    reach,
    successors,
)
from training.engine.module_checks import min_decisions_problems, reviewed_on_problems
from training.engine.problems import Problem
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


def _step_label(step: Step) -> str:
    title = step.get("title") or ""
    return f'step "{step.get("key")}"' + (f" ({title})" if title else "")


def validate(
    module: Module,
    known_indicators: Iterable[str] | None = None,
    known_sources: Iterable[str] | None = None,
    *,
    require_citations: bool = False,
) -> list[str]:
    """Every problem that stops a module being published, in reading order, all at once."""
    return [
        problem.message
        for problem in find_problems(
            module, known_indicators, known_sources, require_citations=require_citations
        )
    ]


@dataclass(frozen=True)
class _Known:
    """What the caller knows: indicator and source keys (None: not checked), and whether
    the module must cite (the national library's rule: a source on every decision and a
    review date)."""

    indicators: set[str] | None
    sources: set[str] | None
    require_citations: bool


def find_problems(
    module: Module,
    known_indicators: Iterable[str] | None = None,
    known_sources: Iterable[str] | None = None,
    *,
    require_citations: bool = False,
) -> list[Problem]:
    """As validate(), with each problem's place in the module (for inline and path display).

    `known_sources` (the keys of training/library/sources.json): a cited key outside it is a
    problem. `require_citations`: every decision must cite at least one source and the module
    must say when it was last reviewed (`reviewed_on`). Placeholders outside the pathway
    vocabulary (training.pathway_words) are always a problem.
    """
    problems: list[Problem] = []
    known = _Known(
        indicators=set(known_indicators) if known_indicators is not None else None,
        sources=set(known_sources) if known_sources is not None else None,
        require_citations=require_citations,
    )
    if not module.get("title"):
        problems.append(
            Problem("The module has no title.", "the module has no title", field="title")
        )
    scenarios = module.get("scenarios") or []
    if not scenarios:
        problems.append(
            Problem(
                "The module has no scenarios.", "the module has no scenarios", field="scenarios"
            )
        )
    seen_keys: set[str] = set()
    for index, scenario in enumerate(scenarios):
        problems += _ScenarioCheck(index, scenario, seen_keys, known).run()
    pass_mark = module.get("pass_mark")
    if not is_whole_number(pass_mark) or not 0 < pass_mark <= 100:
        problems.append(
            Problem(
                "The pass mark must be a whole percentage between 1 and 100.",
                "must be a whole percentage between 1 and 100",
                field="pass_mark",
            )
        )
    problems += min_decisions_problems(module)
    problems += reviewed_on_problems(module, required=require_citations)
    return problems


class _ScenarioCheck:
    """The rules for one scenario; collects problems with their locations."""

    def __init__(
        self, index: int, scenario: Mapping[str, Any], seen_keys: set[str], known: _Known
    ) -> None:
        self.index = index
        self.name = f'Scenario "{scenario.get("title") or scenario.get("key")}"'
        self.steps = scenario.get("steps") or []
        self.seen_keys = seen_keys
        self.known = known
        self.problems: list[Problem] = []
        self.position: dict[str, int] = {}

    def add(
        self,
        message: str,
        detail: str,
        step_index: int | None = None,
        choice_index: int | None = None,
        field: str = "",
    ) -> None:
        step_key = ""
        if step_index is not None:
            step_key = self.steps[step_index].get("key") or ""
        self.problems.append(
            Problem(
                message=message,
                detail=detail,
                scenario_index=self.index,
                step_index=step_index,
                step_key=step_key,
                choice_index=choice_index,
                field=field,
            )
        )

    def run(self) -> list[Problem]:
        if not self.steps:
            self.add(f"{self.name} has no steps.", "the scenario has no steps", field="steps")
            return self.problems
        by_key: dict[str, Step] = {}
        for step_index, step in enumerate(self.steps):
            key = step.get("key")
            if not key:
                self.add(
                    f"{self.name}: a step has no key.",
                    "the step has no key",
                    step_index,
                    field="key",
                )
                continue
            if key in self.seen_keys:
                self.add(
                    f'{self.name}: the key "{key}" is used by more than one step.',
                    f'the key "{key}" is used by more than one step',
                    step_index,
                    field="key",
                )
            self.seen_keys.add(key)
            by_key[key] = step
            self.position.setdefault(key, step_index)
            self._check_step(step_index, step)
        self._check_targets(by_key)
        self._check_paths(self.steps[0].get("key"), by_key)
        return self.problems

    def _check_targets(self, by_key: Mapping[str, Step]) -> None:
        for key, step in by_key.items():
            label = f"{self.name}: {_step_label(step)}"
            step_index = self.position[key]
            if step.get("kind") == NARRATIVE and step.get("next") and step["next"] not in by_key:
                self.add(
                    f'{label} leads to "{step["next"]}", which is not a step of this scenario.',
                    f'unknown step "{step["next"]}"',
                    step_index,
                    field="next",
                )
            if step.get("kind") != DECISION:
                continue
            for choice_index, choice in enumerate(step.get("choices") or []):
                target = choice.get("next")
                if target and target not in by_key:
                    self.add(
                        f'{label} leads to "{target}", which is not a step of this scenario.',
                        f'unknown step "{target}"',
                        step_index,
                        choice_index,
                        field="next",
                    )

    def _check_step(self, step_index: int, step: Step) -> None:
        label = f"{self.name}: {_step_label(step)}"
        kind = step.get("kind")
        if kind not in STEP_KINDS:
            self.add(
                f"{label} has an unknown kind {kind!r}.",
                f"unknown kind {kind!r}",
                step_index,
                field="kind",
            )
            return
        self._check_placeholders(label, step_index, step)
        if self.known.indicators is not None:
            for indicator in step.get("indicators", []):
                if indicator not in self.known.indicators:
                    self.add(
                        f'{label} is tagged with an unknown indicator "{indicator}".',
                        f'unknown indicator "{indicator}"',
                        step_index,
                        field="indicators",
                    )
        if kind == NARRATIVE and not step.get("next"):
            self.add(
                f"{label} is a narrative step with no next step, so its path never ends.",
                "a narrative step needs a next step, or its path never ends",
                step_index,
                field="next",
            )
        if kind == DECISION:
            self._check_decision(label, step_index, step)

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

    def _check_paths(self, start: str | None, by_key: Mapping[str, Step]) -> None:
        """Unreachable steps, and loops from which no end step can be reached."""
        reachable = reach(start, by_key)
        for key, step in by_key.items():
            if key not in reachable:
                self.add(
                    f"{self.name}: no path reaches {_step_label(step)}.",
                    "no path reaches this step",
                    self.position[key],
                )
        can_finish = {key for key, step in by_key.items() if step.get("kind") == END}
        changed = True
        while changed:  # grow backwards from the end steps until nothing new can finish
            changed = False
            for key, step in by_key.items():
                if key not in can_finish and any(t in can_finish for t in successors(step)):
                    can_finish.add(key)
                    changed = True
        # Only steps on a cycle are "in a loop": a step that merely leads into a dead end, an
        # unknown key or someone else's loop has its problem reported where the path breaks.
        for key, step in by_key.items():
            if key not in reachable or key in can_finish:
                continue
            if any(key in reach(target, by_key) for target in successors(step)):
                self.add(
                    f"{self.name}: {_step_label(step)} is in a loop with no way out to an end.",
                    "this step is in a loop with no way out to an end",
                    self.position[key],
                )
