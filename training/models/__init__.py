"""The training app's models, by concern (content, learning, assignments)."""

from training.models.assignments import Assignment, AssignmentRule, ModuleProgress
from training.models.content import (
    Choice,
    Indicator,
    Module,
    ModuleQuerySet,
    ModuleVersion,
    Scenario,
    Step,
)
from training.models.learning import (
    DECISION_TOTAL_FIELDS,
    Answer,
    Attempt,
    Certificate,
    CriticalMissDebrief,
)

__all__ = [
    "Answer",
    "Assignment",
    "AssignmentRule",
    "Attempt",
    "Certificate",
    "Choice",
    "CriticalMissDebrief",
    "DECISION_TOTAL_FIELDS",
    "Indicator",
    "Module",
    "ModuleProgress",
    "ModuleQuerySet",
    "ModuleVersion",
    "Scenario",
    "Step",
]
