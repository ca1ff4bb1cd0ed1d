"""Progress reports: a team's matrix and figures, a person's training record, the authority
report, and CSV exports built from the same selector rows as the pages (so they agree).

Team pages are for supervisors and authority admins, the authority report for admins only:
anyone else signed in gets 403. People and teams outside the viewer's scope are 404.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from portal import access as portal_access
from portal.ids import id_from
from portal.pagination import page_of
from training import access, report_math, selectors, services
from training.forms import DebriefForm

TEAM_PAGE_SIZE = 50

team_viewer_required = portal_access.role_required(access.can_view_team_progress)
authority_admin_required = portal_access.role_required(access.can_view_authority_report)


def _filters(request: HttpRequest) -> selectors.ReportFilters:
    return selectors.ReportFilters(
        team_id=id_from(request.GET.get("team")),
        module_key=request.GET.get("module", "")[:80],
        status=request.GET.get("status", "")[:20],
        sort=request.GET.get("sort", "name")[:20],
    )


def _kept(filters: selectors.ReportFilters) -> dict[str, object]:
    """The filters a link from the page keeps."""
    kept = {"team": filters.team_id, "module": filters.module_key, "status": filters.status}
    return {key: value for key, value in kept.items() if value}


def _sort_headers(filters: selectors.ReportFilters) -> dict[str, dict[str, str]]:
    """For each sortable column: the query its header links to, and its aria-sort."""
    kept = _kept(filters)
    headers = {}
    for key in selectors.REPORT_SORTS:
        if key == filters.sort_key:
            aria = "descending" if filters.descending else "ascending"
            next_sort = key if filters.descending else f"-{key}"
        else:
            aria = "none"
            next_sort = f"-{key}" if key in selectors.REPORT_SORTS_DESCENDING_FIRST else key
        headers[key] = {"query": urlencode({**kept, "sort": next_sort}), "aria_sort": aria}
    return headers


def _day(moment: datetime | date | None) -> str:
    if isinstance(moment, datetime):
        moment = timezone.localdate(moment)
    return moment.isoformat() if moment else ""


def _csv_response(
    filename: str, columns: list[str], rows: Iterable[Mapping[str, object]]
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    table = [columns, *([row.get(column, "") for column in columns] for row in rows)]
    csv.writer(response).writerows(report_math.csv_rows(table))
    return response


def _filename(title: str, kind: str, on: date) -> str:
    """e.g. early-help-north-matrix-2026-11-27.csv"""
    return f"{slugify(title) or 'report'}-{kind}-{on.isoformat()}.csv"


# --- Team progress ------------------------------------------------------------------------


@team_viewer_required
def team_progress(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    report = selectors.team_report_for_user(user=request.user, filters=filters)
    query = request.GET.urlencode()
    # A county team is hundreds of rows by dozens of modules: the tables show a page at a
    # time, and only that page's rows are built (the CSV exports have everyone).
    page, page_numbers = page_of(
        request, report.people, per_page=TEAM_PAGE_SIZE, rows=report.rows_for
    )
    sort = {} if filters.sort == "name" else {"sort": filters.sort}
    context = {
        "report": report,
        "page": page,
        "page_numbers": page_numbers,
        "sort_headers": _sort_headers(filters),
        "export_query": f"?{query}" if query else "",
        "everyone_overdue_query": urlencode({**_kept(filters), "status": "overdue", **sort}),
    }
    return render(request, "training/reports/team_progress.html", context)


@team_viewer_required
def team_matrix_csv(request: HttpRequest) -> HttpResponse:
    report = selectors.team_report_for_user(
        user=request.user, filters=_filters(request), every_row=True
    )
    titles = [module.title for module in report.modules]
    rows = [
        {
            "Name": row.person.full_name,
            "Email address": row.person.email,
            "Team": row.team_name,
            **{title: cell.label for title, cell in zip(titles, row.cells, strict=True)},
            "Overdue": row.overdue,
        }
        for row in report.rows_for(report.people, miss_notes=False)
    ]
    columns = ["Name", "Email address", "Team", *titles, "Overdue"]
    return _csv_response(_filename(report.title, "matrix", report.today), columns, rows)


@team_viewer_required
def team_people_csv(request: HttpRequest) -> HttpResponse:
    report = selectors.team_report_for_user(
        user=request.user, filters=_filters(request), every_row=True
    )
    rows = [row.figures() for row in report.rows_for(report.people)]
    columns = list(selectors.PERSON_FIGURE_COLUMNS)
    return _csv_response(_filename(report.title, "people", report.today), columns, rows)


# --- A person's record --------------------------------------------------------------------


@login_required
def person_record(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.person_record_for_user(user=request.user, pk=pk)
    return render(request, "training/reports/person_record.html", {"record": record})


RECORD_COLUMNS = [
    "Kind", "Module", "Version", "Assigned on", "Due on", "Extended to", "Extension reason",
    "Status", "Started", "Completed", "Score", "Passed", "Confidence before",
    "Confidence after", "Certificate code", "Issued", "Expires", "Decision", "Debriefed on",
    "Debrief note",
]  # fmt: skip


def _record_rows(record: selectors.PersonRecord) -> list[dict[str, object]]:
    """The record as one sheet: a line per assignment, attempt and certificate."""
    rows: list[dict[str, object]] = []
    for line in record.assignments:
        a = line.assignment
        rows.append({
            "Kind": "Assignment", "Module": a.module.title, "Assigned on": _day(a.assigned_on),
            "Due on": _day(a.due_on), "Extended to": _day(a.extended_due_on),
            "Extension reason": a.extension_reason, "Status": line.status.label,
            "Completed": _day(a.completed_at),
        })  # fmt: skip
    for line in record.attempts:
        attempt = line.attempt
        rows.append({
            "Kind": "Attempt", "Module": attempt.version.module.title,
            "Version": attempt.version.number, "Status": line.status_label,
            "Started": _day(attempt.started_at), "Completed": _day(attempt.completed_at),
            "Score": line.score_text, "Passed": line.passed_text,
            "Confidence before": attempt.confidence_before or "",
            "Confidence after": attempt.confidence_after or "",
        })  # fmt: skip
    for certificate in record.certificates:
        rows.append({
            "Kind": "Certificate", "Module": certificate.attempt.version.module.title,
            "Version": certificate.attempt.version.number,
            "Status": "Current" if certificate.is_current else "Expired",
            "Certificate code": certificate.code, "Issued": _day(certificate.issued_at),
            "Expires": _day(certificate.expires_at),
        })  # fmt: skip
    for miss in record.critical_misses:
        debrief = miss.debrief
        rows.append({
            "Kind": "Critical miss", "Module": miss.module_title,
            "Version": miss.answer.attempt.version.number, "Decision": miss.decision_title,
            "Completed": _day(miss.answer.answered_at),
            "Debriefed on": _day(debrief.held_on) if debrief else "",
            "Debrief note": debrief.note if debrief else "",
        })  # fmt: skip
    return rows


@login_required
def person_record_csv(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.person_record_for_user(user=request.user, pk=pk)
    name = record.person.full_name or record.person.email
    filename = _filename(name, "training-record", record.today)
    return _csv_response(filename, RECORD_COLUMNS, _record_rows(record))


@login_required
@require_http_methods(["GET", "POST"])
def critical_miss_debrief(request: HttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    answer = selectors.critical_miss_get_for_user(user=request.user, pk=pk, answer_pk=answer_pk)
    form = DebriefForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.debrief_record(
                supervisor=request.user, answer=answer, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "Debrief recorded.")
            return redirect("training:person-record", pk=pk)
    context = {"answer": answer, "person": answer.attempt.user, "form": form}
    status = 400 if form.errors else 200
    return render(request, "training/reports/debrief.html", context, status=status)


def _errors_to_form(form: DebriefForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def person_attempt(request: HttpRequest, pk: int, attempt_pk: int) -> HttpResponse:
    detail = selectors.person_attempt_for_user(user=request.user, pk=pk, attempt_pk=attempt_pk)
    return render(request, "training/reports/person_attempt.html", {"detail": detail})


# --- The authority ------------------------------------------------------------------------


@authority_admin_required
def authority_report(request: HttpRequest) -> HttpResponse:
    report = selectors.authority_report_for_user(user=request.user)
    return render(request, "training/reports/authority_report.html", {"report": report})
