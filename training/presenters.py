"""Turn engine results into words for the learner's pages (no queries, no template logic)."""

from __future__ import annotations

import functools
import html
from collections.abc import Iterable
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

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
    nodes a cell, and even format_html per cell was a large part of the page. A cell's tag is
    one of a few fixed strings; its note (a date or a score) is escaped here."""
    parts = []
    for cell in cells:
        note = cell.note
        note_html = f'<span class="threshold-cell-note">{html.escape(note)}</span>' if note else ""
        parts.append(
            f'<td class="govuk-table__cell">{_tag_html(cell.tag_class, cell.label)}{note_html}</td>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - tags escaped once, notes above


@functools.cache
def _tag_html(tag_class: str, label: str) -> str:
    if tag_class:
        return format_html('<strong class="govuk-tag {}">{}</strong>', tag_class, label)
    return escape(label)


# The team page's two fifty-row tables: a row of ten-odd template nodes cost more than the
# rest of the page, so their bodies are built here in one pass, like the cells.


def _person_header_html(person: Any) -> str:
    name = html.escape(person.full_name or person.email)
    return (
        '<th scope="row" class="govuk-table__header">'
        f'<a class="govuk-link" href="{html.escape(person.record_url)}">{name}</a></th>'
    )


def team_matrix_rows_html(rows: Iterable[Any], *, team_column: bool) -> SafeString:
    """The modules-by-person table's rows: name, team (on an all-teams page), cells, overdue."""
    parts = []
    for row in rows:
        team = f'<td class="govuk-table__cell">{html.escape(row.team_name)}</td>'
        parts.append(
            f'<tr class="govuk-table__row">{_person_header_html(row.person)}'
            f"{team if team_column else ''}{row.cells_html}"
            f'<td class="govuk-table__cell govuk-table__cell--numeric">{row.overdue}</td></tr>'
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - every text above is escaped


def team_figures_rows_html(rows: Iterable[Any]) -> SafeString:
    """The figures table's rows: score, confidence, response tendency and calibration."""
    parts = []
    for row in rows:
        tendency = f"{row.tendency_text} " if row.decisions else ""
        calibration = f"{row.calibration_text} " if row.calibration_text else ""
        parts.append(
            f'<tr class="govuk-table__row">{_person_header_html(row.person)}'
            '<td class="govuk-table__cell govuk-table__cell--numeric">'
            f"{html.escape(row.score_text or '–')}</td>"
            f'<td class="govuk-table__cell">{html.escape(row.confidence_text)}</td>'
            f'<td class="govuk-table__cell">{html.escape(tendency)}'
            f"{_secondary_html(row.tendency_note)}</td>"
            f'<td class="govuk-table__cell">{html.escape(calibration)}'
            f"{_secondary_html(row.calibration_note)}</td></tr>"
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - every text above is escaped


def _secondary_html(text: str) -> str:
    return f'<span class="threshold-secondary-text">{html.escape(text)}</span>'
