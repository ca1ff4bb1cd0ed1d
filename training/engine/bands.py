"""A decision's bands while validating: well-formed, and whether a value lies inside. Pure."""

from __future__ import annotations

from typing import Any

from training.engine.scoring import Band, route_distance
from training.responses import LEVEL_KEYS


def band_of(value: Any, route: str) -> Band | None:
    """The band if `value` is a well-formed one on `route`, else None."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    order = LEVEL_KEYS[route]
    lowest, highest = value
    if lowest not in order or highest not in order:
        return None
    if order.index(lowest) > order.index(highest):
        return None
    return (lowest, highest)


def inside_band(value: Any, route: str, band: Band) -> bool:
    return value in LEVEL_KEYS[route] and route_distance(route, value, band) == 0
