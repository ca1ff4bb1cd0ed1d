"""Turn engine results into words for the learner's pages (no queries, no template logic)."""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Iterable
from typing import Any

from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from portal.response_levels import ResponseLevel
from portal.url_maker import url_maker


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


def matrix_cells_html(cells: Iterable[Any]) -> SafeString:
    """A row of the team matrix as HTML, built in one pass: the template loop cost about ten
    nodes a cell. Cells repeat (a tag and a due date or score), so each distinct one is
    escaped and formatted once per process."""
    return mark_safe(  # noqa: S308 - _cell_html escapes
        "".join(_cell_html(cell.tag_class, cell.label, cell.note) for cell in cells)
    )


@functools.lru_cache(maxsize=4096)
def _cell_html(tag_class: str, label: str, note: str) -> str:
    note_html = f'<span class="threshold-cell-note">{html.escape(note)}</span>' if note else ""
    return f'<td class="govuk-table__cell">{_tag_html(tag_class, label)}{note_html}</td>'


@functools.cache
def _tag_html(tag_class: str, label: str) -> str:
    if tag_class:
        return format_html('<strong class="govuk-tag {}">{}</strong>', tag_class, label)
    return escape(label)


# The team page's two fifty-row tables: a row of ten-odd template nodes cost more than the
# rest of the page, so their bodies are built here in one pass, like the cells.


def _person_header_html(person: Any, record_url: Callable[[object], str]) -> str:
    name = html.escape(person.full_name or person.email)
    return (
        '<th scope="row" class="govuk-table__header">'
        f'<a class="govuk-link" href="{html.escape(record_url(person.pk))}">{name}</a></th>'
    )


def team_matrix_rows_html(rows: Iterable[Any], *, team_column: bool) -> SafeString:
    """The modules-by-person table's rows: name, team (on an all-teams page), cells, overdue."""
    record_url = url_maker("training:person-record")
    parts = []
    for row in rows:
        team = f'<td class="govuk-table__cell">{html.escape(row.team_name)}</td>'
        parts.append(
            f'<tr class="govuk-table__row">{_person_header_html(row.person, record_url)}'
            f"{team if team_column else ''}{row.cells_html}"
            f'<td class="govuk-table__cell govuk-table__cell--numeric">{row.overdue}</td></tr>'
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - every text above is escaped


def team_figures_rows_html(rows: Iterable[Any]) -> SafeString:
    """The figures table's rows: score, confidence, response tendency and calibration."""
    record_url = url_maker("training:person-record")
    parts = []
    for row in rows:
        tendency = f"{row.tendency_text} " if row.decisions else ""
        calibration = f"{row.calibration_text} " if row.calibration_text else ""
        parts.append(
            f'<tr class="govuk-table__row">{_person_header_html(row.person, record_url)}'
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


# --- The learner's assignments (home page) ----------------------------------------------------


def _day(value: Any) -> str:
    """A date, or a datetime on its London day, as "7 March 2026" (the templates' "j F Y")."""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return f"{value.day} {value:%B %Y}"


def learner_assignments_html(rows: Iterable[Any], *, csrf_token: str) -> SafeString:
    """The rows of the learner's assignment table (templates/portal/_training_panel.html):
    module, status, dates, and Start/Resume or the certificate. Rows are
    selectors.assignments_for_learner's; built in one pass, as a row of template nodes with
    three URL reversals and a CSRF field cost more than the rest of the home page."""
    module_url = url_maker("training:module-detail")
    start_url = url_maker("training:attempt-start")
    certificate_url = url_maker("training:certificate-detail")
    token = html.escape(csrf_token)
    parts = []
    for row in rows:
        assignment, module = row.assignment, row.module
        title = html.escape(module.title)
        if assignment.completed_at:
            dates = f"Completed {_day(assignment.completed_at)}"
            if row.certificate_expires_on:
                verb = "expired" if row.certificate_expired else "expires"
                dates += f"<br>Certificate {verb} {_day(row.certificate_expires_on)}"
        else:
            dates = f"Due {_day(row.due_on)}{' (extended)' if row.is_extended else ''}"
        if assignment.is_open:
            action = (
                f'<form method="post" action="{start_url(module.key)}" '
                'class="threshold-inline-form">'
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
                '<button type="submit" class="govuk-button govuk-button--secondary '
                'govuk-!-margin-bottom-0" data-module="govuk-button">'
                f"{'Resume' if row.in_progress else 'Start'}"
                f'<span class="govuk-visually-hidden"> {title}</span></button></form>'
            )
        elif assignment.completed_by_id:
            action = (
                f'<a class="govuk-link" href="{certificate_url(assignment.completed_by.code)}">'
                f'Certificate<span class="govuk-visually-hidden"> for {title}</span></a>'
            )
        else:
            action = ""
        parts.append(
            '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">'
            f'<a class="govuk-link" href="{module_url(module.key)}">{title}</a></th>'
            f'<td class="govuk-table__cell">{_tag_html(row.tag_class, row.status.label)}</td>'
            f'<td class="govuk-table__cell">{dates}</td>'
            f'<td class="govuk-table__cell">{action}</td></tr>'
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - titles and the token escaped above


# --- My training ---------------------------------------------------------------------------


def catalogue_html(entries: Iterable[Any]) -> SafeString:
    """The task list of My training (templates/training/catalogue.html): each module's title
    (linked), minutes and summary, and the learner's status tag. Entries are
    selectors.catalogue_for_user's; built in one pass like the learner's assignments."""
    module_url = url_maker("training:module-detail")
    parts = []
    for number, entry in enumerate(entries, start=1):
        card = entry.card
        tag_class, tag_words = entry.status_tag
        hint, status = f"module-{number}-hint", f"module-{number}-status"
        parts.append(
            '<li class="govuk-task-list__item govuk-task-list__item--with-link">'
            '<div class="govuk-task-list__name-and-hint">'
            f'<a class="govuk-link govuk-task-list__link" href="{module_url(entry.module.key)}" '
            f'aria-describedby="{hint} {status}">{html.escape(card["title"])}</a>'
            f'<div id="{hint}" class="govuk-task-list__hint">{card["minutes"]} minutes · '
            f"{html.escape(card['summary'])}</div></div>"
            f'<div class="govuk-task-list__status" id="{status}">'
            f"{_tag_html(tag_class, tag_words)}</div></li>"
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - the card's words escaped above
