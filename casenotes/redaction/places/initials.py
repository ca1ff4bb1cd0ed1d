"""A school's initials standing for it once its full name is written: "Moorcroft Park Academy
(MPA) ... staff at MPA". Only the initials of a school found in the same text, in capitals, as a
whole word; an agency's acronym that happens to match (a KEEP word) is left."""

from __future__ import annotations

from collections.abc import Iterator

from casenotes.redaction.lexicon import KEEP, fold, lexicon
from casenotes.redaction.scan import Span

JOINING = frozenset("of the and & on upon in y yr".split())
# a school's kind may be left out of its initials ("Penmor High School": "PHS" or "PH")
LAST_NOUNS = frozenset("school college academy".split())
COUNCIL_WORDS = frozenset("city county borough metropolitan district".split())


def _initials(name: str) -> set[str]:
    words = [word for word in name.replace("-", " ").split() if fold(word) not in JOINING]
    if len(words) < 2 or not all(word[:1].isupper() for word in words):
        return set()
    if any(fold(word) in COUNCIL_WORDS for word in words):
        return set()  # "Leeds City College" and Leeds City Council share "LCC"
    letters = "".join(word[0] for word in words)
    found = {letters}
    if len(words) > 2 and fold(words[-1]) in LAST_NOUNS:
        found.add(letters[:-1])
    return {initials for initials in found if len(initials) >= 3}


def school_initials(text: str, found: list[Span]) -> Iterator[Span]:
    flags = lexicon().flags
    wanted = set()
    for start, end, _ in found:
        wanted |= _initials(text[start:end])
    for initials in wanted:
        if flags.get(fold(initials), 0) & KEEP:
            continue  # "CSC", "YOT": an agency's
        size = len(initials)
        at = text.find(initials)
        while at != -1:
            end = at + size
            if (at == 0 or not text[at - 1].isalnum()) and (
                end == len(text) or not text[end].isalnum()
            ):
                yield at, end, found[0][2]
            at = text.find(initials, end)
