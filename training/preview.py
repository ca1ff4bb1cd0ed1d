"""Playing a draft for its author, recording nothing: the player's rules on the draft's
document (training.version_reader, the same reader the player uses).

The state lives in the author's session (never in attempts, answers or certificates), so
preview cannot touch learners' records or reports. It moves exactly as the player does:
confidence first, narrative and end steps continue, decisions take a choice then show
feedback, and the last end step asks for confidence again before the result.
"""

from __future__ import annotations

from typing import Any

from training import engine
from training.version_reader import Step, VersionDocument

State = dict[str, Any]


class PreviewOutOfStep(Exception):
    """The submitted step is not the one the preview is on (back button, or the draft moved)."""


def preview_begin(document: VersionDocument, *, confidence: int) -> State:
    return {
        "step": document.first_step_key,
        "answers": [],
        "confidence_before": confidence,
        "confidence_after": None,
    }


def preview_current_step(document: VersionDocument, state: State) -> Step | None:
    """The step the preview waits on; None once the last scenario has ended."""
    if not state.get("step"):
        return None
    step = document.step(state["step"])
    if step is None:
        raise PreviewOutOfStep
    return step


def preview_continue(document: VersionDocument, state: State, *, step_key: str) -> State:
    step = preview_current_step(document, state)
    if step is None or step.key != step_key or step.is_decision:
        raise PreviewOutOfStep
    return {**state, "step": document.step_after(step_key)}


def preview_answer(
    document: VersionDocument, state: State, *, step_key: str, position: int, choice_index: int
) -> State:
    """`position` (answers so far) tells a second visit to a step in a loop from a resubmit."""
    step = preview_current_step(document, state)
    if step is None or step.key != step_key or not step.is_decision:
        raise PreviewOutOfStep
    if position != len(state["answers"]):
        raise PreviewOutOfStep
    if not 0 <= choice_index < len(step.choices):
        raise PreviewOutOfStep
    return {
        **state,
        "step": document.step_after(step_key, choice_index),
        "answers": [*state["answers"], [step_key, choice_index]],
    }


def preview_finish(state: State, *, confidence: int) -> State:
    if state.get("step"):
        raise PreviewOutOfStep
    return {**state, "confidence_after": confidence}


def preview_decisions(document: VersionDocument, state: State) -> list[engine.Decision]:
    try:
        return [
            document.decision_for(step_key, choice_index)
            for step_key, choice_index in state["answers"]
        ]
    except (KeyError, IndexError) as error:  # the draft lost the step or the choice since
        raise PreviewOutOfStep from error


def preview_result(document: VersionDocument, state: State) -> engine.Result:
    return engine.score(preview_decisions(document, state), document.protective_indicators)
