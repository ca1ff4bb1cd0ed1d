"""The preview's rules on a draft's document: no database, nothing recorded."""

from __future__ import annotations

import pytest

from training import preview
from training.tests.factories import INDICATORS, small_module
from training.version_reader import version_read


def _at_first_decision(*, loop: bool = False):
    document = small_module()
    # As module_snapshot_build writes it: the preview reads protective factors from here.
    document["indicator_catalogue"] = {
        item["key"]: {"name": item["name"], "category": item["category"]}
        for item in INDICATORS["indicators"]
    }
    if loop:
        document["scenarios"][0]["steps"][1]["choices"][0]["next"] = "d1"
    document = version_read(document)
    state = preview.preview_begin(document, confidence=3)
    return document, preview.preview_continue(document, state, step_key="intro")


def test_it_moves_on_along_the_chosen_branch_and_keeps_the_answer():
    document, state = _at_first_decision()

    state = preview.preview_answer(document, state, step_key="d1", position=0, choice_index=1)

    assert state["step"] == "d2"
    assert state["answers"] == [["d1", 1]]


def test_it_refuses_a_resubmitted_answer_even_on_a_step_met_again():
    """In a loop the same step comes round again; only the position tells a resubmit apart."""
    document, state = _at_first_decision(loop=True)
    state = preview.preview_answer(document, state, step_key="d1", position=0, choice_index=0)
    assert state["step"] == "d1"

    with pytest.raises(preview.PreviewOutOfStep):
        preview.preview_answer(document, state, step_key="d1", position=0, choice_index=1)


def test_it_scores_the_walk_as_the_player_would():
    document, state = _at_first_decision()
    state = preview.preview_answer(document, state, step_key="d1", position=0, choice_index=1)
    state = preview.preview_answer(document, state, step_key="d2", position=1, choice_index=0)

    result = preview.preview_result(document, state)

    # d1: the DSL, inside both bands (2 points); d2: monitoring where the DSL and a referral
    # were due, under on both routes (0 points), so its risk indicator was missed.
    assert (result.points, result.max_points, result.percent) == (2, 4, 50)
    assert result.within_bands == 1
    assert result.under_reactions == {"safeguarding": 1, "prevent": 1}
    assert result.over_reactions == {"safeguarding": 0, "prevent": 0}
    assert result.indicators_missed == ("justifying-violence",)
