"""Clues to whether a person mentioned is a child or an adult.

Each clue adds weight to one side of the mention: a title (Mr) or a role noun before the name
(her mum, Sadia; his son Amir) or after it (Sadia Khan (mother); Tom, a Year 10 pupil), an age
(Amira (14), aged 35, a 14-year-old called...), a possessive (Amira's mum: Amira is a child).
people.py adds them up per person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from casenotes.redaction.context import (
    ADULT_NOUNS,
    AGE_BEFORE_RE,
    CHILD_NOUNS,
    DETERMINERS,
    MODIFIERS,
    POSS_ADULT_NOUNS,
    POSS_CHILD_NOUNS,
    ROLE_NOUNS,
    SIBLINGS,
)
from casenotes.redaction.tokens import NUMBER, PUNCT, WORD

if TYPE_CHECKING:
    from casenotes.redaction.names import Mention, Reader

STRONG, FAIR, WEAK = 3, 2, 1


def clues(reader: Reader, mention: Mention, i: int, j: int, title: int | None) -> None:
    """Weigh the clues around the mention of words [i, j) (and its title, if any)."""
    tokens = reader.tokens
    if title is not None:
        mention.adult += STRONG
    _, role = reader.role_before(i)
    _vote(mention, role, STRONG)
    field = reader.field_role(i)
    if field == "child":
        mention.child += STRONG
    elif field == "adult":
        mention.adult += STRONG
    age = reader.age_after(j)
    if age is None:
        before = AGE_BEFORE_RE.search(reader.text[max(0, mention.start - 40) : mention.start])
        age = int(before.group("age")) if before else None
    if age is not None:
        if age < 18:
            mention.child += STRONG
        else:
            mention.adult += STRONG
    if tokens[j - 1].poss:
        after = tokens[j] if j < len(tokens) and tokens[j].kind == WORD else None
        if after is not None and after.fold in POSS_CHILD_NOUNS:
            mention.child += WEAK
        elif after is not None and after.fold in POSS_ADULT_NOUNS:
            mention.adult += FAIR
        return
    if j < len(tokens) and tokens[j].kind == PUNCT and tokens[j].text in ",(-–":
        _vote(mention, _role_ahead(reader, j + 1), STRONG)
    elif j < len(tokens) and tokens[j].fold in ("is", "was") and reader.adjacent(j - 1, j):
        _vote(mention, _role_ahead(reader, j + 1), FAIR)


def _role_ahead(reader: Reader, k: int) -> str | None:
    """The role noun a few words on ("a Year 10 pupil", "Amira's mother"), if nothing else
    comes first."""
    for token in reader.tokens[k : k + 6]:
        if token.kind == NUMBER:
            continue
        if token.kind != WORD:
            return None
        if token.fold in ROLE_NOUNS:
            return token.fold
        if not (token.poss or token.fold in DETERMINERS or token.fold in MODIFIERS):
            return None
    return None


def _vote(mention: Mention, role: str | None, weight: int) -> None:
    if role in CHILD_NOUNS:
        mention.child += weight
    elif role in SIBLINGS:  # usually a child in these notes, but not always
        mention.child += WEAK
    elif role in ADULT_NOUNS:
        mention.adult += weight
