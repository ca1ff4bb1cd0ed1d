"""Reads of the team progress report: a team's people × modules matrix, overdue list and
per-person figures (score, confidence, response tendency, calibration).

Who sees what: supervisors their own team, authority admins every team of their authority;
a team outside that scope is missing (404).

The team report reads six queries however many people and modules: teams, people, modules,
assignments, attempts (light fields) and answer totals per person. The matrix, the figures and
the histogram are computed in Python by training.progress and training.report_math.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.safestring import SafeString

from portal.models import Authority, Team, User
from training import access, presenters, progress
from training import report_math as math
from training.models import Answer, Assignment, Attempt, Module
from training.progress import Status

REPORT_SORTS = ("name", "team", "overdue", "score", "confidence", "tendency", "calibration")
# A first click on these shows the highest first (the most overdue people).
REPORT_SORTS_DESCENDING_FIRST = frozenset({"overdue"})


def _today() -> date:
    return timezone.localdate()


def _local_date(moment: datetime | None, zone: tzinfo | None = None) -> date | None:
    """`zone` saves looking up the current time zone again for each of thousands of rows."""
    if moment is None:
        return None
    return moment.astimezone(zone or timezone.get_current_timezone()).date()


# --- The team report ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFilters:
    """What the team page was asked for (its GET form and sort links)."""

    team_id: int | None = None
    module_key: str = ""
    status: str = ""
    sort: str = "name"  # a name from REPORT_SORTS, "-" in front for descending

    @property
    def sort_key(self) -> str:
        key = self.sort.removeprefix("-")
        return key if key in REPORT_SORTS else "name"

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-") and self.sort_key == self.sort[1:]


@dataclass(frozen=True)
class LatestAttempt:
    module_id: int
    completed_at: datetime
    percent: int | None
    confidence_before: int | None
    confidence_after: int | None


PERSON_FIGURE_COLUMNS = (
    "Name", "Email address", "Team", "Overdue", "Latest score", "Confidence before",
    "Confidence after", "Confidence change", "Decisions", "Proportionate decisions",
    "Response tendency", "Tendency", "Calibration", "Calibration in words",
)  # fmt: skip


@dataclass
class PersonRow:
    """One person's line of the matrix and of the figures table (and of both CSV files)."""

    person: User
    cells: list[math.Cell] = field(default_factory=list)
    latest: LatestAttempt | None = None
    decisions: int = 0
    distance_total: int = 0
    proportionate: int = 0

    @property
    def team_name(self) -> str:
        return self.person.team.name if self.person.team else "No team"

    @property
    def cells_html(self) -> SafeString:
        return presenters.matrix_cells_html(self.cells)

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


@dataclass(frozen=True)
class OverdueItem:
    module: Module
    cell: math.Cell
    days_overdue: int


@dataclass(frozen=True)
class OverduePerson:
    """Someone with overdue assignments, the longest overdue first: whom to chase."""

    person: User
    items: list[OverdueItem]

    @property
    def most_days_overdue(self) -> int:
        return self.items[0].days_overdue


@dataclass
class TeamReport:
    title: str  # the team's name, or the authority's for all its teams
    today: date
    filters: ReportFilters
    teams: list[Team]
    team: Team | None
    module_choices: list[Module]
    modules: list[Module]
    people: list[PersonRow]
    overdue: list[OverduePerson]
    histogram: list[math.Bucket]
    team_tendency: math.Totals
    all_teams_allowed: bool = False  # authority admins may look at every team at once

    @property
    def bars(self) -> list[math.Bar]:
        return math.histogram_bars(self.histogram)

    @property
    def axis_words(self) -> list[math.AxisWord]:
        return math.axis_words(self.bars)

    @property
    def overdue_count(self) -> int:
        return sum(len(entry.items) for entry in self.overdue)

    @property
    def team_tendency_text(self) -> str:
        return math.signed(self.team_tendency.value)

    @property
    def team_tendency_words(self) -> str:
        return math.tendency_words(self.team_tendency.value)

    @property
    def status_choices(self) -> list[Status]:
        return list(Status)


def _teams_in_scope(user: User, team_id: int | None) -> tuple[list[Team], Team | None]:
    """The teams the viewer may pick, and the one picked (a supervisor's is always theirs)."""
    if user.is_authority_admin:
        teams = list(Team.objects.filter(authority_id=user.authority_id))
    else:
        teams = list(Team.objects.filter(pk=user.team_id))
    if team_id is None:
        return teams, (None if user.is_authority_admin else teams[0])
    team = next((t for t in teams if t.pk == team_id), None)
    if team is None:  # another team, another authority's, or none at all: not for this viewer
        raise Http404
    return teams, team


def _people(user: User, team: Team | None) -> QuerySet[User]:
    people = User.objects.filter(authority_id=user.authority_id, is_active=True)
    return people.filter(team=team) if team is not None else people


def _module_choices(user: User) -> list[Module]:
    return list(
        Module.objects.for_user(user)
        .filter(versions__isnull=False)
        .distinct()
        .only("id", "key", "title")
        .order_by("title")
    )


def _assignment_facts(people: QuerySet[User]) -> dict[tuple[int, int], list[math.AssignmentFacts]]:
    rows = Assignment.objects.filter(user__in=people.values("pk")).values_list(
        "user_id",
        "module_id",
        "due_on",
        "extended_due_on",
        "extension_reason",
        "completed_at",
        "cancelled_at",
        "completed_by__expires_at",
    )
    facts: dict[tuple[int, int], list[math.AssignmentFacts]] = defaultdict(list)
    zone = timezone.get_current_timezone()
    for user_id, module_id, due, extended, reason, completed, cancelled, expires in rows:
        facts[user_id, module_id].append(
            math.AssignmentFacts(
                due_on=due,
                extended_due_on=extended,
                extension_reason=reason,
                completed=completed is not None,
                cancelled=cancelled is not None,
                certificate_expires_on=_local_date(expires, zone),
                completed_on=_local_date(completed, zone),
            )
        )
    return facts


def _attempts(people: QuerySet[User]) -> list[tuple[Any, ...]]:
    return list(
        Attempt.objects.filter(user__in=people.values("pk"))
        .order_by("completed_at", "pk")
        .values_list(
            "user_id",
            "version__module_id",
            "completed_at",
            "percent",
            "confidence_before",
            "confidence_after",
        )
    )


def _answer_totals(people: QuerySet[User], module: Module | None) -> dict[int, tuple[int, ...]]:
    """Per person: decisions, sum of signed distances, proportionate decisions (completed
    attempts only: an abandoned attempt says little about how someone decides)."""
    answers = Answer.objects.filter(
        attempt__user__in=people.values("pk"), attempt__completed_at__isnull=False
    )
    if module is not None:
        answers = answers.filter(attempt__version__module=module)
    rows = (
        answers.values("attempt__user_id")
        .annotate(
            decisions=Count("id"),
            total=Sum("distance"),
            proportionate=Count("id", filter=Q(distance=0)),
        )
        .order_by()
        .values_list("attempt__user_id", "decisions", "total", "proportionate")
    )
    return {user_id: (decisions, total, same) for user_id, decisions, total, same in rows}


def team_report_for_user(*, user: User, filters: ReportFilters) -> TeamReport:
    """The team page: people × modules matrix, overdue list and per-person figures."""
    if not access.can_view_team_progress(user):
        raise Http404
    today = _today()
    teams, team = _teams_in_scope(user, filters.team_id)
    people_qs = _people(user, team)
    people = list(people_qs.select_related("team"))
    module_choices = _module_choices(user)
    module = None
    if filters.module_key:
        module = next((m for m in module_choices if m.key == filters.module_key), None)
        if module is None:
            raise Http404
    facts = _assignment_facts(people_qs)
    attempts = _attempts(people_qs)

    in_progress, latest_by_cell, latest_by_person = _latest_attempts(attempts, module)
    if module is not None:
        modules = [module]
    else:
        used = {module_id for _, module_id in facts} | {module_id for _, module_id in in_progress}
        used |= {module_id for _, module_id in latest_by_cell}
        modules = [m for m in module_choices if m.pk in used]

    totals = _answer_totals(people_qs, module)
    rows = []
    for person in people:
        decisions, distance_total, proportionate = totals.get(person.pk, (0, 0, 0))
        cells = [
            math.cell_for(
                facts.get((person.pk, m.pk), []),
                today=today,
                in_progress=(person.pk, m.pk) in in_progress,
                percent=(
                    latest.percent if (latest := latest_by_cell.get((person.pk, m.pk))) else None
                ),
            )
            for m in modules
        ]
        rows.append(
            PersonRow(
                person=person,
                cells=cells,
                latest=latest_by_person.get(person.pk),
                decisions=decisions,
                distance_total=distance_total,
                proportionate=proportionate,
            )
        )
    if filters.status in set(Status):
        rows = [row for row in rows if any(c.status == filters.status for c in row.cells)]
    rows = _sorted(rows, filters)
    return TeamReport(
        title=team.name if team is not None else _authority_name(user),
        today=today,
        filters=filters,
        teams=teams,
        team=team,
        module_choices=module_choices,
        modules=modules,
        people=rows,
        overdue=_overdue(rows, modules, today),
        histogram=math.tendency_histogram(row.tendency for row in rows),
        team_tendency=math.add_up(
            math.Totals(1, row.distance_total, row.decisions) for row in rows if row.decisions
        ),
        all_teams_allowed=user.is_authority_admin,
    )


def _latest_attempts(
    attempts: list[tuple[Any, ...]], module: Module | None
) -> tuple[set[tuple[int, int]], dict[tuple[int, int], LatestAttempt], dict[int, LatestAttempt]]:
    """Who has an attempt under way at which module; the latest completed attempt of each
    person at each module (for the cells) and overall, or at the chosen module (figures).
    Attempts arrive oldest first, so later ones overwrite."""
    in_progress: set[tuple[int, int]] = set()
    by_cell: dict[tuple[int, int], LatestAttempt] = {}
    by_person: dict[int, LatestAttempt] = {}
    for user_id, module_id, completed_at, percent, before, after in attempts:
        if completed_at is None:
            in_progress.add((user_id, module_id))
            continue
        latest = LatestAttempt(module_id, completed_at, percent, before, after)
        by_cell[user_id, module_id] = latest
        if module is None or module_id == module.pk:
            by_person[user_id] = latest
    return in_progress, by_cell, by_person


def _overdue(rows: list[PersonRow], modules: list[Module], today: date) -> list[OverduePerson]:
    overdue = []
    for row in rows:
        items = [
            OverdueItem(module=m, cell=cell, days_overdue=(today - cell.due_on).days)
            for m, cell in zip(modules, row.cells, strict=True)
            if cell.status == Status.OVERDUE and cell.due_on is not None
        ]
        if items:
            items.sort(key=lambda item: -item.days_overdue)
            overdue.append(OverduePerson(row.person, items))
    overdue.sort(key=lambda entry: -entry.most_days_overdue)  # stable: names stay in order
    return overdue


def _authority_name(user: User) -> str:
    # One small query, only on an admin's all-teams view.
    return Authority.objects.values_list("name", flat=True).get(pk=user.authority_id)


_SORT_KEYS = {
    "name": lambda row: (row.person.full_name.casefold(), row.person.email),
    "team": lambda row: row.team_name.casefold(),
    "overdue": lambda row: row.overdue,
    "score": lambda row: row.score,
    "confidence": lambda row: row.confidence_change,
    "tendency": lambda row: row.tendency,
    "calibration": lambda row: row.calibration,
}


def _sorted(rows: list[PersonRow], filters: ReportFilters) -> list[PersonRow]:
    by_name = sorted(rows, key=_SORT_KEYS["name"])
    if filters.sort_key == "name":
        return list(reversed(by_name)) if filters.descending else by_name
    return math.sort_nones_last(
        by_name, _SORT_KEYS[filters.sort_key], descending=filters.descending
    )
