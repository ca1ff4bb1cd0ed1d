"""The name knowledge shipped in data/: what each word may be, looked up case- and accent-blind.

A word's flags say whether it is a known first name, a surname, an ordinary English word that
is also a name (so needs context), a place or agency to keep, or a word that is never a name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"

FIRST = 1
SURNAME = 2
COMMON = 4  # also an ordinary word: a name only with context
KEEP = 8
STOP = 16
NAME = FIRST | SURNAME

WORD_RE = re.compile(r"[^\W\d_]+(?:['’\-‐][^\W\d_]+)*")

# Letters NFKD does not take apart.
_SPECIAL = str.maketrans(
    {"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ß": "ss", "æ": "ae",
     "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i", "þ": "th", "ð": "d", "’": "'", "‐": "-"}
)  # fmt: skip


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower case without accents: "Ciarán" and "ciaran" fold alike."""
    if word.isascii():
        return word.lower()
    word = unicodedata.normalize("NFKD", word.translate(_SPECIAL))
    return "".join(c for c in word if not unicodedata.combining(c)).lower()


@dataclass(frozen=True)
class Lexicon:
    flags: dict[str, int]
    # Several-word phrases to keep ("Milton Keynes", "Andrew Tate"), by their first folded word.
    phrases: dict[str, tuple[tuple[str, ...], ...]]

    def lookup(self, folded: str) -> int:
        found = self.flags.get(folded)
        if found is not None:
            return found
        if "-" in folded:
            return self._hyphenated(folded)
        return 0

    def _hyphenated(self, folded: str) -> int:
        # "Smith-Jones" and "al-Hassan" are names when every part but a particle is one.
        parts = [part for part in folded.split("-") if part and part not in PARTICLES]
        if not parts:
            return 0
        flags = [self.flags.get(part, 0) for part in parts]
        if all(flag & NAME for flag in flags):
            merged = 0
            for flag in flags:
                merged |= flag & NAME
            if all(flag & COMMON for flag in flags):
                merged |= COMMON
            return merged
        return 0


# Titles before a name; they are part of the name's span.
TITLES = frozenset(
    "mr mrs ms miss mx dr prof professor pc dc ds di dci dsi sgt pcso cllr councillor rev revd "
    "reverend imam sheikh shaykh hafiz maulana moulana mufti ustadh ustad pastor nurse master "
    "fr brother sister ps insp inspector"
    "".split()
)
PARTICLES = frozenset(
    "al el bin ibn bint abu ul ud van von de da di du der den la le dela mac ni nic ui ap ab "
    "ferch verch".split()
)


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _words(name: str) -> list[str]:
    return [fold(word) for line in _lines(name) for word in line.split()]


@cache
def lexicon() -> Lexicon:
    flags: dict[str, int] = {}

    def mark(word: str, flag: int) -> None:
        flags[word] = flags.get(word, 0) | flag

    for word in _words("first_names.txt"):
        mark(word, FIRST)
    for word in _words("surnames.txt"):
        mark(word, SURNAME)
    for word in _words("name_words.txt"):
        mark(word, COMMON)
    for word in _words("stopwords.txt"):
        mark(word, STOP)
    phrases: dict[str, list[tuple[str, ...]]] = {}
    for line in _lines("keep.txt") + _lines("public_figures.txt"):
        for entry in line.split(","):
            # entries with digits (4chan, MI5) never match a word token
            if any(c.isdigit() for c in entry):
                continue
            words = tuple(fold(word) for word in WORD_RE.findall(entry))
            if len(words) == 1:
                mark(words[0], KEEP)
            elif words:
                phrases.setdefault(words[0], []).append(words)
    # Short names (Ma, Ho, He, Li) look too much like words and abbreviations to stand alone.
    for word, flag in flags.items():
        if flag & NAME and len(word) <= 2:
            flags[word] = flag | COMMON
    return Lexicon(
        flags=flags,
        phrases={
            first: tuple(sorted(found, key=len, reverse=True)) for first, found in phrases.items()
        },
    )
