"""Pure rules of scenario modules: graph validation and scoring. Imports nothing from Django.

A module (the JSON format in training/library/FORMAT.md, which is also the published snapshot)
holds scenarios played in order. Each scenario is a graph of steps starting at its first step:
narrative steps lead to `next`, decision steps lead through each choice's `next`, end steps
finish the scenario (and the next scenario starts).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

NARRATIVE, DECISION, END = "narrative", "decision", "end"
STEP_KINDS = (NARRATIVE, DECISION, END)
MIN_CHOICES, MAX_CHOICES = 2, 6
POINTS_PROPORTIONATE, POINTS_ONE_LEVEL_OFF = 2, 1

# The response scale, least to most intrusive: the values of portal.response_levels.ResponseLevel
# in its order (a test holds the two equal). Spelt out here because importing anything under
# portal/ loads Django, and these rules must run without it.
LEVEL_ORDER: tuple[str, ...] = (
    "no_further_action",
    "monitor_and_record",
    "universal_support",
    "early_help",
    "statutory_social_care",
    "prevent_referral",
    "police_emergency",
)

Module = Mapping[str, Any]
Step = Mapping[str, Any]


def level_distance(chosen: str, proportionate: str) -> int:
    """Steps from the proportionate level: negative under-reacts, positive over-reacts."""
    return LEVEL_ORDER.index(chosen) - LEVEL_ORDER.index(proportionate)


def _step_label(step: Step) -> str:
    title = step.get("title") or ""
    return f'step "{step.get("key")}"' + (f" ({title})" if title else "")


def _successors(step: Step) -> list[str]:
    if step.get("kind") == NARRATIVE:
        return [step["next"]] if step.get("next") else []
    if step.get("kind") == DECISION:
        return [choice["next"] for choice in step.get("choices", []) if choice.get("next")]
    return []


@dataclass(frozen=True)
class Problem:
    """One reason a module cannot be published, and where it is.

    `message` reads on its own (the publish page's list); `detail` reads after the location,
    either a JSON path (`scenarios[0].steps[4].choices[0].next: …`) or the field it concerns
    on the studio's step page.
    """

    message: str
    detail: str
    scenario_index: int | None = None
    step_index: int | None = None
    step_key: str = ""
    choice_index: int | None = None
    field: str = ""

    @property
    def path(self) -> str:
        parts = []
        if self.scenario_index is not None:
            parts.append(f"scenarios[{self.scenario_index}]")
        if self.step_index is not None:
            parts.append(f"steps[{self.step_index}]")
        if self.choice_index is not None:
            parts.append(f"choices[{self.choice_index}]")
        if self.field:
            parts.append(self.field)
        return ".".join(parts)


def validate(module: Module, known_indicators: Iterable[str] | None = None) -> list[str]:
    """Every problem that stops a module being published, in reading order, all at once."""
    return [problem.message for problem in find_problems(module, known_indicators)]


def find_problems(module: Module, known_indicators: Iterable[str] | None = None) -> list[Problem]:
    """As validate(), with each problem's place in the module (for inline and path display)."""
    problems: list[Problem] = []
    known = set(known_indicators) if known_indicators is not None else None
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
    if not isinstance(pass_mark, int) or isinstance(pass_mark, bool) or not 0 < pass_mark <= 100:
        problems.append(
            Problem(
                "The pass mark must be a whole percentage between 1 and 100.",
                "must be a whole percentage between 1 and 100",
                field="pass_mark",
            )
        )
    return problems


class _ScenarioCheck:
    """The rules for one scenario; collects problems with their locations."""

    def __init__(
        self, index: int, scenario: Mapping[str, Any], seen_keys: set[str], known: set[str] | None
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
        if self.known is not None:
            for indicator in step.get("indicators", []):
                if indicator not in self.known:
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
        if step.get("proportionate") not in LEVEL_ORDER:
            self.add(
                f"{label} does not say which response is proportionate.",
                "say which response is proportionate",
                step_index,
                field="proportionate",
            )
        if not (step.get("explanation") or "").strip():
            self.add(
                f"{label} does not explain why its response is proportionate.",
                "explain why the response is proportionate",
                step_index,
                field="explanation",
            )
        for choice_index, choice in enumerate(choices):
            what = f'{label}, choice {choice_index + 1} ("{(choice.get("text") or "")[:40]}")'
            if not (choice.get("text") or "").strip():
                self.add(
                    f"{what} has no text.",
                    "the choice has no text",
                    step_index,
                    choice_index,
                    "text",
                )
            if not (choice.get("feedback") or "").strip():
                self.add(
                    f"{what} has no feedback.",
                    "the choice has no feedback",
                    step_index,
                    choice_index,
                    "feedback",
                )
            if choice.get("level") not in LEVEL_ORDER:
                self.add(
                    f"{what} has no response level.",
                    "the choice has no response level",
                    step_index,
                    choice_index,
                    "level",
                )
            if not choice.get("next"):
                self.add(
                    f"{what} leads nowhere, so its path never ends.",
                    "the choice leads nowhere, so its path never ends",
                    step_index,
                    choice_index,
                    "next",
                )

    def _check_paths(self, start: str | None, by_key: Mapping[str, Step]) -> None:
        """Unreachable steps, and loops from which no end step can be reached."""
        reachable = _reach(start, by_key)
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
                if key not in can_finish and any(t in can_finish for t in _successors(step)):
                    can_finish.add(key)
                    changed = True
        # Only steps on a cycle are "in a loop": a step that merely leads into a dead end, an
        # unknown key or someone else's loop has its problem reported where the path breaks.
        for key, step in by_key.items():
            if key not in reachable or key in can_finish:
                continue
            if any(key in _reach(target, by_key) for target in _successors(step)):
                self.add(
                    f"{self.name}: {_step_label(step)} is in a loop with no way out to an end.",
                    "this step is in a loop with no way out to an end",
                    self.position[key],
                )


def _reach(start: str | None, by_key: Mapping[str, Step]) -> set[str]:
    seen: set[str] = set()
    stack = [start] if start in by_key else []
    while stack:
        key = stack.pop()
        if key in seen:
            continue
        seen.add(key)
        stack += [t for t in _successors(by_key[key]) if t in by_key]
    return seen


# --- Scoring ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """One answered decision, as recorded: what was chosen against what was proportionate."""

    step_key: str
    chosen_level: str
    proportionate_level: str
    indicators: tuple[str, ...] = ()

    @property
    def distance(self) -> int:
        return level_distance(self.chosen_level, self.proportionate_level)

    @property
    def points(self) -> int:
        off = abs(self.distance)
        if off == 0:
            return POINTS_PROPORTIONATE
        return POINTS_ONE_LEVEL_OFF if off == 1 else 0


@dataclass(frozen=True)
class Result:
    points: int
    max_points: int
    under_reactions: int
    over_reactions: int
    proportionate: int
    indicators_spotted: tuple[str, ...] = field(default_factory=tuple)
    indicators_missed: tuple[str, ...] = field(default_factory=tuple)

    @property
    def percent(self) -> int:
        """Whole percent, rounded down: 69.5% must not show as 70% and pass a 70% mark."""
        return 100 * self.points // self.max_points if self.max_points else 0

    def passed(self, pass_mark: int) -> bool:
        return self.max_points > 0 and self.percent >= pass_mark


def score(decisions: Iterable[Decision], protective: Iterable[str] = ()) -> Result:
    """Score a path: 2 points for the proportionate response, 1 for one level off.

    A risk indicator is missed when the learner under-reacted at the step it was shown;
    a protective factor is missed when they over-reacted (they saw only the risk).
    """
    protective = set(protective)
    decisions = list(decisions)
    spotted: dict[str, None] = {}
    missed: dict[str, None] = {}
    for decision in decisions:
        for indicator in decision.indicators:
            is_protective = indicator in protective
            overlooked = decision.distance > 0 if is_protective else decision.distance < 0
            (missed if overlooked else spotted)[indicator] = None
    spotted_only = tuple(key for key in spotted if key not in missed)
    return Result(
        points=sum(d.points for d in decisions),
        max_points=POINTS_PROPORTIONATE * len(decisions),
        under_reactions=sum(1 for d in decisions if d.distance < 0),
        over_reactions=sum(1 for d in decisions if d.distance > 0),
        proportionate=sum(1 for d in decisions if d.distance == 0),
        indicators_spotted=spotted_only,
        indicators_missed=tuple(missed),
    )


# --- Playing a snapshot -------------------------------------------------------------------


def steps_by_key(module: Module) -> dict[str, Step]:
    return {step["key"]: step for scenario in module["scenarios"] for step in scenario["steps"]}


def first_step_key(module: Module) -> str:
    return module["scenarios"][0]["steps"][0]["key"]


def step_after(module: Module, step_key: str, choice_index: int | None = None) -> str:
    """The step that follows; "" once the last scenario has ended.

    An end step hands over to the first step of the next scenario.
    """
    step = steps_by_key(module)[step_key]
    if step["kind"] == NARRATIVE:
        return step["next"]
    if step["kind"] == DECISION:
        if choice_index is None:
            raise ValueError("A decision step needs a choice to move on.")
        return step["choices"][choice_index]["next"]
    scenario_keys = [[s["key"] for s in scenario["steps"]] for scenario in module["scenarios"]]
    for index, keys in enumerate(scenario_keys):
        if step_key in keys:
            return scenario_keys[index + 1][0] if index + 1 < len(scenario_keys) else ""
    raise KeyError(step_key)


def decision_count(module: Module) -> int:
    """Decision steps on the module in total (every branch), for the catalogue and checks."""
    return sum(1 for step in steps_by_key(module).values() if step["kind"] == DECISION)


def indicators_of(module: Module) -> list[str]:
    """Indicator keys tagged anywhere in the module, in first-seen order."""
    seen: dict[str, None] = {}
    for step in steps_by_key(module).values():
        for key in step.get("indicators", []):
            seen[key] = None
    return list(seen)
