"""What colleagues would do, read from a case's votes: both routes together (safeguarding by
Prevent), the actions named, and each route split by whether the voter works in a Prevent
priority area (as their authority was designated when they voted).

The discussion panel (selectors.discussion) decides who may see it; this module only counts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Max, Q

from casenotes.models import Case, ConsensusVote
from casenotes.responses import Response
from portal.models import User
from portal.responses import Action, PreventRoute, SafeguardingRoute
from training import responses


@dataclass(frozen=True)
class OwnVote:
    response: Response
    rationale: str


@dataclass(frozen=True)
class VoteGroup:
    """Votes naming one response (both routes and the same actions), from one side of the
    Prevent priority area split: a row of the grouped count."""

    response: Response
    in_priority_area: bool
    count: int


@dataclass(frozen=True)
class GridCell:
    count: int
    is_own: bool
    is_decision: bool


@dataclass(frozen=True)
class GridRow:
    label: str  # a safeguarding level
    cells: tuple[GridCell, ...]  # one per Prevent level, least to most intrusive
    total: int


@dataclass(frozen=True)
class RouteGrid:
    """Votes by safeguarding route (rows) and Prevent route (columns): the two are chosen
    together, so a vote for child protection with a Prevent referral is one count, not two."""

    columns: tuple[str, ...]  # the Prevent levels' labels
    rows: tuple[GridRow, ...]  # every safeguarding level, least to most intrusive
    column_totals: tuple[int, ...]
    total: int


@dataclass(frozen=True)
class LevelCount:
    """Votes for one level of a route, split by whether the voter works in a Prevent priority
    area (as their authority was designated when they voted)."""

    level: str
    label: str
    priority: int
    other: int
    is_own: bool
    is_decision: bool

    @property
    def total(self) -> int:
        return self.priority + self.other


@dataclass(frozen=True)
class ActionCount:
    """How many answers name an action, of all the answers."""

    key: str
    label: str
    count: int
    of: int
    is_own: bool
    is_decision: bool


@dataclass(frozen=True)
class ChartBar:
    x: int
    y: int
    width: int
    height: int
    text_x: int
    text_y: int
    text: str
    group: str  # "priority-area" or "other-areas", the CSS modifier


@dataclass(frozen=True)
class ChartRow:
    label: str
    label_y: int
    bars: tuple[ChartBar, ChartBar]


# Geometry of a route's chart (SVG user units): labels right-aligned at LABEL_RIGHT, then two
# bars per level whose length is the level's share of that group's votes.
CHART_WIDTH = 640
CHART_TOP = 40
LABEL_RIGHT = 280
BAR_LEFT = 290
BAR_MAX = 250
BAR_HEIGHT = 16
ROW_HEIGHT = 48


def _share(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


@dataclass(frozen=True)
class RouteSplit:
    """One route's votes by level, split by Prevent priority area, with the chart of them."""

    route: str  # "safeguarding" or "prevent", also the chart's id
    name: str  # "Safeguarding" or "Prevent"
    rows: tuple[LevelCount, ...]  # every level of the route, least to most intrusive

    @property
    def priority_total(self) -> int:
        return sum(row.priority for row in self.rows)

    @property
    def other_total(self) -> int:
        return sum(row.other for row in self.rows)

    @property
    def total(self) -> int:
        return self.priority_total + self.other_total

    @property
    def chart_height(self) -> int:
        return CHART_TOP + ROW_HEIGHT * len(self.rows)

    @property
    def chart_rows(self) -> list[ChartRow]:
        """Bars as shares of each group, so a group with fewer voters still compares."""
        totals = {"priority-area": self.priority_total, "other-areas": self.other_total}
        chart = []
        for index, row in enumerate(self.rows):
            top = CHART_TOP + index * ROW_HEIGHT
            bars = []
            for offset, (group, count) in enumerate(
                (("priority-area", row.priority), ("other-areas", row.other))
            ):
                share = _share(count, totals[group])
                width = round(BAR_MAX * share / 100)
                y = top + offset * (BAR_HEIGHT + 2)
                bars.append(
                    ChartBar(
                        x=BAR_LEFT,
                        y=y,
                        width=width,
                        height=BAR_HEIGHT,
                        text_x=BAR_LEFT + width + 6,
                        text_y=y + BAR_HEIGHT - 3,
                        text=f"{count} ({share}%)",
                        group=group,
                    )
                )
            chart.append(ChartRow(row.label, top + BAR_HEIGHT + 6, (bars[0], bars[1])))
        return chart

    @property
    def chart_width(self) -> int:
        return CHART_WIDTH

    @property
    def label_right(self) -> int:
        return LABEL_RIGHT


@dataclass(frozen=True)
class Distribution:
    grid: RouteGrid
    splits: tuple[RouteSplit, RouteSplit]  # safeguarding, then Prevent
    actions: tuple[ActionCount, ...]  # the actions any answer names, most named first
    decision: Response  # what was done

    @property
    def priority_total(self) -> int:
        return self.splits[0].priority_total

    @property
    def other_total(self) -> int:
        return self.splits[0].other_total

    @property
    def total(self) -> int:
        return self.grid.total


def votes_counted(case: Case, user: User) -> tuple[list[VoteGroup], OwnVote | None]:
    """Counts per (response, priority area) and the user's own vote, in one query. A vote's
    actions are stored in the vocabulary's order, so equal sets group together."""
    mine = Q(voter_id=user.pk)
    rows = (
        ConsensusVote.objects.filter(case=case)
        .order_by()
        .values("safeguarding", "prevent", "actions", "voter_in_priority_area")
        .annotate(
            count=Count("pk"),
            mine=Count("pk", filter=mine),
            mine_rationale=Max("rationale", filter=mine),
        )
    )
    groups, own = [], None
    for row in rows:
        response = Response(row["safeguarding"], row["prevent"], tuple(row["actions"]))
        groups.append(VoteGroup(response, row["voter_in_priority_area"], row["count"]))
        if row["mine"]:
            own = OwnVote(response, row["mine_rationale"] or "")
    return groups, own


def _grid(groups: list[VoteGroup], *, own: Response | None, decision: Response) -> RouteGrid:
    counts: Counter[tuple[str, str]] = Counter()
    for group in groups:
        counts[(group.response.safeguarding, group.response.prevent)] += group.count
    prevent_levels = PreventRoute.values
    rows = tuple(
        GridRow(
            label=label,
            cells=tuple(
                GridCell(
                    count=counts[(level, prevent)],
                    is_own=own is not None and (own.safeguarding, own.prevent) == (level, prevent),
                    is_decision=(decision.safeguarding, decision.prevent) == (level, prevent),
                )
                for prevent in prevent_levels
            ),
            total=sum(counts[(level, prevent)] for prevent in prevent_levels),
        )
        for level, label in SafeguardingRoute.choices
    )
    return RouteGrid(
        columns=tuple(PreventRoute.labels),
        rows=rows,
        column_totals=tuple(
            sum(row.cells[index].count for row in rows) for index in range(len(prevent_levels))
        ),
        total=sum(counts.values()),
    )


def _split(
    route: str, groups: list[VoteGroup], *, own: Response | None, decision: Response
) -> RouteSplit:
    counts: Counter[tuple[str, bool]] = Counter()
    for group in groups:
        counts[(getattr(group.response, route), group.in_priority_area)] += group.count
    rows = tuple(
        LevelCount(
            level=term.key,
            label=term.label,
            priority=counts[(term.key, True)],
            other=counts[(term.key, False)],
            is_own=own is not None and getattr(own, route) == term.key,
            is_decision=getattr(decision, route) == term.key,
        )
        for term in responses.LEVELS[route]
    )
    return RouteSplit(route=route, name=responses.ROUTE_NAMES[route], rows=rows)


def _action_counts(
    groups: list[VoteGroup], *, own: Response | None, decision: Response
) -> tuple[ActionCount, ...]:
    counts: Counter[str] = Counter()
    for group in groups:
        for action in group.response.actions:
            counts[action] += group.count
    total = sum(group.count for group in groups)
    named = [key for key in responses.ACTION_KEYS if counts[key]]
    return tuple(
        ActionCount(
            key=key,
            label=Action(key).label,
            count=counts[key],
            of=total,
            is_own=own is not None and key in own.actions,
            is_decision=key in decision.actions,
        )
        for key in sorted(named, key=lambda key: -counts[key])  # ties in the vocabulary's order
    )


def distribution_of(groups: list[VoteGroup], *, own: OwnVote | None, case: Case) -> Distribution:
    """What colleagues would do (from votes_counted), with the viewer's own answer and what
    was done marked."""
    mine = own.response if own is not None else None
    decision = case.decision
    return Distribution(
        grid=_grid(groups, own=mine, decision=decision),
        splits=(
            _split(responses.SAFEGUARDING, groups, own=mine, decision=decision),
            _split(responses.PREVENT, groups, own=mine, decision=decision),
        ),
        actions=_action_counts(groups, own=mine, decision=decision),
        decision=decision,
    )
