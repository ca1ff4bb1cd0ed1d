"""The map's measures, colours, drawn shapes and text helpers, shared by layout and rendering."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from django.utils.safestring import SafeString

NARRATIVE, DECISION, END = "narrative", "decision", "end"

NODE_WIDTH, NODE_HEIGHT = 200, 56
STUB_WIDTH, STUB_HEIGHT = 150, 32
WAYPOINT_WIDTH = 16
COLUMN_GAP = 40  # between neighbours in a layer
SELF_LOOP_ROOM = 44  # extra room right of a step whose choice leads back to itself
BAND = 52  # between layers, where edges bend (label rows and fans come on top)
LABEL_LINE = 15  # one row of edge labels
LABEL_SPACING = 8  # between two labels in a row
FAN = 28  # where edges spread from their ports to their lanes through the label rows
LANE_CLEARANCE = 6  # between a label's end and the next edge's lane
LANE_GAP = 10  # between two lanes
HEADING_ROOM = 26  # the "not reachable" heading above the unreachable layers
MARGIN = 16
TOP_MARGIN = 48  # room for the start marker
LABEL_CHARS, TITLE_LINE_CHARS, KIND_LINE_CHARS = 28, 23, 28
LABEL_CHAR_WIDTH = 6.6  # a rough average at 12px, to keep labels inside the viewBox

TEXT, TEXT_SECONDARY, WHITE = "#0b0c0c", "#505a5f", "#ffffff"
BLUE, RED, LIGHT_GREY = "#1d70b8", "#d4351c", "#f3f2f1"
FONT = "GDS Transport, arial, sans-serif"

NO_PROBLEMS: Mapping[str, Sequence[str]] = MappingProxyType({})
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class MapNode:
    """One step as drawn: (x, y) is its top-left corner in viewBox units."""

    key: str
    title: str
    kind: str
    x: float
    y: float
    width: float
    height: float
    problems: tuple[str, ...]
    href: str
    is_start: bool
    safety_critical: bool = False  # a decision where under-reacting fails the attempt


@dataclass(frozen=True)
class MapEdge:
    """One way out of a step: a choice, or a narrative's "Continue".

    `target` is the key as written ("" when no next step is set); `broken` when no step of the
    scenario has it, in which case the edge ends at a "missing step" stub.
    """

    source: str
    target: str
    label: str
    path_d: str
    label_x: float
    label_y: float
    is_back_edge: bool
    broken: bool


@dataclass(frozen=True)
class OutlineItem:
    """One step of the text outline; each exit is (label, where it leads): the target's
    "Title (key)", "missing: key" for a key no step has, or "" for no next step yet."""

    key: str
    title: str
    kind: str
    problems: tuple[str, ...]
    href: str
    exits: tuple[tuple[str, str], ...]
    safety_critical: bool = False


@dataclass(frozen=True)
class ScenarioMap:
    nodes: tuple[MapNode, ...]
    edges: tuple[MapEdge, ...]
    width: float
    height: float
    svg: SafeString
    outline: tuple[OutlineItem, ...]


class Slot:
    """A place in a layer: a step, a stub for a missing target, or an edge's waypoint."""

    __slots__ = ("kind", "step", "width", "height", "rank", "x", "links_up", "links_down", "note")

    def __init__(self, kind: str, step: int, width: float, height: float, rank: int) -> None:
        self.kind = kind
        self.step = step
        self.width = width
        self.height = height
        self.rank = rank
        self.x = 0.0  # centre
        # (neighbour, offset of the upper slot's port from its centre, as a fraction of width)
        self.links_up: list[tuple[Slot, float]] = []
        self.links_down: list[tuple[Slot, float]] = []
        self.note = ""  # a stub's missing key


@dataclass
class Edge:
    source: int
    target: int | None  # step index, None when unknown or unset
    target_key: str
    label: str
    full_label: str
    back: bool = False
    chain: list[Slot] | None = None  # top to bottom
    upward: bool = False
    self_loop: bool = False
    label_x: float = 0.0
    label_width: float = 0.0
    label_row: int = 0


def clean(text: Any) -> str:
    return " ".join(NOT_XML.sub("", str(text or "")).split())


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,.;:") + "…"


def wrap(text: str, limit: int) -> list[str]:
    """At most two lines of at most `limit` characters, the second ending "…" when cut."""
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > limit:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], shorten(" ".join(lines[1:]), limit)]
    return [shorten(item, limit) for item in lines]


def num(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
