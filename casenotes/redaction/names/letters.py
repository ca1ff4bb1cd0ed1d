"""Names in pasted emails and messages: the writer's first name under a sign-off ("Cheers,
Rob", "thanks\nJo", "Many thanks, Priya"), the person a reply thanks ("thanks Rob, will
chat"), and a speaker's name labelling the lines of a pasted thread ("[18:02] Bev: done").
A word-name (Rob, Will, Grace) is read as the name here, where nothing else could stand."""

from __future__ import annotations

import re
from collections import Counter

from casenotes.redaction.context import ROLE_NOUNS
from casenotes.redaction.lexicon import FIRST, KEEP, STOP
from casenotes.redaction.names.reader import Reader
from casenotes.redaction.tokens import CAP, UNKNOWN, UPPER, WORD

# The last word of a sign-off
SIGN_OFF_WORDS = frozenset("thanks thankyou cheers regards wishes ta".split())
# What may stand between the sign-off and the name
SIGN_OFF_GAP = frozenset(",.!-–—")


# A line of a pasted thread: a time perhaps, one word and a colon, then the message
SPEAKER_RE = re.compile(
    r"(?m)^[ \t]*(?:\[?\d{1,2}[:.]\d{2}\]?[ \t]*[-–]?[ \t]*)?(?P<name>[A-Z][\w'’-]*)[ \t]*:[ \t]*\S"
)


def find(reader: Reader, used: list[bool], take) -> None:
    tokens = reader.tokens
    for k, token in enumerate(tokens):
        if token.kind != WORD or token.fold not in SIGN_OFF_WORDS:
            continue
        name = _name_after(reader, k)
        if name is not None and not used[name] and _reads_as_name(reader, name):
            take(name, name + 1, None, True)
    if ":" in reader.text:
        _speakers(reader, used, take)


def _speakers(reader: Reader, used: list[bool], take) -> None:
    """A first name labelling a line ("Grace: ok"), or any name-like word labelling two lines
    or more ("Dami: mum dont be mad" ... "Dami: kyle and his lot"), not a form's field
    ("Outcome:"), a role ("Mum:", "DSL:") or a kept word ("MASH:")."""
    labels = [(m.start("name"), m.group("name")) for m in SPEAKER_RE.finditer(reader.text)]
    if not labels:
        return
    times = Counter(name for _, name in labels)
    for start, name in labels:
        k = reader.token_at(start)
        if k is None or used[k]:
            continue
        token = reader.tokens[k]
        if token.kind != WORD or token.flags & (STOP | KEEP) or token.fold in ROLE_NOUNS:
            continue
        if (
            token.flags & FIRST
            or times[name] >= 2
            and (token.shape == UPPER and len(token.fold) <= 3 or reader.unlisted_name(k))
        ):
            take(k, k + 1, None, True)


def _name_after(reader: Reader, k: int) -> int | None:
    """The word after the sign-off at k, with only punctuation and line breaks between."""
    tokens, text = reader.tokens, reader.text
    j = k + 1
    while j < len(tokens) and tokens[j].kind != WORD:
        if tokens[j].text not in SIGN_OFF_GAP:
            return None
        j += 1
    if j >= len(tokens) or text.count("\n", tokens[k].end, tokens[j].start) > 2:
        return None
    return j


def _reads_as_name(reader: Reader, j: int) -> bool:
    """A first name, or an unlisted capitalised word, that ends its line or clause."""
    tokens, text = reader.tokens, reader.text
    token = tokens[j]
    if token.flags & (STOP | KEEP) or token.poss or len(token.fold) < 2:
        return False
    if not token.flags & FIRST and not (
        # an unlisted word only on a line of its own ("Regards,\nTeodor"; not "thanks Team")
        reader.newline_before(j)
        and reader.classes[j] == UNKNOWN
        and token.shape == CAP
        and reader.unlisted_name(j)
    ):
        return False
    rest = text[token.end : token.end + 2]
    return not rest or rest[0] in "\n\"”',.!" or rest == " \n"
