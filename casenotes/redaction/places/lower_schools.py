"""Schools by their short names in a note typed in lower case: "2 from y11 at fernlea",
"kayden (y8) at st oswin's", "jo from st aidans". After a school year and "at", or a saint's
name after "at", "from" or "to", where a capital would have made it plain."""

from __future__ import annotations

import re
from collections.abc import Iterator

from casenotes.redaction.lexicon import KEEP, STOP, fold, lexicon
from casenotes.redaction.places.addresses import FUNCTION_WORDS
from casenotes.redaction.places.schools import (
    GENERIC_SCHOOL_WORDS,
    NOT_SCHOOL_NAMES,
    NOT_SCHOOLS,
    lower_case_note,
)
from casenotes.redaction.result import Kind
from casenotes.redaction.scan import Span

WORD = r"[a-z][\w'’-]*"
# Parts of a school day and places a child is at: "y9 at lunch", "y10 at home"
SCHOOL_DAY = frozenset(
    "lunch lunchtime dinner dinnertime break breaktime playtime registration assembly tutor "
    "form detention isolation reception hometime swimming football training practice club "
    "home work nans nan's grans gran's dads dad's mums mum's church mosque the".split()
)
YEAR_AT_RE = re.compile(
    rf"\by(?:ear)?[ \t]*\d{{1,2}}\)?[ \t]+at[ \t]+(?P<school>(?:st\.?[ \t]+)?{WORD}"
    rf"(?:[ \t]+{WORD})?)"
)
SAINT_RE = re.compile(
    rf"\b(?:at|from|to|attends)[ \t]+(?P<school>st\.?[ \t]+{WORD})(?![\w'’-])"
    r"(?![ \t]+(?:hospital|church|hospice|road|street|park|centre|clinic|ward|surgery|"
    r"cathedral|church))"
)


def lower_case_schools(text: str, lower: str) -> Iterator[Span]:
    found = []
    at = text.find(" at ")
    while at != -1:  # "y11 at": the year read back from each " at " (str.find is quick)
        if text[max(0, at - 12) : at].rstrip(")")[-1:].isdigit():
            match = YEAR_AT_RE.search(text, max(0, at - 12), at + 40)
            if match and match.start("school") == at + 4:
                words = match.group("school").split()
                if kept := _name_words(words):
                    start = match.start("school")
                    found.append((start, start + len(" ".join(kept)), Kind.SCHOOL))
        at = text.find(" at ", at + 4)
    saint = text.find(" st")
    while saint != -1:  # "from st aidans": read back from each " st"
        match = SAINT_RE.search(text, max(0, saint - 8), saint + 40)
        if match and match.start("school") == saint + 1:
            if _name_words(match.group("school").split()):
                found.append((*match.span("school"), Kind.SCHOOL))
        saint = text.find(" st", saint + 3)
    if found and lower_case_note(text):
        yield from found


def _name_words(words: list[str]) -> list[str]:
    """The words of a school's name: up to the first ordinary word; none when the first is
    ordinary ("y9 at lunch", "y10 at home", "at the")."""
    flags = lexicon().flags
    kept: list[str] = []
    for word in words:
        folded = fold(word).rstrip(".").removesuffix("'s").removesuffix("’s")
        if folded != "st" and (
            folded in FUNCTION_WORDS
            or folded in SCHOOL_DAY
            or folded in NOT_SCHOOL_NAMES
            or folded in NOT_SCHOOLS
            or folded in GENERIC_SCHOOL_WORDS
            or flags.get(folded, 0) & (STOP | KEEP)
            or not word[0].islower()
        ):
            break
        kept.append(word)
    if kept and fold(kept[-1]).rstrip(".") == "st":
        kept.pop()  # "at st" and no saint
    return kept
