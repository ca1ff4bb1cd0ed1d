"""The starter library as shipped: valid, big enough, balanced, and loaded idempotently."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from training import engine
from training.models import Indicator, Module, ModuleVersion
from training.responses import LEVEL_KEYS

LIBRARY = Path(__file__).resolve().parents[1] / "library"
MODULE_FILES = sorted((LIBRARY / "modules").glob("*.json"))
INDICATORS = json.loads((LIBRARY / "indicators.json").read_text())["indicators"]
NO_PREVENT = ["none", "none"]


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _decisions(module: dict) -> list[dict]:
    return [s for s in engine.steps_by_key(module).values() if s["kind"] == engine.DECISION]


def test_it_ships_at_least_six_modules():
    assert len(MODULE_FILES) >= 6


def test_it_has_an_indicator_taxonomy_of_about_twenty():
    assert 18 <= len(INDICATORS) <= 24
    assert {i["category"] for i in INDICATORS} == set(Indicator.Category.values)


@pytest.mark.parametrize("path", MODULE_FILES, ids=lambda p: p.stem)
def test_it_names_every_module_file_by_its_key(path):
    assert _load(path)["key"] == path.stem


@pytest.mark.parametrize("path", MODULE_FILES, ids=lambda p: p.stem)
def test_it_gives_every_module_eight_decisions_of_three_to_six_choices(path):
    decisions = _decisions(_load(path))

    assert len(decisions) >= 8
    assert all(3 <= len(d["choices"]) <= 6 for d in decisions)


@pytest.mark.parametrize("path", MODULE_FILES, ids=lambda p: p.stem)
def test_it_branches_on_choices_in_every_module(path):
    branching = [d for d in _decisions(_load(path)) if len({c["next"] for c in d["choices"]}) > 1]

    assert len(branching) >= 2


def test_it_includes_a_module_whose_right_answers_are_mostly_not_to_refer():
    shares = {
        path.stem: Counter(d["bands"]["prevent"] == NO_PREVENT for d in _decisions(_load(path)))
        for path in MODULE_FILES
    }

    assert any(share[True] > share[False] for share in shares.values()), shares


@pytest.mark.parametrize("route", sorted(LEVEL_KEYS))
def test_it_accepts_every_level_of_each_route_somewhere_in_the_library(route):
    accepted = set()
    for path in MODULE_FILES:
        for decision in _decisions(_load(path)):
            lowest, highest = decision["bands"][route]
            keys = LEVEL_KEYS[route]
            accepted |= set(keys[keys.index(lowest) : keys.index(highest) + 1])

    assert accepted == set(LEVEL_KEYS[route])


def test_it_loads_the_library_twice_without_changing_anything(db):
    call_command("load_library", verbosity=0)
    versions = list(ModuleVersion.objects.values_list("pk", "module__key", "number"))

    call_command("load_library", verbosity=0)

    assert Module.objects.count() == len(MODULE_FILES)
    assert list(ModuleVersion.objects.values_list("pk", "module__key", "number")) == versions
