"""Streets named in a sentence without a house number: "outside the chippy on Dale Parade",
"graffiti on the wall, Robin Street, Leeds". A weaker street word (Parade, Way, Hill) is a
street after "on", "off" or "along"; a strong one whose first word is a given name ("Amanda
Lane", read as a woman elsewhere) is a street there too, or between commas before a town."""

from __future__ import annotations

import re
from collections.abc import Iterator

from casenotes.redaction.lexicon import KEEP, NAME, fold, lexicon
from casenotes.redaction.places.addresses import FUNCTION_WORDS
from casenotes.redaction.result import Kind
from casenotes.redaction.scan import Span

WEAK_STREETS = (
    "Parade|Walk|Rise|Way|Row|Square|Place|Hill|Vale|View|Green|Fold|Croft|Mount|Bank|Brow|"
    "Gate|Wharf|Yard|Approach|Chase|Garth|Wynd|Esplanade|Promenade|Broadway|Causeway|Quay"
)
NAMED_STREETS = "Street|Lane|Hill|Green"  # the ones a surname may end in
ON_STREET_RE = re.compile(
    r"\b(?:on|off|along)[ \t]+(?P<street>(?:[A-Z][\w'’-]*[ \t]+){1,2}"
    rf"(?:{WEAK_STREETS}|{NAMED_STREETS}))\b(?![ \t]*[-–][ \t]*[A-Z])"
)
# ", Robin Street, Leeds": between commas, before a town
COMMA_STREET_RE = re.compile(
    rf",[ \t]*(?P<street>[A-Z][\w'’-]*[ \t]+(?:{NAMED_STREETS})),[ \t]*(?P<town>[A-Z][\w'’-]*)"
)


def street_names(text: str, lower: str) -> Iterator[Span]:
    flags = lexicon().flags
    for word in (" on ", " off ", " along "):
        at = text.find(word)
        while at != -1:  # str.find is quick; the pattern is tried only where a capital follows
            if text[at + len(word) : at + len(word) + 1].isupper():
                match = ON_STREET_RE.match(text, at + 1)
                if match and _street_name(match.group("street").split()[:-1], flags):
                    yield match.start("street"), match.end("street"), Kind.ADDRESS
            at = text.find(word, at + len(word))
    if ", " in text and ("Street" in text or "Lane" in text or "Hill" in text or "Green" in text):
        for match in COMMA_STREET_RE.finditer(text):
            if flags.get(fold(match.group("town")), 0) & KEEP and _street_name(
                match.group("street").split()[:-1], flags
            ):
                yield match.start("street"), match.end("street"), Kind.ADDRESS


def _street_name(words: list[str], flags: dict[str, int]) -> bool:
    """Words that may name a street ("Station Parade", "Robin Street"): not a kept place
    alone ("on Leeds Way" is a town's), nor function words ("on The Green")."""
    folded = [fold(word) for word in words]
    if any(word in FUNCTION_WORDS for word in folded):
        return False
    return not all(flags.get(w, 0) & KEEP and not flags.get(w, 0) & NAME for w in folded)
