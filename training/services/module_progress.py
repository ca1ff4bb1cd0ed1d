"""The progress read model (ModuleProgress): recomputed from assignments and attempts.

Every service that changes an assignment, finishes an attempt or starts one calls
`progress_refresh` for the people and modules it touched, inside its own transaction, so
the read model commits (or rolls back) with the change. `progress_rebuild` recomputes every
row (`manage.py progress_rebuild`, and the migration that made the table). Recomputing the
touched rows whole from the source tables, rather than adjusting them, keeps it obviously
right.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from training import report_math as math

REBUILD_CHUNK = 500  # people recomputed at a time


@dataclass(frozen=True)
class Models:
    """The models the computation reads and writes: the current ones, or a migration's."""

    user: Any
    assignment: Any
    attempt: Any
    module_progress: Any


def _current_models() -> Models:
    from portal.models import User
    from training.models import Assignment, Attempt, ModuleProgress

    return Models(User, Assignment, Attempt, ModuleProgress)


def progress_refresh(*, user_ids: Iterable[int], module_ids: Iterable[int] | None = None) -> None:
    """Recompute these people's rows (of these modules, or of every module) in the caller's
    transaction. Call it after the change, with everyone and every module it touched."""
    progress_rows_write(_current_models(), user_ids=set(user_ids), module_ids=module_ids)


def progress_rebuild(models: Models | None = None) -> int:
    """Recompute every row, a chunk of people at a time; returns how many rows there are."""
    models = models or _current_models()
    models.module_progress.objects.all().delete()
    people = set(models.assignment.objects.values_list("user_id", flat=True).distinct())
    people |= set(models.attempt.objects.values_list("user_id", flat=True).distinct())
    ordered = sorted(people)
    for start in range(0, len(ordered), REBUILD_CHUNK):
        progress_rows_write(models, user_ids=set(ordered[start : start + REBUILD_CHUNK]))
    return models.module_progress.objects.count()


def progress_rows_write(
    models: Models, *, user_ids: set[int], module_ids: Iterable[int] | None = None
) -> None:
    """1. Lock the people's rows, so two changes to one person's progress take turns and the
       later one reads what the earlier one committed.
    2. Read their assignments and attempts (of the modules, if given).
    3. Replace their read-model rows (of those modules) with rows computed from them."""
    if not user_ids:
        return
    with transaction.atomic(savepoint=False):  # the caller's transaction, or one of its own
        _rows_replace(models, user_ids=user_ids, module_ids=module_ids)


def _rows_replace(models: Models, *, user_ids: set[int], module_ids: Iterable[int] | None) -> None:
    list(
        models.user.objects.select_for_update()
        .filter(pk__in=user_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    scope: dict[str, Any] = {"user_id__in": user_ids}
    if module_ids is not None:
        scope["module_id__in"] = set(module_ids)
    rows: dict[tuple[int, int], Any] = {}
    for key, fields in _assignment_fields(models, scope).items():
        rows[key] = models.module_progress(user_id=key[0], module_id=key[1], **fields)
    attempt_scope = {
        "user_id__in": user_ids,
        **({"version__module_id__in": scope["module_id__in"]} if module_ids is not None else {}),
    }
    for key, fields in _attempt_fields(models, attempt_scope).items():
        row = rows.get(key) or models.module_progress(user_id=key[0], module_id=key[1])
        for name, value in fields.items():
            setattr(row, name, value)
        rows[key] = row
    models.module_progress.objects.filter(**scope).delete()
    models.module_progress.objects.bulk_create(rows.values(), batch_size=1000)


def _assignment_fields(models: Models, scope: dict[str, Any]) -> dict[tuple[int, int], dict]:
    """Each person and module's current assignment (report_math.current_assignment), as the
    read model's fields."""
    found: dict[tuple[int, int], list[tuple[math.AssignmentFacts, dict[str, Any]]]] = {}
    rows = (
        models.assignment.objects.filter(**scope)
        .order_by("due_on", "id")
        .values(
            "id",
            "user_id",
            "module_id",
            "due_on",
            "extended_due_on",
            "extension_reason",
            "completed_at",
            "cancelled_at",
            "completed_by__expires_at",
        )  # fmt: skip
    )
    for row in rows:
        completed_at: datetime | None = row["completed_at"]
        facts = math.AssignmentFacts(
            due_on=row["due_on"],
            extended_due_on=row["extended_due_on"],
            completed=completed_at is not None,
            cancelled=row["cancelled_at"] is not None,
            completed_on=timezone.localdate(completed_at) if completed_at else None,
        )
        found.setdefault((row["user_id"], row["module_id"]), []).append((facts, row))
    fields = {}
    for key, items in found.items():
        chosen = math.current_assignment(facts for facts, _ in items)
        row = next(row for facts, row in items if facts is chosen)
        fields[key] = {
            "assignment_id": row["id"],
            "due_on": row["due_on"],
            "extended_due_on": row["extended_due_on"],
            "effective_due_on": row["extended_due_on"] or row["due_on"],
            "extension_reason": row["extension_reason"],
            "completed_at": row["completed_at"],
            "cancelled_at": row["cancelled_at"],
            "certificate_expires_at": row["completed_by__expires_at"],
        }
    return fields


# The decision totals a row adds up over its completed attempts with answers (the attempt
# keeps each: training.models.DECISION_TOTAL_FIELDS), by the row's own names.
_TOTALS = {
    "answer_count": "decisions",
    "within_bands_count": "within_bands_count",
    "safeguarding_under_count": "safeguarding_under_count",
    "safeguarding_over_count": "safeguarding_over_count",
    "prevent_under_count": "prevent_under_count",
    "prevent_over_count": "prevent_over_count",
    "critical_miss_count": "critical_miss_count",
}


def _attempt_fields(models: Models, scope: dict[str, Any]) -> dict[tuple[int, int], dict]:
    """Each person and module's attempts: one under way, the latest completed (with its
    critical misses), and the decision totals of the completed ones with answers."""
    attempts = (
        models.attempt.objects.filter(**scope)
        .order_by()
        .values(
            "id",
            "user_id",
            "version__module_id",
            "completed_at",
            "percent",
            "passed",
            "confidence_before",
            "confidence_after",
            *_TOTALS,
        )
    )
    fields: dict[tuple[int, int], dict[str, Any]] = {}
    latest: dict[tuple[int, int], tuple[datetime, int]] = {}
    for attempt in attempts:
        key = (attempt["user_id"], attempt["version__module_id"])
        row = fields.setdefault(
            key, {"in_progress": False, **{name: 0 for name in _TOTALS.values()}}
        )
        completed_at = attempt["completed_at"]
        if completed_at is None:
            row["in_progress"] = True
            continue
        if attempt["answer_count"]:
            for source, name in _TOTALS.items():
                row[name] += attempt[source]
        if key not in latest or (completed_at, attempt["id"]) > latest[key]:
            latest[key] = (completed_at, attempt["id"])
            row.update(
                latest_attempt_id=attempt["id"],
                latest_completed_at=completed_at,
                latest_percent=attempt["percent"],
                latest_passed=attempt["passed"],
                latest_confidence_before=attempt["confidence_before"],
                latest_confidence_after=attempt["confidence_after"],
                latest_critical_misses=attempt["critical_miss_count"],
            )
    return fields
