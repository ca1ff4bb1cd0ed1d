"""Pure arithmetic of the progress reports: which assignment a matrix cell shows, tendency
buckets and words, medians, the cross-authority comparison, chart geometry, CSV safety.

No ORM here (like training/progress.py): the supervisor's page, the CSV exports and the
authority report call the same functions, so a figure reads the same everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from statistics import median as _median
from typing import Any, TypeVar

from training.progress import Status, assignment_status

T = TypeVar("T")

# Other authorities' figures are shown only as aggregates over at least this many people.
MIN_GROUP_SIZE = 5

# Calibration (confidence 0–1 minus the share of decisions inside both bands with no practice
# error) within this margin of zero counts as well calibrated; beyond it, over- or
# under-confident.
CALIBRATION_MARGIN = 0.2

# A net tendency (over- minus under-reactions on both routes, per decision) within half a step
# of zero counts as proportionate.
TENDENCY_MARGIN = 0.5


# --- Matrix cells ---------------------------------------------------------------------------


# AssignmentFacts and Cell are treated as values but not frozen: a team page builds a
# thousand or two of each, and a frozen dataclass takes three times as long to make.


@dataclass(slots=True)
class AssignmentFacts:
    """The fields of one assignment a matrix cell needs (read with .values())."""

    due_on: date
    extended_due_on: date | None = None
    extension_reason: str = ""
    completed: bool = False
    cancelled: bool = False
    certificate_expires_on: date | None = None
    completed_on: date | None = None

    @property
    def effective_due_on(self) -> date:
        return self.extended_due_on or self.due_on


# GOV.UK tag colours, as on the learner's home.
STATUS_TAGS = {
    Status.OVERDUE: "govuk-tag--red",
    Status.DUE_SOON: "govuk-tag--orange",
    Status.IN_PROGRESS: "govuk-tag--light-blue",
    Status.NOT_STARTED: "govuk-tag--grey",
    Status.COMPLETED: "govuk-tag--green",
    Status.EXPIRING: "govuk-tag--yellow",
    Status.CANCELLED: "govuk-tag--grey",
}
OPEN_STATUSES = {Status.OVERDUE, Status.DUE_SOON, Status.IN_PROGRESS, Status.NOT_STARTED}


@dataclass(slots=True)
class Cell:
    status: Status
    assignment: AssignmentFacts | None = None
    percent: int | None = None  # latest completed attempt of this module

    @property
    def label(self) -> str:
        return self.status.label

    @property
    def tag_class(self) -> str:
        return STATUS_TAGS.get(self.status, "")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def note(self) -> str:
        """The line under the tag: when an open one is due, or the latest score."""
        if self.is_open and self.due_on:
            extended = " (extended)" if self.is_extended else ""
            return f"Due {short_date(self.due_on)}{extended}"
        if self.percent is not None:
            return f"Latest score {self.percent}%"
        return ""

    @property
    def due_on(self) -> date | None:
        return self.assignment.effective_due_on if self.assignment else None

    @property
    def is_extended(self) -> bool:
        return bool(self.assignment and self.assignment.extended_due_on)


def short_date(day: date) -> str:
    """27 Nov 2026, as the templates' date:"j M Y" writes it (without a template's cost:
    the matrix has thousands of cells)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def current_assignment(assignments: Iterable[AssignmentFacts]) -> AssignmentFacts | None:
    """The one assignment of a person and module that their matrix cell reports.

    1. An open one, the earliest effective due date first (the most urgent).
    2. Else the most recently completed one (a refresher supersedes the first).
    3. Else a cancelled one; else none (not assigned).
    """
    items = list(assignments)
    if len(items) == 1:  # most cells: each rule above picks the only one
        return items[0]
    open_ = [a for a in items if not a.completed and not a.cancelled]
    if open_:
        return min(open_, key=lambda a: a.effective_due_on)
    completed = [a for a in items if a.completed and not a.cancelled]
    if completed:
        return max(completed, key=lambda a: (a.completed_on or date.min, a.effective_due_on))
    return items[0] if items else None


def cell_for(
    assignments: Iterable[AssignmentFacts],
    *,
    today: date,
    in_progress: bool = False,
    percent: int | None = None,
) -> Cell:
    chosen = current_assignment(assignments)
    if chosen is None:
        return Cell(Status.NOT_ASSIGNED, percent=percent)
    status = assignment_status(
        due_on=chosen.effective_due_on,
        today=today,
        completed=chosen.completed,
        cancelled=chosen.cancelled,
        in_progress=in_progress,
        certificate_expires_on=chosen.certificate_expires_on,
    )
    return Cell(status, chosen, percent)


# --- Figures and their words ----------------------------------------------------------------


def mean_from_totals(total: float | None, count: int | None) -> float | None:
    """A mean from a database Sum and Count: None when there is nothing to average."""
    return total / count if count else None


def route_tendency_text(under: int, over: int, decisions: int) -> str:
    """One route's tendency in numbers: "2 under, 1 over"; "" with no decisions."""
    return f"{under} under, {over} over" if decisions else ""


def how_often(count: int, total: int) -> str:
    """A share said the way people say it: "every time", "about 1 time in 4", "about 7
    times in 10" (more than half). Halves round up: 1 in 2.5 reads "1 time in 3"."""
    if count >= total:
        return "every time"
    share = count / total
    if share > 0.5:
        return f"about {int(share * 10 + 0.5)} times in 10"
    return f"about 1 time in {int(total / count + 0.5)}"


def route_tendency_words(under: int, over: int, decisions: int) -> str:
    """One route's tendency in words first (#20): "Chooses less than needed about 1 time
    in 4", with the other direction after it when there is some of both."""
    if not decisions:
        return "No decisions yet"
    parts = []
    if under:
        parts.append(f"less than needed {how_often(under, decisions)}")
    if over:
        parts.append(f"more than needed {how_often(over, decisions)}")
    if not parts:
        return "Chooses within the accepted band every time"
    return "Chooses " + ", and ".join(parts)


def tendency_words(tendency: float | None) -> str:
    """The net tendency over both routes (over- minus under-reactions per decision)."""
    if tendency is None:
        return "No decisions yet"
    if tendency < -TENDENCY_MARGIN:
        return "Under-reacting"
    if tendency > TENDENCY_MARGIN:
        return "Over-referring"
    return "Proportionate"


def calibration_words(calibration: float | None) -> str:
    if calibration is None:
        return "Not known yet"
    if calibration > CALIBRATION_MARGIN:
        return "More confident than their answers show"
    if calibration < -CALIBRATION_MARGIN:
        return "Less confident than their answers show"
    return "Confidence matches their answers"


def signed(value: float | None, places: int = 2) -> str:
    """+0.50, -1.25, 0.00; empty for no value. Page and CSV show exactly this text."""
    if value is None:
        return ""
    rounded = round(value, places)
    if rounded == 0:
        return f"{0:.{places}f}"
    return f"{rounded:+.{places}f}"


def percent(value: float | None) -> str:
    """A share (0–1) as a whole percentage, "" for none."""
    return "" if value is None else f"{round(value * 100)}%"


# --- Response tendency distribution ---------------------------------------------------------


@dataclass(frozen=True)
class Bucket:
    label: str  # the range, e.g. "-1.5 to -0.5"
    words: str  # what it means
    count: int


BUCKETS: tuple[tuple[str, str], ...] = (
    ("-1.5 or below", "under-reacting"),
    ("-1.5 to -0.5", "under-reacting"),
    ("-0.5 to +0.5", "proportionate"),
    ("+0.5 to +1.5", "over-referring"),
    ("+1.5 or above", "over-referring"),
)


def tendency_bucket(tendency: float) -> int:
    """Index into BUCKETS. Edges: ≤-1.5 | (-1.5, -0.5) | [-0.5, 0.5] | (0.5, 1.5) | ≥1.5."""
    if tendency <= -1.5:
        return 0
    if tendency < -0.5:
        return 1
    if tendency <= 0.5:
        return 2
    if tendency < 1.5:
        return 3
    return 4


def tendency_histogram(tendencies: Iterable[float | None]) -> list[Bucket]:
    counts = [0] * len(BUCKETS)
    for value in tendencies:
        if value is not None:
            counts[tendency_bucket(value)] += 1
    pairs = zip(BUCKETS, counts, strict=True)
    return [Bucket(label, words, count) for (label, words), count in pairs]


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    centre: int  # x of the bar's middle, for its texts
    count: int
    label: str
    words: str

    @property
    def count_y(self) -> int:
        return self.y - 6


def histogram_bars(
    buckets: Sequence[Bucket], *, width: int = 600, height: int = 160, gap: int = 12
) -> list[Bar]:
    """SVG geometry for vertical bars in a width × height plot (y grows downwards)."""
    if not buckets:
        return []
    tallest = max(b.count for b in buckets) or 1
    slot = width // len(buckets)
    bars = []
    for index, bucket in enumerate(buckets):
        bar_height = round(height * bucket.count / tallest)
        x = index * slot + gap // 2
        bars.append(
            Bar(
                x=x,
                y=height - bar_height,
                width=slot - gap,
                height=bar_height,
                centre=x + (slot - gap) // 2,
                count=bucket.count,
                label=bucket.label,
                words=bucket.words,
            )
        )
    return bars


@dataclass(frozen=True)
class AxisWord:
    x: int
    words: str


def axis_words(bars: Sequence[Bar]) -> list[AxisWord]:
    """One label under each run of bars meaning the same ("under-reacting" under two)."""
    runs: list[list[Bar]] = []
    for bar in bars:
        if runs and runs[-1][0].words == bar.words:
            runs[-1].append(bar)
        else:
            runs.append([bar])
    return [AxisWord((run[0].centre + run[-1].centre) // 2, run[0].words) for run in runs]


# --- Comparing with other authorities --------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    """A figure of a group of people kept as numerator and denominator, so teams add up to
    exactly their authority's figure (a mean of means would not)."""

    people: int = 0
    total: float = 0
    count: int = 0

    @property
    def value(self) -> float | None:
        return self.total / self.count if self.count else None

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            self.people + other.people, self.total + other.total, self.count + other.count
        )


def add_up(items: Iterable[Totals]) -> Totals:
    return sum(items, Totals())


def median(values: Iterable[float]) -> float | None:
    items = list(values)
    return _median(items) if items else None


@dataclass(frozen=True)
class Comparison:
    own: float | None
    others_median: float | None
    authorities: int  # how many other authorities the median is over

    @property
    def difference(self) -> float | None:
        if self.own is None or self.others_median is None:
            return None
        return self.own - self.others_median


def compare(
    own: Totals, others: Iterable[Totals], *, min_group: int = MIN_GROUP_SIZE
) -> Comparison:
    """Own figure against the median of other authorities' figures.

    An authority with fewer than `min_group` people behind its figure is left out, so no
    figure shown is about fewer people than that. With none left, the median is withheld.
    """
    usable = [t.value for t in others if t.people >= min_group and t.value is not None]
    return Comparison(own=own.value, others_median=median(usable), authorities=len(usable))


# --- Sorting and CSV ------------------------------------------------------------------------


def sort_nones_last(
    items: Iterable[T], key: Callable[[T], Any], *, descending: bool = False
) -> list[T]:
    """Sort by key in either direction, keeping items whose key is None at the end.

    Python's sort is stable, so items tied on key keep their incoming (e.g. name) order.
    """
    items = list(items)
    known = [item for item in items if key(item) is not None]
    unknown = [item for item in items if key(item) is None]
    return sorted(known, key=key, reverse=descending) + unknown


_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?%?")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    """A cell a spreadsheet will not run as a formula: text starting with = + - @ (or a tab or
    carriage return) gets a leading apostrophe. Plain numbers such as -0.50 stay numbers."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_rows(rows: Iterable[Iterable[object]]) -> list[list[str]]:
    return [[csv_safe(value) for value in row] for row in rows]
