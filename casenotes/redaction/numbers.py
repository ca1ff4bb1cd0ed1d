"""Phone, NHS and National Insurance numbers, postcodes and dates."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import phonenumbers

from casenotes.redaction.lexicon import DATA
from casenotes.redaction.result import Kind
from casenotes.redaction.scan import Span, around, literal_triggers, word_starts

# --- Phones -------------------------------------------------------------------------------------

# "+44 …", "(0113) …", "(+44) …" or a digit, with no word or "+" before it. Written from its
# first character, then the lookbehind: the engine skips to a "+", "(" or digit, where a pattern
# opening with the lookbehind would be tried at every position (about 40 % slower).
PHONE_CANDIDATE_RE = re.compile(
    r"[+(\d](?<![\w+][+(\d])(?:(?<=\+)\d|(?<=\()\+?\d|(?<=\d))[\d \t().\-–]{7,40}\d(?!\d)"
)
PHONE_GROUP_RE = re.compile(r"\+?\(?\+?\d[\d().\-–]*")
PUBLISHED_NUMBER_RE = re.compile(r"\d[\d ]*\d")


def _phone_ok(candidate: str) -> bool:
    digits = sum(c.isdigit() for c in candidate)
    start = candidate.lstrip("(")
    if not start.startswith(("0", "+")) or digits > 15:
        return False
    if start.startswith("0") and not start.startswith("00"):
        # a national number of 10 or 11 digits is always a possible UK one (phonenumbers agrees,
        # at a cost: it is the engine's dearest call)
        return digits in (10, 11)
    try:
        number = phonenumbers.parse(candidate.replace("(0)", ""), "GB")
    except phonenumbers.NumberParseException:
        return False
    if number.country_code == 44:
        return phonenumbers.is_possible_number(number)
    return phonenumbers.is_valid_number(number)


def digits_of(number: str) -> str:
    return "".join(c for c in number if c.isdigit())


@cache
def published_numbers() -> frozenset[str]:
    """The digits of the helplines' numbers in data/published_numbers.txt."""
    lines = (DATA / "published_numbers.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(
        digits_of(PUBLISHED_NUMBER_RE.match(line).group())
        for line in lines
        if PUBLISHED_NUMBER_RE.match(line)
    )


def phones(text: str, keep: frozenset[str] = frozenset()) -> Iterator[Span]:
    """Runs of digits that start like a phone number (0, +, 00) and that `phonenumbers` accepts,
    but for published numbers and those in `keep` (digits only).

    A run may hold two numbers side by side; then the longest valid stretches from the left win.
    """
    kept = published_numbers() | keep
    for match in PHONE_CANDIDATE_RE.finditer(text):
        groups = [
            (match.start() + g.start(), match.start() + g.end())
            for g in PHONE_GROUP_RE.finditer(match.group())
        ]
        i = 0
        while i < len(groups):
            for j in range(len(groups) - 1, i - 1, -1):
                start, end = groups[i][0], groups[j][1]
                candidate = text[start:end].rstrip(".-–)")
                if _phone_ok(candidate):
                    digits = _national(digits_of(candidate))
                    if (
                        digits not in kept
                        and not digits.startswith(ORGANISATION_PREFIXES)
                        and not NHS_BEFORE_RE.search(text, max(0, start - 16), start)
                        and not PUBLISHED_BEFORE_RE.search(text, max(0, start - 24), start)
                    ):
                        yield start, start + len(candidate), Kind.PHONE
                    i = j
                    break
            i += 1


# Ofcom gives 03 numbers to public bodies and charities and 080 freephone numbers to
# organisations, never to a person's line: a MASH, a helpline or a charity's number is kept
# (the annotation guide keeps organisations' published numbers) even when not listed.
ORGANISATION_PREFIXES = ("03", "080")


# "(published number 020 7008 0151)": the author says it is an organisation's public number
PUBLISHED_BEFORE_RE = re.compile(
    r"(?i:published|public|main|switchboard)[ \t]+(?:phone[ \t]+)?(?:number|no\.?|line)"
    r"[ \t]*(?:is[ \t]+)?:?[ \t]*$"
)
# "NHS no. 083 016 6130": an NHS number that looks like a phone number
NHS_BEFORE_RE = re.compile(r"(?i:nhs)[ \t]*(?:no\.?|number|#)?[ \t]*:?[ \t]*$")


# "ext 4420", "101 ext. 4471": an extension reaches one person's desk (run on the lower-cased
# text); the number before it is the phones' to judge (a switchboard or 101 is kept)
EXTENSION_RE = re.compile(
    r"\bext(?:n|ension)?\.?[ \t]*(?:no\.?[ \t]*)?:?[ \t]*(?P<n>\d{3,6})(?![\d/.-]\d)"
)


def extensions(lower: str) -> Iterator[Span]:
    if "ext" in lower:
        for match in EXTENSION_RE.finditer(lower):
            yield match.start("n"), match.end("n"), Kind.PHONE


# --- NHS and National Insurance numbers ---------------------------------------------------------


def _national(digits: str) -> str:
    """0800 011 3764 as written from abroad (+44 800 011 3764, 0044 ...) or at home."""
    for prefix in ("0044", "44"):
        if digits.startswith(prefix) and len(digits) > 11:
            return "0" + digits[len(prefix) :].removeprefix("0")
    return digits


NHS_RE = re.compile(r"\d(?<![\d+]\d)\d\d([ \t-]?)(\d{3})\1(\d{4})(?!\d)")


def nhs_number_valid(digits: str) -> bool:
    """The NHS number's modulus-11 check digit."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def nhs_numbers(text: str) -> Iterator[Span]:
    for match in NHS_RE.finditer(text):
        if nhs_number_valid("".join(c for c in match.group() if c.isdigit())):
            yield match.start(), match.end(), Kind.NHS_NUMBER


# Run on the lower-cased text. Letters I, D, F, Q, U, V never appear, nor O second, nor some pairs.
NI_RE = re.compile(  # from its first letter, so the pattern is only tried at those
    r"(?:[a-ceghj-pr-tw-z](?<!\w[a-z])[a-ceghj-npr-tw-z](?<!bg|gb|nk|kn|tn|nt|zz)|q(?<!\wq)q)"
    r"[ \t-]?\d{2}[ \t-]?\d{2}[ \t-]?\d{2}(?P<suffix>[ \t-]?[a-d])?(?![\w])"
)
NI_CONTEXT_RE = re.compile(r"\b(?:ni|n\.i\.?|nino|national\s+insurance)\b")


NI_DIGITS_RE = re.compile(r"\d\d[ \t-]?\d\d[ \t-]?\d\d")


def ni_numbers(lower: str) -> Iterator[Span]:
    digits = list(NI_DIGITS_RE.finditer(lower))
    if not digits:
        return
    for match in around(NI_RE, lower, iter(digits), 3, 4):
        # Without the final letter, eight characters could be any reference: ask for context
        # (outside a label: "[NI number]" is not context).
        if match.group("suffix") or _ni_context(lower, match.start()):
            yield match.start(), match.end(), Kind.NI_NUMBER
    # "his NI number for the form: QX 48 19 62 B": after the words, the shape is enough, even
    # with letters HMRC never issues first (a typo or an invented number is still his)
    for match in around(NI_ANY_RE, lower, iter(digits), 3, 4):
        if _ni_context(lower, match.start()):
            yield match.start(), match.end(), Kind.NI_NUMBER


def _ni_context(lower: str, start: int) -> bool:
    return any(
        lower[c.start() - 1 : c.start()] != "["
        for c in NI_CONTEXT_RE.finditer(lower, max(0, start - 40), start)
    )


NI_ANY_RE = re.compile(r"\b[a-z]{2}[ \t-]?\d{2}[ \t-]?\d{2}[ \t-]?\d{2}[ \t-]?[a-d]\b")


# --- Postcodes ----------------------------------------------------------------------------------

AREAS = frozenset(
    "ab al b ba bb bd bf bh bl bn br bs bt bx ca cb cf ch cm co cr ct cv cw da dd de dg dh dl dn "
    "dt dy e ec eh en ex fk fy g gl gu gy ha hd hg hp hr hs hu hx ig im ip iv je ka kt kw ky l la "
    "ld le ll ln ls lu m me mk ml n ne ng nn np nr nw ol ox pa pe ph pl po pr rg rh rm s sa se sg "
    "sk sl sm sn so sp sr ss st sw sy ta td tf tn tq tr ts tw ub w wa wc wd wf wn wr ws wv yo "
    "ze".split()
)
# Run on the lower-cased text, from the district's first digit; the area letters are checked
# after. "Any spacing": up to three spaces between the halves, one inside the second.
POSTCODE_TAIL_RE = re.compile(
    r"\d[a-z\d]?[ \t]{0,3}(?P<digit>\d)[ \t]?(?P<unit>[abd-hjlnp-uw-z]{2})(?![\w])"
)
ORDINALS = {"1": "st", "2": "nd", "3": "rd"}


def postcodes(text: str, lower: str) -> Iterator[Span]:
    for match in POSTCODE_TAIL_RE.finditer(lower):
        start = match.start()
        area = start
        while area > 0 and start - area < 2 and "a" <= lower[area - 1] <= "z":
            area -= 1
        if area == start or lower[area:start] not in AREAS:
            continue
        if area > 0 and (lower[area - 1].isalnum() or lower[area - 1] == "_"):
            continue
        unit = text[match.start("unit") : match.end("unit")]
        if unit.islower() and ORDINALS.get(match.group("digit"), "th") == unit:
            continue  # "s1 1st": an ordinal, not a postcode
        yield area, match.end(), Kind.POSTCODE


# --- Dates --------------------------------------------------------------------------------------

MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
)
MONTH_ANY_CASE = (
    r"(?i:January|February|March|April|May|June|July|August|September|October|November|December)"
)
WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes|s)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?"
DAY = r"(?:[12]\d|3[01]|0?[1-9])"
ORD = r"(?:st|nd|rd|th)"
MONTH_NUM = r"(?:1[0-2]|0?[1-9])"
DAY_ORD = rf"{DAY}{ORD}?"
YEAR_AFTER = r"(?:,?\s+(?:\d{4}|'\d{2})(?!\d))"

NUMERIC_DATE_RE = re.compile(  # 12/03/2021, 12.3.21, 12-03-2021
    r"(?P<day>\d(?<![\d/.\-]\d)\d?)(?P<sep>[/.\-])(?P<month>\d\d?)(?P=sep)(?:\d{4}|\d{2})"
    r"(?![\d/]|[.\-]\d)"
)
ISO_DATE_RE = re.compile(
    r"\d(?<![\d\-]\d)\d{3}-(?:1[0-2]|0[1-9])-(?:[12]\d|3[01]|0[1-9])(?![\d\-])"
)
# Written months are found from the month word (in the lower-cased text), then read around.
MONTH_TRIGGER_RE = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")
# Most triggers begin another word ("decided", "marked", "junior"); only a whole month word can
# be part of a written date, so only those windows are read (fewer windows, same dates).
MONTH_WORD_RE = re.compile(rf"(?i:{MONTH})\b")
WRITTEN_DATE_RE = re.compile(
    # (Tuesday) 12th (of) March (2021), 12-14 March
    rf"(?:\b{WEEKDAY},?\s+(?:the\s+)?)?\b{DAY_ORD}(?:\s*(?:-|–|to|&|and)\s*{DAY_ORD})?"
    rf"(?:\s+of)?\s+(?i:{MONTH})\b\.?(?:{YEAR_AFTER}|\s+\d\d(?![\d:]|\.\d))?"
    # (Tuesday,) March 12th(, 2021)
    rf"|(?:\b{WEEKDAY},?\s+)?\b{MONTH}\.?[ \t]+(?:the\s+)?{DAY_ORD}\b(?![:.]\d){YEAR_AFTER}?"
    # March 2011, Sept '23: a month and its year (a year alone is kept)
    rf"|\b(?:{MONTH}\b\.?|{MONTH_ANY_CASE}\b),?\s+(?:\d{{4}}|'\d{{2}})(?!\d)"
)
WEEKDAY_DATE_RE = re.compile(  # Tuesday 12th, Monday the 3rd, Tues 12/3, weds 4th (lower-cased)
    rf"\b{WEEKDAY.lower()}\.?\s+(?:the\s+)?(?:{DAY}{ORD}\b|{DAY}/{MONTH_NUM}(?![/\d]))"
)
WEEKDAY_TRIGGER_RE = re.compile(r"(?:mon|tue|wed|thu|fri|sat|sun)")
ORDINAL_RE = re.compile(rf"\d(?<!\d\d\d)\d?{ORD}\b")
THE_BEFORE_RE = re.compile(  # on the 12th, by 3rd, review 21st (lower-cased text, before the day)
    r"\b(?:(?:on|by|until|till|from|since|before|after)\s+the|on|by|until|till|since|due|"
    r"review|reviewed|meeting|visit|seen|booked|next|appointment|appt)\s+$"
)
NOT_DAY_AFTER_RE = re.compile(r"\s+(?:floor|time|place|attempt|go|birthday|year|grade|team)\b")
DAY_SLASH_MONTH_RE = re.compile(r"(?P<day>\d(?<![\d/]\d)\d?)/(?P<month>\d\d?)(?![/\d])")
DAY_SLASH_CONTEXT_RE = re.compile(  # on 12/3, DOB 12/3 (lower-cased text, before the date)
    r"\b(?:on|dated|from|until|till|since|by|before|after|dob|d\.o\.b\.?|born|seen|visited|met|"
    r"held|review|meeting|rang|phoned|called|pasted|sent|isolation|excluded|exclusion|incident|"
    r"next|due|visit|appointment|follow[\s-]?up)"
    r"\s*:?\s*$"
)
# "Sent: Wednesday 11 February 2026 16:42": in an email's header, the time goes with the date
HEADER_LINE_RE = re.compile(r"[ \t>]*(?:Sent|Date)[ \t]*:")
TIME_AFTER_RE = re.compile(r",?[ \t]+(?:at[ \t]+)?\d{1,2}[:.]\d\d(?:[:.]\d\d)?(?![\d])")
HEADER_END_RE = re.compile(r"[ \t]*:[ \t]*(?:\n|$)")
# "on Tuesday", "since January", "Easter 2024": a day or a month of the case, after a word
# that ties it to an event
BARE_DAY_BEFORE_RE = re.compile(
    r"\b(?:on|since|by|until|till|from|last|next|this|booked|review|reviewed)[ \t]+$"
)
BARE_DAY_WORD_RE = re.compile(
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|June|July|"
    r"August|September|October|November|December|[Ww]eds|[Tt]ues|[Tt]hurs)\b"
)
# a day or a month that opens a line, then a dash: a chronology's entry (not a range, "Mon-Fri",
# nor a timetable's "Mon: football")
DAY_OR_MONTH_RE = re.compile(rf"(?:{WEEKDAY.lower()}|(?i:{MONTH}))\b\.?")
DASH_AFTER_RE = re.compile(r"[ \t]*[–—]|[ \t]+-[ \t]")
PART_OF_BEFORE_RE = re.compile(
    r"\b(?:on|by|until|till|from|since|due|before|after)[ \t]+"
    r"(?P<part>(?:the[ \t]+)?(?:end|start|beginning|middle)[ \t]+of)[ \t]+$"
)
HOLIDAY_YEAR_RE = re.compile(r"\b(?:Easter|Christmas|Whitsun)[ \t]+(?:19|20)\d\d\b")
# Welsh: "Dydd Mawrth 3 Chwefror", "Medi 2025", "dydd Iau, 5 Mawrth"
WELSH_MONTH = (
    r"(?:Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr|"
    r"Ion|Chwef|Maw|Ebr|Meh|Gorff|Aws|Hyd|Tach|Rhag)"
)
WELSH_DATE_WORDS = (
    "ydd ", "Ion", "Chwef", "Maw", "Ebr", "Mai", "Meh", "Gorff", "Aws", "Medi", "Hyd", "Tach",
    "Rhag",
)  # fmt: skip
WELSH_DATE_RE = re.compile(
    r"\b(?:[Dd]ydd[ \t]+(?:Llun|Mawrth|Mercher|Iau|Gwener|Sadwrn|Sul)\b,?(?:[ \t]+\d{1,2}"
    rf"[ \t]+{WELSH_MONTH}\b)?|\d{{1,2}}[ \t]+{WELSH_MONTH}\b(?:[ \t]+\d{{4}})?|"
    rf"{WELSH_MONTH}[ \t]+(?:19|20)\d\d\b)"
)
LINE_START_RE = re.compile(r"(?:^|\n)[ \t]*(?:[-–—•*][ \t]*)?$")
# after a date opening a line: a colon, a dash, a bracket, or the entry's first word in
# capitals ("4/11 Precious tells her form tutor")
AFTER_LINE_DATE_RE = re.compile(r"[ \t]*[:\-–—)]|[ \t]+[A-Z][a-z]")
# "text log 4/12: ...": a date heading what follows; "no concern. 8/2.": a date signing off
# the note (at its very end: "He got 7/10. 8/10." mid-note is a score)
DAY_SLASH_AFTER_RE = re.compile(r":(?![\d/])")
# ... after a word for a record (not a score: "Maths 6/10: good effort")
RECORD_BEFORE_RE = re.compile(
    r"\b(?:log|logs|note|notes|entry|update|text|message|email|call|report|app|chat|post|diary|"
    r"record)[ \t]+$"
)
SENTENCE_END_RE = re.compile(r"[.!?][ \t]+$")
NOTE_END_RE = re.compile(r"\.?\s*\Z")
# "[17/02, 21:14] Carol: ...": a message's date and time, as a phone pastes a thread
MESSAGE_TIME_AFTER_RE = re.compile(r",?[ \t]*\d{1,2}:\d\d")
BIRTH_MONTH_RE = re.compile(  # DOB: March 2010, born 03/2010 (lower-cased text)
    r"\b(?:dob|d\.o\.b\.?|date\s+of\s+birth|born(?:\s+in)?)\s*:?\s*"
    r"(?P<d>(?:january|february|march|april|may|june|july|august|september|october|november"
    rf"|december)\s+\d{{4}}|{MONTH_NUM}/\d{{4}})(?!\d)"
)


# A public event's date is no one's: "the October 7 attacks", "attacks on 7 October", "the
# summer 2024 riots"
EVENT_AFTER_RE = re.compile(r"[ \t]+(?:attacks?|massacre|bombings?|terror\s+attacks?|riots?)\b")
EVENT_BEFORE_RE = re.compile(r"\b(?:attacks?|massacre|bombings?)[ \t]+(?:on|of)[ \t]+$")


# 08/2021: a month and its year in figures
MONTH_YEAR_RE = re.compile(r"[01](?<![\w/.-][01])\d/(?:19|20)\d\d(?![\w/])")


def _day_month(match: re.Match[str]) -> bool:
    return 1 <= int(match.group("day")) <= 31 and 1 <= int(match.group("month")) <= 12


# "wk beg 18th nov", "w/c 3rd March", "week commencing 12/5": the week's words go with its date
WEEK_OF_RE = re.compile(
    r"\b(?:w/c|wc|wk\.?[ \t]*(?:beg|comm?)\w*\.?|week[ \t]+(?:beginning|commencing|starting))"
    r"[ \t]*:?[ \t]*$"
)
# "spring 2024", "the autumn term 2023": a season and its year (a year alone is kept)
SEASON_YEAR_RE = re.compile(
    r"\b(?:spring|summer|autumn|winter)(?:[ \t]+(?:half[ \t-]?)?term)?[ \t]+(?:of[ \t]+)?"
    r"(?:19|20)\d\d(?![\w/])"
)
SEASONS = ("spring", "summer", "autumn", "winter")


def dates(text: str, lower: str) -> Iterator[Span]:
    found = _dates(text, lower)
    if "w/c" in lower or "wc" in lower or "wk" in lower or "week" in lower:
        for start, end, kind in found:
            week = WEEK_OF_RE.search(lower, max(0, start - 24), start)
            yield (week.start() if week else start), end, kind
    else:
        yield from found
    if any(season in lower for season in SEASONS):
        for match in SEASON_YEAR_RE.finditer(lower):
            if not EVENT_AFTER_RE.match(lower, match.end()):
                yield match.start(), match.end(), Kind.DATE


def _dates(text: str, lower: str) -> Iterator[Span]:
    for match in NUMERIC_DATE_RE.finditer(text):
        if _day_month(match):
            end = match.end()
            # "Reply from Jo Bell, 7/11/24 16:40:": a message's header, its time with its date
            if (time := TIME_AFTER_RE.match(text, end)) and HEADER_END_RE.match(text, time.end()):
                end = time.end()
            yield match.start(), end, Kind.DATE
    for match in ISO_DATE_RE.finditer(text):
        yield match.start(), match.end(), Kind.DATE
    triggers = word_starts(MONTH_TRIGGER_RE.finditer(lower), lower)
    months = [trigger for trigger in triggers if MONTH_WORD_RE.match(lower, trigger.start())]
    for match in around(WRITTEN_DATE_RE, text, months, 40, 30):
        start, end = match.span()
        if EVENT_AFTER_RE.match(lower, end) or EVENT_BEFORE_RE.search(
            lower, max(0, start - 16), start
        ):
            continue  # "the October 7 attacks", "Hamas attacks on 7 October": a public event
        if text.endswith("the ", 0, start) and text[start].isdigit():
            start -= 4  # "the 2nd of March"
        if (
            text[end - 1].isdigit()
            and (time := TIME_AFTER_RE.match(text, end))
            and HEADER_LINE_RE.match(text, text.rfind("\n", 0, start) + 1)
        ):
            end = time.end()
        yield start, end, Kind.DATE
    weekdays = word_starts(WEEKDAY_TRIGGER_RE.finditer(lower), lower)
    for trigger in months + weekdays:
        start = trigger.start()
        word = BARE_DAY_WORD_RE.match(text, start)
        if word and BARE_DAY_BEFORE_RE.search(lower, max(0, start - 12), start):
            yield start, word.end(), Kind.DATE
        elif word and (part := PART_OF_BEFORE_RE.search(lower, max(0, start - 30), start)):
            yield part.start("part"), word.end(), Kind.DATE  # "due end of March"
        elif (
            word
            and word.group().endswith("day")
            and text.endswith(", ", 0, start)
            and not text.endswith("day, ", 0, start)  # "Monday, Tuesday.": a list of days
            and text[word.end() : word.end() + 1] in ".:"
        ):
            yield start, word.end(), Kind.DATE  # "Youth club, Tuesday.": the entry's day
        elif (
            (word := DAY_OR_MONTH_RE.match(lower, start))
            and DASH_AFTER_RE.match(lower, word.end())
            and LINE_START_RE.search(lower, max(0, start - 20), start)
        ):
            yield start, word.end(), Kind.DATE  # "Nov – mentor assigned": a chronology's entry
    if "Easter" in text or "Christmas" in text or "Whitsun" in text:
        for match in HOLIDAY_YEAR_RE.finditer(text):
            yield match.start(), match.end(), Kind.DATE
    if next(literal_triggers(text, WELSH_DATE_WORDS), None):
        for match in WELSH_DATE_RE.finditer(text):
            yield match.start(), match.end(), Kind.DATE
    for match in around(WEEKDAY_DATE_RE, lower, weekdays, 0, 25):
        yield match.start(), match.end(), Kind.DATE
    for match in ORDINAL_RE.finditer(lower):
        start = match.start()
        if (
            not lower[start - 1 : start].isdigit()
            and 1 <= int(match.group()[:-2]) <= 31
            and THE_BEFORE_RE.search(lower, max(0, start - 16), start)
            and not NOT_DAY_AFTER_RE.match(lower, match.end())
        ):
            if lower.endswith("the ", 0, start):
                start -= 4  # "on the 14th": the date is "the 14th", as "the 2nd of March"
            yield start, match.end(), Kind.DATE
    for match in DAY_SLASH_MONTH_RE.finditer(text):
        start = match.start()
        if _day_month(match) and (
            DAY_SLASH_CONTEXT_RE.search(lower, max(0, start - 20), start)
            or WEEK_OF_RE.search(lower, max(0, start - 24), start)
            or LINE_START_RE.search(text, max(0, start - 20), start)
            and AFTER_LINE_DATE_RE.match(text, match.end())
            or text[start - 1 : start] == "["
            and MESSAGE_TIME_AFTER_RE.match(text, match.end())
            or DAY_SLASH_AFTER_RE.match(text, match.end())
            and RECORD_BEFORE_RE.search(lower, max(0, start - 12), start)
            or SENTENCE_END_RE.search(text, max(0, start - 3), start)
            and NOTE_END_RE.match(text, match.end())
        ):
            yield start, match.end(), Kind.DATE
    for match in MONTH_YEAR_RE.finditer(text):
        if 1 <= int(match.group()[:2]) <= 12:
            yield match.start(), match.end(), Kind.DATE
    if "born" in lower or "dob" in lower or "d.o.b" in lower or "birth" in lower:
        for match in BIRTH_MONTH_RE.finditer(lower):
            yield match.start("d"), match.end("d"), Kind.DATE
