"""Turn engine results into words for the learner's pages (no queries, no template logic)."""

from __future__ import annotations

from portal.response_levels import ResponseLevel
from training.version_reader import VersionDocument


def level_label(level: str) -> str:
    return ResponseLevel(level).label if level else ""


def distance_sentence(distance: int) -> str:
    if distance == 0:
        return "Your choice was the proportionate response."
    levels = "level" if abs(distance) == 1 else "levels"
    if distance < 0:
        direction, reaction = "below", "under-reaction"
    else:
        direction, reaction = "above", "over-reaction"
    return (
        f"Your choice was {abs(distance)} {levels} {direction} the proportionate response: "
        f"an {reaction}."
    )


def step_position(document: VersionDocument, current_key: str, choices_made: list[int]) -> str:
    """Where the learner is, as "Step 4 of about 11", for the player's caption.

    The number is exact: the path is replayed from the first step through the choices already
    made (in order), counting every step shown. The total is an estimate, hence "about": the
    steps behind plus the longest way from here to the module's end (every branch still open
    counted at its longest, loops taken once). A learner may finish sooner, never later, so the
    total only shrinks as branches close. "" when the step is not on the replayed path.
    """
    number = _steps_walked(document, current_key, choices_made)
    if number is None:
        return ""
    total = number - 1 + _longest_from(document, current_key, memo={}, on_path=set())
    return f"Step {number} of {'about ' if total > number else ''}{total}"


def _steps_walked(
    document: VersionDocument, current_key: str, choices_made: list[int]
) -> int | None:
    key, number, made = document.first_step_key, 1, list(choices_made)
    while key != current_key or made:  # a loop may pass the step before the learner stops
        step = document.step(key)
        if step is None or number > len(document.steps) + len(choices_made):
            return None
        if step.is_decision:
            index = made.pop(0) if made else None
            if index is None or index >= len(step.choices):
                return None
            key = document.step_after(key, index)
        else:
            key = document.step_after(key)
        number += 1
    return number


def _longest_from(document: VersionDocument, key: str, *, memo: dict, on_path: set) -> int:
    """Steps on the longest way from `key` to the end, itself included (a loop back onto the
    way being walked is not followed again)."""
    if key in memo:
        return memo[key]
    step = document.step(key)
    if step is None:
        return 0
    on_path.add(key)
    if step.is_decision:
        following = {document.step_after(key, index) for index in range(len(step.choices))}
    else:
        following = {document.step_after(key)}
    longest = max(
        (
            _longest_from(document, after, memo=memo, on_path=on_path)
            for after in following
            if after and after not in on_path
        ),
        default=0,
    )
    on_path.discard(key)
    memo[key] = 1 + longest
    return memo[key]
