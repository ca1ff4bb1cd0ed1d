"""The rows of the team progress report: each person's cells (one per module) and figures
(score, confidence, response tendency, calibration), built from their progress in each module
(the ModuleProgress read model). training.selectors.reports decides whose rows a page needs;
this builds them, each person once, in one query however many people are asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from django.db.models import QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from portal.ids import url_for_ids
from training import progress, snapshots
from training import report_math as math
from training.models import Answer, Module, ModuleProgress
from training.progress import Status


class DecisionTotals(NamedTuple):
    """A person's decisions in completed attempts, added up per route (the attempts keep
    these: training.models.DECISION_TOTAL_FIELDS)."""

    decisions: int = 0
    within_bands: int = 0
    safeguarding_under: int = 0
    safeguarding_over: int = 0
    prevent_under: int = 0
    prevent_over: int = 0
    critical_misses: int = 0

    @property
    def tendency_total(self) -> int:
        """Over-reactions minus under-reactions, on both routes: divided by the decisions,
        below -0.5 under-reacts and above +0.5 over-refers (report_math.tendency_words)."""
        over = self.safeguarding_over + self.prevent_over
        return over - self.safeguarding_under - self.prevent_under


NO_DECISIONS = DecisionTotals()


@dataclass(frozen=True)
class LatestAttempt:
    module_id: int
    percent: int | None
    confidence_before: int | None
    confidence_after: int | None


@dataclass(frozen=True)
class MissNote:
    """A critical miss as the team page names it: which decision of which module, when."""

    decision_title: str
    module_title: str
    answered_on: date
    url: str  # the attempt's decisions on the person's record, where it can be debriefed
    debriefed: bool

    @property
    def text(self) -> str:
        """ "Noah: a date and a gun" (Noah's module), 10 Mar 2027."""
        return f"{self.decision_title} ({self.module_title}), {math.short_date(self.answered_on)}"


PERSON_FIGURE_COLUMNS = (
    "Name", "Email address", "Team", "Overdue", "Latest score", "Confidence before",
    "Confidence after", "Confidence change", "Decisions", "Decisions within bands",
    "Response tendency", "Tendency", "Safeguarding route", "Safeguarding route in words",
    "Prevent route", "Prevent route in words", "Critical misses", "Critical miss decisions",
    "Calibration", "Calibration in words",
)  # fmt: skip


@dataclass(frozen=True)
class Member:
    """A person as the team page shows them (read as values: a page may list a county)."""

    pk: int
    full_name: str
    email: str
    team_name: str  # "No team" for someone in none
    record_url: str  # their training record (portal.ids.url_for_ids: a page links hundreds)


@dataclass
class PersonRow:
    """One person's line of the matrix and of the figures table (and of both CSV files)."""

    person: Member
    cells: list[math.Cell] = field(default_factory=list)
    latest: LatestAttempt | None = None
    totals: DecisionTotals = NO_DECISIONS
    miss_notes: list[MissNote] = field(default_factory=list)  # newest first

    @property
    def decisions(self) -> int:
        return self.totals.decisions

    @property
    def critical_misses(self) -> int:
        return self.totals.critical_misses

    @property
    def team_name(self) -> str:
        return self.person.team_name

    @property
    def overdue(self) -> int:
        return sum(1 for cell in self.cells if cell.status == Status.OVERDUE)

    # The matrix draws a page's cells and notes by the thousand: as plain tuples the template
    # unpacks each into names in one step, where every `cell.attribute` would cost a lookup.
    @property
    def cell_words(self) -> list[tuple[str, str, str]]:
        """Each cell as (tag class, or "" for no tag; label; the line under it, or "")."""
        return [(cell.tag_class, cell.label, cell.note) for cell in self.cells]

    @property
    def miss_links(self) -> list[tuple[str, str, bool]]:
        """Each critical miss's note as (URL, text, debriefed), newest first."""
        return [(note.url, note.text, note.debriefed) for note in self.miss_notes]

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
        return math.mean_from_totals(self.totals.tendency_total, self.decisions)

    @property
    def proportionate_share(self) -> float | None:
        """The share of decisions inside both bands with no practice error."""
        return math.mean_from_totals(self.totals.within_bands, self.decisions)

    @property
    def safeguarding_text(self) -> str:
        return math.route_tendency_text(
            self.totals.safeguarding_under, self.totals.safeguarding_over, self.decisions
        )

    @property
    def prevent_text(self) -> str:
        return math.route_tendency_text(
            self.totals.prevent_under, self.totals.prevent_over, self.decisions
        )

    @property
    def safeguarding_words(self) -> str:
        totals = self.totals
        return math.route_tendency_words(
            totals.safeguarding_under, totals.safeguarding_over, self.decisions
        )

    @property
    def prevent_words(self) -> str:
        totals = self.totals
        return math.route_tendency_words(totals.prevent_under, totals.prevent_over, self.decisions)

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
        """The numbers after the words: "2 under, 1 over; net -0.13 over 8 decisions"."""
        if not self.decisions:
            return ""
        plural = "" if self.decisions == 1 else "s"
        return f"net {self.tendency_text} over {self.decisions} decision{plural}"

    @property
    def calibration_note(self) -> str:
        if not self.calibration_text:
            return ""
        return f"{self.calibration_text} ({self.proportionate_text} within bands)"

    @property
    def miss_decisions_text(self) -> str:
        """The CSV's list of critical misses, newest first."""
        return "; ".join(note.text for note in self.miss_notes)

    def figures(self) -> dict[str, object]:
        """The per-person CSV line: the very texts the page shows."""
        values = [
            self.person.full_name, self.person.email, self.team_name, self.overdue,
            self.score_text, self.confidence_before or "", self.confidence_after or "",
            self.confidence_change_text, self.decisions, self.proportionate_text,
            self.tendency_text, self.tendency_words, self.safeguarding_text,
            self.safeguarding_words, self.prevent_text, self.prevent_words,
            self.critical_misses, self.miss_decisions_text, self.calibration_text,
            self.calibration_words,
        ]  # fmt: skip
        return dict(zip(PERSON_FIGURE_COLUMNS, values, strict=True))


@dataclass
class RowBuilder:
    """Builds people's rows from their progress (ModuleProgress), each person once."""

    modules: list[Module]
    module: Module | None  # the module filter, if any
    today: date
    totals: dict[int, DecisionTotals]
    built: dict[int, PersonRow] = field(default_factory=dict)
    noted: set[int] = field(default_factory=set)  # whose rows have their miss notes

    def rows_for(self, people: Sequence[Member], *, miss_notes: bool = True) -> list[PersonRow]:
        """The people's rows, built if not yet; with their critical misses' notes unless
        `miss_notes` is off (the matrix CSV has no column for them, and a county's notes are
        most of what its rows cost)."""
        missing = [person for person in people if person.pk not in self.built]
        if missing:
            self.build(missing, [person.pk for person in missing])
        rows = [self.built[person.pk] for person in people]
        if miss_notes:
            self._note_misses(rows)
        return rows

    def _note_misses(self, rows: list[PersonRow]) -> None:
        unread = [row for row in rows if row.person.pk not in self.noted]
        notes = _miss_notes([row.person.pk for row in unread if row.critical_misses], self.module)
        for row in unread:
            row.miss_notes = notes.get(row.person.pk, [])
            self.noted.add(row.person.pk)

    def build(
        self, people: Sequence[Member], user_ids: Iterable[int] | QuerySet
    ) -> list[PersonRow]:
        """`user_ids` picks whose progress to read: the people's own ids, or a subquery of
        the whole scope when building everyone's."""
        progress, latest = _progress(user_ids, self.module)
        module_ids = [m.pk for m in self.modules]
        rows = []
        for person in people:
            pk = person.pk
            cells = [_cell(progress.get((pk, module_id)), self.today) for module_id in module_ids]
            row = PersonRow(
                person=person,
                cells=cells,
                latest=latest.get(pk),
                totals=self.totals.get(pk, NO_DECISIONS),
            )
            self.built[pk] = row
            rows.append(row)
        return rows


# What a cell and the figures read of each person and module's progress.
_PROGRESS_FIELDS = (
    "user_id", "module_id", "assignment_id", "due_on", "extended_due_on", "extension_reason",
    "completed_on", "cancelled_at", "expires_on", "in_progress", "latest_completed_at",
    "latest_attempt_id", "latest_percent", "latest_confidence_before",
    "latest_confidence_after",
)  # fmt: skip


def _progress(
    user_ids: Iterable[int] | QuerySet, module: Module | None
) -> tuple[dict[tuple[int, int], tuple[Any, ...]], dict[int, LatestAttempt]]:
    """The people's progress in each module (of the filtered module alone), from the read
    model, in one query; and each person's latest completed attempt of all (for the
    figures). Completion and expiry are read as days in the current time zone (as due dates
    are), converted by the database."""
    rows = ModuleProgress.objects.filter(user__in=user_ids)
    if module is not None:
        rows = rows.filter(module=module)
    values = rows.annotate(
        completed_on=TruncDate("completed_at"), expires_on=TruncDate("certificate_expires_at")
    ).values_list(*_PROGRESS_FIELDS)
    progress: dict[tuple[int, int], tuple[Any, ...]] = {}
    newest: dict[int, tuple[Any, ...]] = {}
    for row in values:
        user_id, module_id = row[0], row[1]
        progress[user_id, module_id] = row
        completed_at = row[10]
        if completed_at is not None and (
            user_id not in newest or (completed_at, row[11]) > newest[user_id][10:12]
        ):
            newest[user_id] = row
    latest = {user_id: LatestAttempt(row[1], *row[12:15]) for user_id, row in newest.items()}
    return progress, latest


def _miss_notes(user_ids: list[int], module: Module | None) -> dict[int, list[MissNote]]:
    """The critical misses in these people's completed attempts (the ones their totals
    count), newest first: one query for the misses, their decisions' titles from the cache
    (snapshots.step_titles: one more query for versions it lacks); none when nobody asked for
    has a miss."""
    if not user_ids:
        return {}
    answers = Answer.objects.filter(
        attempt__user__in=user_ids, attempt__completed_at__isnull=False, critical_miss=True
    )
    if module is not None:
        answers = answers.filter(attempt__version__module=module)
    rows = list(
        answers.order_by("-answered_at", "-pk").values_list(
            "attempt__user_id", "attempt_id", "step_key", "answered_at",
            "attempt__version_id", "attempt__version__module__title", "debrief__id",
            "attempt__version__published_at",
        )
    )  # fmt: skip
    titles = snapshots.step_titles((row[4], row[7]) for row in rows)
    # A page of a county team lists hundreds of misses: the time zone is looked up once, and
    # the route reversed once (an attempt's page sits under its person's record).
    zone = timezone.get_current_timezone()
    record_url = url_for_ids("training:person-record")
    notes: dict[int, list[MissNote]] = {}
    for user_id, attempt_id, step_key, answered_at, version_id, module_title, debrief, _ in rows:
        notes.setdefault(user_id, []).append(
            MissNote(
                decision_title=titles.get((version_id, step_key)) or step_key,
                module_title=module_title,
                answered_on=timezone.localdate(answered_at, zone),
                url=f"{record_url(user_id)}attempts/{attempt_id}/",
                debriefed=debrief is not None,
            )
        )
    return notes


def _cell(row: tuple[Any, ...] | None, today: date) -> math.Cell:
    if row is None:
        return math.Cell(Status.NOT_ASSIGNED)
    (
        _, _, assignment_id, due, extended, reason, completed_on, cancelled, expires_on,
        in_progress, _, _, percent, _, _,
    ) = row  # fmt: skip
    facts = ()
    if assignment_id is not None:
        facts = (
            math.AssignmentFacts(
                due_on=due,
                extended_due_on=extended,
                extension_reason=reason,
                completed=completed_on is not None,
                cancelled=cancelled is not None,
                certificate_expires_on=expires_on,
                completed_on=completed_on,
            ),
        )
    return math.cell_for(facts, today=today, in_progress=in_progress, percent=percent)
