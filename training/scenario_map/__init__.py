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
5. Between two layers every edge runs straight through the label rows in a lane of its own,
   spaced so that a choice's label, centred on its own edge, covers no other edge
   (routing.py); edges bend only outside the label rows and cross layers only at their own
   steps and waypoints.
Everything is iterated in authoring order, so the same scenario gives byte-identical SVG.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from training.scenario_map.layout import Drawing
from training.scenario_map.parts import (
    LABEL_CHAR_WIDTH,
    NO_PROBLEMS,
    MapEdge,
    MapNode,
    OutlineItem,
    ScenarioMap,
)

__all__ = [
    "LABEL_CHAR_WIDTH",
    "MapEdge",
    "MapNode",
    "OutlineItem",
    "ScenarioMap",
    "scenario_map_build",
]


def _anchor_href(key: str) -> str:
    return f"#step-{key}"


def scenario_map_build(
    scenario: Mapping[str, Any],
    *,
    problems_by_step: Mapping[str, Sequence[str]] = NO_PROBLEMS,
    href_for: Callable[[str], str] = _anchor_href,
    title: str = "",
) -> ScenarioMap:
    """Lay out and draw one scenario, whatever state its draft is in.

    Half-written scenarios are the point of the map, so nothing here raises on a broken graph:
    unknown targets, missing next steps, unreachable steps, loops and duplicate keys are drawn.
    """
    return Drawing(scenario, problems_by_step, href_for, title).build()
