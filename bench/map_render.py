"""How long the studio's scenario map takes to lay out and draw a 60-step scenario (goal: 100 ms).

Run from the project root:  .venv/bin/python bench/map_render.py [--steps N] [--runs N]

The scenario is generated: a chain of decisions with three or four choices each, two of them
through a narrative step to the next decision and one straight to it; one decision in four
has a fourth choice that ends the scenario early, and another one in four a fourth choice back
to the decision before (a loop). One step has a problem flagged; some decisions are
safety-critical. It renders the map `--runs`
times in-process (training.scenario_map, pure Python: no database or Django set-up) and prints
the median, 95th percentile and slowest time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL_MS = 100


def _choice(text: str, next_key: str) -> dict[str, Any]:
    return {
        "text": text,
        "safeguarding": "family_help",
        "prevent": "none",
        "feedback": "Because.",
        "next": next_key,
    }


def _decision(key: str, title: str, choices: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "key": key,
        "kind": "decision",
        "title": title,
        "bands": {"safeguarding": ["family_help"] * 2, "prevent": ["none"] * 2},
        "safety_critical": key.endswith("2"),  # some boxes carry the safety-critical mark
        "explanation": "Family help is the accepted response here.",
        "choices": choices,
    }


def synthetic_scenario(size: int = 60) -> dict[str, Any]:
    """A scenario of exactly `size` steps (at least 3) shaped like a long library scenario."""
    steps: list[dict[str, Any]] = [
        {"key": "intro", "kind": "narrative", "title": "Meet the family", "next": "d0"}
    ]
    block = 0
    while True:
        early_end = block % 4 == 1  # one decision in four has a choice that ends early,
        loop = block % 4 == 3  # and another one in four a choice back to the decision before
        if len(steps) + 3 + early_end + 2 > size:  # leave room for the last decision and end
            break
        here, after = f"d{block}", f"d{block + 1}"
        choices = [
            _choice(f"Wait and record what happens next at school ({block})", f"n{block}a"),
            _choice(f"Talk to the designated safeguarding lead today ({block})", f"n{block}b"),
            _choice(f"Ask early help to assess the family ({block})", after),
        ]
        if early_end:
            choices.append(_choice("Refer to Prevent straight away", f"end{block}"))
        if loop:
            choices.append(_choice("Go back and look at the last decision again", f"d{block - 1}"))
        steps += [
            _decision(here, f"Worry {block}", choices),
            {"key": f"n{block}a", "kind": "narrative", "title": "Nothing changes", "next": after},
            {"key": f"n{block}b", "kind": "narrative", "title": "A conversation", "next": after},
        ]
        if early_end:
            steps.append({"key": f"end{block}", "kind": "end", "title": f"Referred at {block}"})
        block += 1
    pads = [f"pad{number}" for number in range(size - len(steps) - 2)]
    after_last = pads[0] if pads else "end"
    last_choices = [_choice("Close the case", after_last), _choice("Keep it open", after_last)]
    steps.append(_decision(f"d{block}", "The last decision", last_choices))
    for key, next_key in zip(pads, [*pads[1:], "end"], strict=False):
        steps.append({"key": key, "kind": "narrative", "title": "Later on", "next": next_key})
    steps.append({"key": "end", "kind": "end", "title": "What happened in the end"})
    return {"key": "bench", "title": "A long scenario", "steps": steps}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    from training.scenario_map import scenario_map_build

    scenario = synthetic_scenario(args.steps)
    problems = {"d3": ["Decision 3 does not explain why its bands are right."]}
    result = scenario_map_build(scenario, problems_by_step=problems)  # warm up
    choices = sum(len(step.get("choices", [])) for step in scenario["steps"])
    print(
        f"{len(scenario['steps'])} steps, {choices} choices, {len(result.edges)} edges; "
        f"map {result.width:.0f}×{result.height:.0f}, SVG {len(result.svg) / 1024:.0f} KiB; "
        f"{args.runs} runs"
    )
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        scenario_map_build(scenario, problems_by_step=problems)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    median = statistics.median(times)
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    verdict = "meets" if p95 < GOAL_MS else "MISSES"
    print(
        f"median {median:.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms "
        f"(goal: < {GOAL_MS} ms; {verdict} it)"
    )


if __name__ == "__main__":
    main()
