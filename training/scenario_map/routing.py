"""Edges routed around the labels of other edges, between two layers of the map.

A label is drawn on its own edge, and no other edge may run under it. Every edge crossing the
gap between two layers runs straight down through the label rows, each in its own "lane". A
label sits centred on its edge's lane, and neighbouring lanes stand far enough apart that no
other lane falls inside a label (at least the wider half-label plus a clearance). Labels that
would still touch take turns between rows; with that spacing two rows always suffice, because a
label and the next label but one never touch. Edges bend only outside the label rows, so a
bend never cuts a label either.

One gap, top to bottom (a zone with no labels takes no room and leaves edges at their ports):

    layer r          the upper steps; edges leave from ports along their bottom sides
    fan              edges spread from their ports to their lanes (only when a lane moved)
    label rows       the labels of edges leaving layer r downwards: the zone below layer r
    band             edges bend from the lanes above to the lanes below
    label rows       the labels of edges leaving layer r + 1 upwards: the zone above it
    fan              edges gather from their lanes to their ports
    layer r + 1      the lower steps

Layers themselves are crossed only at an edge's own steps and waypoints, so edges never pass
through a step: every bend lies between layers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from training.scenario_map.parts import (
    FAN,
    LABEL_CHAR_WIDTH,
    LABEL_LINE,
    LABEL_SPACING,
    LANE_CLEARANCE,
    LANE_GAP,
    NODE_HEIGHT,
    SELF_LOOP_ROOM,
    Edge,
    Slot,
    num,
)

SELF_LOOP_LABEL = -1  # a lane's stretch number when it only holds a self-loop's label

Ports = Mapping[tuple[int, int], float]  # (edge number, place in its chain) -> x on the step


@dataclass
class Lane:
    """One stretch of an edge through a label zone, or the place of a self-loop's label."""

    wanted: float  # x of the port the stretch leaves or reaches: where it would run unrouted
    edge: int
    stretch: int  # the stretch chain[stretch] -> chain[stretch + 1], or SELF_LOOP_LABEL
    half: float  # half the width of the label it carries here, 0 when it carries none
    x: float = 0.0


@dataclass
class Zone:
    """The label rows on one side of a layer, and the lanes through them."""

    lanes: list[Lane] = field(default_factory=list)
    rows: int = 0
    fan: float = 0.0

    @property
    def height(self) -> float:
        return self.fan + LABEL_LINE * self.rows


def pack(wanted: Sequence[float], gaps: Sequence[float]) -> list[float]:
    """Positions closest to `wanted` keeping their order and at least `gaps` apart.

    The mean of a packing pushed from the left and one pushed from the right: both keep the
    gaps, so their mean does too, and it leaves a crowd centred where it wanted to be.
    """
    left = list(wanted)
    for i in range(1, len(left)):
        left[i] = max(wanted[i], left[i - 1] + gaps[i - 1])
    right = list(wanted)
    for i in range(len(right) - 2, -1, -1):
        right[i] = min(wanted[i], right[i + 1] - gaps[i])
    return [(a + b) / 2 for a, b in zip(left, right, strict=True)]


class Routes:
    """The label zones of every layer, each edge's label place, and each edge's path."""

    def __init__(
        self, edges: Sequence[Edge], step_slots: Sequence[Slot], layer_count: int, ports: Ports
    ) -> None:
        self.edges = edges
        self.step_slots = step_slots
        self.ports = dict(ports)
        self.below = [Zone() for _ in range(layer_count)]
        self.above = [Zone() for _ in range(layer_count)]
        self.below_x: dict[tuple[int, int], float] = {}  # (edge, stretch) -> lane x
        self.above_x: dict[tuple[int, int], float] = {}
        self._collect_lanes()
        for zone, xs in [(z, self.below_x) for z in self.below] + [
            (z, self.above_x) for z in self.above
        ]:
            self._space_lanes(zone)
            self._fill_rows(zone)
            for lane in zone.lanes:
                xs[(lane.edge, lane.stretch)] = lane.x
                if lane.half:
                    self.edges[lane.edge].label_x = lane.x

    def _collect_lanes(self) -> None:
        """Every stretch crosses the zone below its upper layer and above its lower layer;
        an edge's label rides on its first stretch going down, its last going up."""
        for number, edge in enumerate(self.edges):
            edge.label_width = len(edge.label) * LABEL_CHAR_WIDTH + 8
            half = edge.label_width / 2
            if edge.self_loop:
                slot = self.step_slots[edge.source]
                right = slot.x + slot.width / 2
                self.below[slot.rank].lanes.append(
                    Lane(right + 6 + half, number, SELF_LOOP_LABEL, half)
                )
                continue
            chain = edge.chain or []
            last = len(chain) - 2
            for stretch, (upper, lower) in enumerate(zip(chain, chain[1:], strict=False)):
                down_half = half if stretch == 0 and not edge.upward else 0.0
                up_half = half if stretch == last and edge.upward else 0.0
                self.below[upper.rank].lanes.append(
                    Lane(self.ports.get((number, stretch), upper.x), number, stretch, down_half)
                )
                self.above[lower.rank].lanes.append(
                    Lane(self.ports.get((number, stretch + 1), lower.x), number, stretch, up_half)
                )

    @staticmethod
    def _space_lanes(zone: Zone) -> None:
        """Lanes as near their ports as the labels allow; a fan when any edge had to move."""
        zone.lanes.sort(key=lambda lane: (lane.wanted, lane.edge, lane.stretch))
        if not any(lane.half for lane in zone.lanes):
            for lane in zone.lanes:
                lane.x = lane.wanted
            return
        gaps = [
            max(LANE_GAP, max(one.half, other.half) + LANE_CLEARANCE)
            for one, other in zip(zone.lanes, zone.lanes[1:], strict=False)
        ]
        spaced = pack([lane.wanted for lane in zone.lanes], gaps)
        for lane, x in zip(zone.lanes, spaced, strict=True):
            lane.x = x
        edges_moved = any(
            abs(lane.x - lane.wanted) > 0.05
            for lane in zone.lanes
            if lane.stretch != SELF_LOOP_LABEL
        )
        zone.fan = FAN if edges_moved else 0.0

    def _fill_rows(self, zone: Zone) -> None:
        """Each label takes the first row where it clears the label before it (lanes are in
        order, so this is a left-to-right sweep)."""
        row_ends: list[float] = []
        for lane in zone.lanes:
            if not lane.half:
                continue
            row = next(
                (i for i, end in enumerate(row_ends) if end + LABEL_SPACING <= lane.x - lane.half),
                len(row_ends),
            )
            if row == len(row_ends):
                row_ends.append(0.0)
            row_ends[row] = lane.x + lane.half
            self.edges[lane.edge].label_row = row
        zone.rows = len(row_ends)

    def shift(self, dx: float) -> None:
        """Moves every lane, port and label right by `dx`, with the steps."""
        self.ports = {place: x + dx for place, x in self.ports.items()}
        for xs in (self.below_x, self.above_x):
            for place in xs:
                xs[place] += dx
        for zone in [*self.below, *self.above]:
            for lane in zone.lanes:
                lane.x += dx
        for edge in self.edges:
            edge.label_x += dx

    def gap(self, upper_rank: int) -> float:
        """The room the label zones take between a layer and the one below it."""
        return self.below[upper_rank].height + self.above[upper_rank + 1].height

    def lane_xs(self) -> list[float]:
        return [lane.x for zone in [*self.below, *self.above] for lane in zone.lanes]

    def label_y(self, edge: Edge, tops: Sequence[float]) -> float:
        """The label's baseline: its 15-unit row runs from 11 above the baseline to 4 below."""
        rank = self.step_slots[edge.source].rank
        if edge.upward:
            return tops[rank] - self.above[rank].fan - LABEL_LINE * edge.label_row - 4
        below = self.below[rank]
        return tops[rank] + NODE_HEIGHT + below.fan + LABEL_LINE * edge.label_row + 11

    def path(self, number: int, tops: Sequence[float]) -> str:
        """SVG path data from the edge's source to its target, through its lanes."""
        edge = self.edges[number]
        if edge.self_loop:
            slot = self.step_slots[edge.source]
            right, top = slot.x + slot.width / 2, tops[slot.rank]
            bulge = right + SELF_LOOP_ROOM - 8
            return (
                f"M{num(right)} {num(top + 18)} C{num(bulge)} {num(top + 8)}"
                f" {num(bulge)} {num(top + 48)} {num(right)} {num(top + 38)}"
            )
        chain = edge.chain or []
        points: list[tuple[float, float]] = []
        for stretch, (upper, lower) in enumerate(zip(chain, chain[1:], strict=False)):
            below, above = self.below[upper.rank], self.above[lower.rank]
            bottom, top = tops[upper.rank] + NODE_HEIGHT, tops[lower.rank]
            lane_below = self.below_x[(number, stretch)]
            lane_above = self.above_x[(number, stretch)]
            points += [
                (self.ports.get((number, stretch), upper.x), bottom),
                (lane_below, bottom + below.fan),
                (lane_below, bottom + below.height),
                (lane_above, top - above.height),
                (lane_above, top - above.fan),
                (self.ports.get((number, stretch + 1), lower.x), top),
            ]
        if edge.upward:
            points.reverse()
        return _path_data(points)


def _path_data(points: Sequence[tuple[float, float]]) -> str:
    """Vertical lines where x stays put, else an S-bend leaving and arriving vertically.

    Within a gap only the fans and the band change x; through the label rows and through a
    waypoint an edge keeps its x, so those stretches are always straight.
    """
    parts = [f"M{num(points[0][0])} {num(points[0][1])}"]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        if (x0, y0) == (x1, y1):
            continue
        if num(x0) != num(x1):
            middle = num((y0 + y1) / 2)
            parts.append(f"C{num(x0)} {middle} {num(x1)} {middle} {num(x1)} {num(y1)}")
        elif parts[-1].startswith("V"):  # straight on: one stretch
            parts[-1] = f"V{num(y1)}"
        else:
            parts.append(f"V{num(y1)}")
    return " ".join(parts)
