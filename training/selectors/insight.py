"""Insight for authors: how learners chose at each decision of a module, which indicators they
most often missed, and where they stop, over the attempts on every published version.

The caller has already checked the author may see the module (studio_module_get_for_user).

Three queries however many attempts there are: the versions (with their snapshots), the
answers counted by version, step and choice, and the attempts counted by version and the step
they are at. Everything else is worked out in Python from those counts and the snapshots,
which keep each version's own step titles, choice texts and indicator categories.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, F, Q
from django.utils import timezone

from training import engine, pathway_words, presenters, responses, version_reader
from training.models import Answer, Attempt, Indicator, Module, ModuleVersion
from training.version_reader import VersionDocument

STALE_AFTER = timedelta(days=7)
BEFORE_FIRST_STEP_TITLE = "Rating their confidence, before the first step"
AFTER_LAST_STEP_TITLE = "Rating their confidence, after the last step"


def _percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def versions_text(numbers: Iterable[int]) -> str:
    """ "version 2", "versions 1 and 2", "versions 1, 2 and 4"."""
    numbers = [str(number) for number in sorted(numbers)]
    if len(numbers) <= 1:
        return f"version {''.join(numbers)}" if numbers else ""
    return f"versions {', '.join(numbers[:-1])} and {numbers[-1]}"


@dataclass(frozen=True)
class LevelCount:
    """How many answers at a decision chose this response on one route."""

    level: str
    label: str
    count: int
    percent: int  # of the decision's answers, whole
    is_accepted: bool  # inside the newest version's band on the route


@dataclass(frozen=True)
class RouteInsight:
    """One route of a decision: the accepted band, every response on it and how many chose
    it, and how many answers fell short of the band or went beyond it."""

    route: str
    name: str
    band_label: str
    by_level: list[LevelCount]  # every response of the route, least to most intrusive
    under_count: int
    over_count: int


@dataclass(frozen=True)
class ChoiceCount:
    """How many answers picked one choice, by its words: a choice reworded in a later version
    is a row of its own, noting the versions that offered it."""

    text: str
    routes: tuple[str, str]  # (safeguarding, prevent)
    label: str
    count: int
    percent: int
    offered_in: list[int]  # version numbers, oldest first
    in_latest: bool  # offered by the newest version that has the decision

    @property
    def note(self) -> str:
        return "" if self.in_latest else f"Offered in {versions_text(self.offered_in)}"


@dataclass(frozen=True)
class DecisionInsight:
    """One decision step over every version that had it.

    Title, bands and the safety-critical flag are the newest version's; the counts judge each
    answer against the guidance of the version it was given in (as recorded). Answers given
    on the old single scale are counted through the mapping to the two routes
    (training.responses.FROM_OLD_LEVEL), and `old_scale_count` says how many.
    """

    step_key: str
    title: str
    safety_critical: bool
    versions: list[int]  # the versions that had this decision, oldest first
    in_latest_version: bool
    answered: int
    routes: list[RouteInsight]  # safeguarding, then Prevent
    by_choice: list[ChoiceCount]  # the newest version's choices first
    within_bands_count: int
    error_count: int
    critical_miss_count: int
    old_scale_count: int

    @property
    def within_bands_percent(self) -> int:
        return _percent(self.within_bands_count, self.answered)

    @property
    def versions_note(self) -> str:
        return "" if self.in_latest_version else f"Only in {versions_text(self.versions)}"


@dataclass(frozen=True)
class IndicatorMiss:
    """An indicator counted per decision that showed it (engine.score's rule): a risk is missed
    by an under-reaction, a protective factor by an over-reaction."""

    key: str
    name: str
    category: str
    category_label: str
    is_protective: bool
    times_shown: int
    times_missed: int

    @property
    def rate_percent(self) -> int:
        return _percent(self.times_missed, self.times_shown)

    @property
    def missed_when(self) -> str:
        return "Over-reacting" if self.is_protective else "Under-reacting"


@dataclass(frozen=True)
class StopPoint:
    """Where unfinished attempts are: at a step, or at a confidence question (step_key "")."""

    step_key: str
    title: str
    abandoned: int  # unfinished, started longer ago than stale_after
    in_progress: int  # unfinished, started more recently


@dataclass(frozen=True)
class ModuleInsight:
    attempts_started: int
    attempts_completed: int
    versions_covered: list[int]  # versions with at least one attempt, oldest first
    latest_version: int | None
    decisions: list[DecisionInsight]  # the newest version's order, then older-only decisions
    missed_indicators: list[IndicatorMiss]  # most missed first
    abandonment: list[StopPoint]  # most abandoned first
    stale_after: timedelta

    @property
    def attempts_abandoned(self) -> int:
        return sum(point.abandoned for point in self.abandonment)

    @property
    def attempts_in_progress(self) -> int:
        return sum(point.in_progress for point in self.abandonment)

    @property
    def versions_covered_text(self) -> str:
        return versions_text(self.versions_covered).capitalize() or "None yet"

    @property
    def stale_after_text(self) -> str:
        if self.stale_after.days and not self.stale_after % timedelta(days=1):
            days = self.stale_after.days
            return f"{days} day{'s' if days != 1 else ''}"
        hours = int(self.stale_after / timedelta(hours=1))
        return f"{hours} hour{'s' if hours != 1 else ''}"


@dataclass(frozen=True)
class _Version:
    id: int
    number: int
    document: VersionDocument

    @property
    def steps(self) -> dict[str, version_reader.Step]:
        return self.document.steps

    def decision(self, step_key: str) -> version_reader.Step | None:
        return self.document.decision(step_key)


def module_insight(
    *,
    module: Module,
    words: Mapping[str, str] | None = None,
    stale_after: timedelta = STALE_AFTER,
    now: datetime | None = None,
) -> ModuleInsight:
    """Unfinished attempts started more than `stale_after` before `now` count as abandoned
    (an attempt records no last activity); more recent ones as in progress. Choice texts
    name contacts with `words` (pathway_words.wording; the national wording without)."""
    cutoff = (now or timezone.now()) - stale_after
    versions = [
        _Version(id=pk, number=number, document=version_reader.version_read(snapshot))
        for pk, number, snapshot in ModuleVersion.objects.filter(module=module)
        .order_by("-number")
        .values_list("id", "number", "snapshot")
    ]
    answer_rows = list(
        Answer.objects.filter(attempt__version__module=module)
        .order_by()
        .values(
            "step_key",
            "choice_index",
            "safeguarding",
            "prevent",
            "safeguarding_distance",
            "prevent_distance",
            "error",
            "critical_miss",
            version_id=F("attempt__version"),
        )
        .annotate(old_scale=Count("id", filter=~Q(chosen_level="")))
        .annotate(count=Count("id"))
    )
    unfinished, stale = Q(completed_at__isnull=True), Q(started_at__lt=cutoff)
    unrated, rated = Q(confidence_before__isnull=True), Q(confidence_before__isnull=False)
    attempt_rows = list(
        Attempt.objects.filter(version__module=module)
        .order_by()
        .values("version_id", "current_step_key")
        .annotate(
            started=Count("id"),
            completed=Count("id", filter=Q(completed_at__isnull=False)),
            abandoned=Count("id", filter=unfinished & stale & rated),
            in_progress=Count("id", filter=unfinished & ~stale & rated),
            abandoned_unrated=Count("id", filter=unfinished & stale & unrated),
            in_progress_unrated=Count("id", filter=unfinished & ~stale & unrated),
        )
    )
    numbers = {version.id: version.number for version in versions}
    return ModuleInsight(
        attempts_started=sum(row["started"] for row in attempt_rows),
        attempts_completed=sum(row["completed"] for row in attempt_rows),
        versions_covered=sorted({numbers[row["version_id"]] for row in attempt_rows}),
        latest_version=versions[0].number if versions else None,
        decisions=_decisions(versions, answer_rows, pathway_words.wording(words)),
        missed_indicators=_missed_indicators(versions, answer_rows),
        abandonment=_stop_points(versions, attempt_rows),
        stale_after=stale_after,
    )


# --- How learners chose ---------------------------------------------------------------------


def _decisions(
    versions: list[_Version], answer_rows: list[dict], words: Mapping[str, str]
) -> list[DecisionInsight]:
    """1. Decision keys in reading order: the newest version's, then those only older ones had.
    2. Each decision's answer counts, by level, by choice text and by direction.
    A decision the latest version dropped before anyone answered it is left out.
    """
    order: dict[str, None] = {}
    for version in versions:  # newest first
        for key, step in version.steps.items():
            if step.is_decision:
                order.setdefault(key)
    rows_by_step: dict[str, list[dict]] = defaultdict(list)
    for row in answer_rows:
        rows_by_step[row["step_key"]].append(row)
    decisions = []
    for key in order:
        having = [version for version in versions if version.decision(key) is not None]
        rows = rows_by_step.get(key, [])
        if having[0] is not versions[0] and not rows:
            continue
        decisions.append(_decision(key, having, versions[0], rows, words))
    return decisions


def _decision(
    key: str, having: list[_Version], latest: _Version, rows: list[dict], words: Mapping[str, str]
) -> DecisionInsight:
    newest = having[0].decision(key)
    answered = sum(row["count"] for row in rows)
    return DecisionInsight(
        step_key=key,
        title=newest.title or key,
        safety_critical=newest.safety_critical,
        versions=sorted(version.number for version in having),
        in_latest_version=having[0] is latest,
        answered=answered,
        routes=[_route(route, newest, rows, answered) for route in responses.ROUTES],
        by_choice=_choices(key, having, rows, answered, words),
        within_bands_count=sum(
            row["count"]
            for row in rows
            if not row["error"]
            and row["safeguarding_distance"] == 0
            and row["prevent_distance"] == 0
        ),
        error_count=sum(row["count"] for row in rows if row["error"]),
        critical_miss_count=sum(row["count"] for row in rows if row["critical_miss"]),
        old_scale_count=sum(row["old_scale"] for row in rows),
    )


def _route(
    route: str, newest: version_reader.Step, rows: list[dict], answered: int
) -> RouteInsight:
    chosen: Counter[str] = Counter()
    for row in rows:
        chosen[row[route]] += row["count"]
    band = newest.bands.get(route)
    distance = f"{route}_distance"
    return RouteInsight(
        route=route,
        name=responses.ROUTE_NAMES[route],
        band_label=presenters.band_words(route, band) if band else "",
        by_level=[
            LevelCount(
                level=level,
                label=presenters.route_label(route, level),
                count=chosen[level],
                percent=_percent(chosen[level], answered),
                is_accepted=bool(band) and engine.route_distance(route, level, band) == 0,
            )
            for level in responses.LEVEL_KEYS[route]
        ],
        under_count=sum(row["count"] for row in rows if row[distance] < 0),
        over_count=sum(row["count"] for row in rows if row[distance] > 0),
    )


def _choice_label(routes: tuple[str, str]) -> str:
    return " · ".join(
        presenters.route_label(route, key)
        for route, key in zip(responses.ROUTES, routes, strict=True)
    )


def _choices(
    key: str, having: list[_Version], rows: list[dict], answered: int, words: Mapping[str, str]
) -> list[ChoiceCount]:
    """Answers grouped by the words and routes of the choice picked, in that version's text;
    the newest version's choices come first and show even when no one picked them."""
    by_id = {version.id: version for version in having}
    Group = tuple[str, tuple[str, str]]
    offered: dict[Group, set[int]] = {}
    for version in having:  # newest first, so its choices lead
        for choice in version.decision(key).choices:
            offered.setdefault((choice.text, (choice.safeguarding, choice.prevent)), set()).add(
                version.number
            )
    latest = {(c.text, (c.safeguarding, c.prevent)) for c in having[0].decision(key).choices}
    counts: Counter[Group] = Counter()
    for row in rows:
        version = by_id.get(row["version_id"])
        choices = version.decision(key).choices if version else ()
        index = row["choice_index"]
        if index < len(choices):
            group = (choices[index].text, (choices[index].safeguarding, choices[index].prevent))
        else:  # not in the snapshot: never recorded by answer_record, but count it all the same
            group = (f"Choice {index + 1}", (row["safeguarding"], row["prevent"]))
            offered.setdefault(group, set())
        counts[group] += row["count"]
    return [
        ChoiceCount(
            text=pathway_words.fill(text, words, markdown=False),
            routes=routes,
            label=_choice_label(routes),
            count=counts[text, routes],
            percent=_percent(counts[text, routes], answered),
            offered_in=sorted(numbers),
            in_latest=(text, routes) in latest,
        )
        for (text, routes), numbers in offered.items()
        if (text, routes) in latest or counts[text, routes]
    ]


# --- Indicators most often missed -----------------------------------------------------------


def _missed_indicators(versions: list[_Version], answer_rows: list[dict]) -> list[IndicatorMiss]:
    """Each answer shows its step's indicators; engine.score says which it missed, against the
    categories of the answer's own version."""
    by_id = {version.id: version for version in versions}
    protective_by_version = {
        version.id: version.document.protective_indicators for version in versions
    }
    shown: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for row in answer_rows:
        step = by_id[row["version_id"]].document.decision(row["step_key"])
        if step is None or len(step.bands) != len(responses.ROUTES):
            continue  # not a decision of its version: never recorded by answer_record
        decision = engine.Decision(
            step_key=row["step_key"],
            safeguarding=row["safeguarding"],
            prevent=row["prevent"],
            bands=step.bands,
            indicators=step.indicators,
        )
        result = engine.score([decision], protective_by_version[row["version_id"]])
        for indicator in decision.indicators:
            shown[indicator] += row["count"]
        for indicator in result.indicators_missed:
            missed[indicator] += row["count"]
    catalogue: dict[str, version_reader.Indicator] = {}
    for version in reversed(versions):  # oldest first, so the newest words win
        catalogue.update(version.document.indicator_catalogue)
    misses = [_indicator_miss(key, catalogue.get(key), shown[key], missed[key]) for key in shown]
    return sorted(
        misses,
        key=lambda miss: (-miss.times_missed, -miss.times_missed / miss.times_shown, miss.name),
    )


def _indicator_miss(
    key: str, item: version_reader.Indicator | None, shown: int, missed: int
) -> IndicatorMiss:
    category = item.category if item else ""
    return IndicatorMiss(
        key=key,
        name=item.name if item else key,
        category=category,
        category_label=Indicator.Category(category).label
        if category in Indicator.Category.values
        else "",
        is_protective=category == Indicator.Category.PROTECTIVE,
        times_shown=shown,
        times_missed=missed,
    )


# --- Where learners stop --------------------------------------------------------------------


def _stop_points(versions: list[_Version], attempt_rows: list[dict]) -> list[StopPoint]:
    """Unfinished attempts by where they are: the confidence question before the first step,
    a step (by key, over every version), or the confidence question after the last step.
    Most abandoned first, then most in progress, then in reading order."""
    order: dict[str, int] = {}
    titles: dict[str, str] = {}
    for version in versions:  # newest first: its order and titles
        for key, step in version.steps.items():
            order.setdefault(key, len(order))
            titles.setdefault(key, step.title or key)
    before = _Place(-1, "", BEFORE_FIRST_STEP_TITLE)
    after = _Place(len(order) + 1, "", AFTER_LAST_STEP_TITLE)
    tallies: dict[_Place, list[int]] = defaultdict(lambda: [0, 0])
    for row in attempt_rows:
        key = row["current_step_key"]
        at_step = _Place(order.get(key, len(order)), key, titles.get(key, key)) if key else after
        for place, abandoned, in_progress in (
            (before, row["abandoned_unrated"], row["in_progress_unrated"]),
            (at_step, row["abandoned"], row["in_progress"]),
        ):
            if abandoned or in_progress:
                tallies[place][0] += abandoned
                tallies[place][1] += in_progress
    ranked = sorted(tallies.items(), key=lambda item: (-item[1][0], -item[1][1], item[0].order))
    return [
        StopPoint(
            step_key=place.step_key, title=place.title, abandoned=counts[0], in_progress=counts[1]
        )
        for place, counts in ranked
    ]


@dataclass(frozen=True)
class _Place:
    order: int
    step_key: str
    title: str
