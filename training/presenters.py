"""Turn engine results into words for the learner's pages (no queries, no template logic)."""

from __future__ import annotations

from portal.response_levels import ResponseLevel


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
