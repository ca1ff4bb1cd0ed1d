"""Pure rules of scenario modules: graph validation, scoring and the upgrade of old formats.
Imports nothing from Django (only training.responses, the vocabulary, and
training.pathway_words, the placeholders, which are as pure).

A module (the JSON format in training/library/FORMAT.md, which is also the published snapshot)
holds scenarios played in order. Each scenario is a graph of steps starting at its first step:
narrative steps lead to `next`, decision steps lead through each choice's `next`, end steps
finish the scenario (and the next scenario starts). A decision accepts a band on each of the two
routes (DESIGN.md "Responses: two routes, a band, safety-critical decisions"); each choice names
a level on both routes, its actions and any practice error.

Callers use `from training import engine` and the names below; the submodules keep each part
under a readable size (graph, scoring, validation, upgrade).
"""

from training.engine.graph import (
    DECISION,
    DEFAULT_MIN_DECISIONS,
    END,
    MAX_CHOICES,
    MIN_CHOICES,
    NARRATIVE,
    STEP_KINDS,
    Module,
    Step,
    decision_count,
    first_step_key,
    indicators_of,
    min_decisions,
    shortest_path_decisions,
    step_after,
    steps_by_key,
)
from training.engine.scoring import (
    POINTS_ONE_STEP_OFF,
    POINTS_WITHIN_BANDS,
    Band,
    Decision,
    Result,
    route_distance,
    score,
)
from training.engine.upgrade import FORMAT, OLD_FORMATS, upgrade_document
from training.engine.validation import Problem, find_problems, validate

__all__ = [
    "DECISION",
    "DEFAULT_MIN_DECISIONS",
    "END",
    "FORMAT",
    "MAX_CHOICES",
    "MIN_CHOICES",
    "NARRATIVE",
    "OLD_FORMATS",
    "POINTS_ONE_STEP_OFF",
    "POINTS_WITHIN_BANDS",
    "STEP_KINDS",
    "Band",
    "Decision",
    "Module",
    "Problem",
    "Result",
    "Step",
    "decision_count",
    "find_problems",
    "first_step_key",
    "indicators_of",
    "min_decisions",
    "route_distance",
    "score",
    "shortest_path_decisions",
    "step_after",
    "steps_by_key",
    "upgrade_document",
    "validate",
]
