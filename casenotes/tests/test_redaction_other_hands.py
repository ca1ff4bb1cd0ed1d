"""The engine against the development sets written by other hands (data/second/, third/,
fourth/ and fifth/, each with a README.md): notes written by helpers briefed only with the
independent set's annotation guide, each set committed before any tuning on it. Unlike the
independent set, their misses may be read and the engine tuned on them with general rules.

Each set's floors are a figure measured on it less a small margin (0.01, rounded down), and its
ceilings on over-redaction that figure plus 0.01, rounded up: for the second and third sets, the
figures when issue 19's fifth round landed; for the fourth and fifth, the figures when each was
merged, before any tuning on it. They guard against losing ground; they are not goals (the goal
is 0.98 overall and 0.95 a kind).
"""

from dataclasses import dataclass

import pytest

from casenotes.tests.devset import load, score


@dataclass(frozen=True)
class Floors:
    pattern: str
    notes: int
    recall: float
    kinds: dict[str, float]
    keep_ceiling: float  # share of the words marked KEEP that may be redacted
    other_ceiling: float  # share of all other words outside personal data


# Postcodes, phones, emails, NHS and NI numbers: found by their shape, so one floor for all
NUMBERS = dict.fromkeys(("POSTCODE", "PHONE", "EMAIL", "NHS_NUMBER", "NI_NUMBER"), 0.99)
SETS = {
    "second": Floors(
        pattern="second/notes_*.txt",
        notes=155,
        recall=0.97,
        kinds={
            "PERSON": 0.97,
            "DATE": 0.99,
            "ADDRESS": 0.99,
            **NUMBERS,
            "SCHOOL": 0.98,
            "ONLINE_HANDLE": 0.99,
            "OTHER": 0.93,
        },
        keep_ceiling=0.01,
        other_ceiling=0.02,
    ),
    "third": Floors(
        pattern="third/notes_*.txt",
        notes=152,
        recall=0.96,
        kinds={
            "PERSON": 0.96,
            "DATE": 0.97,
            "ADDRESS": 0.93,
            **NUMBERS,
            "SCHOOL": 0.89,
            "ONLINE_HANDLE": 0.99,
            "OTHER": 0.92,
        },
        keep_ceiling=0.04,
        other_ceiling=0.02,
    ),
    "fourth": Floors(
        pattern="fourth/notes_*.txt",
        notes=152,
        recall=0.88,
        kinds={
            "PERSON": 0.89,
            "DATE": 0.92,
            "ADDRESS": 0.89,
            **NUMBERS,
            "PHONE": 0.95,
            "SCHOOL": 0.80,
            "ONLINE_HANDLE": 0.89,
            "OTHER": 0.60,
        },
        keep_ceiling=0.07,
        other_ceiling=0.02,
    ),
    "fifth": Floors(
        pattern="fifth/notes_*.txt",
        notes=152,
        recall=0.93,
        kinds={
            "PERSON": 0.93,
            "DATE": 0.93,
            "ADDRESS": 0.95,
            **NUMBERS,
            "SCHOOL": 0.90,
            "ONLINE_HANDLE": 0.92,
            "OTHER": 0.81,
        },
        keep_ceiling=0.07,
        other_ceiling=0.02,
    ),
}
KIND_FLOORS = [(name, kind, floor) for name, s in SETS.items() for kind, floor in s.kinds.items()]


@pytest.fixture(scope="module")
def scores():
    return {name: score(load(floors.pattern)) for name, floors in SETS.items()}


@pytest.mark.parametrize("name", SETS)
def test_it_holds_every_note_of_the_set(name):
    assert len(load(SETS[name].pattern)) >= SETS[name].notes


@pytest.mark.parametrize("name", SETS)
def test_it_holds_the_sets_overall_floor(scores, name):
    assert scores[name].recall >= SETS[name].recall, scores[name].report()


@pytest.mark.parametrize(("name", "kind", "floor"), KIND_FLOORS)
def test_it_holds_each_kinds_floor(scores, name, kind, floor):
    assert scores[name].total[kind] > 0
    assert scores[name].recall_of(kind) >= floor, scores[name].report()


@pytest.mark.parametrize("name", SETS)
def test_it_keeps_the_words_marked_to_keep(scores, name):
    assert scores[name].keep_over_redaction <= SETS[name].keep_ceiling, scores[name].report()


@pytest.mark.parametrize("name", SETS)
def test_it_keeps_the_other_words(scores, name):
    assert scores[name].over_redaction <= SETS[name].other_ceiling, scores[name].report()
