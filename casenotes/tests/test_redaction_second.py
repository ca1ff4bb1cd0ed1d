"""The engine against the second development set (data/second/, see its README.md): 155 notes
written by a different hand, briefed only with the independent set's annotation guide. Unlike
the independent set, its misses may be read and the engine tuned on them with general rules.
These floors are the figures measured when issue 19's fourth round of engine work landed, less
a small margin (0.01, rounded down), so a change that loses ground fails CI; they are not goals
(the goal is 0.98 overall and 0.95 a kind).
"""

import pytest

from casenotes.tests.devset import load, score

PATTERN = "second/notes_*.txt"
FLOORS = {
    "PERSON": 0.96,
    "DATE": 0.97,
    "ADDRESS": 0.97,
    "POSTCODE": 0.99,
    "PHONE": 0.97,
    "EMAIL": 0.99,
    "NHS_NUMBER": 0.99,
    "NI_NUMBER": 0.99,
    "SCHOOL": 0.95,
    "ONLINE_HANDLE": 0.97,
    "OTHER": 0.93,
}


@pytest.fixture(scope="module")
def scores():
    return score(load(PATTERN))


def test_it_holds_the_second_set_of_155_notes():
    assert len(load(PATTERN)) >= 155


def test_it_finds_at_least_96_percent_of_the_second_sets_personal_data(scores):
    assert scores.recall >= 0.96, scores.report()


@pytest.mark.parametrize(("kind", "floor"), sorted(FLOORS.items()))
def test_it_holds_each_kinds_floor_on_the_second_set(scores, kind, floor):
    assert scores.total[kind] > 0
    assert scores.recall_of(kind) >= floor, scores.report()


def test_it_keeps_at_least_96_percent_of_the_second_sets_words_to_keep(scores):
    assert scores.keep_over_redaction <= 0.04, scores.report()


def test_it_keeps_at_least_99_percent_of_the_second_sets_other_words(scores):
    assert scores.over_redaction <= 0.01, scores.report()
