"""Playing a draft for its author, recording nothing: the player's rules on a plain dict.

The state lives in the author's session (never in attempts, answers or certificates), so
preview cannot touch learners' records or reports. It moves exactly as the player does:
confidence first, narrative and end steps continue, decisions take a choice then show
feedback, and the last end step asks for confidence again before the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from training import engine

State = dict[str, Any]


class PreviewOutOfStep(Exception):
    """The submitted step is not the one the preview is on (back button, or the draft moved)."""


def preview_begin(snapshot: Mapping[str, Any], *, confidence: int) -> State:
    return {
        "step": engine.first_step_key(snapshot),
        "answers": [],
        "confidence_before": confidence,
        "confidence_after": None,
    }


def preview_current_step(snapshot: Mapping[str, Any], state: State) -> Mapping[str, Any] | None:
    """The step the preview waits on; None once the last scenario has ended."""
    if not state.get("step"):
        return None
    step = engine.steps_by_key(snapshot).get(state["step"])
    if step is None:
        raise PreviewOutOfStep
    return step


def preview_continue(snapshot: Mapping[str, Any], state: State, *, step_key: str) -> State:
    step = preview_current_step(snapshot, state)
    if step is None or step["key"] != step_key or step["kind"] == engine.DECISION:
        raise PreviewOutOfStep
    return {**state, "step": engine.step_after(snapshot, step_key)}


def preview_answer(
    snapshot: Mapping[str, Any], state: State, *, step_key: str, position: int, choice_index: int
) -> State:
    """`position` (answers so far) tells a second visit to a step in a loop from a resubmit."""
    step = preview_current_step(snapshot, state)
    if step is None or step["key"] != step_key or step["kind"] != engine.DECISION:
        raise PreviewOutOfStep
    if position != len(state["answers"]):
        raise PreviewOutOfStep
    if not 0 <= choice_index < len(step["choices"]):
        raise PreviewOutOfStep
    return {
        **state,
        "step": engine.step_after(snapshot, step_key, choice_index),
        "answers": [*state["answers"], [step_key, choice_index]],
    }


def preview_finish(state: State, *, confidence: int) -> State:
    if state.get("step"):
        raise PreviewOutOfStep
    return {**state, "confidence_after": confidence}


def preview_decisions(snapshot: Mapping[str, Any], state: State) -> list[engine.Decision]:
    steps = engine.steps_by_key(snapshot)
    decisions = []
    for step_key, choice_index in state["answers"]:
        step = steps.get(step_key)
        if step is None or choice_index >= len(step.get("choices", [])):
            raise PreviewOutOfStep
        decisions.append(
            engine.Decision(
                step_key=step_key,
                chosen_level=step["choices"][choice_index]["level"],
                proportionate_level=step["proportionate"],
                indicators=tuple(step.get("indicators", [])),
            )
        )
    return decisions


def preview_result(snapshot: Mapping[str, Any], state: State) -> engine.Result:
    protective = [
        key
        for key, item in snapshot.get("indicator_catalogue", {}).items()
        if item.get("category") == "protective"
    ]
    return engine.score(preview_decisions(snapshot, state), protective)
