"""Modules of the scale seed: published copies of the starter library, and their snapshots
prepared for fast simulated play.

Play follows the real published snapshots (same step keys, choices, routes and scoring as
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

LIBRARY_MODULES = Path(__file__).resolve().parents[2] / "training" / "library" / "modules"
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
    decision: engine.Decision

    @property
    def lean(self) -> int:
        """Which way the choice leans, over both routes: below 0 under-reacts."""
        return self.decision.safeguarding_distance + self.decision.prevent_distance

    @property
    def off(self) -> int:
        """Steps outside the bands in total, a practice error counting as one more."""
        decision = self.decision
        return (
            abs(decision.safeguarding_distance)
            + abs(decision.prevent_distance)
            + bool(decision.error)
        )


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
    """Each decision's choices as the engine scores them (through the version reader, so a
    version published on the old single scale plays on the two routes too)."""
    document = version.document
    steps: dict[str, tuple] = {}
    for key, step in document.steps.items():
        if not step.is_decision:
            steps[key] = ("go", document.step_after(key))
            continue
        options = [
            Option(choice.next, document.decision_for(key, index))
            for index, choice in enumerate(step.choices)
        ]
        best = max(range(len(options)), key=lambda i: (options[i].decision.points, -options[i].off))
        leaning = {}
        for bias in (-1, 1):
            others = [i for i in range(len(options)) if i != best]
            # Near misses are likelier than wild ones, and on the person's side of the bands.
            weights = [
                (2.0 if options[i].lean * bias > 0 else 1.0) / (1 + options[i].off) for i in others
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
        pass_mark=document.pass_mark,
        refresher_months=document.refresher_months,
        first=document.first_step_key,
        steps=steps,
    )


# (step key, choice index, the engine's decision)
Decision = tuple[str, int, engine.Decision]


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
        decisions.append((key, index, option.decision))
        key = option.next
    raise RuntimeError(f"A path through version {playable.version_id} never ends.")


def score(decisions: list[Decision], pass_mark: int) -> tuple[engine.Result, bool]:
    """The engine's result for a path, and whether it passes (no critical miss, at the mark)."""
    result = engine.score(decision for _key, _index, decision in decisions)
    return result, result.passed(pass_mark)


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
