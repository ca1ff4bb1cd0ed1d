"""The studio's scenario map: layout, SVG and text outline. Pure: no database."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from training import engine
from training.scenario_map import LABEL_CHAR_WIDTH, MapNode, scenario_map_build
from training.tests.factories import small_module

SVG = "{http://www.w3.org/2000/svg}"
LIBRARY = Path(__file__).resolve().parents[1] / "library" / "modules"
LIBRARY_SCENARIOS = [
    pytest.param(scenario, id=scenario["key"])
    for path in sorted(LIBRARY.glob("*.json"))
    for scenario in json.loads(path.read_text(encoding="utf-8"))["scenarios"]
]


def _scenario(index: int = 0, module: dict[str, Any] | None = None) -> dict[str, Any]:
    return (module or small_module())["scenarios"][index]


def _step(scenario: dict[str, Any], key: str) -> dict[str, Any]:
    return next(step for step in scenario["steps"] if step["key"] == key)


def _choice(text: str, next_key: str) -> dict[str, Any]:
    return {
        "text": text,
        "safeguarding": "family_help",
        "prevent": "none",
        "feedback": ".",
        "next": next_key,
    }


def _root(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted XML


def _node_classes(svg: str) -> dict[str, list[str]]:
    """Class names of each node's group, by the href of the link around it."""
    return {
        link.get("href"): link.find(f"{SVG}g").get("class").split()
        for link in _root(svg).iter(f"{SVG}a")
    }


def _node_tooltips(svg: str) -> dict[str, str]:
    return {link.get("href"): link.find(f"{SVG}title").text for link in _root(svg).iter(f"{SVG}a")}


def _all_text(svg: str) -> str:
    return " ".join(_root(svg).itertext())


def _overlapping(nodes: tuple[MapNode, ...]) -> list[tuple[str, str]]:
    return [
        (one.key, other.key)
        for index, one in enumerate(nodes)
        for other in nodes[index + 1 :]
        if one.y == other.y and one.x < other.x + other.width and other.x < one.x + one.width
    ]


def _looping_scenario() -> dict[str, Any]:
    scenario = _scenario()
    _step(scenario, "d2")["choices"][0]["next"] = "d1"
    return scenario


def _scenario_with_everything_wrong() -> dict[str, Any]:
    """Loops, a self-loop, broken and empty targets, unreachable steps, a duplicate key."""
    return {
        "key": "messy",
        "title": "Messy",
        "steps": [
            {"key": "a", "kind": "narrative", "title": "Start", "next": "d1"},
            {
                "key": "d1",
                "kind": "decision",
                "title": "Decide",
                "choices": [
                    _choice("Ask again", "d1"),
                    _choice("Go on", "n2"),
                    _choice("Broken", "nowhere"),
                    _choice("Unfinished", ""),
                ],
            },
            {"key": "n2", "kind": "narrative", "title": "Middle", "next": "d3"},
            {
                "key": "d3",
                "kind": "decision",
                "title": "Loop back?",
                "choices": [_choice("Back", "a"), _choice("Skip", "e1"), _choice("On", "n4")],
            },
            {"key": "n4", "kind": "narrative", "title": "Four", "next": "e1"},
            {"key": "e1", "kind": "end", "title": "The end"},
            {
                "key": "orphan",
                "kind": "decision",
                "title": "Orphan",
                "choices": [_choice("To the end", "e1"), _choice("On", "orphan-2")],
            },
            {"key": "orphan-2", "kind": "narrative", "title": "Orphan 2", "next": "orphan"},
            {"key": "n4", "kind": "end", "title": "Same key again"},
        ],
    }


# --- Nodes and edges ----------------------------------------------------------------------


def test_it_draws_every_step_as_a_node():
    result = scenario_map_build(_scenario())

    assert [node.key for node in result.nodes] == ["intro", "d1", "d2", "end-a", "end-b"]
    assert len(list(_root(result.svg).iter(f"{SVG}a"))) == 5


def test_it_draws_every_choice_as_an_edge_with_its_label():
    result = scenario_map_build(_scenario())

    assert [(e.source, e.target, e.label) for e in result.edges if e.source != "intro"] == [
        ("d1", "d2", "Nothing"),
        ("d1", "d2", "Talk to the DSL"),
        ("d1", "d2", "Refer to Prevent"),
        ("d2", "end-a", "Monitor"),
        ("d2", "end-a", "Ask the Prevent lead"),
        ("d2", "end-b", "Refer to Prevent"),
    ]


def test_it_draws_each_edge_and_its_label_in_the_svg():
    result = scenario_map_build(_scenario())
    root = _root(result.svg)

    paths = [p for p in root.iter(f"{SVG}path") if "scenario-map__edge" in p.get("class", "")]
    assert [p.get("d") for p in paths] == [edge.path_d for edge in result.edges]
    assert "Talk to the DSL" in _all_text(result.svg)


def test_it_labels_a_narrative_step_edge_continue():
    result = scenario_map_build(_scenario())

    assert [(e.source, e.target, e.label) for e in result.edges if e.source == "intro"] == [
        ("intro", "d1", "Continue")
    ]


def test_it_shortens_a_long_choice_label_and_keeps_the_whole_text_as_a_tooltip():
    scenario = _scenario()
    long_text = "Ask the designated safeguarding lead to set up a pastoral plan straight away"
    _step(scenario, "d1")["choices"][0]["text"] = long_text

    result = scenario_map_build(scenario)

    label = result.edges[1].label
    assert label.endswith("…") and len(label) <= 28
    assert long_text in [title.text for title in _root(result.svg).iter(f"{SVG}title")]


def test_it_gives_end_steps_the_end_class():
    classes = _node_classes(scenario_map_build(_scenario()).svg)

    assert "scenario-map__node--end" in classes["#step-end-a"]
    assert "scenario-map__node--end" not in classes["#step-d1"]


def test_it_gives_decision_and_narrative_steps_their_own_classes():
    classes = _node_classes(scenario_map_build(_scenario()).svg)

    assert "scenario-map__node--decision" in classes["#step-d1"]
    assert "scenario-map__node--narrative" in classes["#step-intro"]


def test_it_draws_end_steps_in_a_different_shape():
    root = _root(scenario_map_build(_scenario()).svg)
    corners = {
        link.get("href"): link.find(f"{SVG}g").find(f"{SVG}rect").get("rx")
        for link in root.iter(f"{SVG}a")
    }

    assert len({corners["#step-intro"], corners["#step-d1"], corners["#step-end-a"]}) == 3


def test_it_marks_only_the_first_step_as_the_start():
    result = scenario_map_build(_scenario())
    classes = _node_classes(result.svg)

    assert [node.key for node in result.nodes if node.is_start] == ["intro"]
    assert [href for href, names in classes.items() if "scenario-map__node--start" in names] == [
        "#step-intro"
    ]


# --- Problems -----------------------------------------------------------------------------


def test_it_highlights_a_step_with_problems():
    svg = scenario_map_build(_scenario(), problems_by_step={"d2": ["No explanation."]}).svg
    classes = _node_classes(svg)

    assert "scenario-map__node--problem" in classes["#step-d2"]
    assert not any(
        "scenario-map__node--problem" in names for h, names in classes.items() if h != "#step-d2"
    )


def test_it_draws_a_red_thick_border_and_a_badge_on_a_step_with_problems():
    root = _root(scenario_map_build(_scenario(), problems_by_step={"d2": ["Oops."]}).svg)
    group = next(link for link in root.iter(f"{SVG}a") if link.get("href") == "#step-d2")
    shape = group.find(f"{SVG}g").find(f"{SVG}rect")

    assert (shape.get("stroke"), shape.get("stroke-width")) == ("#d4351c", "4")
    assert group.find(f".//{SVG}g[@class='scenario-map__badge']") is not None


def test_it_puts_a_steps_problems_in_its_tooltip():
    problems = {"d2": ["No explanation.", "Choice 1 has no feedback."]}
    tooltips = _node_tooltips(scenario_map_build(_scenario(), problems_by_step=problems).svg)

    assert "2 problems: No explanation.; Choice 1 has no feedback." in tooltips["#step-d2"]


def test_it_lists_a_steps_problems_in_the_outline():
    result = scenario_map_build(_scenario(), problems_by_step={"d2": ["No explanation."]})

    assert {item.key: item.problems for item in result.outline}["d2"] == ("No explanation.",)
    assert {node.key: node.problems for node in result.nodes}["d2"] == ("No explanation.",)


def test_it_shows_the_problems_the_engine_finds():
    module = small_module()
    _step(_scenario(0, module), "d1")["explanation"] = ""
    problems: dict[str, list[str]] = {}
    for problem in engine.find_problems(module):
        problems.setdefault(problem.step_key, []).append(problem.detail)

    result = scenario_map_build(module["scenarios"][0], problems_by_step=problems)

    assert "explain why the bands are right" in _node_tooltips(result.svg)["#step-d1"]


# --- Authors' text and links --------------------------------------------------------------


def test_it_escapes_titles_and_labels_written_by_authors():
    scenario = _scenario()
    _step(scenario, "d1")["title"] = "<script>alert(1)</script> & co"
    _step(scenario, "d1")["choices"][0]["text"] = 'Say "no" <b>& go</b>'

    svg = scenario_map_build(scenario, title="A & <B>").svg

    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in svg
    assert 'Say "no" <b>& go</b>' in [title.text for title in _root(svg).iter(f"{SVG}title")]


def test_it_escapes_problems_written_into_tooltips():
    svg = scenario_map_build(_scenario(), problems_by_step={"d1": ['Unknown step "<x>" & more']})

    assert "&lt;x&gt;" in svg.svg
    assert 'Unknown step "<x>" & more' in _node_tooltips(svg.svg)["#step-d1"]


def test_it_drops_characters_that_xml_cannot_hold():
    scenario = _scenario()
    _step(scenario, "d1")["title"] = "Bell\x07 and null\x00"

    svg = scenario_map_build(scenario).svg

    assert "Bell and null" in _all_text(svg)


def test_it_links_each_node_to_href_for_its_key():
    result = scenario_map_build(_scenario(), href_for=lambda key: f"/studio/steps/{key}/?a=1&b=2")

    assert [node.href for node in result.nodes][0] == "/studio/steps/intro/?a=1&b=2"
    assert list(_node_classes(result.svg)) == [
        f"/studio/steps/{key}/?a=1&b=2" for key in ("intro", "d1", "d2", "end-a", "end-b")
    ]


def test_it_links_to_the_step_anchor_by_default():
    result = scenario_map_build(_scenario())

    assert [item.href for item in result.outline][:2] == ["#step-intro", "#step-d1"]


# --- Accessibility and the page's security policy -----------------------------------------


def test_it_names_and_describes_the_map_for_screen_readers():
    root = _root(scenario_map_build(_scenario(), title="Part 1: the referral").svg)
    labelled_by = root.get("aria-labelledby").split()

    assert root.get("role") == "group"  # a group: its step links stay reachable and named
    assert [root.find(f"{SVG}*[@id='{ident}']").text for ident in labelled_by] == [
        "Map of Part 1: the referral",
        "5 steps, 6 choices; 0 problems. A text outline follows.",
    ]


def test_it_counts_problems_in_the_description():
    problems = {"d1": ["One."], "d2": ["Two.", "Three."], "p2-d1": ["In another scenario."]}
    root = _root(scenario_map_build(_scenario(), problems_by_step=problems).svg)

    assert root.find(f"{SVG}desc").text == "5 steps, 6 choices; 3 problems. A text outline follows."


def test_it_describes_one_of_each_in_the_singular():
    scenario = {
        "key": "tiny",
        "steps": [
            {"key": "d", "kind": "decision", "title": "D", "choices": [_choice("Only", "e")]},
            {"key": "e", "kind": "end", "title": "E"},
        ],
    }
    root = _root(scenario_map_build(scenario, problems_by_step={"d": ["Too few."]}).svg)

    assert root.find(f"{SVG}desc").text == "2 steps, 1 choice; 1 problem. A text outline follows."


def test_it_gives_each_scenario_its_own_ids():
    first = _root(scenario_map_build(_scenario(0)).svg)
    second = _root(scenario_map_build({"key": "Odd key!/x", "steps": []}).svg)

    assert first.get("aria-labelledby") == "scenario-map-part-1-title scenario-map-part-1-desc"
    assert second.get("aria-labelledby").split()[0] == "scenario-map-odd-key-x-title"


def test_it_uses_no_style_attributes_or_elements():
    svg = scenario_map_build(_scenario_with_everything_wrong(), problems_by_step={"a": ["x"]}).svg

    assert all("style" not in element.attrib for element in _root(svg).iter())
    assert not list(_root(svg).iter(f"{SVG}style"))


# --- Layout -------------------------------------------------------------------------------


def test_it_draws_the_same_scenario_byte_for_byte_the_same():
    problems = {"d1": ["x"]}

    first = scenario_map_build(_scenario_with_everything_wrong(), problems_by_step=problems)
    second = scenario_map_build(_scenario_with_everything_wrong(), problems_by_step=problems)

    assert first.svg == second.svg


def test_it_draws_unreachable_steps_below_the_rest():
    nodes = {node.key: node for node in scenario_map_build(_scenario_with_everything_wrong()).nodes}

    reachable = [nodes[key] for key in ("a", "d1", "n2", "d3", "e1")]
    assert min(nodes["orphan"].y, nodes["orphan-2"].y) > max(node.y for node in reachable)


def test_it_marks_unreachable_steps_and_heads_them():
    svg = scenario_map_build(_scenario_with_everything_wrong()).svg

    classes = _node_classes(svg)
    assert "scenario-map__node--unreachable" in classes["#step-orphan"]
    assert "scenario-map__node--unreachable" not in classes["#step-d1"]
    assert "Not reachable from the first step" in _all_text(svg)


def test_it_draws_an_edge_to_an_unknown_step_to_a_missing_step_stub():
    result = scenario_map_build(_scenario_with_everything_wrong())
    root = _root(result.svg)

    edge = next(edge for edge in result.edges if edge.label == "Broken")
    assert (edge.target, edge.broken) == ("nowhere", True)
    stubs = [
        " ".join(g.itertext())
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "scenario-map__stub"
    ]
    assert any("Missing: nowhere" in text for text in stubs)


def test_it_draws_a_choice_with_no_next_step_as_broken():
    result = scenario_map_build(_scenario_with_everything_wrong())

    edge = next(edge for edge in result.edges if edge.label == "Unfinished")
    assert (edge.target, edge.broken) == ("", True)
    assert "No next step" in _all_text(result.svg)


def test_it_gives_broken_edges_the_broken_class():
    result = scenario_map_build(_scenario_with_everything_wrong())
    classes = [p.get("class") for p in _root(result.svg).iter(f"{SVG}path") if p.get("class")]

    assert classes.count("scenario-map__edge scenario-map__edge--broken") == 2


def test_it_flags_the_edge_that_closes_a_loop_as_a_back_edge():
    result = scenario_map_build(_looping_scenario())

    assert [(e.source, e.target) for e in result.edges if e.is_back_edge] == [("d2", "d1")]
    classes = [p.get("class") for p in _root(result.svg).iter(f"{SVG}path") if p.get("class")]
    assert classes.count("scenario-map__edge scenario-map__edge--back") == 1


def test_it_flags_a_choice_leading_back_to_its_own_step_as_a_loop():
    result = scenario_map_build(_scenario_with_everything_wrong())

    assert [(e.source, e.target) for e in result.edges if e.is_back_edge] == [
        ("d1", "d1"),
        ("d3", "a"),
        ("orphan-2", "orphan"),
    ]


def test_it_keeps_every_other_edge_pointing_down():
    result = scenario_map_build(_looping_scenario())
    y = {node.key: node.y for node in result.nodes}

    assert all(y[e.target] > y[e.source] for e in result.edges if not e.is_back_edge)


def test_it_keeps_every_node_inside_the_view_box():
    result = scenario_map_build(_scenario_with_everything_wrong())
    view_box = [float(n) for n in _root(result.svg).get("viewBox").split()]

    assert view_box == [0, 0, result.width, result.height]
    for node in result.nodes:
        assert node.x >= 0 and node.x + node.width <= result.width
        assert node.y >= 0 and node.y + node.height <= result.height


def test_it_keeps_nodes_in_a_layer_apart():
    nodes = scenario_map_build(_scenario()).nodes

    assert _overlapping(nodes) == []


def test_it_draws_a_scenario_with_no_steps():
    result = scenario_map_build({"key": "empty", "title": "Empty", "steps": []})

    assert (result.nodes, result.edges, result.outline) == ((), (), ())
    assert _root(result.svg).find(f"{SVG}desc").text.startswith("0 steps, 0 choices")


def test_it_draws_a_step_whose_key_is_used_twice():
    result = scenario_map_build(_scenario_with_everything_wrong())

    assert [node.key for node in result.nodes].count("n4") == 2
    assert [e.target for e in result.edges if e.source == "n2"] == ["d3"]


# --- Outline ------------------------------------------------------------------------------


def test_it_lists_every_step_in_the_outline_with_its_exits():
    outline = scenario_map_build(_scenario()).outline

    assert [(item.key, item.title, item.kind, item.exits) for item in outline] == [
        ("intro", "Meet Jo", "narrative", (("Continue", "First worry (d1)"),)),
        (
            "d1",
            "First worry",
            "decision",
            (
                ("Nothing", "Second worry (d2)"),
                ("Talk to the DSL", "Second worry (d2)"),
                ("Refer to Prevent", "Second worry (d2)"),
            ),
        ),
        (
            "d2",
            "Second worry",
            "decision",
            (
                ("Monitor", "What happened (end-a)"),
                ("Ask the Prevent lead", "What happened (end-a)"),
                ("Refer to Prevent", "What happened (end-b)"),
            ),
        ),
        ("end-a", "What happened", "end", ()),
        ("end-b", "What happened", "end", ()),
    ]


def test_it_names_missing_and_unset_targets_in_the_outline():
    outline = {
        item.key: item for item in scenario_map_build(_scenario_with_everything_wrong()).outline
    }

    assert outline["d1"].exits[2:] == (("Broken", "missing: nowhere"), ("Unfinished", ""))


def test_it_keeps_whole_choice_texts_in_the_outline():
    scenario = _scenario()
    long_text = "Ask the designated safeguarding lead to set up a pastoral plan straight away"
    _step(scenario, "d1")["choices"][0]["text"] = long_text

    outline = scenario_map_build(scenario).outline

    assert outline[1].exits[0] == (long_text, "Second worry (d2)")


# --- The library --------------------------------------------------------------------------


@pytest.mark.parametrize("scenario", LIBRARY_SCENARIOS)
def test_it_draws_every_library_scenario(scenario):
    result = scenario_map_build(scenario)
    root = _root(result.svg)

    assert len(list(root.iter(f"{SVG}a"))) == len(scenario["steps"])
    assert not any(edge.broken for edge in result.edges)
    assert _overlapping(result.nodes) == []
    for node in result.nodes:
        assert 0 <= node.x and node.x + node.width <= result.width
        assert 0 <= node.y and node.y + node.height <= result.height


@pytest.mark.parametrize("scenario", LIBRARY_SCENARIOS)
def test_it_keeps_edge_labels_in_the_library_apart(scenario):
    edges = scenario_map_build(scenario).edges
    boxes = [
        (e.label_x - half, e.label_x + half, e.label_y)
        for e in edges
        for half in [(len(e.label) * LABEL_CHAR_WIDTH + 8) / 2]
    ]

    for index, (left, right, y) in enumerate(boxes):
        for other_left, other_right, other_y in boxes[index + 1 :]:
            assert y != other_y or right <= other_left or other_right <= left


def _drawn_rectangles(svg: str) -> tuple[list[float], list[tuple], list[tuple]]:
    """The viewBox, the boxes (steps and stubs) and the edge labels, read back from the SVG.

    A label's rectangle is its estimated text width plus its white halo, from 11 units above
    its baseline to 4 below (12px text); touching rectangles do not count as overlapping.
    """
    root = _root(svg)
    boxes, labels = [], []
    for group in root.iter(f"{SVG}g"):
        transform = group.get("transform") or ""
        if transform.startswith("translate("):
            x, y = (float(n) for n in transform[len("translate(") : -1].split())
            shape = group.find(f"{SVG}rect")
            boxes.append((x, y, x + float(shape.get("width")), y + float(shape.get("height"))))
        if "scenario-map__edge-label" in (group.get("class") or "").split():
            text = group.findall(f"{SVG}text")[-1]
            x, y = float(text.get("x")), float(text.get("y"))
            half = (len(text.text) * LABEL_CHAR_WIDTH + 8) / 2
            labels.append((x - half, y - 11, x + half, y + 4, text.text))
    return [float(n) for n in root.get("viewBox").split()], boxes, labels


def _path_points(svg: str) -> list[tuple[float, float]]:
    """Every point the edges' path data names (V keeps the x before it)."""
    points = []
    for path in _root(svg).iter(f"{SVG}path"):
        if "scenario-map__edge" not in (path.get("class") or ""):
            continue
        x = 0.0
        for command, numbers in re.findall(r"([MVC])([^MVC]*)", path.get("d")):
            values = [float(n) for n in numbers.split()]
            if command == "V":
                points.append((x, values[0]))
                continue
            pairs = list(zip(values[::2], values[1::2], strict=True))
            points += pairs
            x = pairs[-1][0]
    return points


def _intersect(one: tuple, other: tuple) -> bool:
    return one[0] < other[2] and other[0] < one[2] and one[1] < other[3] and other[1] < one[3]


@pytest.mark.parametrize(
    "scenario", [*LIBRARY_SCENARIOS, pytest.param(_scenario_with_everything_wrong(), id="messy")]
)
def test_it_keeps_labels_off_boxes_and_each_other_and_everything_in_the_view_box(scenario):
    svg = scenario_map_build(scenario).svg
    (_, _, width, height), boxes, labels = _drawn_rectangles(svg)

    assert boxes and labels
    for index, label in enumerate(labels):
        assert [box for box in boxes if _intersect(label, box)] == [], label
        assert [other for other in labels[index + 1 :] if _intersect(label, other)] == [], label
    for left, top, right, bottom, *_ in [*boxes, *labels]:
        assert 0 <= left and right <= width and 0 <= top and bottom <= height
    for x, y in _path_points(svg):
        assert 0 <= x <= width and 0 <= y <= height


def _edge_polylines(svg: str) -> list[list[tuple[float, float]]]:
    """Each edge's path as a polyline, in drawing order; curves sampled every 1/32 of t."""
    polylines = []
    for path in _root(svg).iter(f"{SVG}path"):
        if "scenario-map__edge" not in (path.get("class") or "").split():
            continue
        points: list[tuple[float, float]] = []
        for command, numbers in re.findall(r"([MVC])([^MVC]*)", path.get("d")):
            values = [float(n) for n in numbers.split()]
            if command == "M":
                points.append((values[0], values[1]))
            elif command == "V":
                points.append((points[-1][0], values[0]))
            else:
                (x0, y0), (x1, y1, x2, y2, x3, y3) = points[-1], values
                for step in range(1, 33):
                    t = step / 32
                    a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
                    points.append(
                        (a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3)
                    )
        polylines.append(points)
    return polylines


def _crosses(polyline: list[tuple[float, float]], box: tuple) -> bool:
    """Whether any segment of the polyline enters the rectangle's inside (clipped, not sampled)."""
    left, top, right, bottom = box[:4]
    for (x0, y0), (x1, y1) in zip(polyline, polyline[1:], strict=False):
        low, high = 0.0, 1.0  # Liang-Barsky: the part of the segment inside, as a range of t
        for delta, start, near, far in ((x1 - x0, x0, left, right), (y1 - y0, y0, top, bottom)):
            if delta == 0:
                if not near < start < far:
                    low = high
            else:
                one, other = sorted(((near - start) / delta, (far - start) / delta))
                low, high = max(low, one), min(high, other)
        if low < high:
            return True
    return False


@pytest.mark.parametrize(
    "scenario", [*LIBRARY_SCENARIOS, pytest.param(_scenario_with_everything_wrong(), id="messy")]
)
def test_it_keeps_every_label_off_other_edges_and_every_edge_out_of_the_boxes(scenario):
    svg = scenario_map_build(scenario).svg
    _, boxes, labels = _drawn_rectangles(svg)
    polylines = _edge_polylines(svg)

    assert len(polylines) == len(labels)  # one label per edge, in the same order
    crossed = [
        (label[-1], other)
        for own, label in enumerate(labels)
        for other, polyline in enumerate(polylines)
        if other != own and _crosses(polyline, label)
    ]
    assert crossed == []
    assert [box for polyline in polylines for box in boxes if _crosses(polyline, box)] == []


@pytest.mark.parametrize(
    "scenario", [*LIBRARY_SCENARIOS, pytest.param(_scenario_with_everything_wrong(), id="messy")]
)
def test_it_puts_each_label_on_its_own_edge(scenario):
    result = scenario_map_build(scenario)
    _, _, labels = _drawn_rectangles(result.svg)
    polylines = _edge_polylines(result.svg)

    off_their_edges = [
        label[-1]
        for edge, label, polyline in zip(result.edges, labels, polylines, strict=True)
        if edge.source != edge.target and not _crosses(polyline, label)
    ]
    assert off_their_edges == []


def test_it_sees_a_label_lying_across_another_edge():
    """The check above is only as good as its geometry: a crossing it must catch."""
    assert _crosses([(0, 0), (0, 10), (40, 50)], (10, 20, 30, 35))
    assert not _crosses([(0, 0), (0, 50)], (0, 20, 30, 35))  # along the edge is not inside
    assert not _crosses([(5, 0), (5, 50)], (10, 20, 30, 35))


def test_it_writes_numbers_without_needless_decimals():
    svg = scenario_map_build(_scenario()).svg

    assert not re.search(r"\d\.0\b", svg)


def test_it_names_a_target_without_a_title_by_its_key():
    scenario = _scenario()
    _step(scenario, "d1")["title"] = ""

    outline = scenario_map_build(scenario).outline

    assert outline[0].exits == (("Continue", "d1"),)


# --- Safety-critical decisions -----------------------------------------------------------


def test_it_marks_a_safety_critical_decision_in_words_on_its_box_and_in_the_outline():
    scenario = _scenario()
    _step(scenario, "d2")["safety_critical"] = True

    result = scenario_map_build(scenario)

    d1, d2 = (next(n for n in result.nodes if n.key == key) for key in ("d1", "d2"))
    assert (d1.safety_critical, d2.safety_critical) == (False, True)
    assert "Safety-critical · d2" in _all_text(result.svg)
    assert "Safety-critical · d1" not in _all_text(result.svg)
    assert (
        "Safety-critical: an under-reaction or practice error fails the attempt"
        in (_node_tooltips(result.svg)["#step-d2"])
    )
    assert "1 safety-critical decision;" in _all_text(result.svg)
    assert [item.key for item in result.outline if item.safety_critical] == ["d2"]


def test_it_marks_only_decisions_as_safety_critical():
    scenario = _scenario()
    _step(scenario, "intro")["safety_critical"] = True

    result = scenario_map_build(scenario)

    assert not any(node.safety_critical for node in result.nodes)
    assert "Safety-critical" not in _all_text(result.svg)


def test_it_escapes_the_key_of_a_safety_critical_decision():
    scenario = _scenario()
    step = _step(scenario, "d2")
    step.update(key="<d2>&", safety_critical=True)

    svg = scenario_map_build(scenario).svg

    assert "<d2>" not in svg
    assert "Safety-critical · &lt;d2&gt;&amp;" in svg
