"""Every write of the training app. Callers use `services.<name>` from here."""

from training.services.assignments import (
    AssignmentRefused,
    assignment_extend,
    assignments_complete,
    assignments_sync_for_user,
    refreshers_create,
    rule_cancel,
    rule_create,
    rule_due_on,
    rule_targets,
)
from training.services.attempts import (
    StaleStep,
    answer_record,
    attempt_continue,
    attempt_finish,
    attempt_rate_confidence,
    attempt_start,
    certificate_issue,
)
from training.services.library import (
    SNAPSHOT_FORMAT,
    PublishError,
    indicators_load,
    module_load_from_json,
    module_mark_edited,
    module_publish,
    module_snapshot_build,
)
from training.services.reminders import reminders_plan

__all__ = [
    "reminders_plan",
    "AssignmentRefused",
    "assignment_extend",
    "assignments_complete",
    "assignments_sync_for_user",
    "refreshers_create",
    "rule_cancel",
    "rule_create",
    "rule_due_on",
    "rule_targets",
    "SNAPSHOT_FORMAT",
    "PublishError",
    "StaleStep",
    "answer_record",
    "attempt_continue",
    "attempt_finish",
    "attempt_rate_confidence",
    "attempt_start",
    "certificate_issue",
    "indicators_load",
    "module_load_from_json",
    "module_mark_edited",
    "module_publish",
    "module_snapshot_build",
]
