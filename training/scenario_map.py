"""A drawn map of one scenario's branching graph for the authoring studio. Pure: no ORM.

Authors need to see where each choice leads, which steps have problems and which steps nothing
reaches. The map is server-rendered SVG, so it works without JavaScript; the site's
Content-Security-Policy forbids `style` attributes and elements, so colours and sizes are SVG
presentation attributes and every element also carries a class name. A picture of a graph is
not navigable by ear, so the same graph is also returned as a text outline for screen readers.

The layout is a small layered (Sugiyama-style) drawing, layers from top to bottom:
1. A depth-first search from the first step finds the edges that close loops ("back edges")
   and sets them aside, leaving an acyclic graph.
2. A step's layer is its longest distance from the first step over the remaining edges, so
   every forward edge points down. Steps no path reaches get layers of their own below the
   rest, laid out the same way.
3. An edge spanning several layers passes through an invisible waypoint in each layer between,
   so it runs between steps rather than through them; loops and edges out of unreachable steps
   run upwards the same way. A choice leading to an unknown step, or nowhere, ends at a stub.
4. Layers are ordered by the average position of their neighbours (a few sweeps down and up),
   then each step is pulled towards its neighbours' x without overlapping the next one.
Everything is iterated in authoring order, so the same scenario gives byte-identical SVG.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from types import MappingProxyType
from typing import Any

from django.utils.safestring import SafeString, mark_safe

NARRATIVE, DECISION, END = "narrative", "decision", "end"

NODE_WIDTH, NODE_HEIGHT = 200, 56
STUB_WIDTH, STUB_HEIGHT = 150, 32
WAYPOINT_WIDTH = 16
COLUMN_GAP = 40  # between neighbours in a layer
SELF_LOOP_ROOM = 44  # extra room right of a step whose choice leads back to itself
BAND = 52  # between layers, where edges bend (label rows come on top)
LABEL_LINE = 15  # one row of edge labels
LABEL_SPACING = 8  # between two labels in a row
HEADING_ROOM = 26  # the "not reachable" heading above the unreachable layers
MARGIN = 16
TOP_MARGIN = 48  # room for the start marker
LABEL_CHARS, TITLE_LINE_CHARS, KIND_LINE_CHARS = 28, 23, 28
LABEL_CHAR_WIDTH = 6.6  # a rough average at 12px, to keep labels inside the viewBox

TEXT, TEXT_SECONDARY, WHITE = "#0b0c0c", "#505a5f", "#ffffff"
BLUE, RED, LIGHT_GREY = "#1d70b8", "#d4351c", "#f3f2f1"
FONT = "GDS Transport, arial, sans-serif"

_NO_PROBLEMS: Mapping[str, Sequence[str]] = MappingProxyType({})
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _anchor_href(key: str) -> str:
    return f"#step-{key}"


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


@dataclass(frozen=True)
class ScenarioMap:
    nodes: tuple[MapNode, ...]
    edges: tuple[MapEdge, ...]
    width: float
    height: float
    svg: SafeString
    outline: tuple[OutlineItem, ...]


def scenario_map_build(
    scenario: Mapping[str, Any],
    *,
    problems_by_step: Mapping[str, Sequence[str]] = _NO_PROBLEMS,
    href_for: Callable[[str], str] = _anchor_href,
    title: str = "",
) -> ScenarioMap:
    """Lay out and draw one scenario, whatever state its draft is in.

    Half-written scenarios are the point of the map, so nothing here raises on a broken graph:
    unknown targets, missing next steps, unreachable steps, loops and duplicate keys are drawn.
    """
    return _Drawing(scenario, problems_by_step, href_for, title).build()


# --- Graph and layout ---------------------------------------------------------------------


class _Slot:
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
        self.links_up: list[tuple[_Slot, float]] = []
        self.links_down: list[tuple[_Slot, float]] = []
        self.note = ""  # a stub's missing key


@dataclass
class _Edge:
    source: int
    target: int | None  # step index, None when unknown or unset
    target_key: str
    label: str
    full_label: str
    back: bool = False
    chain: list[_Slot] | None = None  # top to bottom
    upward: bool = False
    self_loop: bool = False
    label_x: float = 0.0
    label_width: float = 0.0
    label_row: int = 0


def _clean(text: Any) -> str:
    return " ".join(_NOT_XML.sub("", str(text or "")).split())


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,.;:") + "…"


def _wrap(text: str, limit: int) -> list[str]:
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
        lines = [lines[0], _shorten(" ".join(lines[1:]), limit)]
    return [_shorten(item, limit) for item in lines]


def _num(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class _Drawing:
    def __init__(
        self,
        scenario: Mapping[str, Any],
        problems_by_step: Mapping[str, Sequence[str]],
        href_for: Callable[[str], str],
        title: str,
    ) -> None:
        self.steps: list[Mapping[str, Any]] = list(scenario.get("steps") or [])
        self.scenario_title = _clean(
            title or scenario.get("title") or scenario.get("key") or "scenario"
        )
        self.dom_id = "scenario-map-" + (
            re.sub(r"[^a-z0-9-]+", "-", str(scenario.get("key") or "").lower()).strip("-")
            or "scenario"
        )
        self.keys = [str(step.get("key") or "") for step in self.steps]
        self.kinds = [
            step.get("kind") if step.get("kind") in (NARRATIVE, DECISION, END) else NARRATIVE
            for step in self.steps
        ]
        self.titles = [_clean(step.get("title")) for step in self.steps]
        self.problems = [tuple(problems_by_step.get(key, ())) for key in self.keys]
        self.hrefs = [href_for(key) for key in self.keys]
        self.index_of: dict[str, int] = {}
        for index, key in enumerate(self.keys):
            if key:
                self.index_of.setdefault(key, index)
        self.edges: list[_Edge] = []
        self.out: list[list[_Edge]] = [[] for _ in self.steps]
        for index, step in enumerate(self.steps):
            self._collect_edges(index, step)
        self.step_slots: list[_Slot] = []
        self.layers: list[list[_Slot]] = []
        self.first_unreachable_rank: int | None = None
        self.down_rows: list[int] = []  # per layer, rows of labels below it and above it
        self.up_rows: list[int] = []

    def _collect_edges(self, index: int, step: Mapping[str, Any]) -> None:
        if self.kinds[index] == NARRATIVE:
            exits = [("Continue", step.get("next"))]
        elif self.kinds[index] == DECISION:
            exits = [
                (_clean(choice.get("text")) or f"Choice {number}", choice.get("next"))
                for number, choice in enumerate(step.get("choices") or [], start=1)
            ]
        else:
            exits = []
        for full_label, target in exits:
            target_key = str(target or "")
            edge = _Edge(
                source=index,
                target=self.index_of.get(target_key) if target_key else None,
                target_key=target_key,
                label=_shorten(full_label, LABEL_CHARS),
                full_label=full_label,
            )
            self.edges.append(edge)
            self.out[index].append(edge)

    def build(self) -> ScenarioMap:
        reachable, order = self._find_back_edges()
        ranks = self._rank(reachable, order)
        self._make_slots(ranks, reachable)
        self._order_layers()
        self._place_x()
        return self._render(reachable)

    # 1. Loops
    def _find_back_edges(self) -> tuple[list[bool], list[int]]:
        """Marks edges that close a loop; returns reachability and a topological order."""
        state = [0] * len(self.steps)  # 0 unseen, 1 on the path being explored, 2 finished
        finished: list[int] = []
        reachable = [False] * len(self.steps)
        for root in range(len(self.steps)):
            if state[root]:
                continue
            state[root] = 1
            stack = [(root, iter(self.out[root]))]
            while stack:
                node, edges = stack[-1]
                for edge in edges:
                    if edge.target is None:
                        continue
                    if state[edge.target] == 1:
                        edge.back = True
                    elif state[edge.target] == 0:
                        state[edge.target] = 1
                        stack.append((edge.target, iter(self.out[edge.target])))
                        break
                else:
                    state[node] = 2
                    finished.append(node)
                    reachable[node] = root == 0
                    stack.pop()
        return reachable, finished[::-1]

    # 2. Layers
    def _rank(self, reachable: list[bool], order: list[int]) -> list[int]:
        ranks = [0] * len(self.steps)
        for node in order:
            for edge in self.out[node]:
                target = edge.target
                if target is not None and not edge.back and reachable[target] == reachable[node]:
                    ranks[target] = max(ranks[target], ranks[node] + 1)
        bottom = -1
        for node in range(len(self.steps)):
            if reachable[node]:
                has_stub = any(edge.target is None for edge in self.out[node])
                bottom = max(bottom, ranks[node] + has_stub)
        if not all(reachable):
            self.first_unreachable_rank = bottom + 1
            for node in range(len(self.steps)):
                if not reachable[node]:
                    ranks[node] += bottom + 1
        return ranks

    # 3. Slots, waypoints and stubs
    def _add_slot(self, kind: str, step: int, rank: int) -> _Slot:
        width, height = {
            "step": (NODE_WIDTH, NODE_HEIGHT),
            "stub": (STUB_WIDTH, STUB_HEIGHT),
            "waypoint": (WAYPOINT_WIDTH, NODE_HEIGHT),
        }[kind]
        slot = _Slot(kind, step, width, height, rank)
        while len(self.layers) <= rank:
            self.layers.append([])
        self.layers[rank].append(slot)
        return slot

    def _make_slots(self, ranks: list[int], reachable: list[bool]) -> None:
        by_rank = sorted(range(len(self.steps)), key=lambda node: (ranks[node], node))
        slot_of: dict[int, _Slot] = {}
        for node in by_rank:
            slot_of[node] = self._add_slot("step", node, ranks[node])
        self.step_slots = [slot_of[node] for node in range(len(self.steps))]
        bottom_ports: list[list[_Edge]] = [[] for _ in self.steps]
        for edge in self.edges:
            source = self.step_slots[edge.source]
            if edge.target is None:
                stub = self._add_slot("stub", edge.source, source.rank + 1)
                stub.note = edge.target_key
                edge.chain = [source, stub]
            elif edge.target == edge.source:
                edge.self_loop = True
                continue
            else:
                target = self.step_slots[edge.target]
                edge.upward = target.rank < source.rank
                top, bottom = (target, source) if edge.upward else (source, target)
                middle = [
                    self._add_slot("waypoint", -1, r) for r in range(top.rank + 1, bottom.rank)
                ]
                edge.chain = [top, *middle, bottom]
            bottom_ports[edge.chain[0].step].append(edge)
        for ports in bottom_ports:  # offsets from the step's centre, as fractions of its width
            for number, edge in enumerate(ports):
                offset = (number + 1) / (len(ports) + 1) - 0.5
                chain = edge.chain or []
                for upper, lower in zip(chain, chain[1:], strict=False):
                    port = offset if upper is chain[0] else 0.0
                    upper.links_down.append((lower, port))
                    lower.links_up.append((upper, port))

    # 4. Order within layers, then x
    def _order_layers(self) -> None:
        for downwards in (True, False, True, False, True):
            position = {id(slot): i for layer in self.layers for i, slot in enumerate(layer)}
            for rank in self._sweep(downwards):
                layer = self.layers[rank]
                keyed = sorted(
                    (self._barycentre(slot, index, position, downwards), index, slot)
                    for index, slot in enumerate(layer)
                )
                layer[:] = [slot for _, _, slot in keyed]
                position.update({id(slot): i for i, slot in enumerate(layer)})

    def _sweep(self, downwards: bool) -> range:
        return range(1, len(self.layers)) if downwards else range(len(self.layers) - 2, -1, -1)

    @staticmethod
    def _barycentre(slot: _Slot, index: int, position: dict[int, int], downwards: bool) -> float:
        """Mean position of the slot's neighbours in the layer just swept, ports included."""
        if downwards:
            places = [position[id(upper)] + port for upper, port in slot.links_up]
        else:
            places = [position[id(lower)] - port for lower, port in slot.links_down]
        return sum(places) / len(places) if places else float(index)

    def _separation(self, left: _Slot, right: _Slot) -> float:
        room = SELF_LOOP_ROOM if left.kind == "step" and self._has_self_loop(left.step) else 0
        return left.width / 2 + COLUMN_GAP + room + right.width / 2

    def _has_self_loop(self, step: int) -> bool:
        return any(edge.self_loop for edge in self.out[step])

    def _place_layer(self, layer: list[_Slot], wanted: list[float]) -> None:
        """Closest to `wanted` keeping order and gaps: the mean of a left and a right packing."""
        gaps = [self._separation(a, b) for a, b in zip(layer, layer[1:], strict=False)]
        left = list(wanted)
        for i in range(1, len(layer)):
            left[i] = max(wanted[i], left[i - 1] + gaps[i - 1])
        right = list(wanted)
        for i in range(len(layer) - 2, -1, -1):
            right[i] = min(wanted[i], right[i + 1] - gaps[i])
        for slot, a, b in zip(layer, left, right, strict=True):
            slot.x = (a + b) / 2

    def _place_x(self) -> None:
        for layer in self.layers:
            x = 0.0
            for i, slot in enumerate(layer):
                x += self._separation(layer[i - 1], slot) if i else 0.0
                slot.x = x
        for downwards in (True, False, True, False, True):
            for rank in self._sweep(downwards):
                layer = self.layers[rank]
                wanted = []
                for slot in layer:
                    if downwards:
                        spread = [upper.x + port * upper.width for upper, port in slot.links_up]
                    else:
                        spread = [lower.x - port * slot.width for lower, port in slot.links_down]
                    wanted.append(sum(spread) / len(spread) if spread else slot.x)
                self._place_layer(layer, wanted)

    # 5. Coordinates
    def _port_xs(self) -> dict[tuple[int, int], float]:
        """x where each edge meets a step, keyed by (edge number, place in the edge's chain).

        Ports are spread along the step's side, sorted by the x of the other end, so edges
        leaving or entering one step do not cross each other there.
        """
        ends: dict[tuple[int, str], list[tuple[float, int, int]]] = {}
        for number, edge in enumerate(self.edges):
            chain = edge.chain
            if not chain:
                continue
            ends.setdefault((chain[0].step, "bottom"), []).append((chain[1].x, number, 0))
            if chain[-1].kind == "step":
                last = len(chain) - 1
                ends.setdefault((chain[-1].step, "top"), []).append((chain[-2].x, number, last))
        xs: dict[tuple[int, int], float] = {}
        for (step, _), items in ends.items():
            slot = self.step_slots[step]
            left = slot.x - slot.width / 2
            for place, (_, number, position) in enumerate(sorted(items)):
                xs[(number, position)] = left + slot.width * (place + 1) / (len(items) + 1)
        return xs

    def _place_labels(self, xs: Mapping[tuple[int, int], float]) -> None:
        """Gives each label a row in its gap so that no two labels in a gap overlap.

        A label sits on the straight stretch by which its edge leaves its step: rows below the
        step's layer for edges going down, rows above it for edges going up. Rows are filled
        greedily from the left, which uses as few rows as the overlaps allow.
        """
        gaps: dict[tuple[int, bool], list[tuple[float, float, int]]] = {}
        for number, edge in enumerate(self.edges):
            edge.label_width = len(edge.label) * LABEL_CHAR_WIDTH + 8
            source = self.step_slots[edge.source]
            if edge.self_loop:
                edge.label_x = source.x + source.width / 2 + 6 + edge.label_width / 2
            else:
                edge.label_x = xs[(number, len(edge.chain or ()) - 1 if edge.upward else 0)]
            half = edge.label_width / 2
            gap = gaps.setdefault((source.rank, edge.upward), [])
            gap.append((edge.label_x - half, edge.label_x + half, number))
        self.down_rows = [0] * len(self.layers)
        self.up_rows = [0] * len(self.layers)
        for (rank, upward), items in gaps.items():
            row_ends: list[float] = []
            for left, right, number in sorted(items):
                row = next(
                    (i for i, end in enumerate(row_ends) if end + LABEL_SPACING <= left),
                    len(row_ends),
                )
                if row == len(row_ends):
                    row_ends.append(right)
                else:
                    row_ends[row] = right
                self.edges[number].label_row = row
            (self.up_rows if upward else self.down_rows)[rank] = len(row_ends)

    def _layer_tops(self) -> list[float]:
        tops = [float(TOP_MARGIN)]
        for rank in range(1, len(self.layers)):
            gap = BAND + LABEL_LINE * (self.down_rows[rank - 1] + self.up_rows[rank])
            if rank == self.first_unreachable_rank:
                gap += HEADING_ROOM
            tops.append(tops[-1] + NODE_HEIGHT + gap)
        return tops

    def _route(
        self, number: int, edge: _Edge, xs: Mapping[tuple[int, int], float], tops: list[float]
    ) -> str:
        """SVG path data from the edge's source to its target.

        Between two layers an edge runs straight through the label rows at each end and
        bends only in the band between them, so labels stay on straight, unambiguous stretches.
        """
        if edge.self_loop:
            slot = self.step_slots[edge.source]
            right, top = slot.x + slot.width / 2, tops[slot.rank]
            bulge = right + SELF_LOOP_ROOM - 8
            return (
                f"M{_num(right)} {_num(top + 18)} C{_num(bulge)} {_num(top + 8)}"
                f" {_num(bulge)} {_num(top + 48)} {_num(right)} {_num(top + 38)}"
            )
        chain = edge.chain or []
        points: list[tuple[float, float]] = []
        bends: list[bool] = []  # whether the stretch from points[i] to points[i + 1] bends
        for position in range(len(chain) - 1):
            upper, lower = chain[position], chain[position + 1]
            upper_x = xs.get((number, position), upper.x)
            lower_x = xs.get((number, position + 1), lower.x)
            bottom = tops[upper.rank] + NODE_HEIGHT
            top = tops[lower.rank]
            points += [
                (upper_x, bottom),
                (upper_x, bottom + LABEL_LINE * self.down_rows[upper.rank]),
                (lower_x, top - LABEL_LINE * self.up_rows[lower.rank]),
                (lower_x, top),
            ]
            bends += [False, True, False, False]  # the last joins the next stretch: straight
        points, bends = (points[::-1], bends[-2::-1] + [False]) if edge.upward else (points, bends)
        parts = [f"M{_num(points[0][0])} {_num(points[0][1])}"]
        for (x0, y0), (x1, y1), bend in zip(points, points[1:], bends, strict=False):
            if (x0, y0) == (x1, y1):
                continue
            if bend:
                middle = _num((y0 + y1) / 2)
                parts.append(f"C{_num(x0)} {middle} {_num(x1)} {middle} {_num(x1)} {_num(y1)}")
            elif parts[-1].startswith("V"):  # straight on through a waypoint: one stretch
                parts[-1] = f"V{_num(y1)}"
            else:
                parts.append(f"V{_num(y1)}")
        return " ".join(parts)

    def _label_y(self, edge: _Edge, tops: list[float]) -> float:
        """The label's baseline, in its row."""
        top = tops[self.step_slots[edge.source].rank]
        if edge.upward:
            return top - LABEL_LINE * edge.label_row - 4
        return top + NODE_HEIGHT + LABEL_LINE * edge.label_row + 12

    def _extent(self, tops: list[float]) -> tuple[float, float, float]:
        """The x shift that puts the leftmost thing at the margin, and the drawing's size."""
        boxes = [
            (slot.x - slot.width / 2, slot.x + slot.width / 2, tops[slot.rank] + slot.height)
            for layer in self.layers
            for slot in layer
        ]
        for edge in self.edges:
            half = edge.label_width / 2
            boxes.append((edge.label_x - half, edge.label_x + half, self._label_y(edge, tops) + 4))
            if edge.self_loop:
                right = self.step_slots[edge.source].x + NODE_WIDTH / 2
                boxes.append((right, right + SELF_LOOP_ROOM, 0.0))
        if not boxes:
            return MARGIN, 2 * MARGIN, TOP_MARGIN + MARGIN
        shift = MARGIN - min(left for left, _, _ in boxes)
        width = max(right for _, right, _ in boxes) + shift + MARGIN
        height = max(bottom for _, _, bottom in boxes) + MARGIN
        return shift, width, height

    def _render(self, reachable: list[bool]) -> ScenarioMap:
        xs = self._port_xs()
        self._place_labels(xs)
        tops = self._layer_tops()
        shift, width, height = self._extent(tops)
        for layer in self.layers:  # move everything right so nothing starts left of the margin
            for slot in layer:
                slot.x += shift
        for edge in self.edges:
            edge.label_x += shift
        xs = {place: x + shift for place, x in xs.items()}
        nodes = tuple(
            MapNode(
                key=self.keys[step],
                title=self.titles[step],
                kind=self.kinds[step],
                x=round(slot.x - slot.width / 2, 1),
                y=tops[slot.rank],
                width=slot.width,
                height=slot.height,
                problems=self.problems[step],
                href=self.hrefs[step],
                is_start=step == 0,
            )
            for step, slot in enumerate(self.step_slots)
        )
        edges = tuple(
            MapEdge(
                source=self.keys[edge.source],
                target=edge.target_key,
                label=edge.label,
                path_d=self._route(number, edge, xs, tops),
                label_x=round(edge.label_x, 1),
                label_y=round(self._label_y(edge, tops), 1),
                is_back_edge=edge.back,
                broken=edge.target is None,
            )
            for number, edge in enumerate(self.edges)
        )
        svg = self._svg(nodes, edges, tops, width, height, reachable)
        return ScenarioMap(
            nodes=nodes,
            edges=edges,
            width=round(width, 1),
            height=round(height, 1),
            svg=svg,
            outline=self._outline(),
        )

    def _outline(self) -> tuple[OutlineItem, ...]:
        items = []
        for step in range(len(self.steps)):
            exits = []
            for edge in self.out[step]:
                if not edge.target_key:
                    target = ""
                elif edge.target is None:
                    target = f"missing: {edge.target_key}"
                else:
                    title = self.titles[edge.target]
                    target = f"{title} ({edge.target_key})" if title else edge.target_key
                exits.append((edge.full_label, target))
            items.append(
                OutlineItem(
                    key=self.keys[step],
                    title=self.titles[step],
                    kind=self.kinds[step],
                    problems=self.problems[step],
                    href=self.hrefs[step],
                    exits=tuple(exits),
                )
            )
        return tuple(items)

    # --- SVG ---------------------------------------------------------------------------------

    def _svg(
        self,
        nodes: tuple[MapNode, ...],
        edges: tuple[MapEdge, ...],
        tops: list[float],
        width: float,
        height: float,
        reachable: list[bool],
    ) -> SafeString:
        ident = self.dom_id
        choices = sum(len(self.out[s]) for s in range(len(self.steps)) if self.kinds[s] == DECISION)
        problem_count = sum(len(problems) for problems in self.problems)
        description = (
            f"{_plural(len(self.steps), 'step')}, {_plural(choices, 'choice')}; "
            f"{_plural(problem_count, 'problem')}. A text outline follows."
        )
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(width)} {_num(height)}"'
            f' width="{_num(width)}" height="{_num(height)}" role="group"'
            f' aria-labelledby="{ident}-title {ident}-desc" class="scenario-map"'
            f' font-family="{FONT}">',
            f'<title id="{ident}-title">{escape(f"Map of {self.scenario_title}")}</title>',
            f'<desc id="{ident}-desc">{escape(description)}</desc>',
            "<defs>",
            self._marker(f"{ident}-arrow", TEXT_SECONDARY),
            self._marker(f"{ident}-arrow-broken", RED),
            "</defs>",
            '<g class="scenario-map__edges" fill="none">',
        ]
        for edge in edges:
            out.append(self._edge_svg(edge))
        out.append("</g>")
        for node, is_reachable in zip(nodes, reachable, strict=True):
            out.append(self._node_svg(node, is_reachable))
        for layer in self.layers:
            for slot in layer:
                if slot.kind == "stub":
                    out.append(self._stub_svg(slot, tops[slot.rank]))
        out.append('<g class="scenario-map__edge-labels" font-size="12">')
        for edge, full in zip(edges, self.edges, strict=True):
            # A white copy underneath keeps the label legible where it crosses edges (the
            # paint-order attribute would do it in one element, but not every renderer has it).
            at = f'x="{_num(edge.label_x)}" y="{_num(edge.label_y)}" text-anchor="middle"'
            text = escape(edge.label)
            out.append(
                f'<g class="scenario-map__edge-label"><title>{escape(full.full_label)}</title>'
                f'<text {at} fill="{WHITE}" stroke="{WHITE}" stroke-width="4"'
                f' stroke-linejoin="round" aria-hidden="true">{text}</text>'
                f'<text {at} fill="{TEXT}">{text}</text></g>'
            )
        out.append("</g>")
        if self.first_unreachable_rank is not None:
            rank = self.first_unreachable_rank
            y = tops[rank] - 12 - LABEL_LINE * self.up_rows[rank]
            out.append(
                f'<text class="scenario-map__heading" x="{MARGIN}" y="{_num(y)}" font-size="14"'
                f' font-weight="700" fill="{RED}">Not reachable from the first step</text>'
            )
        out.append("</svg>")
        return mark_safe("".join(out))  # noqa: S308 - every author string above is escaped

    @staticmethod
    def _marker(ident: str, colour: str) -> str:
        return (
            f'<marker id="{ident}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7"'
            f' markerHeight="7" orient="auto-start-reverse">'
            f'<path d="M0 0 L10 5 L0 10 z" fill="{colour}"/></marker>'
        )

    def _edge_svg(self, edge: MapEdge) -> str:
        classes = "scenario-map__edge"
        extra = ""
        if edge.is_back_edge:
            classes += " scenario-map__edge--back"
            extra = ' stroke-dasharray="6 4"'
        if edge.broken:
            classes += " scenario-map__edge--broken"
            extra = ' stroke-dasharray="4 3"'
        colour, marker = (RED, "arrow-broken") if edge.broken else (TEXT_SECONDARY, "arrow")
        return (
            f'<path class="{classes}" d="{edge.path_d}" stroke="{colour}" stroke-width="1.5"'
            f'{extra} marker-end="url(#{self.dom_id}-{marker})"/>'
        )

    def _node_svg(self, node: MapNode, is_reachable: bool) -> str:
        classes = f"scenario-map__node scenario-map__node--{node.kind}"
        if node.problems:
            classes += " scenario-map__node--problem"
        if node.is_start:
            classes += " scenario-map__node--start"
        if not is_reachable:
            classes += " scenario-map__node--unreachable"
        name = node.title or "Untitled step"
        tooltip = f"{name} ({node.kind} step {node.key})"
        if node.is_start:
            tooltip += ". Start of the scenario"
        if node.problems:
            tooltip += f". {_plural(len(node.problems), 'problem')}: " + "; ".join(node.problems)
        stroke, stroke_width = {
            DECISION: (BLUE, 2),
            NARRATIVE: (TEXT, 1),
            END: (TEXT, 2),
        }[node.kind]
        if node.problems:
            stroke, stroke_width = RED, 4
        w, h = _num(node.width), _num(node.height)
        fill = LIGHT_GREY if node.kind == END else WHITE
        corner = {DECISION: "0", NARRATIVE: "10", END: _num(node.height / 2)}[node.kind]
        parts = [
            f'<a href="{escape(node.href)}" class="scenario-map__link">',
            f"<title>{escape(tooltip)}</title>",
            f'<g class="{classes}" transform="translate({_num(node.x)} {_num(node.y)})">',
            f'<rect class="scenario-map__shape" width="{w}" height="{h}" rx="{corner}"'
            f' fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width}"/>',
        ]
        if node.kind == END:  # a double border, so ends read as ends without colour
            parts.append(
                f'<rect width="{_num(node.width - 10)}" height="{_num(node.height - 10)}" x="5"'
                f' y="5" rx="{_num(node.height / 2 - 5)}" fill="none" stroke="{TEXT}"'
                f' stroke-width="1"/>'
            )
        indent = 24 if node.kind == END else 12
        kind_line = _shorten(
            f"{node.kind.capitalize()} · {node.key}", KIND_LINE_CHARS - 4 * bool(node.problems)
        )
        parts.append(
            f'<text x="{indent}" y="17" font-size="11" fill="{TEXT_SECONDARY}">'
            f"{escape(kind_line)}</text>"
        )
        lines = _wrap(name, TITLE_LINE_CHARS - (2 if node.kind == END else 0))
        for number, line in enumerate(lines):
            y = 38 if len(lines) == 1 else 33 + 15 * number
            parts.append(
                f'<text x="{indent}" y="{y}" font-size="13" font-weight="700" fill="{TEXT}">'
                f"{escape(line)}</text>"
            )
        if node.problems:
            badge_x = _num(node.width - 16)
            parts.append(
                f'<g class="scenario-map__badge"><circle cx="{badge_x}" cy="15" r="9"'
                f' fill="{RED}"/><text x="{badge_x}" y="20" text-anchor="middle" font-size="14"'
                f' font-weight="700" fill="{WHITE}">!</text></g>'
            )
        if node.is_start:
            centre = _num(node.width / 2)
            parts.append(
                f'<g class="scenario-map__start"><circle cx="{centre}" cy="-28" r="5"'
                f' fill="{TEXT}"/><path d="M{centre} -23 V-2" stroke="{TEXT}" stroke-width="1.5"'
                f' marker-end="url(#{self.dom_id}-arrow)"/><text x="{_num(node.width / 2 + 10)}"'
                f' y="-24" font-size="12" fill="{TEXT}">Start</text></g>'
            )
        parts.append("</g></a>")
        return "".join(parts)

    def _stub_svg(self, slot: _Slot, top: float) -> str:
        target = slot.note
        text = f"Missing: {target}" if target else "No next step"
        tooltip = (
            f'No step of this scenario has the key "{target}".'
            if target
            else "This way out does not lead to a step yet."
        )
        x = _num(slot.x - slot.width / 2)
        return (
            f'<g class="scenario-map__stub" transform="translate({x} {_num(top)})">'
            f"<title>{escape(tooltip)}</title>"
            f'<rect width="{_num(slot.width)}" height="{_num(slot.height)}" rx="4" fill="{WHITE}"'
            f' stroke="{RED}" stroke-width="2" stroke-dasharray="4 3"/>'
            f'<text x="{_num(slot.width / 2)}" y="21" text-anchor="middle" font-size="12"'
            f' fill="{RED}">{escape(_shorten(text, 22))}</text></g>'
        )
