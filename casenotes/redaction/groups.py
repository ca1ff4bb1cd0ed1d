"""Small groups named by what they are, wherever they are written: "the Northgate Lads",
"Bay Street Squad", "Kestrel Rangers JFC", "Hollin Park U14s", "Sons of the Moor", "Bethel
Praise Ministries", "Larchfield Children's Home", "Hill Top Family Practice". A gang, a chat, a
junior team, a church, a children's home or a GP practice named this way points at a few people,
so it is redacted as OTHER; so is a chat or server named before its noun ("the Vanguard
server").

A group word (GROUP_WORDS, general vocabulary of how such groups name themselves) after one to
three capitalised words; the name needs a word that says which group: not a kind of club
("Youth Club", "Boxing Club"), a function word or an agency's acronym ("GP Surgery"). A place
or a nationality may name one ("Dockside Lads"). Groups named in radicalisation work are public
(keep.txt: "Proud Boys") and kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from casenotes.redaction.lexicon import KEEP, NAME, STOP, TITLES, WORD_RE, fold, lexicon
from casenotes.redaction.result import Kind
from casenotes.redaction.scan import Span, around, literal_triggers

GROUP_WORDS = (
    "Lads",
    "Boyz",
    "Boys",
    "Squad",
    "Brotherhood",
    "Sisterhood",
    "Sisters",
    "Warband",
    "Clan",
    "Club",
    "JFC",
    "Ministries",
    "Tabernacle",
    "Children's Home",
    "Children’s Home",
    "Family Practice",
    "Surgery",
)
GROUP_WORD = "|".join(re.escape(word).replace(r"\ ", "[ \t]+") for word in GROUP_WORDS)
# an age group of a junior team: "U15s", "U9"
AGE_TEAM = r"U\d{1,2}s?"
NAME_WORD = r"[A-Z][\w'’-]*"
# the group's last word may be followed by a place, a number or an age group ("Dockside Lads
# Wigan", "Iron Sons 1488", "Hollin Park U14s")
TAIL = rf"(?:[ \t]+(?:{NAME_WORD}|\d[\d/]*(?![\w/])|{AGE_TEAM}))"
GROUP_RE = re.compile(
    rf"(?P<name>(?:{NAME_WORD}[ \t]+(?:(?:of|the|and|&)[ \t]+)?){{1,3}})"
    rf"(?P<word>(?:{GROUP_WORD})(?![\w'’])|{AGE_TEAM}\b)(?P<tail>{TAIL}{{0,2}})"
    # "Sons of the Moor", "Lads of Hollinwood 88": the group word first
    rf"|\b(?P<kin>(?:Lads|Sons|Daughters|Sisters|Brothers|Soldiers|Knights|Warriors)[ \t]+of"
    rf"[ \t]+(?:the[ \t]+)?{NAME_WORD}(?:[ \t]+\d+\b)?)"
)
KIN_TRIGGERS = ("Sons of", "Daughters of", "Brothers of", "Soldiers of", "Knights of")
TRIGGERS = (*GROUP_WORDS, *KIN_TRIGGERS, "Warriors of")
# Words of a place that may stand for many groups: the name needs a word besides a place.
INSTITUTIONS = frozenset(
    ("club", "jfc", "ministries", "tabernacle", "children's home", "children’s home",
     "family practice", "surgery")
)  # fmt: skip
AGE_TEAM_RE = re.compile(r"U(?<![\w]U)\d{1,2}s?\b")  # from its literal "U": quick
# Kinds of club, team, church and practice, and words about them: they name no one group.
GENERIC = frozenset(
    "youth boxing football rugby cricket netball hockey basketball tennis golf swimming running "
    "cycling athletics gymnastics martial arts karate judo dance drama chess book film art "
    "music choir breakfast homework lunch lunchtime after school holiday summer weekend gaming "
    "computer coding social sports sport working men's mens women's womens ladies village "
    "parish community local junior juniors senior seniors under mini adult family youth girls "
    "boys lads private secret night day evening weekly our his her their my the a an this "
    "that local dental heart eye knee hip keyhole plastic cosmetic minor major emergency day "
    "laser weight loss general constituency advice gp doctor's doctors vets vet's children's "
    "childrens care residential foster".split()
)


def _distinctive(word: str, flags: dict[str, int]) -> bool:
    """A word that says which group: not generic, not a stop word, not an agency's acronym; a
    place, a nationality or a name is one ("Dockside Lads", "Polish Lads", "Heath Surgery")."""
    folded = fold(word)
    if folded in GENERIC or word.isupper() and flags.get(folded, 0) & KEEP:
        return False
    flag = flags.get(folded, 0)
    return bool(flag & (KEEP | NAME)) or not flag & STOP


def _known_phrase(words: list[str], phrases: dict[str, tuple[tuple[str, ...], ...]]) -> bool:
    for index, word in enumerate(words):
        for phrase in phrases.get(word, ()):
            if tuple(words[index : index + len(phrase)]) == phrase:
                return True
    return False


def groups(text: str) -> Iterator[Span]:
    triggers = list(literal_triggers(text, TRIGGERS))
    if "U1" in text or "U2" in text or "U7" in text or "U8" in text or "U9" in text:
        triggers = sorted(triggers + list(AGE_TEAM_RE.finditer(text)), key=lambda m: m.start())
    if not triggers:
        return
    lexicon_ = lexicon()
    flags = lexicon_.flags
    for match in around(GROUP_RE, text, triggers, 70, 40):
        if match.group("kin"):
            start, end = match.span("kin")
        else:
            start, end = match.start("name"), match.end("word")
            words = match.group("name").split()
            # sentence words before the name are not part of it ("Then Dockside Lads")
            while words and not _distinctive(words[0], flags):
                start = text.index(words[0], start) + len(words[0])
                start = len(text) - len(text[start:].lstrip(" \t"))
                words = words[1:]
            if not words or words[-1] in ("of", "the", "and", "&"):
                continue
            if any(fold(word.rstrip(".")) in TITLES for word in words):
                continue  # "Dr Hale Surgery": a person's
            # "Leeds Boxing Club" is a town's club; "Dockside Lads" a gang
            kind = " ".join(match.group("word").split()).lower()
            if (kind in INSTITUTIONS or kind[0] == "u") and all(
                flags.get(fold(word), 0) & KEEP or not _distinctive(word, flags) for word in words
            ):
                continue
            end = _tail_end(text, match, flags, end)
        found = [fold(word) for word in WORD_RE.findall(text, start, end)]
        if not found or _known_phrase(found, lexicon_.phrases):
            continue  # "Proud Boys": a public group
        yield start, end, Kind.OTHER


def _tail_end(text: str, match: re.Match[str], flags: dict[str, int], end: int) -> int:
    """The tail's words that belong to the name: a place, a number, an age group, a capitalised
    ordinary word; not a person's name ("... Lads Jamie said")."""
    for part in re.finditer(r"\S+", match.group("tail")):
        word = part.group()
        folded = fold(word)
        flag = flags.get(folded, 0)
        if word[0].isupper() and flag & NAME and not flag & KEEP:
            break
        end = match.start("tail") + part.end()
    return end


# "added to Red Room Circle chat", "the Vanguard server": a chat or server's own name before
# the noun, after a word that opens a noun phrase (so not a sentence's first word)
CHAT_NOUNS = ("server", "chat", "channel", "groupchat")
NAMED_CHAT_RE = re.compile(
    r"\b(?:the|a|to|in|on|from|into|via)[ \t]+"
    rf"(?P<name>{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,2}})[ \t]+(?:group[ \t]?)?"
    rf"(?:{'|'.join(CHAT_NOUNS)})\b"
)


def named_chats(text: str, lower: str) -> Iterator[Span]:
    if not any(noun in lower for noun in CHAT_NOUNS):
        return
    flags = lexicon().flags
    for match in NAMED_CHAT_RE.finditer(text):
        words = match.group("name").split()
        folded = [fold(word) for word in words]
        # a platform's or a public group's ("the Discord server", "the Prevent channel"), a
        # school year's or a family's ("the Year 9 chat", "the Family chat")
        if any(flags.get(word, 0) & (KEEP | STOP) or word in GENERIC for word in folded):
            continue
        yield match.start("name"), match.end("name"), Kind.OTHER
