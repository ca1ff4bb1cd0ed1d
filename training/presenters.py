"""Turn engine results into words for the learner's pages (no queries, no template logic)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString

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


def indicator_names(snapshot: dict[str, Any], keys: list[str]) -> list[str]:
    catalogue = snapshot.get("indicator_catalogue", {})
    return [catalogue[key]["name"] for key in keys if key in catalogue]


def matrix_cells_html(cells: Iterable[Any]) -> SafeString:
    """A row of the team matrix as HTML, built in one pass: the template loop cost about ten
    nodes a cell, and a county team's page has thousands of cells."""
    return format_html_join("", '<td class="govuk-table__cell">{}{}</td>', map(_cell_parts, cells))


def _cell_parts(cell: Any) -> tuple[str, str]:
    status = (
        format_html('<strong class="govuk-tag {}">{}</strong>', cell.tag_class, cell.label)
        if cell.tag_class
        else escape(cell.label)
    )
    note = cell.note
    return status, format_html('<span class="threshold-cell-note">{}</span>', note) if note else ""
