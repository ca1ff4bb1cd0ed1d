"""Reads of the team progress report: a team's people × modules matrix, overdue list and
per-person figures (score, confidence, response tendency, calibration).

Who sees what: supervisors their own team, authority admins every team of their authority;
a team outside that scope is missing (404).

The page shows fifty people at a time, so a person's row (cells and figures) is built only
when asked for (`TeamReport.rows_for`). Everything about the whole team comes from cheap
reads instead: the people, the modules in use, the overdue assignments and each person's
decision totals give the header, the overdue list, the histogram and the order by name, team
or overdue count. A status filter or a sort by a figure needs everyone's rows before the
order is known, and the CSV exports list everyone: then every row is built at once, by the
same code.

Queries stay fixed however many people and modules: teams, people, modules (marked in use or
not), overdue assignments, decision totals, then the rows' people's progress. All but the first
three read the progress read model (ModuleProgress: one row per person and module, kept by the
services), not the people's assignments and attempts. The cells and figures are computed in
Python by training.progress and training.report_math, against today.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from portal.ids import url_for_ids
from portal.models import Authority, Team, User
from training import access
from training import report_math as math
from training.models import Attempt, Module, ModuleProgress
from training.progress import Status
from training.selectors.report_rows import (
    NO_DECISIONS,
    DecisionTotals,
    Member,
    PersonRow,
    RowBuilder,
)

REPORT_SORTS = ("name", "team", "overdue", "score", "confidence", "tendency", "calibration")
# A first click on these shows the highest first (the most overdue people).
REPORT_SORTS_DESCENDING_FIRST = frozenset({"overdue"})
# Orders known without anyone's cells or figures (names, teams, overdue counts).
PAGE_SORTS = frozenset({"name", "team", "overdue"})
# The overdue list names this many of the longest overdue; the status filter finds the rest.
OVERDUE_LISTED = 10

Row = TypeVar("Row")


def _today() -> date:
    return timezone.localdate()


def decision_totals(attempts: QuerySet[Attempt], *group_by: str) -> QuerySet[Attempt]:
    """Decisions and their net tendency (over- minus under-reactions on both routes; see
    report_rows.DecisionTotals), grouped by these fields, over the completed attempts among
    `attempts` (an abandoned attempt says little about how someone decides). Read from the
    totals each attempt keeps of its answers: the team page and the authority report both
    add them up so."""
    return (
        attempts.filter(completed_at__isnull=False, answer_count__gt=0)
        .values(*group_by)
        .annotate(
            decisions=Sum("answer_count"),
            tendency_total=Sum(_NET_REACTIONS),
            **{name: Sum(f"{name}_count") for name in ROUTE_COUNTS},
        )
        .order_by()
    )


# Per route, the attempts' under- and over-reactions (decision_totals adds them up too).
ROUTE_COUNTS = ("safeguarding_under", "safeguarding_over", "prevent_under", "prevent_over")


_NET_REACTIONS = (
    F("safeguarding_over_count")
    + F("prevent_over_count")
    - F("safeguarding_under_count")
    - F("prevent_under_count")
)


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

    @property
    def status_filter(self) -> Status | None:
        return Status(self.status) if self.status in set(Status) else None

    @property
    def needs_every_row(self) -> bool:
        """Who is shown, or in what order, depends on everyone's cells or figures."""
        return self.status_filter is not None or self.sort_key not in PAGE_SORTS


@dataclass(frozen=True)
class OverdueItem:
    module: Module
    cell: math.Cell
    days_overdue: int

    @property
    def text(self) -> str:
        """Jo's bedroom door: due 3 Nov 2026 (extended: Leave), 24 days overdue."""
        reason = self.cell.assignment.extension_reason if self.cell.assignment else ""
        extended = f" (extended: {reason})" if self.cell.is_extended else ""
        days = "day" if self.days_overdue == 1 else "days"
        due = math.short_date(self.cell.due_on)
        return f"{self.module.title}: due {due}{extended}, {self.days_overdue} {days} overdue"


@dataclass(frozen=True)
class OverduePerson:
    """Someone with overdue assignments, the longest overdue first: whom to chase."""

    person: Member
    items: list[OverdueItem]

    @property
    def most_days_overdue(self) -> int:
        return self.items[0].days_overdue


@dataclass(frozen=True)
class _Standing:
    """What ordering by name, team or overdue count needs of a person (no cells)."""

    person: Member
    overdue: int

    @property
    def team_name(self) -> str:
        return self.person.team_name


@dataclass
class TeamReport:
    title: str  # the team's name, or the authority's for all its teams
    today: date
    filters: ReportFilters
    teams: list[Team]
    team: Team | None
    module_choices: list[Module]
    modules: list[Module]
    people: list[Member]  # everyone the filters keep, in the order asked for
    overdue: list[OverduePerson]  # the longest overdue first, at most OVERDUE_LISTED
    overdue_people: int  # how many of `people` have something overdue
    overdue_count: int  # their overdue assignments
    histogram: list[math.Bucket]
    team_tendency: math.Totals
    team_totals: DecisionTotals  # everyone shown's decisions, added up per route
    row_builder: RowBuilder
    all_teams_allowed: bool = False  # authority admins may look at every team at once

    def rows_for(self, people: Sequence[Member], *, miss_notes: bool = True) -> list[PersonRow]:
        """The rows of these people (of `people`, e.g. a page of them): only theirs are built;
        `miss_notes=False` leaves out their critical misses' notes (RowBuilder.rows_for)."""
        return self.row_builder.rows_for(people, miss_notes=miss_notes)

    @property
    def overdue_cut_short(self) -> bool:
        return self.overdue_people > len(self.overdue)

    @property
    def bars(self) -> list[math.Bar]:
        return math.histogram_bars(self.histogram)

    @property
    def axis_words(self) -> list[math.AxisWord]:
        return math.axis_words(self.bars)

    @property
    def team_tendency_text(self) -> str:
        return math.signed(self.team_tendency.value)

    @property
    def team_tendency_words(self) -> str:
        return math.tendency_words(self.team_tendency.value)

    @property
    def route_lines(self) -> list[tuple[str, str, str]]:
        """Per route, everyone shown's tendency: (route, words, numbers)."""
        t = self.team_totals
        return [
            (
                "Safeguarding route",
                math.route_tendency_words(t.safeguarding_under, t.safeguarding_over, t.decisions),
                math.route_tendency_text(t.safeguarding_under, t.safeguarding_over, t.decisions),
            ),
            (
                "Prevent route",
                math.route_tendency_words(t.prevent_under, t.prevent_over, t.decisions),
                math.route_tendency_text(t.prevent_under, t.prevent_over, t.decisions),
            ),
        ]

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


def _members(people: QuerySet[User]) -> list[Member]:
    """In no order: _sorted orders them as the page asks."""
    rows = people.order_by().values_list("pk", "full_name", "email", "team__name")
    record_url = url_for_ids("training:person-record")
    return [
        Member(pk, name, email, "No team" if team is None else team, record_url(pk))
        for pk, name, email, team in rows
    ]


def _module_choices(user: User, in_scope: QuerySet) -> list[Module]:
    """The modules the viewer may pick, each marked `in_use` if anyone in scope has been
    assigned it or has attempted it (the matrix has a column for those): anyone in scope
    has progress in it."""
    in_use = Q(pk__in=ModuleProgress.objects.filter(user__in=in_scope).values("module_id"))
    return list(
        Module.objects.for_user(user)
        .filter(versions__isnull=False)
        .distinct()
        .annotate(in_use=ExpressionWrapper(in_use, output_field=BooleanField()))
        .only("id", "key", "title")
        .order_by("title")
    )


def _decision_totals(
    user_ids: Iterable[int] | QuerySet, module: Module | None
) -> dict[int, DecisionTotals]:
    """Each person's decision totals, added up from their progress in each module (which
    keeps those of its completed attempts, as decision_totals adds them up)."""
    progress = ModuleProgress.objects.filter(user__in=user_ids, decisions__gt=0)
    if module is not None:
        progress = progress.filter(module=module)
    sums = {name: Sum(name) for name in _PROGRESS_TOTALS}
    rows = (
        progress.values("user_id")
        .annotate(total_decisions=Sum("decisions"), **{f"{k}_sum": v for k, v in sums.items()})
        .order_by()
        .values_list("user_id", "total_decisions", *(f"{name}_sum" for name in _PROGRESS_TOTALS))
    )
    return {user_id: DecisionTotals(*totals) for user_id, *totals in rows}


# DecisionTotals' fields after the decisions, as the read model names them.
_PROGRESS_TOTALS = (
    "within_bands_count",
    "safeguarding_under_count",
    "safeguarding_over_count",
    "prevent_under_count",
    "prevent_over_count",
    "critical_miss_count",
)


def _overdue_assignments(
    user_ids: Iterable[int] | QuerySet, modules: list[Module], today: date
) -> dict[int, dict[int, math.AssignmentFacts]]:
    """Each person's overdue assignment of each module, read without their cells.

    A cell is overdue exactly when the assignment it shows (the read model's: the open one
    due first, report_math.current_assignment) is open and its effective due date has passed.
    """
    rows = (
        ModuleProgress.objects.filter(
            user__in=user_ids,
            module__in=[m.pk for m in modules],
            assignment__isnull=False,
            completed_at__isnull=True,
            cancelled_at__isnull=True,
            effective_due_on__lt=today,
        )
        .order_by()
        .values_list("user_id", "module_id", "due_on", "extended_due_on", "extension_reason")
    )
    overdue: dict[int, dict[int, math.AssignmentFacts]] = defaultdict(dict)
    for user_id, module_id, due, extended, reason in rows:
        overdue[user_id][module_id] = math.AssignmentFacts(due, extended, reason)
    return overdue


def _overdue_list(
    people: list[Member],
    overdue: dict[int, dict[int, math.AssignmentFacts]],
    modules: list[Module],
    today: date,
) -> tuple[list[OverduePerson], int, int]:
    """The OVERDUE_LISTED people longest overdue, the longest first (ties in the table's
    order), each with their overdue modules; how many people and assignments are overdue."""
    late = [person for person in people if person.pk in overdue]
    earliest = {pk: min(f.effective_due_on for f in overdue[pk].values()) for pk in overdue}
    late.sort(key=lambda person: earliest[person.pk])  # stable, so ties keep their order
    listed = []
    for person in late[:OVERDUE_LISTED]:
        items = [
            OverdueItem(
                module=m,
                cell=math.Cell(Status.OVERDUE, facts),
                days_overdue=(today - facts.effective_due_on).days,
            )
            for m in modules
            if (facts := overdue[person.pk].get(m.pk)) is not None
        ]
        items.sort(key=lambda item: -item.days_overdue)
        listed.append(OverduePerson(person, items))
    return listed, len(late), sum(len(overdue[person.pk]) for person in late)


def team_report_for_user(
    *, user: User, filters: ReportFilters, every_row: bool = False
) -> TeamReport:
    """The team page: people × modules matrix, overdue list and per-person figures.

    Rows are built when asked for (`rows_for`), unless the filters need everyone's to know
    who is shown in what order, or `every_row` asks for all of them now (the CSV exports).
    """
    if not access.can_view_team_progress(user):
        raise Http404
    today = _today()
    teams, team = _teams_in_scope(user, filters.team_id)
    in_scope = _people(user, team).values("pk")
    people = _members(_people(user, team))
    module_choices = _module_choices(user, in_scope)
    module = None
    if filters.module_key:
        module = next((m for m in module_choices if m.key == filters.module_key), None)
        if module is None:
            raise Http404
    modules = [module] if module is not None else [m for m in module_choices if m.in_use]
    totals = _decision_totals(in_scope, module)
    overdue = _overdue_assignments(in_scope, modules, today)
    builder = RowBuilder(modules=modules, module=module, today=today, totals=totals)
    if every_row or filters.needs_every_row:  # who is shown, or their order, needs the rows
        rows = builder.build(people, in_scope)
        if (status := filters.status_filter) is not None:
            rows = [row for row in rows if any(cell.status == status for cell in row.cells)]
        people = [row.person for row in _sorted(rows, filters)]
    else:  # names, teams and overdue counts decide; a page's rows are built when shown
        standings = [_Standing(person, len(overdue.get(person.pk, ()))) for person in people]
        people = [standing.person for standing in _sorted(standings, filters)]
    listed, overdue_people, overdue_count = _overdue_list(people, overdue, modules, today)
    shown = [totals.get(person.pk, NO_DECISIONS) for person in people]
    return TeamReport(
        title=team.name if team is not None else _authority_name(user),
        today=today,
        filters=filters,
        teams=teams,
        team=team,
        module_choices=module_choices,
        modules=modules,
        people=people,
        overdue=listed,
        overdue_people=overdue_people,
        overdue_count=overdue_count,
        histogram=math.tendency_histogram(
            math.mean_from_totals(t.tendency_total, t.decisions) for t in shown
        ),
        team_tendency=math.add_up(
            math.Totals(1, t.tendency_total, t.decisions) for t in shown if t.decisions
        ),
        team_totals=DecisionTotals(*map(sum, zip(NO_DECISIONS, *shown, strict=True))),
        row_builder=builder,
        all_teams_allowed=user.is_authority_admin,
    )


def _authority_name(user: User) -> str:
    # One small query, only on an admin's all-teams view.
    return Authority.objects.values_list("name", flat=True).get(pk=user.authority_id)


# Rows here are PersonRows, or _Standings for the orders that need no figures.
_SORT_KEYS = {
    "name": lambda row: (row.person.full_name.casefold(), row.person.email),
    "team": lambda row: row.team_name.casefold(),
    "overdue": lambda row: row.overdue,
    "score": lambda row: row.score,
    "confidence": lambda row: row.confidence_change,
    "tendency": lambda row: row.tendency,
    "calibration": lambda row: row.calibration,
}


def _sorted(rows: list[Row], filters: ReportFilters) -> list[Row]:
    by_name = sorted(rows, key=_SORT_KEYS["name"])
    if filters.sort_key == "name":
        return list(reversed(by_name)) if filters.descending else by_name
    return math.sort_nones_last(
        by_name, _SORT_KEYS[filters.sort_key], descending=filters.descending
    )
