"""Helpers for fast scanning: Python's regular expressions are quick when a pattern starts
with a literal or a character class and slow when it starts with an alternation tried at every
position, or ignores case. So detectors find cheap triggers first (an "@", a street word in a
lower-cased copy) and run the full pattern only in a window around each."""

from __future__ import annotations

import re
import string
from bisect import bisect_left
from collections.abc import Iterator
from functools import cache

from casenotes.redaction.result import Kind

Span = tuple[int, int, Kind]

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def ascii_lower(text: str) -> str:
    """Lower case with every offset where it was (str.lower() turns "İ" into two characters)."""
    lower = text.lower()
    return lower if len(lower) == len(text) else text.translate(_ASCII_LOWER)


def literal_triggers(text: str, words: tuple[str, ...]) -> Iterator[re.Match[str]]:
    """Matches of any of `words` (literal, case as given) in order: one pattern of literal
    alternatives, which the regular expression engine scans for by their first letters."""
    return _literals(words).finditer(text)


def word_triggers(text: str, words: tuple[str, ...]) -> list[re.Match[str]]:
    """`word_starts(literal_triggers(text, words), text)`, found quicker for many words of
    ASCII letters (see `AT_WORD_START`)."""
    return word_starts(_literals(words, at_word_start=True).finditer(text), text)


def shared_word_triggers(text: str, *word_lists: tuple[str, ...]) -> list[list[re.Match[str]]]:
    """`[word_triggers(text, words) for words in word_lists]` in one pass over `text`: a pass
    over a whole note costs far more than the few triggers it finds, so scans whose triggers
    are single words share one (redact() asks once per text). Only for words of lower-case
    letters: then at most one of them begins at a word's start, whichever list it is from, so
    the shared pass finds just what each list's own would."""
    every, sets = _shared(word_lists)
    found = word_triggers(text, every)
    return [[trigger for trigger in found if trigger.group() in words] for words in sets]


@cache
def _shared(
    word_lists: tuple[tuple[str, ...], ...],
) -> tuple[tuple[str, ...], list[frozenset[str]]]:
    every = tuple(dict.fromkeys(word for words in word_lists for word in words))
    if not all(word.isascii() and word.isalpha() and word.islower() for word in every):
        raise ValueError("only words of lower-case letters can share a pass")
    return every, [frozenset(words) for words in word_lists]


# Put before the pattern of many words that begin with many different letters ("snapchat",
# "instagram", "tiktok", ...): the engine would try the pattern at nearly every letter of the
# text; a letter before rules a position out at once (a quarter quicker). With few first letters
# ("zero", "oh", "nought") the engine's own skip to them is quicker, so those are left as they
# are. The result is the same once `word_starts` has filtered it: a match inside a word, all
# ASCII letters, never covered the start of a word that `word_starts` would have kept.
AT_WORD_START = r"(?<![A-Za-z])"
MANY_FIRST_LETTERS = 12


@cache
def _literals(words: tuple[str, ...], at_word_start: bool = False) -> re.Pattern[str]:
    """One pattern for `words`, written as a tree of their shared beginnings ("s(?:nap(?:chat
    |\\b)|team\\b)"): the engine tries a letter at each branch, not every word in turn."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    letters = all(word.isascii() and word.isalpha() for word in words)
    many = len({word[0] for word in words}) >= MANY_FIRST_LETTERS
    prefix = AT_WORD_START if at_word_start and letters and many else ""
    return re.compile(prefix + _branches(tree, ""))


def _branches(node: dict, last: str) -> str:
    parts = [re.escape(char) + _branches(rest, char) for char, rest in node.items() if char]
    if "" in node:  # after the longer words, so "Cottages" is found whole, not as "Cottage"
        parts.append(r"\b" if last.isalnum() else "")
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def word_starts(matches: Iterator[re.Match[str]], text: str) -> list[re.Match[str]]:
    """Triggers that begin a word ("St" in "St Mary's", not in "first"). A list: cheaper than a
    generator for the few triggers of a note."""
    return [m for m in matches if not m.start() or not text[m.start() - 1].isalpha()]


def around(
    pattern: re.Pattern[str],
    text: str,
    triggers: Iterator[re.Match[str]],
    before: int,
    after: int,
) -> Iterator[re.Match[str]]:
    """Matches of `pattern` that contain a trigger, searched only near the triggers."""
    spans = [trigger.span() for trigger in triggers]
    if not spans:
        return
    size = len(text)
    # neighbouring windows are searched as one
    windows: list[list[int]] = []
    for start, end in spans:
        low, high = max(0, start - before), min(size, end + after)
        if windows and low <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], high)
        else:
            windows.append([low, high])
    starts = [start for start, _ in spans]
    for low, high in windows:
        for match in pattern.finditer(text, low, high):
            # the first trigger at or after the match's start must end inside it
            k = bisect_left(starts, match.start())
            if k < len(spans) and spans[k][1] <= match.end():
                yield match


def at_triggers(
    pattern: re.Pattern[str], text: str, triggers: list[re.Match[str]], after: int
) -> Iterator[re.Match[str]]:
    """`around(pattern, text, triggers, 0, after)` for a pattern that can only begin where one
    of its triggers begins (a test must hold it to that): it is tried at each trigger, not at
    every position of the windows. The windows are the same, so a match ends where it did."""
    size = len(text)
    groups: list[list[re.Match[str]]] = []  # the triggers of each window
    highs: list[int] = []  # where each window ends
    for trigger in triggers:
        high = min(size, trigger.end() + after)
        if highs and trigger.start() <= highs[-1]:
            groups[-1].append(trigger)
            highs[-1] = max(highs[-1], high)
        else:
            groups.append([trigger])
            highs.append(high)
    searched = 0  # as with finditer, no match is looked for inside the one before
    for group, high in zip(groups, highs, strict=True):
        for trigger in group:
            if trigger.start() < searched:
                continue
            match = pattern.match(text, trigger.start(), high)
            if match:
                searched = match.end()
                if trigger.end() <= match.end():
                    yield match
