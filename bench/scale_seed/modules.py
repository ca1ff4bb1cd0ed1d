"""Modules of the scale seed: published copies of the starter library, and their snapshots
prepared for fast simulated play.

Play follows the real published snapshots (same step keys, choices, levels and scoring as
`training.engine`), so every page that replays a seeded attempt renders.
"""

from __future__ import annotations

import bisect
import copy
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bench.scale_seed.people import World
from portal.models import Authority, User
from training import engine, services
from training.models import Module, ModuleVersion

LIBRARY_MODULES = Path(engine.__file__).resolve().parent / "library" / "modules"
MAX_PATH_STEPS = 500  # a snapshot whose path runs longer has a loop the seed cannot leave


# --- Modules ------------------------------------------------------------------------------


def module_copies_create(
    *, world: World, count: int, now: datetime, on_each: Callable[[int], None]
) -> list[Module]:
    """Publish `count` copies of the starter library for the scale authorities.

    Through the library service, so the draft rows (scenarios, steps, choices) and the
    snapshot are exactly what an author's published module has; about 35 modules take a few
    seconds. Every third copy is shared with every authority.
    """
    sources = [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(LIBRARY_MODULES.glob("*.json"))
    ]
    modules = []
    for number in range(count):
        authority = world.authorities[number % len(world.authorities)]
        source = sources[number % len(sources)]
        data = copy.deepcopy(source)
        data["key"] = f"scale-{number + 1:02d}-{source['key']}"[:80]
        data["title"] = f"{source['title']} ({authority.name} edition {number + 1})"
        data["version"] = 1
        if number % 3 == 0:
            data["visibility"] = Module.Visibility.SHARED
        author = (authority.authors or [authority.admin])[0]
        module, _ = services.module_load_from_json(
            data=data,
            authority=Authority.objects.get(pk=authority.pk),
            created_by=User.objects.get(pk=author.pk),
        )
        modules.append(module)
        on_each(number + 1)
    Module.objects.filter(
        pk__in=[m.pk for m in modules], visibility=Module.Visibility.SHARED
    ).update(shared_at=now)
    return modules


# --- Playing a snapshot fast --------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    next: str
    level: str
    proportionate: str
    distance: int
    points: int


@dataclass(eq=False)
class Playable:
    """A published version prepared for simulated play: per step, what comes next."""

    version_id: int
    module_id: int
    authority_id: int | None
    shared: bool
    pass_mark: int
    refresher_months: int
    first: str
    # key -> ("go", next key) for narrative and end steps, or
    #        ("decide", options, best index, {bias: (other indices, cumulative weights)})
    steps: dict[str, tuple]

    def visible_to(self, authority_id: int) -> bool:
        return self.authority_id is None or self.shared or self.authority_id == authority_id


def playable_from(version: ModuleVersion) -> Playable:
    snapshot = version.snapshot
    steps: dict[str, tuple] = {}
    for key, step in engine.steps_by_key(snapshot).items():
        if step["kind"] != engine.DECISION:
            steps[key] = ("go", engine.step_after(snapshot, key))
            continue
        options = []
        for choice in step["choices"]:
            decision = engine.Decision(key, choice["level"], step["proportionate"])
            options.append(
                Option(
                    choice["next"],
                    choice["level"],
                    step["proportionate"],
                    decision.distance,
                    decision.points,
                )
            )
        best = min(range(len(options)), key=lambda i: abs(options[i].distance))
        leaning = {}
        for bias in (-1, 1):
            others = [i for i in range(len(options)) if i != best]
            # Near misses are likelier than wild ones, and on the person's side of the scale.
            weights = [
                (2.0 if options[i].distance * bias > 0 else 1.0) / (1 + abs(options[i].distance))
                for i in others
            ]
            cumulative, total = [], 0.0
            for weight in weights:
                total += weight
                cumulative.append(total)
            leaning[bias] = (others, cumulative)
        steps[key] = ("decide", options, best, leaning)
    module = version.module
    return Playable(
        version_id=version.pk,
        module_id=module.pk,
        authority_id=module.authority_id,
        shared=module.visibility == Module.Visibility.SHARED,
        pass_mark=snapshot["pass_mark"],
        refresher_months=snapshot["refresher_months"],
        first=engine.first_step_key(snapshot),
        steps=steps,
    )


# (step key, choice index, chosen level, proportionate level, distance, points)
Decision = tuple[str, int, str, str, int, int]


def play(playable: Playable, rng: random.Random, skill: float, bias: int) -> list[Decision]:
    """One path from the first step to the end, choosing as a person of this skill would."""
    decisions: list[Decision] = []
    key = playable.first
    for _ in range(MAX_PATH_STEPS):
        if not key:
            return decisions
        step = playable.steps[key]
        if step[0] == "go":
            key = step[1]
            continue
        _, options, best, leaning = step
        others, cumulative = leaning[bias]
        index = best
        if others and rng.random() >= skill:
            index = others[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
        option = options[index]
        decisions.append(
            (key, index, option.level, option.proportionate, option.distance, option.points)
        )
        key = option.next
    raise RuntimeError(f"A path through version {playable.version_id} never ends.")


def score(decisions: list[Decision], pass_mark: int) -> tuple[int, int, int, bool]:
    """Points, max points, percent and pass, by engine.score's rules (percent rounded down)."""
    points = sum(d[5] for d in decisions)
    max_points = engine.POINTS_WITHIN_BANDS * len(decisions)
    percent = 100 * points // max_points if max_points else 0
    return points, max_points, percent, max_points > 0 and percent >= pass_mark


def playables_load(module_ids: list[int]) -> list[Playable]:
    """The latest published version of each module, ready to play, in key order."""
    latest: dict[int, ModuleVersion] = {}
    versions = (
        ModuleVersion.objects.filter(module_id__in=module_ids)
        .select_related("module")
        .order_by("module__key", "-number")
    )
    for version in versions:
        latest.setdefault(version.module_id, version)
    return [playable_from(version) for version in latest.values()]
