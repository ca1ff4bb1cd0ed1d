"""The rows of the team progress report: each person's cells (one per module) and figures
(score, confidence, response tendency, calibration), built from their own assignments and
attempts. training.selectors.reports decides whose rows a page needs; this builds them, each
person once, in a fixed number of queries however many people are asked for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse

from training import progress
from training import report_math as math
from training.models import Assignment, Attempt, Module
from training.progress import Status

DecisionTotals = tuple[int, int, int]  # decisions, sum of signed distances, proportionate
NO_DECISIONS: DecisionTotals = (0, 0, 0)


@dataclass(frozen=True)
class LatestAttempt:
    module_id: int
    percent: int | None
    confidence_before: int | None
    confidence_after: int | None


PERSON_FIGURE_COLUMNS = (
    "Name", "Email address", "Team", "Overdue", "Latest score", "Confidence before",
    "Confidence after", "Confidence change", "Decisions", "Proportionate decisions",
    "Response tendency", "Tendency", "Calibration", "Calibration in words",
)  # fmt: skip


@dataclass(frozen=True)
class Member:
    """A person as the team page shows them (read as values: a page may list a county)."""

    pk: int
    full_name: str
    email: str
    team_name: str  # "No team" for someone in none

    @cached_property
    def record_url(self) -> str:
        return reverse("training:person-record", args=[self.pk])


@dataclass
class PersonRow:
    """One person's line of the matrix and of the figures table (and of both CSV files)."""

    person: Member
    cells: list[math.Cell] = field(default_factory=list)
    latest: LatestAttempt | None = None
    decisions: int = 0
    distance_total: int = 0
    proportionate: int = 0

    @property
    def team_name(self) -> str:
        return self.person.team_name

    @property
    def overdue(self) -> int:
        return sum(1 for cell in self.cells if cell.status == Status.OVERDUE)

    @property
    def score(self) -> int | None:
        return self.latest.percent if self.latest else None

    @property
    def confidence_before(self) -> int | None:
        return self.latest.confidence_before if self.latest else None

    @property
    def confidence_after(self) -> int | None:
        return self.latest.confidence_after if self.latest else None

    @property
    def confidence_change(self) -> int | None:
        if self.confidence_before is None or self.confidence_after is None:
            return None
        return self.confidence_after - self.confidence_before

    @property
    def tendency(self) -> float | None:
        return math.mean_from_totals(self.distance_total, self.decisions)

    @property
    def proportionate_share(self) -> float | None:
        return math.mean_from_totals(self.proportionate, self.decisions)

    @property
    def calibration(self) -> float | None:
        return progress.calibration(self.confidence_after, self.proportionate_share)

    # The words and numbers the page and the CSV both show.
    @property
    def score_text(self) -> str:
        return "" if self.score is None else f"{self.score}%"

    @property
    def confidence_change_text(self) -> str:
        return math.signed(self.confidence_change, places=0)

    @property
    def tendency_text(self) -> str:
        return math.signed(self.tendency)

    @property
    def tendency_words(self) -> str:
        return math.tendency_words(self.tendency)

    @property
    def proportionate_text(self) -> str:
        return math.percent(self.proportionate_share)

    @property
    def calibration_text(self) -> str:
        return math.signed(self.calibration)

    @property
    def calibration_words(self) -> str:
        return math.calibration_words(self.calibration)

    # The figures table's cells in one piece each: a template node costs more than a line of
    # Python, and the page shows fifty of these rows.
    @property
    def confidence_text(self) -> str:
        """2 → 4 (+2); – when no attempt is complete."""
        if self.latest is None:
            return "–"
        text = f"{self.confidence_before or '–'} → {self.confidence_after or '–'}"
        change = self.confidence_change_text
        return f"{text} ({change})" if change else text

    @property
    def tendency_note(self) -> str:
        if not self.decisions:
            return self.tendency_words
        plural = "" if self.decisions == 1 else "s"
        return f"{self.tendency_words.lower()}, {self.decisions} decision{plural}"

    @property
    def calibration_note(self) -> str:
        if not self.calibration_text:
            return self.calibration_words
        return f"{self.calibration_words.lower()} ({self.proportionate_text} proportionate)"

    def figures(self) -> dict[str, object]:
        """The per-person CSV line: the very texts the page shows."""
        values = [
            self.person.full_name, self.person.email, self.team_name, self.overdue,
            self.score_text, self.confidence_before or "", self.confidence_after or "",
            self.confidence_change_text, self.decisions, self.proportionate_text,
            self.tendency_text, self.tendency_words, self.calibration_text,
            self.calibration_words,
        ]  # fmt: skip
        return dict(zip(PERSON_FIGURE_COLUMNS, values, strict=True))


@dataclass
class RowBuilder:
    """Builds people's rows from their own assignments and attempts, each person once."""

    modules: list[Module]
    module: Module | None  # the module filter, if any
    today: date
    totals: dict[int, DecisionTotals]
    built: dict[int, PersonRow] = field(default_factory=dict)

    def rows_for(self, people: Sequence[Member]) -> list[PersonRow]:
        missing = [person for person in people if person.pk not in self.built]
        if missing:
            self.build(missing, [person.pk for person in missing])
        return [self.built[person.pk] for person in people]

    def build(
        self, people: Sequence[Member], user_ids: Iterable[int] | QuerySet
    ) -> list[PersonRow]:
        """`user_ids` picks whose assignments and attempts to read: the people's own ids, or
        a subquery of the whole scope when building everyone's."""
        facts = _assignment_facts(user_ids, self.modules)
        in_progress, percents, latest = _latest_attempts(_attempts(user_ids, self.module))
        module_ids = [m.pk for m in self.modules]
        rows = []
        for person in people:
            pk = person.pk
            decisions, distance_total, proportionate = self.totals.get(pk, NO_DECISIONS)
            cells = [
                math.cell_for(
                    facts.get((pk, module_id), ()),
                    today=self.today,
                    in_progress=(pk, module_id) in in_progress,
                    percent=percents.get((pk, module_id)),
                )
                for module_id in module_ids
            ]
            row = PersonRow(
                person=person,
                cells=cells,
                latest=latest.get(pk),
                decisions=decisions,
                distance_total=distance_total,
                proportionate=proportionate,
            )
            self.built[pk] = row
            rows.append(row)
        return rows


def _assignment_facts(
    user_ids: Iterable[int] | QuerySet, modules: list[Module]
) -> dict[tuple[int, int], list[math.AssignmentFacts]]:
    """The people's assignments of these modules. Completion and expiry are read as days in
    the current time zone (as due dates are), converted by the database."""
    rows = (
        Assignment.objects.filter(user__in=user_ids, module__in=[m.pk for m in modules])
        .annotate(
            completed_on=TruncDate("completed_at"),
            expires_on=TruncDate("completed_by__expires_at"),
        )
        .values_list(
            "user_id",
            "module_id",
            "due_on",
            "extended_due_on",
            "extension_reason",
            "completed_on",
            "cancelled_at",
            "expires_on",
        )
    )
    facts: dict[tuple[int, int], list[math.AssignmentFacts]] = defaultdict(list)
    for user_id, module_id, due, extended, reason, completed_on, cancelled, expires_on in rows:
        facts[user_id, module_id].append(
            math.AssignmentFacts(
                due_on=due,
                extended_due_on=extended,
                extension_reason=reason,
                completed=completed_on is not None,
                cancelled=cancelled is not None,
                certificate_expires_on=expires_on,
                completed_on=completed_on,
            )
        )
    return facts


def _attempts(user_ids: Iterable[int] | QuerySet, module: Module | None) -> list[tuple[Any, ...]]:
    """Light fields of the people's attempts (of the filtered module alone), the completed ones
    oldest first. Whether one is complete is read as a flag: the times themselves are not
    shown, and a page reads thousands of attempts."""
    complete = Q(completed_at__isnull=False)
    attempts = Attempt.objects.filter(user__in=user_ids)
    if module is not None:
        attempts = attempts.filter(version__module=module)
    return list(
        attempts.annotate(complete=ExpressionWrapper(complete, output_field=BooleanField()))
        .order_by("completed_at", "pk")
        .values_list(
            "user_id",
            "version__module_id",
            "complete",
            "percent",
            "confidence_before",
            "confidence_after",
        )
    )


def _latest_attempts(
    attempts: list[tuple[Any, ...]],
) -> tuple[set[tuple[int, int]], dict[tuple[int, int], int | None], dict[int, LatestAttempt]]:
    """Who has an attempt under way at which module; the score of each person's latest
    completed attempt at each module (for the cells); and their latest completed attempt of
    all (for the figures). Attempts arrive oldest first, so later ones overwrite."""
    in_progress: set[tuple[int, int]] = set()
    percents: dict[tuple[int, int], int | None] = {}
    latest: dict[int, tuple[Any, ...]] = {}
    for attempt in attempts:
        user_id, module_id, complete, percent = attempt[:4]
        if not complete:
            in_progress.add((user_id, module_id))
            continue
        percents[user_id, module_id] = percent
        latest[user_id] = attempt
    return (
        in_progress,
        percents,
        {user_id: LatestAttempt(a[1], *a[3:]) for user_id, a in latest.items()},
    )
