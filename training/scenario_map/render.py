"""Drawing a laid-out scenario: the SVG, and the text outline that says the same by ear."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from django.utils.safestring import SafeString, mark_safe

from training.scenario_map.parts import (
    BLUE,
    DECISION,
    END,
    FONT,
    KIND_LINE_CHARS,
    LIGHT_GREY,
    MARGIN,
    NARRATIVE,
    RED,
    TEXT,
    TEXT_SECONDARY,
    TITLE_LINE_CHARS,
    WHITE,
    MapEdge,
    MapNode,
    OutlineItem,
    Slot,
    num,
    plural,
    shorten,
    wrap,
)

if TYPE_CHECKING:
    from training.scenario_map.layout import Drawing
    from training.scenario_map.routing import Routes


def draw_outline(drawing: Drawing) -> tuple[OutlineItem, ...]:
    """The same graph as text, for screen readers: each step and where each way out leads."""
    items = []
    for step in range(len(drawing.steps)):
        exits = []
        for edge in drawing.out[step]:
            if not edge.target_key:
                target = ""
            elif edge.target is None:
                target = f"missing: {edge.target_key}"
            else:
                title = drawing.titles[edge.target]
                target = f"{title} ({edge.target_key})" if title else edge.target_key
            exits.append((edge.full_label, target))
        items.append(
            OutlineItem(
                key=drawing.keys[step],
                title=drawing.titles[step],
                kind=drawing.kinds[step],
                problems=drawing.problems[step],
                href=drawing.hrefs[step],
                exits=tuple(exits),
                safety_critical=drawing.safety_critical[step],
            )
        )
    return tuple(items)


# --- SVG ---------------------------------------------------------------------------------


def draw_svg(
    drawing: Drawing,
    routes: Routes,
    nodes: tuple[MapNode, ...],
    edges: tuple[MapEdge, ...],
    tops: list[float],
    width: float,
    height: float,
    reachable: list[bool],
) -> SafeString:
    ident = drawing.dom_id
    choices = sum(
        len(drawing.out[s]) for s in range(len(drawing.steps)) if drawing.kinds[s] == DECISION
    )
    problem_count = sum(len(problems) for problems in drawing.problems)
    critical = sum(drawing.safety_critical)
    marked = f", {plural(critical, 'safety-critical decision')}" if critical else ""
    description = (
        f"{plural(len(drawing.steps), 'step')}, {plural(choices, 'choice')}{marked}; "
        f"{plural(problem_count, 'problem')}. A text outline follows."
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {num(width)} {num(height)}"'
        f' width="{num(width)}" height="{num(height)}" role="group"'
        f' aria-labelledby="{ident}-title {ident}-desc" class="scenario-map"'
        f' font-family="{FONT}">',
        f'<title id="{ident}-title">{escape(f"Map of {drawing.scenario_title}")}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
        "<defs>",
        _marker(f"{ident}-arrow", TEXT_SECONDARY),
        _marker(f"{ident}-arrow-broken", RED),
        "</defs>",
        '<g class="scenario-map__edges" fill="none">',
    ]
    for edge in edges:
        out.append(_edge_svg(drawing, edge))
    out.append("</g>")
    for node, is_reachable in zip(nodes, reachable, strict=True):
        out.append(_node_svg(drawing, node, is_reachable))
    for layer in drawing.layers:
        for slot in layer:
            if slot.kind == "stub":
                out.append(_stub_svg(slot, tops[slot.rank]))
    out.append('<g class="scenario-map__edge-labels" font-size="12">')
    for edge, full in zip(edges, drawing.edges, strict=True):
        # A white copy underneath keeps the label legible where it crosses edges (the
        # paint-order attribute would do it in one element, but not every renderer has it).
        at = f'x="{num(edge.label_x)}" y="{num(edge.label_y)}" text-anchor="middle"'
        text = escape(edge.label)
        out.append(
            f'<g class="scenario-map__edge-label"><title>{escape(full.full_label)}</title>'
            f'<text {at} fill="{WHITE}" stroke="{WHITE}" stroke-width="4"'
            f' stroke-linejoin="round" aria-hidden="true">{text}</text>'
            f'<text {at} fill="{TEXT}">{text}</text></g>'
        )
    out.append("</g>")
    if drawing.first_unreachable_rank is not None:
        rank = drawing.first_unreachable_rank
        y = tops[rank] - 12 - routes.above[rank].height
        out.append(
            f'<text class="scenario-map__heading" x="{MARGIN}" y="{num(y)}" font-size="14"'
            f' font-weight="700" fill="{RED}">Not reachable from the first step</text>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every author string above is escaped


def _marker(ident: str, colour: str) -> str:
    return (
        f'<marker id="{ident}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7"'
        f' markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M0 0 L10 5 L0 10 z" fill="{colour}"/></marker>'
    )


def _edge_svg(drawing: Drawing, edge: MapEdge) -> str:
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
        f'{extra} marker-end="url(#{drawing.dom_id}-{marker})"/>'
    )


def _node_svg(drawing: Drawing, node: MapNode, is_reachable: bool) -> str:
    classes = f"scenario-map__node scenario-map__node--{node.kind}"
    if node.problems:
        classes += " scenario-map__node--problem"
    if node.is_start:
        classes += " scenario-map__node--start"
    if not is_reachable:
        classes += " scenario-map__node--unreachable"
    if node.safety_critical:
        classes += " scenario-map__node--safety-critical"
    name = node.title or "Untitled step"
    tooltip = f"{name} ({node.kind} step {node.key})"
    if node.safety_critical:
        tooltip += ". Safety-critical: an under-reaction or practice error fails the attempt"
    if node.is_start:
        tooltip += ". Start of the scenario"
    if node.problems:
        tooltip += f". {plural(len(node.problems), 'problem')}: " + "; ".join(node.problems)
    stroke, stroke_width = {
        DECISION: (BLUE, 2),
        NARRATIVE: (TEXT, 1),
        END: (TEXT, 2),
    }[node.kind]
    if node.problems:
        stroke, stroke_width = RED, 4
    w, h = num(node.width), num(node.height)
    fill = LIGHT_GREY if node.kind == END else WHITE
    corner = {DECISION: "0", NARRATIVE: "10", END: num(node.height / 2)}[node.kind]
    parts = [
        f'<a href="{escape(node.href)}" class="scenario-map__link">',
        f"<title>{escape(tooltip)}</title>",
        f'<g class="{classes}" transform="translate({num(node.x)} {num(node.y)})">',
        f'<rect class="scenario-map__shape" width="{w}" height="{h}" rx="{corner}"'
        f' fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width}"/>',
    ]
    if node.kind == END:  # a double border, so ends read as ends without colour
        parts.append(
            f'<rect width="{num(node.width - 10)}" height="{num(node.height - 10)}" x="5"'
            f' y="5" rx="{num(node.height / 2 - 5)}" fill="none" stroke="{TEXT}"'
            f' stroke-width="1"/>'
        )
    indent = 24 if node.kind == END else 12
    kind_word = "Safety-critical" if node.safety_critical else node.kind.capitalize()
    kind_line = shorten(f"{kind_word} · {node.key}", KIND_LINE_CHARS - 4 * bool(node.problems))
    if node.safety_critical:  # said in words on the box, with a bar down its left: not colour
        indent = 16
        parts.append(
            f'<rect class="scenario-map__critical-bar" width="6" height="{h}" fill="{TEXT}"/>'
        )
        parts.append(
            f'<text x="{indent}" y="17" font-size="11" font-weight="700" fill="{TEXT}">'
            f"{escape(kind_line)}</text>"
        )
    else:
        parts.append(
            f'<text x="{indent}" y="17" font-size="11" fill="{TEXT_SECONDARY}">'
            f"{escape(kind_line)}</text>"
        )
    lines = wrap(name, TITLE_LINE_CHARS - (2 if node.kind == END else 0))
    for number, line in enumerate(lines):
        y = 38 if len(lines) == 1 else 33 + 15 * number
        parts.append(
            f'<text x="{indent}" y="{y}" font-size="13" font-weight="700" fill="{TEXT}">'
            f"{escape(line)}</text>"
        )
    if node.problems:
        badge_x = num(node.width - 16)
        parts.append(
            f'<g class="scenario-map__badge"><circle cx="{badge_x}" cy="15" r="9"'
            f' fill="{RED}"/><text x="{badge_x}" y="20" text-anchor="middle" font-size="14"'
            f' font-weight="700" fill="{WHITE}">!</text></g>'
        )
    if node.is_start:
        centre = num(node.width / 2)
        parts.append(
            f'<g class="scenario-map__start"><circle cx="{centre}" cy="-28" r="5"'
            f' fill="{TEXT}"/><path d="M{centre} -23 V-2" stroke="{TEXT}" stroke-width="1.5"'
            f' marker-end="url(#{drawing.dom_id}-arrow)"/><text x="{num(node.width / 2 + 10)}"'
            f' y="-24" font-size="12" fill="{TEXT}">Start</text></g>'
        )
    parts.append("</g></a>")
    return "".join(parts)


def _stub_svg(slot: Slot, top: float) -> str:
    target = slot.note
    text = f"Missing: {target}" if target else "No next step"
    tooltip = (
        f'No step of this scenario has the key "{target}".'
        if target
        else "This way out does not lead to a step yet."
    )
    x = num(slot.x - slot.width / 2)
    return (
        f'<g class="scenario-map__stub" transform="translate({x} {num(top)})">'
        f"<title>{escape(tooltip)}</title>"
        f'<rect width="{num(slot.width)}" height="{num(slot.height)}" rx="4" fill="{WHITE}"'
        f' stroke="{RED}" stroke-width="2" stroke-dasharray="4 3"/>'
        f'<text x="{num(slot.width / 2)}" y="21" text-anchor="middle" font-size="12"'
        f' fill="{RED}">{escape(shorten(text, 22))}</text></g>'
    )
