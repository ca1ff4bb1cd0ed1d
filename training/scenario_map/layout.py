"""The layered layout of one scenario (the steps numbered in the package docstring)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from training.scenario_map.parts import (
    BAND,
    COLUMN_GAP,
    DECISION,
    END,
    HEADING_ROOM,
    LABEL_CHARS,
    MARGIN,
    NARRATIVE,
    NODE_HEIGHT,
    NODE_WIDTH,
    SELF_LOOP_ROOM,
    STUB_HEIGHT,
    STUB_WIDTH,
    TOP_MARGIN,
    WAYPOINT_WIDTH,
    Edge,
    MapEdge,
    MapNode,
    ScenarioMap,
    Slot,
    clean,
    shorten,
)
from training.scenario_map.render import draw_outline, draw_svg
from training.scenario_map.routing import Routes, pack


class Drawing:
    """One scenario laid out in layers; `build()` runs the numbered steps and draws it."""

    def __init__(
        self,
        scenario: Mapping[str, Any],
        problems_by_step: Mapping[str, Sequence[str]],
        href_for: Callable[[str], str],
        title: str,
    ) -> None:
        self.steps: list[Mapping[str, Any]] = list(scenario.get("steps") or [])
        self.scenario_title = clean(
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
        self.titles = [clean(step.get("title")) for step in self.steps]
        self.safety_critical = [
            kind == DECISION and step.get("safety_critical") is True
            for kind, step in zip(self.kinds, self.steps, strict=True)
        ]
        self.problems = [tuple(problems_by_step.get(key, ())) for key in self.keys]
        self.hrefs = [href_for(key) for key in self.keys]
        self.index_of: dict[str, int] = {}
        for index, key in enumerate(self.keys):
            if key:
                self.index_of.setdefault(key, index)
        self.edges: list[Edge] = []
        self.out: list[list[Edge]] = [[] for _ in self.steps]
        for index, step in enumerate(self.steps):
            self._collect_edges(index, step)
        self.step_slots: list[Slot] = []
        self.layers: list[list[Slot]] = []
        self.first_unreachable_rank: int | None = None

    def _collect_edges(self, index: int, step: Mapping[str, Any]) -> None:
        if self.kinds[index] == NARRATIVE:
            exits = [("Continue", step.get("next"))]
        elif self.kinds[index] == DECISION:
            exits = [
                (clean(choice.get("text")) or f"Choice {number}", choice.get("next"))
                for number, choice in enumerate(step.get("choices") or [], start=1)
            ]
        else:
            exits = []
        for full_label, target in exits:
            target_key = str(target or "")
            edge = Edge(
                source=index,
                target=self.index_of.get(target_key) if target_key else None,
                target_key=target_key,
                label=shorten(full_label, LABEL_CHARS),
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
    def _add_slot(self, kind: str, step: int, rank: int) -> Slot:
        width, height = {
            "step": (NODE_WIDTH, NODE_HEIGHT),
            "stub": (STUB_WIDTH, STUB_HEIGHT),
            "waypoint": (WAYPOINT_WIDTH, NODE_HEIGHT),
        }[kind]
        slot = Slot(kind, step, width, height, rank)
        while len(self.layers) <= rank:
            self.layers.append([])
        self.layers[rank].append(slot)
        return slot

    def _make_slots(self, ranks: list[int], reachable: list[bool]) -> None:
        by_rank = sorted(range(len(self.steps)), key=lambda node: (ranks[node], node))
        slot_of: dict[int, Slot] = {}
        for node in by_rank:
            slot_of[node] = self._add_slot("step", node, ranks[node])
        self.step_slots = [slot_of[node] for node in range(len(self.steps))]
        bottom_ports: list[list[Edge]] = [[] for _ in self.steps]
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
    def _barycentre(slot: Slot, index: int, position: dict[int, int], downwards: bool) -> float:
        """Mean position of the slot's neighbours in the layer just swept, ports included."""
        if downwards:
            places = [position[id(upper)] + port for upper, port in slot.links_up]
        else:
            places = [position[id(lower)] - port for lower, port in slot.links_down]
        return sum(places) / len(places) if places else float(index)

    def _separation(self, left: Slot, right: Slot) -> float:
        room = SELF_LOOP_ROOM if left.kind == "step" and self._has_self_loop(left.step) else 0
        return left.width / 2 + COLUMN_GAP + room + right.width / 2

    def _has_self_loop(self, step: int) -> bool:
        return any(edge.self_loop for edge in self.out[step])

    def _place_layer(self, layer: list[Slot], wanted: list[float]) -> None:
        """Closest to `wanted` keeping the slots' order and gaps."""
        gaps = [self._separation(a, b) for a, b in zip(layer, layer[1:], strict=False)]
        for slot, x in zip(layer, pack(wanted, gaps), strict=True):
            slot.x = x

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

    def _layer_tops(self, routes: Routes) -> list[float]:
        tops = [float(TOP_MARGIN)]
        for rank in range(1, len(self.layers)):
            gap = BAND + routes.gap(rank - 1)
            if rank == self.first_unreachable_rank:
                gap += HEADING_ROOM
            tops.append(tops[-1] + NODE_HEIGHT + gap)
        return tops

    def _extent(self, tops: list[float], routes: Routes) -> tuple[float, float, float]:
        """The x shift that puts the leftmost thing at the margin, and the drawing's size."""
        boxes = [
            (slot.x - slot.width / 2, slot.x + slot.width / 2, tops[slot.rank] + slot.height)
            for layer in self.layers
            for slot in layer
        ]
        boxes += [(x, x, 0.0) for x in routes.lane_xs()]
        for edge in self.edges:
            half = edge.label_width / 2
            bottom = routes.label_y(edge, tops) + 4
            boxes.append((edge.label_x - half, edge.label_x + half, bottom))
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
        routes = Routes(self.edges, self.step_slots, len(self.layers), self._port_xs())
        tops = self._layer_tops(routes)
        shift, width, height = self._extent(tops, routes)
        for layer in self.layers:  # move everything right so nothing starts left of the margin
            for slot in layer:
                slot.x += shift
        routes.shift(shift)
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
                safety_critical=self.safety_critical[step],
            )
            for step, slot in enumerate(self.step_slots)
        )
        edges = tuple(
            MapEdge(
                source=self.keys[edge.source],
                target=edge.target_key,
                label=edge.label,
                path_d=routes.path(number, tops),
                label_x=round(edge.label_x, 1),
                label_y=round(routes.label_y(edge, tops), 1),
                is_back_edge=edge.back,
                broken=edge.target is None,
            )
            for number, edge in enumerate(self.edges)
        )
        svg = draw_svg(self, routes, nodes, edges, tops, width, height, reachable)
        return ScenarioMap(
            nodes=nodes,
            edges=edges,
            width=round(width, 1),
            height=round(height, 1),
            svg=svg,
            outline=draw_outline(self),
        )
