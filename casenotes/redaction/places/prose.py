"""Addresses named in a sentence by the word "address", where the street has no street word:
"address rear of 204 Long Cross", "her address is 9 Bankside". The form's "Address:" field is
read in addresses.py; this reads the word in running text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from casenotes.redaction.lexicon import KEEP, STOP, fold, lexicon
from casenotes.redaction.result import Kind
from casenotes.redaction.scan import Span

# After "address" (and "is", "was" or a colon): an optional "rear of", a house number, then one
# to three capitalised words up to the end of the clause.
ADDRESS_WORD_RE = re.compile(
    r"(?i:address(?:es)?(?:[ \t]+(?:is|was))?)[ \t]*:?[ \t]+"
    r"(?:(?P<value>(?:(?i:rear|back)[ \t]+of[ \t]+)?\d{1,4}[A-Za-z]?,?[ \t]+"
    r"[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){0,2})(?=[ \t]*(?:[,.;)\n]|$))"
    # "address 28 hollybank, ls9 7tq": in lower case, only just before a postcode
    r"|(?P<lower>\d{1,4}[a-z]?,?[ \t]+[a-z][\w'’-]*(?:[ \t]+[a-z][\w'’-]*)?)"
    r"(?=,?[ \t]*[a-z]{1,2}\d[a-z\d]?[ \t]*\d[a-z]{2}\b))"
)


def labelled_addresses(text: str, lower: str) -> Iterator[Span]:
    if "address" not in lower:
        return
    flags = lexicon().flags
    at = lower.find("address")
    while at != -1:
        match = ADDRESS_WORD_RE.match(text, at)
        at = lower.find("address", at + 7)
        if match is None:
            continue
        group = "value" if match.group("value") else "lower"
        words = [fold(word) for word in match.group(group).split() if not word[0].isdigit()]
        if all(flags.get(word, 0) & (KEEP | STOP) for word in words):
            continue  # "address 12 Leeds": a number then a town is no street
        yield match.start(group), match.end(group), Kind.ADDRESS
