"""Housing estates named as where someone lives ("mum lives on the Brackenfield estate")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from casenotes.redaction.lexicon import KEEP, STOP, fold, lexicon
from casenotes.redaction.places.addresses import FUNCTION_WORDS, LIVES_RE
from casenotes.redaction.result import Kind
from casenotes.redaction.scan import Span, around

# "mum lives on the Brackenfield estate": a housing estate's name. In lower case only after
# "on the" or where someone lives; kinds of estate are no names.
ESTATE_RE = re.compile(
    r"\b(?P<the>[Tt]he)[ \t]+(?P<name>(?:[A-Za-z][\w'’-]*[ \t]+){1,2})(?P<type>[Ee]state)\b"
)
ESTATE_TRIGGER_RE = re.compile("estate")
NOT_ESTATES = frozenset(
    "council housing local same new old big large small whole entire industrial trading business "
    "retail royal family country private nearby neighbouring other".split()
)


def estates(text: str, lower: str) -> Iterator[Span]:
    if "estate" not in lower:
        return
    flags = lexicon().flags
    for match in around(ESTATE_RE, text, ESTATE_TRIGGER_RE.finditer(lower), 40, 6):
        words = match.group("name").split()
        folded = [fold(word) for word in words]
        if any(
            word in FUNCTION_WORDS or word in NOT_ESTATES or flags.get(word, 0) & (STOP | KEEP)
            for word in folded
        ):
            continue
        if any(word[0].islower() for word in words) and not (
            text.endswith("on ", 0, match.start())
            or LIVES_RE.search(lower, max(0, match.start() - 40), match.start())
        ):
            continue
        yield match.start("name"), match.end(), Kind.ADDRESS
