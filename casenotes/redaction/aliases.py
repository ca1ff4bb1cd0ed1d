"""People a note names in ways the name reader cannot tell from words, found by their shape and
read as if the author had listed them: a nickname in quotes inside or after a full name
(Connor 'Dozer' Blake, Tayo Bakare (12) "Tee") or after a role noun (his mate "Tank"), a name
after "known as:" or "real name", a short name said to be a full one ("mo is mohammed rashid"),
and
initials with an age or a school year (BH (14), KM (Y9), LB Y11)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from casenotes.redaction.context import ROLE_NOUNS
from casenotes.redaction.lexicon import FIRST, KEEP, STOP, fold, lexicon
from casenotes.redaction.scan import around

NAME = r"[A-Z][\w'’-]+"
NICKNAME_RE = re.compile(
    rf"{NAME}[ \t]+\(?['\"“‘](?P<inside>[A-Z][\w-]{{1,15}})['\"”’]\)?[ \t]+{NAME}"
    rf"|{NAME}[ \t]+{NAME}[ \t]+(?:\(\d{{1,2}}\)[ \t]+)?[\"“](?P<after>[A-Z][\w-]{{1,15}})[\"”]"
)
KNOWN_AS_RE = re.compile(
    r"(?i:known\s+as|a\.?k\.?a\.?|nickname|alias|street\s+name|goes\s+by|real\s+name(?:\s+is)?)"
    r"\s*:?\s*['\"“‘]?"
    r"(?P<name>[A-Za-z][\w'’-]+(?:[ \t]+(?!is\b|and\b)[A-Za-z][\w'’-]+)?)"
)
# found from the age or year group, then read back to the initials
AGE_RE = re.compile(r"\((?:\d{1,2}|[Yy](?:ear|r)?[ \t]?\d{1,2})\)")
YEAR_GROUP_RE = re.compile(r"\d(?<=[ \t][Yy]\d)\d?\b")  # from the digit: quicker to find
INITIALS_BEFORE_RE = re.compile(r"(?<![\w.])(?P<initials>[A-Z]{2})[ \t]*$")
AGE_LETTER_RE = re.compile(r"\([A-Z]{1,2},")
QUOTED_CAPITAL_RE = re.compile(r"['\"“‘](?<=[ \t(]['\"“‘])[A-Z]")
# 'friends call him "J-Mac"', '(dad's friend, "Sully")': one capitalised word in double
# quotes after a role noun or "call him"
QUOTED_AFTER_ROLE_RE = re.compile(
    r"(?:(?P<role>[A-Za-z]+),?|call(?:s|ed)?[ \t]+(?:him|her|them))[ \t]+[\"“]"
    r"(?P<name>[A-Z][\w-]{1,15})[\"”](?![\w'’])"
)
# Initials that are no one's: posts, teams and subjects seen before an age or a year group
NOT_INITIALS = frozenset(
    "SW GP PC DC DS PE RE DT IT YP CP EH SG HT AP PM AM UK US EU ID OK TV".split()
)
TRIGGERS = ("known", "aka", "a.k.a", "nickname", "alias", "real name", "street name", "goes by")
# "pepper aka Jack Peploe": the short name before "aka" and a full name
BEFORE_AKA_RE = re.compile(
    r"(?<![\w'’-])(?P<name>[A-Za-z][\w'’-]{1,15})[ \t]+(?:aka|a\.k\.a\.?)[ \t]+"
    r"[A-Z][\w'’-]+[ \t]+[A-Z]"
)
# "skip (real name jayden hollis, 14)", "Rich (that's what he likes to be called – full name
# Richard Ellory, 11)": the word before a bracket giving the real or full name is a nickname.
NICKNAME_BEFORE_RE = re.compile(
    r"(?<![\w'’-])(?P<name>[A-Za-z][\w'’-]{1,15})[ \t]+"
    r"\((?:=|[^()\n]{0,40}?(?i:real|full)[ \t]+name)"
)
NAME_TRIGGERS = ("real name", "full name", "(=", "( =")
NAME_TRIGGER_RE = re.compile(r"(?i:real|full)[ \t]+name|\([ \t]?=")
# "a coach she calls Tank", "in prose he calls himself Kat": a capitalised name after "calls"
# (one word: a nickname; "called Tyrese Grant a ..." is a full name, found by the reader)
CALLS_RE = re.compile(  # matched where str.find sees "calls"
    r"calls[ \t]+(?:(?:him|her|them)(?:sel(?:f|ves))?[ \t]+)?"
    r"(?P<name>[A-Z][\w'’-]+)(?![\w'’-]|[ \t]+[A-Z])"
)
# "mo is mohammed rashid", "Skip is Jack Skipton": a short name said to be a full name that
# begins with its first letters (so not "he is John Smith" nor "tank is Daniel Cole")
IS_FULL_NAME_RE = re.compile(
    r"(?<![\w'’-])(?P<name>[A-Za-z][\w'’-]{1,11})[ \t]+is[ \t]+"
    r"(?P<full>[A-Za-z][\w'’-]+[ \t]+[A-Za-z][\w'’-]+)"
)
# "Tariq Mahmood (T, 16)": a name's short form in brackets with the age
LETTER_ALIAS_RE = re.compile(rf"{NAME}[ \t]+{NAME}[ \t]+\((?P<name>[A-Z]{{1,2}}),[ \t]*\d{{1,2}}\)")


def find(text: str) -> list[str]:
    """Participant entries ("Dozer", "jayden hollis", "BH") for the people `text` names so."""
    found: list[str] = []
    quotes = QUOTED_CAPITAL_RE.finditer(text)
    quotes = list(quotes)
    for match in around(NICKNAME_RE, text, iter(quotes), 40, 20):
        found.append(match.group("inside") or match.group("after"))
    for match in around(QUOTED_AFTER_ROLE_RE, text, iter(quotes), 20, 20):
        role = match.group("role")
        if role is None or fold(role) in ROLE_NOUNS:
            found.append(match.group("name"))
    lower = text.lower()
    if any(trigger in lower for trigger in TRIGGERS):
        for match in KNOWN_AS_RE.finditer(text):
            found.append(match.group("name"))
        if "aka" in lower or "a.k.a" in lower:
            found.extend(match.group("name") for match in BEFORE_AKA_RE.finditer(text))
    if "calls" in lower:
        for match in _calls(text):
            if not any(fold(word) in ROLE_NOUNS for word in match.group("name").split()):
                found.append(match.group("name"))  # not "calls Mum"
    if ("name" in lower or "=" in text) and any(trigger in lower for trigger in NAME_TRIGGERS):
        for match in around(NICKNAME_BEFORE_RE, text, NAME_TRIGGER_RE.finditer(text), 60, 12):
            found.append(match.group("name"))
    if " is " in text:
        found.extend(_short_names(text))
    if "(" in text:
        for match in around(LETTER_ALIAS_RE, text, AGE_LETTER_RE.finditer(text), 40, 10):
            found.append(match.group("name"))
    flags = lexicon().flags
    ages = AGE_RE.finditer(text) if "(" in text else ()
    years = [(m.start() - 1, m) for m in YEAR_GROUP_RE.finditer(text)]  # from the "Y"
    for start, _ in [(m.start(), m) for m in ages] + years:
        before = INITIALS_BEFORE_RE.search(text, max(0, start - 4), start)
        initials = before.group("initials") if before else ""
        if (
            initials
            and initials not in NOT_INITIALS
            and not flags.get(fold(initials), 0) & (KEEP | STOP)
        ):
            found.append(initials)
    return [name for name in found if not _ordinary(name)]


def _short_names(text: str) -> Iterator[str]:
    flags = lexicon().flags
    at = text.find(" is ")
    while at != -1:
        start = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at), -1) + 1
        match = IS_FULL_NAME_RE.match(text, start)
        if match and match.start("name") < at:
            short, full = fold(match.group("name")), fold(match.group("full")).split()
            if (
                not flags.get(short, 0) & (STOP | KEEP)
                and any(word.startswith(short[:2]) for word in full)
                and flags.get(full[0], 0) & FIRST
            ):
                yield match.group("name")
        at = text.find(" is ", at + 4)


def _calls(text: str) -> Iterator[re.Match[str]]:
    at = text.find("calls")
    while at != -1:
        if (at == 0 or not text[at - 1].isalnum()) and (match := CALLS_RE.match(text, at)):
            yield match
        at = text.find("calls", at + 5)


def _ordinary(name: str) -> bool:
    """A place, an agency or a word that is never a name ("known as: the Brotherhood")."""
    flags = lexicon().flags
    return all(flags.get(fold(word), 0) & (KEEP | STOP) for word in name.split())
