"""Details written out so a filter would miss them: emails with "at" and "dot" ("j dot smith at
gmail dot com", "j.smith(at)outlook.com", "jsmith @ yahoo.co.uk"), dates in words ("the third
of March two thousand and eleven") and phone numbers in words ("oh seven seven double oh ...").

Each detector runs on the lower-cased text and starts from a cheap trigger."""

from __future__ import annotations

import re
from collections.abc import Iterator

from casenotes.redaction.lexicon import STOP, lexicon
from casenotes.redaction.result import Kind
from casenotes.redaction.scan import Span, around

# --- Emails -------------------------------------------------------------------------------------

AT = r"(?:\s*[(\[{]\s*at\s*[)\]}]\s*|\s+at\s+|\s+@\s*|@\s+)"
DOT = r"(?:\s*[(\[{]\s*dot\s*[)\]}]\s*|\s+dot\s+|\.)"
LOCAL_PART = r"[a-z0-9_%+-]+"
# "dan underscore hobbs": a spelled joiner inside the part before the "at"
JOIN = rf"(?:{DOT[3:-1]}|\s+(?:underscore|dash|hyphen)\s+)"
# The domain must end like a mail domain, so "met him at the park dot" is nothing: the common
# endings, the UK's second-level ones, Wales's and Scotland's, and a few countries' that families
# here write from (Poland, Ireland, Romania, Lithuania, Pakistan, Nigeria, Germany, France).
TLD = (
    r"(?:com|(?:co|org|ac|gov|nhs)(?:\s*\.\s*|\s+dot\s+)uk|org|net|uk|me|io|info|biz|eu|"
    r"cymru|wales|scot|pl|ie|ro|lt|pk|ng|de|fr)"
)
SPELLED_EMAIL_RE = re.compile(
    rf"(?<![\w.@])(?P<local>{LOCAL_PART}(?:{JOIN}{LOCAL_PART}){{0,3}}){AT}"
    rf"(?P<domain>[a-z0-9-]+(?:{DOT}[a-z0-9-]+){{0,2}}?{DOT}{TLD})(?![\w@])"
)
# "at" in brackets, as written to fool a filter: "j.smith(at)outlook.com", "j {at} x.com"
AT_CLOSED_RE = re.compile(r"at ?[)\]}]")
# a spelled "at" between plain words only makes an email with a spelled "dot" after it
EMAIL_TRIGGER_RE = re.compile(r"[(\[{]\s*at\s*[)\]}]|\sdot\s|\s@|@\s")
PLAIN_WORDS = frozenset(
    "a an the him her them me us it this that he she they we you i his their our my home school "
    "college work least last first once".split()
)


def _word_then_handle(written: str, local: str) -> bool:
    """ "his account @the.real.wolf.uk": an ordinary word, then a handle with its "@" (a
    handle's dots may end like a domain); "jsmith @yahoo.co.uk" is an email typed apart."""
    at = written.find("@")
    return (
        0 < at < len(written) - 1
        and written[at - 1].isspace()
        and not written[at + 1].isspace()
        and (local in PLAIN_WORDS or bool(lexicon().flags.get(local, 0) & STOP))
    )


def emails(text: str, lower: str) -> Iterator[Span]:
    if "@" not in lower and " dot " not in lower and not AT_CLOSED_RE.search(lower):
        return
    for trigger in EMAIL_TRIGGER_RE.finditer(lower):
        low = max(0, trigger.start() - 60)
        for match in SPELLED_EMAIL_RE.finditer(lower, low, trigger.end() + 60):
            if not match.start() <= trigger.start() < match.end():
                continue
            local, domain = match.group("local"), match.group("domain")
            written = text[match.start() : match.end()]
            # "at" between plain words reads as English unless the domain is spelled like one
            spaced_at = "@" not in written and not any(c in written for c in "([{")
            if spaced_at and (local in PLAIN_WORDS or " dot " not in domain and "." not in domain):
                continue
            if _word_then_handle(written, local):
                continue
            yield match.start(), match.end(), Kind.EMAIL
            break


# --- Dates in words -----------------------------------------------------------------------------

UNITS = "first second third fourth fifth sixth seventh eighth ninth".split()
TEENS = (
    "tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth "
    "nineteenth".split()
)
ORDINAL_WORD = (
    r"(?:(?:twenty|thirty)[\s-]+(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
    rf"|thirtieth|twentieth|{'|'.join(TEENS)}|{'|'.join(UNITS)})"
)
MONTHS = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
)
NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety)"
)
YEAR_WORDS = (
    rf"(?:two\s+thousand(?:\s+and)?(?:\s+{NUMBER_WORD}(?:[\s-]+{NUMBER_WORD})?)?"
    rf"|(?:nineteen|twenty)[\s-]+{NUMBER_WORD}(?:[\s-]+{NUMBER_WORD})?|\d{{4}})"
)
WORD_DATE_RE = re.compile(
    rf"\b(?:the\s+)?{ORDINAL_WORD}\s+(?:of\s+)?{MONTHS}\b(?:,?\s+{YEAR_WORDS}\b)?"
    rf"|\b{MONTHS}\s+the\s+{ORDINAL_WORD}\b(?:,?\s+{YEAR_WORDS}\b)?"
)
MONTH_WORD_RE = re.compile(MONTHS)
YEAR_END_RE = re.compile(rf"{MONTHS}\b,?\s+{YEAR_WORDS}$")


# "visited on the twelfth.": an ordinal in words after "on the", ending the clause
THE_ORDINAL_RE = re.compile(rf"the\s+{ORDINAL_WORD}(?=[ \t]*(?:[.,;:!?)]|\n|$))")
ORDINAL_BEFORE_RE = re.compile(r"\b(?:on|by|until|till|since)[ \t]+$")


def dates(lower: str) -> Iterator[Span]:
    if "th" in lower or "first" in lower or "second" in lower or "third" in lower:
        for match in THE_ORDINAL_RE.finditer(lower):
            start = match.start()
            if ORDINAL_BEFORE_RE.search(lower, max(0, start - 8), start):
                yield start, match.end(), Kind.DATE
    for match in around(WORD_DATE_RE, lower, MONTH_WORD_RE.finditer(lower), 40, 70):
        written = match.group()
        # "Britain First march": an ordinal before a month needs "the", "of" or a year
        if (
            written.startswith("the")
            or " of " in written
            or written[-1].isdigit()
            or (YEAR_END_RE.search(written))
        ):
            yield match.start(), match.end(), Kind.DATE


# --- Phone numbers in words ---------------------------------------------------------------------

DIGIT_WORDS = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "nil": "0", "one": "1", "two": "2",
    "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
REPEATS = {"double": 2, "triple": 3, "treble": 3}
PHONE_WORD_RE = re.compile(
    r"(?:zero|oh|o|nought|nil|one|two|three|four|five|six|seven|eight|nine|double|triple|treble|"
    r"hundred|thousand|\d+)(?![\w'])"
)
PHONE_GAP_RE = re.compile(r"[\s,\-–]*")
SPELLED_DIGITS = ("zero", "oh", "nought", "double", "triple", "treble", "hundred")
PHONE_TRIGGER_RE = re.compile(r"\b(?:zero|oh|nought|seven|0\d*)\b")


def phones(lower: str, spelled_digits: list[re.Match[str]]) -> Iterator[Span]:
    """A run of number words (and digit groups) that spells ten or eleven digits from a 0
    (or a mobile's ten from its 7, the 0 left unsaid), with at least one word (digits alone
    are numbers.phones'). `spelled_digits`: word_triggers(lower, SPELLED_DIGITS), found with
    other scans'."""
    if not spelled_digits:
        return
    position = 0
    for trigger in PHONE_TRIGGER_RE.finditer(lower):
        if trigger.start() < position:
            continue
        digits, end, repeat, k = "", trigger.start(), 1, trigger.start()
        while True:
            match = PHONE_WORD_RE.match(lower, k)
            if match is None or (k > 0 and lower[k - 1].isalnum()):
                break
            word = match.group()
            if word in REPEATS:
                repeat = REPEATS[word]
            elif word == "hundred":
                digits += "00"
            elif word == "thousand":
                digits += "000"
            else:
                digits += (DIGIT_WORDS.get(word) or word) * repeat
                repeat = 1
            end = match.end()
            k = PHONE_GAP_RE.match(lower, end).end()
            if len(digits) > 13:
                break
        spelled = any(c.isalpha() for c in lower[trigger.start() : end])
        # "seven seven zero zero, nine double zero, ...": a mobile read out without its 0
        mobile = digits.startswith("7") and len(digits) == 10
        if spelled and (digits.startswith("0") and len(digits) in (10, 11) or mobile):
            yield trigger.start(), end, Kind.PHONE
            position = end
