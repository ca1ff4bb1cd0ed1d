"""The engine against the independent held-out set (data/independent/, see its README.md):
175 notes written apart from the engine and the development notes. Its figures are the
product's. These floors are the figures measured when issue 19's fifth round of engine work
landed, less a small margin (0.01, rounded down), so a change that loses ground fails CI; they
are not goals (the goal is 0.98 overall and 0.95 a kind). Never tune on these notes: failures
print scores only, never the notes or their misses.
"""

import pytest

from casenotes.tests.devset import load, score

PATTERN = "independent/notes_*.txt"
FLOORS = {
    "PERSON": 0.94,
    "DATE": 0.94,
    "ADDRESS": 0.89,
    "POSTCODE": 0.99,
    "PHONE": 0.99,
    "EMAIL": 0.99,
    "NHS_NUMBER": 0.99,
    "NI_NUMBER": 0.99,
    "SCHOOL": 0.89,
    "ONLINE_HANDLE": 0.88,
    "OTHER": 0.81,
}


@pytest.fixture(scope="module")
def scores():
    return score(load(PATTERN))


def test_it_holds_the_independent_set_of_175_notes():
    assert len(load(PATTERN)) >= 175


def test_it_finds_at_least_94_percent_of_the_independent_sets_personal_data(scores):
    assert scores.recall >= 0.94, scores.report()  # aggregates only, no text of a note


@pytest.mark.parametrize(("kind", "floor"), sorted(FLOORS.items()))
def test_it_holds_each_kinds_floor_on_the_independent_set(scores, kind, floor):
    assert scores.total[kind] > 0
    assert scores.recall_of(kind) >= floor, scores.report()  # aggregates only, no text of a note


def test_it_keeps_at_least_97_percent_of_the_independent_sets_words_to_keep(scores):
    assert scores.keep_over_redaction <= 0.03, scores.report()  # aggregates only, no text of a note


def test_it_keeps_at_least_99_percent_of_the_independent_sets_other_words(scores):
    assert scores.over_redaction <= 0.01, scores.report()  # aggregates only, no text of a note
