"""Reads of the training app, scoped through training.access. Callers use `selectors.<name>`.

learning: the learner's catalogue, attempts and certificates.
assignments: the learner's assignments by urgency; rules and assignments for assigners.
reports, records, authority_report: team progress, a person's training record, the
authority report.
"""

from training.selectors.assignments import (
    AssignmentRow,
    assignable_modules_for_user,
    assignable_people_for_user,
    assignable_teams_for_user,
    assignment_get_for_user,
    assignment_status,
    assignments_for_learner,
    rule_assignments_for_user,
    rule_get_for_user,
    rule_list_for_user,
)
from training.selectors.authority_report import (
    AuthorityReport,
    authority_report_for_user,
)
from training.selectors.learning import (
    AttemptSummary,
    CatalogueEntry,
    answer_get,
    attempt_get_for_user,
    attempt_result,
    attempt_summary,
    catalogue_entry_for_user,
    catalogue_for_user,
    certificate_get_for_user,
    certificate_verify,
    current_certificates_for_user,
)
from training.selectors.records import (
    AttemptDetail,
    PersonRecord,
    person_attempt_for_user,
    person_get_for_user,
    person_record_for_user,
)
from training.selectors.reports import (
    PERSON_FIGURE_COLUMNS,
    REPORT_SORTS,
    REPORT_SORTS_DESCENDING_FIRST,
    ReportFilters,
    TeamReport,
    team_report_for_user,
)

__all__ = [
    "AssignmentRow",
    "assignable_modules_for_user",
    "assignable_people_for_user",
    "assignable_teams_for_user",
    "assignment_get_for_user",
    "assignment_status",
    "assignments_for_learner",
    "rule_assignments_for_user",
    "rule_get_for_user",
    "rule_list_for_user",
    "AttemptSummary",
    "CatalogueEntry",
    "answer_get",
    "attempt_get_for_user",
    "attempt_result",
    "attempt_summary",
    "catalogue_entry_for_user",
    "catalogue_for_user",
    "certificate_get_for_user",
    "certificate_verify",
    "current_certificates_for_user",
    "AttemptDetail",
    "PersonRecord",
    "person_attempt_for_user",
    "person_get_for_user",
    "person_record_for_user",
    "PERSON_FIGURE_COLUMNS",
    "REPORT_SORTS",
    "REPORT_SORTS_DESCENDING_FIRST",
    "AuthorityReport",
    "ReportFilters",
    "TeamReport",
    "authority_report_for_user",
    "team_report_for_user",
]
