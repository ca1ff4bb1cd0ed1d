"""The module graph: step kinds, moving through a snapshot and the path that answers fewest
decisions. Pure."""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from typing import Any

NARRATIVE, DECISION, END = "narrative", "decision", "end"
STEP_KINDS = (NARRATIVE, DECISION, END)
MIN_CHOICES, MAX_CHOICES = 2, 6
DEFAULT_MIN_DECISIONS = 4

Module = Mapping[str, Any]
Step = Mapping[str, Any]


def is_whole_number(value: Any) -> bool:
    """An int that is not a bool (JSON's true would pass isinstance(int))."""
    return isinstance(value, int) and not isinstance(value, bool)


def min_decisions(module: Module) -> int:
    """The fewest decisions every path through the module must answer (`min_decisions`)."""
    value = module.get("min_decisions", DEFAULT_MIN_DECISIONS)
    return value if is_whole_number(value) else DEFAULT_MIN_DECISIONS


def successors(step: Step) -> list[str]:
    if step.get("kind") == NARRATIVE:
        return [step["next"]] if step.get("next") else []
    if step.get("kind") == DECISION:
        return [choice["next"] for choice in step.get("choices") or [] if choice.get("next")]
    return []


def shortest_path_decisions(module: Module) -> list[str] | None:
    """The decision keys answered on the path from the module's start to its end that answers
    fewest; None when there is no scenario, or one has no path from its first step to an end
    step (validation reports those, and a count over them would mislead)."""
    scenarios = module.get("scenarios") or []
    if not scenarios:
        return None
    answered: list[str] = []
    for scenario in scenarios:
        path = _fewest_decisions(scenario.get("steps") or [])
        if path is None:
            return None
        answered += path
    return answered


def _fewest_decisions(steps: list[Step]) -> list[str] | None:
    """Dijkstra from the first step to any end step, a decision step costing one."""
    by_key: dict[str, Step] = {}
    for step in steps:
        by_key.setdefault(step.get("key"), step)
    if not steps or steps[0].get("key") not in by_key:
        return None

    def cost(key: str) -> int:
        return 1 if by_key[key].get("kind") == DECISION else 0

    start = steps[0]["key"]
    best = {start: cost(start)}
    came_from: dict[str, str] = {}
    queue = [(best[start], 0, start)]
    order = 1  # ties go to the step reached first, so the answer does not depend on hashes
    while queue:
        spent, _, key = heapq.heappop(queue)
        if spent > best[key]:
            continue
        if by_key[key].get("kind") == END:
            path = [key]
            while path[-1] in came_from:
                path.append(came_from[path[-1]])
            return [k for k in reversed(path) if by_key[k].get("kind") == DECISION]
        for target in successors(by_key[key]):
            if target not in by_key:
                continue
            reached = spent + cost(target)
            if target not in best or reached < best[target]:
                best[target] = reached
                came_from[target] = key
                heapq.heappush(queue, (best[target], order, target))
                order += 1
    return None


def reach(start: str | None, by_key: Mapping[str, Step]) -> set[str]:
    seen: set[str] = set()
    stack = [start] if start in by_key else []
    while stack:
        key = stack.pop()
        if key in seen:
            continue
        seen.add(key)
        stack += [t for t in successors(by_key[key]) if t in by_key]
    return seen


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
