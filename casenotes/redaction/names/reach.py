"""How far a name reaches once read: a surname that is also a place ("Toby Warrington (15)"),
a lower-case surname that is also a word ("tina grant"), a surname's initial ("Zak M"), and a
short first name or a nickname's "Big" before it ("Jo Halliday", "Big John")."""

from __future__ import annotations

from casenotes.redaction.context import NOT_LOWER_NAMES, OTHER_VERBS, SAY_VERBS
from casenotes.redaction.lexicon import COMMON, FIRST, KEEP, STOP, SURNAME
from casenotes.redaction.names.reader import Accepted, Reader
from casenotes.redaction.tokens import CAP, LOWER, WORD


def extend(reader: Reader, accepted: list[Accepted], used: list[bool], lower_note: bool) -> None:
    """Widen each accepted name [i, j) in place to the words that belong to it."""
    tokens = reader.tokens
    size = len(tokens)
    for n, (i, j, title, strong) in enumerate(accepted):
        # cheap tests first: most names are followed by neither a place nor a lone letter
        after = tokens[j] if j < size else None
        if after is None or after.kind != WORD:
            continue
        end = j
        if len(after.text) == 1 or after.flags & KEEP and j - i == 1:
            end = _with_initial(reader, used, _with_place_surname(reader, used, i, j, title))
        elif lower_note and after.flags & SURNAME:
            end = _with_lower_surname(reader, used, j)
        if end != j:
            accepted[n] = (i, end, title, strong)
    for n, (i, j, title, strong) in enumerate(accepted):
        if title is None and i > 0 and _name_prefix(reader, used, i - 1):
            used[i - 1] = True
            accepted[n] = (i - 1, j, title, strong)


def _with_lower_surname(reader: Reader, used: list[bool], j: int) -> int:
    """In a lower-case note, a first name's surname that is also a word: "tina grant",
    "joel hart" (not "mo's house", nor a verb or role after the name)."""
    tokens = reader.tokens
    first, surname = tokens[j - 1], tokens[j]
    if (
        used[j]
        or first.poss
        or not first.flags & FIRST
        or first.shape != LOWER
        or surname.shape != LOWER
        or surname.flags & (STOP | KEEP)
        or surname.fold in NOT_LOWER_NAMES
        or not reader.adjacent(j - 1, j)
    ):
        return j
    used[j] = True
    return j + 1


def _with_place_surname(reader: Reader, used: list[bool], i: int, j: int, title) -> int:
    """Where a lone first name ending before token `j` goes on with a surname that is also a
    place ("Toby Warrington (15)", "Ellie Preston said"): a capitalised kept place right after
    it, then an age, a verb of a person or a possessive."""
    tokens = reader.tokens
    if j - i != 1 or title is not None or j >= len(tokens) or used[j]:
        return j
    first, place = tokens[i], tokens[j]
    if not (first.flags & FIRST and first.shape == CAP and not first.flags & COMMON):
        return j
    if place.kind != WORD or place.shape != CAP or not place.flags & KEEP or place.flags & STOP:
        return j
    if first.poss or not reader.adjacent(i, j):
        return j
    after = reader.next_word(j + 1)
    if not (
        place.poss
        or reader.age_after(j + 1) is not None
        or after is not None
        and (after.fold in SAY_VERBS or after.fold in OTHER_VERBS)
    ):
        return j
    used[j] = True
    return j + 1


# Letters that are words or shorthand after a name ("Amira a lot", "Zak v Ryan", "Jo n Sam")
NOT_INITIALS = frozenset("aAiIoOsStTvVxXuUnN")


# Words before a name that make a nickname of it ("Big John", "Lil Kev")
NICKNAME_PREFIXES = frozenset("big lil little".split())


def _name_prefix(reader: Reader, used: list[bool], k: int) -> bool:
    """Token k, just before a name, belongs to it: a short first name a list cannot tell from
    a word ("Jo Halliday", "Al Reid") or a nickname's "Big"; capitalised, on the same line."""
    token = reader.tokens[k]
    return (
        not used[k]
        and token.kind == WORD
        and token.shape == CAP
        and not token.poss
        and (
            token.fold in NICKNAME_PREFIXES
            or len(token.fold) == 2
            and token.flags & FIRST
            and not token.flags & (STOP | KEEP)
        )
        and reader.adjacent(k, k + 1)
    )


def _with_initial(reader: Reader, used: list[bool], j: int) -> int:
    """Where a name ending before token `j` ends with its surname's initial: "Zak M —",
    "ryan w (y9)". A lone letter on the same line, in the name's case, then no word or "."
    at once (so not "Amira B.Sc" nor the start of another word)."""
    tokens = reader.tokens
    if j >= len(tokens) or used[j]:
        return j
    token = tokens[j]
    if token.kind != WORD or len(token.text) != 1 or token.text in NOT_INITIALS:
        return j
    if token.text.isupper() != tokens[j - 1].text[:1].isupper() or not reader.adjacent(j - 1, j):
        return j
    after = reader.text[token.end : token.end + 1]
    if after.isalnum() or after in "'’-":
        return j
    used[j] = True
    return j + 1
