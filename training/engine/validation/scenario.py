"""A scenario's rules: step keys and kinds, where steps lead, and paths that never end."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from training.engine.graph import DECISION, END, NARRATIVE, STEP_KINDS, Step, reach, successors
from training.engine.problems import Problem
from training.engine.validation.decision import DecisionRules, Known


def step_label(step: Step) -> str:
    title = step.get("title") or ""
    return f'step "{step.get("key")}"' + (f" ({title})" if title else "")


class ScenarioCheck(DecisionRules):
    """The rules for one scenario; collects problems with their locations."""

    def __init__(
        self, index: int, scenario: Mapping[str, Any], seen_keys: set[str], known: Known
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
            label = f"{self.name}: {step_label(step)}"
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
        label = f"{self.name}: {step_label(step)}"
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

    def _check_paths(self, start: str | None, by_key: Mapping[str, Step]) -> None:
        """Unreachable steps, and loops from which no end step can be reached."""
        reachable = reach(start, by_key)
        for key, step in by_key.items():
            if key not in reachable:
                self.add(
                    f"{self.name}: no path reaches {step_label(step)}.",
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
                    f"{self.name}: {step_label(step)} is in a loop with no way out to an end.",
                    "this step is in a loop with no way out to an end",
                    self.position[key],
                )
