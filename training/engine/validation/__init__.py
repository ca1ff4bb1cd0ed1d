"""Validation: every reason a module cannot be published, with where it is. Pure.

The module's own rules are here; a scenario's (keys, kinds, targets, paths) in scenario.py,
and a decision's (choices, bands, sources, placeholders, a safe answer) in decision.py.
"""

from __future__ import annotations

from collections.abc import Iterable

from training.engine.graph import Module, is_whole_number
from training.engine.module_checks import min_decisions_problems, reviewed_on_problems
from training.engine.problems import Problem
from training.engine.validation.decision import Known
from training.engine.validation.scenario import ScenarioCheck

__all__ = ["Problem", "find_problems", "validate"]


def validate(
    module: Module,
    known_indicators: Iterable[str] | None = None,
    known_sources: Iterable[str] | None = None,
    *,
    require_citations: bool = False,
) -> list[str]:
    """Every problem that stops a module being published, in reading order, all at once."""
    return [
        problem.message
        for problem in find_problems(
            module, known_indicators, known_sources, require_citations=require_citations
        )
    ]


def find_problems(
    module: Module,
    known_indicators: Iterable[str] | None = None,
    known_sources: Iterable[str] | None = None,
    *,
    require_citations: bool = False,
) -> list[Problem]:
    """As validate(), with each problem's place in the module (for inline and path display).

    `known_sources` (the keys of training/library/sources.json): a cited key outside it is a
    problem. `require_citations`: every decision must cite at least one source and the module
    must say when it was last reviewed (`reviewed_on`). Placeholders outside the pathway
    vocabulary (training.pathway_words) are always a problem.
    """
    problems: list[Problem] = []
    known = Known(
        indicators=set(known_indicators) if known_indicators is not None else None,
        sources=set(known_sources) if known_sources is not None else None,
        require_citations=require_citations,
    )
    if not module.get("title"):
        problems.append(
            Problem("The module has no title.", "the module has no title", field="title")
        )
    scenarios = module.get("scenarios") or []
    if not scenarios:
        problems.append(
            Problem(
                "The module has no scenarios.", "the module has no scenarios", field="scenarios"
            )
        )
    seen_keys: set[str] = set()
    for index, scenario in enumerate(scenarios):
        problems += ScenarioCheck(index, scenario, seen_keys, known).run()
    pass_mark = module.get("pass_mark")
    if not is_whole_number(pass_mark) or not 0 < pass_mark <= 100:
        problems.append(
            Problem(
                "The pass mark must be a whole percentage between 1 and 100.",
                "must be a whole percentage between 1 and 100",
                field="pass_mark",
            )
        )
    problems += min_decisions_problems(module)
    problems += reviewed_on_problems(module, required=require_citations)
    return problems
