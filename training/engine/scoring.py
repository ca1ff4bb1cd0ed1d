"""Scoring a path on two routes: bands, practice errors and critical misses. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from training.responses import LEVEL_KEYS, PREVENT, ROUTES, SAFEGUARDING

POINTS_WITHIN_BANDS, POINTS_ONE_STEP_OFF = 2, 1

Band = tuple[str, str]  # (lowest, highest) accepted on one route


def route_distance(route: str, chosen: str, band: Band) -> int:
    """Steps from the band on one route: 0 inside it, negative below (under-reaction),
    positive above (over-reaction). ValueError for a key the route does not have."""
    at, lowest, highest = (_position(route, key) for key in (chosen, *band))
    if at < lowest:
        return at - lowest
    if at > highest:
        return at - highest
    return 0


def _position(route: str, key: str) -> int:
    try:
        return LEVEL_KEYS[route].index(key)
    except ValueError:
        raise ValueError(f"{key!r} is not a level of the {route} route.") from None


@dataclass(frozen=True)
class Decision:
    """One answered decision, as recorded: the choice's two routes against the decision's
    bands, with the choice's practice error and actions."""

    step_key: str
    safeguarding: str
    prevent: str
    bands: Mapping[str, Band]
    safety_critical: bool = False
    error: str = ""
    actions: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()

    def distance(self, route: str) -> int:
        return route_distance(route, getattr(self, route), self.bands[route])

    @property
    def safeguarding_distance(self) -> int:
        return self.distance(SAFEGUARDING)

    @property
    def prevent_distance(self) -> int:
        return self.distance(PREVENT)

    @property
    def within_bands(self) -> bool:
        """Inside the band on both routes, whatever the practice error (see `points`)."""
        return self.safeguarding_distance == 0 and self.prevent_distance == 0

    @property
    def under_reacted(self) -> bool:
        return self.safeguarding_distance < 0 or self.prevent_distance < 0

    @property
    def over_reacted(self) -> bool:
        return self.safeguarding_distance > 0 or self.prevent_distance > 0

    @property
    def critical_miss(self) -> bool:
        """An under-reaction on either route, or a practice error, where safety is at stake."""
        return self.safety_critical and (self.under_reacted or bool(self.error))

    @property
    def points(self) -> int:
        if self.error or self.critical_miss:
            return 0
        if self.within_bands:
            return POINTS_WITHIN_BANDS
        off = abs(self.safeguarding_distance) + abs(self.prevent_distance)
        return POINTS_ONE_STEP_OFF if off == 1 else 0


def _per_route() -> dict[str, int]:
    return dict.fromkeys(ROUTES, 0)


@dataclass(frozen=True)
class Result:
    points: int
    max_points: int
    under_reactions: Mapping[str, int] = field(default_factory=_per_route)
    over_reactions: Mapping[str, int] = field(default_factory=_per_route)
    within_bands: int = 0  # decisions inside both bands with no practice error
    errors: tuple[str, ...] = ()  # step keys where a practice error was chosen, in path order
    critical_misses: tuple[str, ...] = ()  # step keys, in path order
    indicators_spotted: tuple[str, ...] = ()
    indicators_missed: tuple[str, ...] = ()

    @property
    def percent(self) -> int:
        """Whole percent, rounded down: 69.5% must not show as 70% and pass a 70% mark."""
        return 100 * self.points // self.max_points if self.max_points else 0

    def passed(self, pass_mark: int) -> bool:
        """At the pass mark with no critical miss: a missed threat fails whatever the rest."""
        return self.max_points > 0 and not self.critical_misses and self.percent >= pass_mark


def score(decisions: Iterable[Decision], protective: Iterable[str] = ()) -> Result:
    """Score a path: 2 points inside both bands with no practice error, 1 one step off in total
    (no error, no critical miss), else 0; tendency counted per route.

    A risk indicator is missed when the learner under-reacted on either route at the step it
    was shown; a protective factor is missed when they over-reacted on either (they saw only
    the risk).
    """
    protective = set(protective)
    decisions = list(decisions)
    spotted: dict[str, None] = {}
    missed: dict[str, None] = {}
    under, over = _per_route(), _per_route()
    for decision in decisions:
        for route in ROUTES:
            distance = decision.distance(route)
            under[route] += distance < 0
            over[route] += distance > 0
        for indicator in decision.indicators:
            if indicator in protective:
                overlooked = decision.over_reacted
            else:
                overlooked = decision.under_reacted
            (missed if overlooked else spotted)[indicator] = None
    return Result(
        points=sum(d.points for d in decisions),
        max_points=POINTS_WITHIN_BANDS * len(decisions),
        under_reactions=under,
        over_reactions=over,
        within_bands=sum(1 for d in decisions if d.within_bands and not d.error),
        errors=tuple(d.step_key for d in decisions if d.error),
        critical_misses=tuple(d.step_key for d in decisions if d.critical_miss),
        indicators_spotted=tuple(key for key in spotted if key not in missed),
        indicators_missed=tuple(missed),
    )
