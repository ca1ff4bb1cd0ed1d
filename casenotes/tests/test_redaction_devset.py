"""The engine against the annotated development set (data/devset_*.txt, see data/README.md).

The old held-out set (data/heldout.txt) is scored by `python -m casenotes.tests.devset`, never
asserted here: it was written after the rules, to estimate how they do on unseen notes. The
independent held-out set has its own floors (test_redaction_independent.py).
"""

import pytest

from casenotes.tests.devset import load, score


@pytest.fixture(scope="module")
def scores():
    return score(load("devset_*.txt"))


def test_it_has_at_least_a_hundred_annotated_notes():
    assert len(load("devset_*.txt")) >= 100


def test_it_keeps_a_held_out_set_of_twenty_notes():
    assert len(load("heldout.txt")) >= 20


def test_it_finds_98_percent_of_the_personal_data(scores):
    assert scores.recall >= 0.98, scores.report()


@pytest.mark.parametrize(
    "kind",
    [
        "PERSON",
        "DATE",
        "ADDRESS",
        "POSTCODE",
        "PHONE",
        "EMAIL",
        "NHS_NUMBER",
        "NI_NUMBER",
        "SCHOOL",
        "ONLINE_HANDLE",
    ],
)
def test_it_finds_95_percent_of_each_kind(scores, kind):
    assert scores.total[kind] > 0
    assert scores.recall_of(kind) >= 0.95, scores.report()


def test_it_keeps_98_percent_of_the_words_marked_to_keep(scores):
    assert scores.keep >= 300
    assert scores.keep_over_redaction <= 0.02, scores.report()


def test_it_keeps_98_percent_of_all_other_words(scores):
    assert scores.over_redaction <= 0.02, scores.report()
