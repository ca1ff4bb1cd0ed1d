"""Cut text into words, numbers, punctuation and opaque spans (labels and data already found).

An opaque span stands for something already redacted, so the name rules see the same context
whether they read the original text or its redacted form: that keeps redaction idempotent.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from casenotes.redaction.lexicon import (
    COMMON,
    KEEP,
    NAME,
    STOP,
    SURNAME,
    TITLES,
    fold,
    lexicon,
)

WORD, NUMBER, PUNCT, OPAQUE = range(4)
LOWER, CAP, UPPER = range(3)
# What a word may be as part of a name (before any participant list is applied)
NONE, PARTICIPANT, DEFINITE, WEAK, UNKNOWN, UPPER_UNKNOWN = range(6)

TOKEN_RE = re.compile(r"([^\W\d_]+(?:['’\-‐][^\W\d_]+)*)|(\d+)|([^\s\w]|_)")
# TOKEN_RE for ASCII text, where it finds the same tokens at a sixth less cost: a class of
# ASCII letters and digits is checked by table, a Unicode category by a function call per
# character. \s is spelled out as Python reads it in ASCII: \x1c-\x1f are spaces too.
ASCII_TOKEN_RE = re.compile(
    r"([A-Za-z]+(?:['\-][A-Za-z]+)*)|([0-9]+)|([^\t\n\x0b\x0c\r\x1c-\x1f A-Za-z0-9_]|_)"
)
# Surnames recognised by their shape: O'Brien, McAllister, Wiśniewska, Kovačević, Petrauskas.
SURNAME_SHAPE_RE = re.compile(
    r"(?:o'[a-z]{3,}|ma?c[a-z]{3,}|[a-z]{2,}(?:ska|ski|cka|cki|wicz|czyk|czak|enko|escu|poulos|"
    r"poulou|ovic|evic|oglu|auskas|iene|aite|ov|ova|ovich|ovna))"
)
MC_RE = re.compile(r"^(?:Mc|Mac|O')[A-Z]")


class Token:
    __slots__ = ("start", "end", "kind", "text", "fold", "flags", "shape", "poss", "role")

    def __init__(
        self, start: int, end: int, kind: int, text: str, fold: str = "", flags: int = 0,
        shape: int = LOWER, poss: bool = False, role: int = NONE,
    ) -> None:  # fmt: skip
        self.start = start
        self.end = end
        self.kind = kind
        self.text = text
        self.fold = fold
        self.flags = flags
        self.shape = shape
        self.poss = poss
        self.role = role  # NONE, DEFINITE, WEAK, UNKNOWN or UPPER_UNKNOWN

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start})"


def _shape(word: str) -> int:
    if len(word) >= 2 and word.isupper():
        return UPPER
    if word[0].isupper():
        return CAP
    # al-Hassan, el-Sayed: a particle before a capitalised name
    _, dash, rest = word.partition("-")
    if dash and rest[:1].isupper():
        return CAP
    return LOWER


def _role(folded: str, flags: int, shape: int) -> int:
    if folded in TITLES:
        return NONE
    capital = shape != LOWER
    if flags & NAME:
        if flags & (COMMON | KEEP | STOP):
            return WEAK if capital else NONE
        return DEFINITE if capital or len(folded) >= 3 else NONE
    if flags & (STOP | KEEP) or len(folded) < 2:
        return NONE
    if shape == CAP:
        return UNKNOWN
    return UPPER_UNKNOWN if shape == UPPER else NONE


# word -> (length without possessive, possessive, folded, shape, flags, role); words repeat
_WORDS: dict[str, tuple[int, bool, str, int, int, int]] = {}


def _analyse(word: str) -> tuple[int, bool, str, int, int, int]:
    found = _WORDS.get(word)
    if found is not None:
        return found
    possessive = len(word) > 2 and word[-2] in "'’" and word[-1] in "sS"
    bare = word[:-2] if possessive else word
    folded = fold(bare)
    shape = _shape(bare)
    flags = lexicon().lookup(folded)
    if not flags & NAME and shape != LOWER and len(folded) > 4:
        if SURNAME_SHAPE_RE.fullmatch(folded.replace("’", "'")) and (
            not folded.startswith("ma") or MC_RE.match(bare.replace("’", "'"))
        ):
            flags |= SURNAME
    if len(_WORDS) > 200_000:
        _WORDS.clear()
    found = _WORDS[word] = (
        len(bare),
        possessive,
        folded,
        shape,
        flags,
        _role(folded, flags, shape),
    )
    return found


def tokenize(text: str, opaque: Sequence[tuple[int, int]]) -> list[Token]:
    """Tokens of `text`, each span of `opaque` (sorted, not overlapping) one OPAQUE token.

    The text between opaque spans is cut as if the spans were labels: a word ends where a
    span begins ("Mary's_Hope" with "s_Hope" found reads "Mary" then the span).
    """
    tokens: list[Token] = []
    pattern = ASCII_TOKEN_RE if text.isascii() else TOKEN_RE
    position = 0
    for start, end in opaque:
        if start < position:  # overlaps the one before; merged into it
            if end > tokens[-1].end:
                tokens[-1].end, tokens[-1].text = end, text[tokens[-1].start : end]
            position = max(position, end)
            continue
        _segment(text, position, start, tokens, pattern)
        tokens.append(Token(start, end, OPAQUE, text[start:end]))
        position = end
    _segment(text, position, len(text), tokens, pattern)
    return tokens


def _segment(
    text: str, start: int, end: int, tokens: list[Token], pattern: re.Pattern[str]
) -> None:
    append, known, new = tokens.append, _WORDS.get, Token
    for match in pattern.finditer(text, start, end):
        word = match.group(1)
        if word is None:
            at, to = match.span()
            append(new(at, to, NUMBER if match.lastindex == 2 else PUNCT, match.group()))
            continue
        at, after = match.span()
        length, possessive, folded, shape, flags, role = known(word) or _analyse(word)
        if word[-1] in "sS" and not possessive and text[after : after + 1] in ("'", "’"):
            # "James' mum"; a span right after the apostrophe reads like a label's "["
            possessive = after + 1 >= end or not text[after + 1].isalnum()
        if length != len(word):
            word = word[:length]
        append(new(at, at + length, WORD, word, folded, flags, shape, possessive, role))
