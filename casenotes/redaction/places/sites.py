"""A pitch or plot on a site named after it: "Pitch 4, Elmfield Lane site", "plot 2, bridge end
traveller site". The site's name goes with the pitch, and makes a pitch an address without a
word of living there."""

from __future__ import annotations

import re

from casenotes.redaction.lexicon import fold

SITE_AFTER_RE = re.compile(
    r",?[ \t]+(?P<words>(?:[A-Za-z][\w'’-]*[ \t]+){0,3}?)"
    r"(?i:(?:travellers?[ \t]+|traveller['’]s[ \t]+|caravan[ \t]+|halting[ \t]+)?site)\b"
)


def site_after(text: str, end: int, function_words: frozenset[str]) -> int | None:
    """Where the site named right after a pitch or plot ending at `end` ends, if one is."""
    match = SITE_AFTER_RE.match(text, end)
    if match is None or any(fold(word) in function_words for word in match.group("words").split()):
        return None  # "pitch 3 at the site"
    return match.end()
