"""Schools named by a short name where only a school can be meant: before a place in a school
("Larkspur nurture room", "Manor library", "after-school club at Thirsk Vale") and after a
school role closing a signature line ("Pastoral Manager, St Aidan's", "Family Liaison, The
Hollies")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from casenotes.redaction.lexicon import FIRST, KEEP, STOP, fold, lexicon
from casenotes.redaction.result import Kind
from casenotes.redaction.scan import Span, literal_triggers

NAME = r"(?:The[ \t]+)?(?:St\.?[ \t]+)?[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){0,2}"
# Places inside a school, written after its name
SCHOOL_PLACES = (
    "library", "nurture room", "nurture base", "nurture group", "nurture unit", "canteen",
    "playground", "staffroom", "staff room", "sixth form", "inclusion room", "inclusion unit",
    "inclusion base", "isolation room", "learning support", "SEN base",
)  # fmt: skip
NAME_BEFORE_RE = re.compile(rf"(?<![\w'’-])(?P<school>{NAME})[ \t]+$")
CLUB_AT_RE = re.compile(rf"(?i:after[- ]school[ \t]+club)[ \t]+at[ \t]+(?P<school>{NAME})")
# A school role, a comma and a name that ends the line: a signature
SIGNATURE_RE = re.compile(
    r"(?i:pastoral[ \t]+(?:manager|lead|leader|support)|family[ \t]+liaison(?:[ \t]+officer)?|"
    r"head[ \t]+of[ \t]+(?:year|house|sixth[ \t]+form)(?:[ \t]+\d{1,2})?|d?dsl|senco|"
    r"designated[ \t]+safeguarding[ \t]+lead|head[ \t]*teacher|deputy[ \t]+head|"
    r"assistant[ \t]+head|learning[ \t]+mentor|attendance[ \t]+officer|form[ \t]+tutor)"
    rf"[ \t]*,[ \t]*(?P<school>{NAME})[ \t]*\.?[ \t]*(?=\n|\Z)"
)
SIGNATURE_TRIGGERS = (  # each role's first words, where the pattern is tried
    "pastoral", "family liaison", "head of", "dsl", "ddsl", "senco", "designated", "headteacher",
    "head teacher", "deputy head", "assistant head", "learning mentor", "attendance officer",
    "form tutor",
)  # fmt: skip
# Words that open no school's name, though capitalised ("Year 9 library", "School library")
NOT_NAMES = frozenset(
    "year school college academy class form main new old local public mr mrs ms miss mx dr".split()
)


def school_places(text: str, lower: str) -> Iterator[Span]:
    # read from each place or role word: back to the name before a place, on to the name
    # after a role (patterns tried at a known start are quick)
    for place in literal_triggers(text, SCHOOL_PLACES):
        before = NAME_BEFORE_RE.search(text, max(0, place.start() - 60), place.start())
        if before:
            yield from _school(before)
    if "school club" in lower or "school-club" in lower:
        for match in CLUB_AT_RE.finditer(text):
            yield from _school(match)
    if "," in text:
        for role in literal_triggers(lower, SIGNATURE_TRIGGERS):
            if match := SIGNATURE_RE.match(text, role.start()):
                yield from _school(match)


def _school(match: re.Match[str]) -> Iterator[Span]:
    """The name, unless it is a place, an ordinary word or a word that opens no name."""
    words = [fold(word).removesuffix("'s").removesuffix("’s") for word in match["school"].split()]
    named = [word for word in words if word not in ("the", "st", "st.")]
    flags = lexicon().flags
    if not named or named[0] in NOT_NAMES:
        return  # "Year 9 library"
    if len(named) == len(words) and flags.get(named[0], 0) & FIRST:
        return  # "gave Sarah library books" (but "St Aidan's" is a school)
    if all(flags.get(word, 0) & (KEEP | STOP) for word in named):
        return
    yield match.start("school"), match.end("school"), Kind.SCHOOL
