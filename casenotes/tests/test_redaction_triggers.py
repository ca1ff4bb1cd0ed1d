"""Trigger words: the online-handle pattern is tried only where one of them begins
(scan.at_triggers), and several scans find theirs in one pass (scan.shared_word_triggers)."""

from __future__ import annotations

import itertools
from re import _constants as sre_constants
from re import _parser as sre_parse

from casenotes.redaction.online import PLATFORM_RE, PLATFORM_TRIGGERS
from casenotes.redaction.references import REFERENCE_WORDS
from casenotes.redaction.scan import shared_word_triggers, word_triggers
from casenotes.redaction.spelled import SPELLED_DIGITS


def _spellings(items: sre_parse.SubPattern | list) -> set[str]:
    """Every string a parsed pattern of literals, groups, alternatives, `?` and lookaheads can
    match."""
    spellings = {""}
    for op, value in items:
        if op is sre_constants.LITERAL:
            options = {chr(value)}
        elif op is sre_constants.SUBPATTERN:
            options = _spellings(value[-1])
        elif op is sre_constants.BRANCH:
            options = set().union(*(_spellings(branch) for branch in value[1]))
        elif op is sre_constants.ASSERT:  # a lookahead matches no characters of its own
            options = {""}
        elif op is sre_constants.MAX_REPEAT and value[:2] == (0, 1):
            options = {""} | _spellings(value[2])
        else:
            raise AssertionError(f"the test cannot spell {op} {value}: extend _spellings")
        spellings = {a + b for a, b in itertools.product(spellings, options)}
    return spellings


def _beginnings() -> set[str]:
    """How PLATFORM_RE can begin: its first group (after the leading \\b), every spelling."""
    parsed = sre_parse.parse(PLATFORM_RE.pattern)
    assert parsed[0][0] is sre_constants.AT
    return _spellings([parsed[1]])


def test_it_spells_every_beginning_of_the_handle_pattern() -> None:
    beginnings = _beginnings()
    assert {"snapchat", "tik tok", "xbox live", "posts as", "calls themselves online as"} <= (
        beginnings
    )


def test_it_has_a_trigger_where_every_beginning_of_the_handle_pattern_starts() -> None:
    # PLATFORM_RE ends its first group with \b: a space follows in the text
    missing = [
        beginning
        for beginning in sorted(_beginnings())
        if not any(m.start() == 0 for m in word_triggers(beginning + " ", PLATFORM_TRIGGERS))
    ]
    assert missing == []


def test_it_finds_the_handle_pattern_only_where_it_finds_a_trigger() -> None:
    text = "Snapchat: jdoe_22. He calls himself online as grey.falcon. Xboxlive: Kai77"
    lower = text.lower()
    starts = {m.start() for m in word_triggers(lower, PLATFORM_TRIGGERS)}
    assert {m.start() for m in PLATFORM_RE.finditer(lower)} <= starts


def test_it_finds_in_one_pass_the_trigger_words_each_scan_would_find_alone() -> None:
    lists = (PLATFORM_TRIGGERS, REFERENCE_WORDS, SPELLED_DIGITS)
    text = (
        "his snapchat account (mosaic ref 123456) and userid snappy_1; call zero seven double "
        "one. channel: mashup, snap2 oh élog log_in accountant"
    )
    shared = shared_word_triggers(text, *lists)
    alone = [word_triggers(text, words) for words in lists]
    assert [[m.span() for m in found] for found in shared] == [
        [m.span() for m in found] for found in alone
    ]
    assert all(shared)
