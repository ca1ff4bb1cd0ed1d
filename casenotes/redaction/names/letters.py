"""Names in pasted emails and messages: the writer's first name under a sign-off ("Cheers,
Rob", "thanks\nJo", "Many thanks, Priya") and the person a reply thanks ("thanks Rob, will
chat"). A word-name (Rob, Will, Grace) is read as the name here, where nothing else could
follow a sign-off."""

from __future__ import annotations

from casenotes.redaction.lexicon import FIRST, KEEP, STOP
from casenotes.redaction.names.reader import Reader
from casenotes.redaction.tokens import CAP, UNKNOWN, WORD

# The last word of a sign-off
SIGN_OFF_WORDS = frozenset("thanks thankyou cheers regards wishes ta".split())
# What may stand between the sign-off and the name
SIGN_OFF_GAP = frozenset(",.!-–—")


def find(reader: Reader, used: list[bool], take) -> None:
    tokens = reader.tokens
    for k, token in enumerate(tokens):
        if token.kind != WORD or token.fold not in SIGN_OFF_WORDS:
            continue
        name = _name_after(reader, k)
        if name is not None and not used[name] and _reads_as_name(reader, name):
            take(name, name + 1, None, True)


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
