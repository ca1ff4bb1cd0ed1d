"""Reads of the authority report: an authority's figures by team, and how it compares with
the median of other authorities (aggregates only, never about fewer than five people).

Six queries however big the country: the authority, its teams, three aggregates grouped by
authority and team (assignments, attempts, attempts' decision totals), and its people's
tendencies.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum
from django.http import Http404

from portal.models import Authority, Team, User
from training import access as training_access
from training import report_math as math
from training.models import Assignment, Attempt
from training.selectors.reports import ROUTE_COUNTS, decision_totals

NO_REACTIONS = (0,) * len(ROUTE_COUNTS)


@dataclass
class GroupFigures:
    """A team's (or an authority's) three figures, each with the people behind it."""

    name: str
    completion: math.Totals = field(default_factory=math.Totals)
    confidence: math.Totals = field(default_factory=math.Totals)
    tendency: math.Totals = field(default_factory=math.Totals)
    reactions: tuple[int, ...] = NO_REACTIONS  # ROUTE_COUNTS over tendency.count decisions
    team_id: int | None = None

    def __add__(self, other: GroupFigures) -> GroupFigures:
        return GroupFigures(
            self.name,
            self.completion + other.completion,
            self.confidence + other.confidence,
            self.tendency + other.tendency,
            tuple(map(sum, zip(self.reactions, other.reactions, strict=True))),
            self.team_id,
        )

    @property
    def people(self) -> int:
        return max(self.completion.people, self.confidence.people, self.tendency.people)

    @property
    def completion_text(self) -> str:
        return math.percent(self.completion.value)

    @property
    def confidence_text(self) -> str:
        return math.signed(self.confidence.value)

    @property
    def tendency_text(self) -> str:
        return math.signed(self.tendency.value)

    @property
    def tendency_words(self) -> str:
        return math.tendency_words(self.tendency.value)

    @property
    def route_lines(self) -> list[tuple[str, str, str]]:
        """Per route, in words first and numbers second: (route, words, numbers)."""
        sg_under, sg_over, pv_under, pv_over = self.reactions
        decisions = self.tendency.count
        return [
            (
                "Safeguarding",
                math.route_tendency_words(sg_under, sg_over, decisions),
                math.route_tendency_text(sg_under, sg_over, decisions),
            ),
            (
                "Prevent",
                math.route_tendency_words(pv_under, pv_over, decisions),
                math.route_tendency_text(pv_under, pv_over, decisions),
            ),
        ]


@dataclass(frozen=True)
class ComparisonLine:
    label: str
    comparison: math.Comparison
    as_percent: bool = False

    def _text(self, value: float | None) -> str:
        return math.percent(value) if self.as_percent else math.signed(value)

    @property
    def own_text(self) -> str:
        return self._text(self.comparison.own)

    @property
    def median_text(self) -> str:
        return self._text(self.comparison.others_median)

    @property
    def difference_text(self) -> str:
        difference = self.comparison.difference
        if difference is None:
            return ""
        if self.as_percent:
            return f"{round(difference * 100):+d} percentage points"
        return math.signed(difference)


@dataclass
class AuthorityReport:
    authority: Authority
    teams: list[GroupFigures]
    overall: GroupFigures
    comparisons: list[ComparisonLine]
    histogram: list[math.Bucket]
    min_group: int = math.MIN_GROUP_SIZE

    @property
    def bars(self) -> list[math.Bar]:
        return math.histogram_bars(self.histogram)

    @property
    def axis_words(self) -> list[math.AxisWord]:
        return math.axis_words(self.bars)

    @property
    def has_comparison(self) -> bool:
        return any(line.comparison.others_median is not None for line in self.comparisons)


def _grouped_totals() -> dict[tuple[int, int | None], GroupFigures]:
    """Every authority's figures by team, as totals (three aggregate queries, no names)."""
    groups: dict[tuple[int, int | None], GroupFigures] = defaultdict(lambda: GroupFigures(""))
    active = {"user__is_active": True, "user__authority__isnull": False}
    completion = (
        Assignment.objects.filter(cancelled_at__isnull=True, **active)
        .values("user__authority_id", "user__team_id")
        .annotate(
            people=Count("user", distinct=True),
            done=Count("id", filter=Q(completed_at__isnull=False)),
            assigned=Count("id"),
        )
        .order_by()
    )
    for row in completion:
        key = (row["user__authority_id"], row["user__team_id"])
        groups[key].completion = math.Totals(row["people"], row["done"], row["assigned"])
    confidence = (
        Attempt.objects.filter(
            completed_at__isnull=False,
            confidence_before__isnull=False,
            confidence_after__isnull=False,
            **active,
        )
        .values("user__authority_id", "user__team_id")
        .annotate(
            people=Count("user", distinct=True),
            change=Sum(F("confidence_after") - F("confidence_before")),
            attempts=Count("id"),
        )
        .order_by()
    )
    for row in confidence:
        key = (row["user__authority_id"], row["user__team_id"])
        groups[key].confidence = math.Totals(row["people"], row["change"], row["attempts"])
    tendency = decision_totals(
        Attempt.objects.filter(**active), "user__authority_id", "user__team_id"
    ).annotate(people=Count("user", distinct=True))
    for row in tendency:
        key = (row["user__authority_id"], row["user__team_id"])
        groups[key].tendency = math.Totals(row["people"], row["tendency_total"], row["decisions"])
        groups[key].reactions = tuple(row[name] for name in ROUTE_COUNTS)
    return groups


def _people_tendencies(authority_id: int) -> list[float | None]:
    people = Attempt.objects.filter(user__is_active=True, user__authority_id=authority_id)
    rows = decision_totals(people, "user_id").values_list("tendency_total", "decisions")
    return [math.mean_from_totals(total, decisions) for total, decisions in rows]


def authority_report_for_user(*, user: User) -> AuthorityReport:
    """The admin's authority by team, and how it compares with the median authority.

    Other authorities appear only as one median per figure, over authorities with at least
    MIN_GROUP_SIZE people behind that figure: no names, no teams, no small groups.
    """
    if not training_access.can_view_authority_report(user):
        raise Http404
    authority = Authority.objects.get(pk=user.authority_id)
    team_names = dict(Team.objects.filter(authority=authority).values_list("pk", "name"))
    groups = _grouped_totals()
    by_authority: dict[int, GroupFigures] = defaultdict(lambda: GroupFigures(""))
    for (authority_id, _team_id), figures in groups.items():
        by_authority[authority_id] = by_authority[authority_id] + figures
    teams = [
        GroupFigures(name, *_metrics(groups.get((authority.pk, pk))), team_id=pk)
        for pk, name in team_names.items()
    ]
    if (authority.pk, None) in groups:
        teams.append(GroupFigures("No team", *_metrics(groups[authority.pk, None])))
    overall = GroupFigures(authority.name, *_metrics(by_authority.get(authority.pk)))
    others = [figures for pk, figures in by_authority.items() if pk != authority.pk]
    comparisons = [
        ComparisonLine(
            label,
            math.compare(getattr(overall, metric), [getattr(o, metric) for o in others]),
            as_percent=metric == "completion",
        )
        for metric, label in [
            ("completion", "Assignments completed"),
            ("confidence", "Mean confidence change"),
            ("tendency", "Mean response tendency"),
        ]
    ]
    return AuthorityReport(
        authority=authority,
        teams=teams,
        overall=overall,
        comparisons=comparisons,
        histogram=math.tendency_histogram(_people_tendencies(authority.pk)),
    )


def _metrics(
    figures: GroupFigures | None,
) -> tuple[math.Totals, math.Totals, math.Totals, tuple[int, ...]]:
    figures = figures or GroupFigures("")
    return figures.completion, figures.confidence, figures.tendency, figures.reactions
