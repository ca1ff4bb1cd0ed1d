"""Schools: full names, faith, alternative-provision and Welsh-medium forms, and short forms."""

from __future__ import annotations

import re
from collections.abc import Iterator

from casenotes.redaction.lexicon import FIRST, KEEP, NAME, STOP, TITLES, fold, lexicon
from casenotes.redaction.places.addresses import FUNCTION_WORDS, STREETS
from casenotes.redaction.places.initials import school_initials
from casenotes.redaction.result import Kind
from casenotes.redaction.scan import Span, around, literal_triggers, word_starts, word_triggers

SCHOOL_NOUNS = (
    "School|Academy|College|Primary|High|Grammar|Infants|Juniors|Nursery|PRU|UTC|University|"
    "Madrasa|Madrassa|Madrasah|Madressa|Institute|Pupil\\s+Referral\\s+Unit|"
    "Sixth\\s+Form\\s+(?:Centre|College)|Sixth\\s+Form|AP|Comprehensive|ESOL\\s+Centre|"
    "Infant\\s+(?:&|and)\\s+Junior|"
    "Alternative\\s+Provision|Learning\\s+Centre|Education\\s+Centre|Tuition\\s+Centre|RC|CE|"
    "C\\s?of\\s?E"
)
SCHOOL_NOUN = (
    r"(?:(?:Primary|Junior|Infant|Infants|High|Secondary|Grammar|Free|Studio|Community|Church|"
    r"Catholic|Methodist|Islamic|Muslim|Jewish|Sikh|Boys'?|Girls'?|Prep|Preparatory|Independent|"
    r"Special|Middle|Upper|Nursery|Technical|Sixth\s+Form|C\s?of\s?E|CE|RC)\s+)*"
    rf"(?:{SCHOOL_NOUNS})\b"
)
SCHOOL_TRIGGER_RE = re.compile(rf"(?:{SCHOOL_NOUNS})\b")
# "Whalley Range 11-18 High School": a range of ages may stand in a school's name
SCHOOL_WORD = r"(?:St\.?|Saint|[A-Z][\w'’]*(?:-[A-Za-z][\w'’]*)*|\d{1,2}[-–]\d{2})"
SCHOOL_RE = re.compile(
    # "Our Lady of the Dunes": "of the" may join a name's words
    rf"\b(?P<name>(?:{SCHOOL_WORD}[ \t]+(?:(?:(?:of|on|upon|in)[ \t]+the|of|the|and|&|on|upon|in)"
    rf"[ \t]+)?){{1,5}})"
    rf"(?P<noun>{SCHOOL_NOUN})(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*)?)?"
    r"(?:\s+(?:Academy\s+)?Trust)?(?P<place>(?:\s+[A-Z][a-z'’-]+){1,2})?"
)
TWO_SCHOOLS_RE = re.compile(rf"(?:{SCHOOL_NOUNS})(?P<and>\s+(?:and|&)\s+)")
UNIVERSITY_OF_RE = re.compile(
    r"\bUniversity\s+of\s+(?:the\s+)?[A-Z][\w'’]*(?:\s+(?:and\s+)?[A-Z][\w'’]*)?"
)
GENERIC_SCHOOL_WORDS = frozenset(
    "primary junior infant infants high secondary grammar free studio community church catholic "
    "methodist islamic muslim jewish sikh boys girls prep preparatory independent special middle "
    "upper lower nursery technical sixth form c of e ce rc school academy college university "
    "madrasa madrassa madrasah madressa institute pupil referral unit trust local new the and "
    "on upon in".split()
)  # fmt: skip


def _school_start(name: str) -> int | None:
    """Where the school's own name starts in `name` ("at Parkside " -> at "Parkside"), or None
    when nothing distinctive is left ("The Primary ", "Amira's ")."""
    words = name.split()
    flags = lexicon().flags
    skip = 0
    while skip < len(words) and fold(words[skip]) in FUNCTION_WORDS:
        skip += 1
    if skip and words[skip - 1] == "Our" and words[skip : skip + 1] == ["Lady"]:
        skip -= 1  # Our Lady of Lourdes
    rest = words[skip:]
    if not any(fold(w.rstrip(".")) not in GENERIC_SCHOOL_WORDS for w in rest):
        return None
    if "of" in rest and (  # "Head of the Sixth Form", "Mr Cole of the Academy": a role, a person
        fold(rest[0].rstrip(".")) in TITLES or fold(rest[rest.index("of") - 1]) in ROLES_OF
    ):
        return None
    for index, word in enumerate(rest):
        # "Amira's School" is a child's school, not a school's name; "Queen Elizabeth's" is one.
        if word.endswith(("'s", "’s")) and flags.get(fold(word[:-2]), 0) & FIRST:
            if index == 0 or not (
                HONORIFICS & {fold(w.rstrip(".")) for w in rest[max(0, index - 2) : index]}
            ):
                return None
    offset = 0
    for word in words[:skip]:
        offset = name.index(word, offset) + len(word)
    return name.index(rest[0], offset)


def _place_after_academy(place: str | None) -> bool:
    """ "Outwood Academy Ossett": a trust's academy named with its town."""
    if not place:
        return False
    flags = lexicon().flags
    return all(not flags.get(fold(w), 0) & (NAME | STOP) for w in place.split())


# Welsh-medium schools name themselves first: Ysgol Gyfun Cwm Rhondda, Ysgol y Strade.
YSGOL_RE = re.compile(
    r"\b(?:Ysgol|Coleg)(?:[ \t]+(?:(?:yr|y|Yr|Y|ac|ar|a)(?![\w'’])|"
    r"[A-Z][\w'’]*(?:-[A-Za-z][\w'’]*)*)){1,5}"
)
# Bishop Wardle, Cardinal Hume: a church school named for a cleric, after a word of schooling.
CLERIC_SCHOOL_RE = re.compile(
    r"\b(?:attends|attended|attending|at|joined|left|from|to|pupils?|students?|staff|excluded)"
    r"\s+(?P<school>(?:Bishop|Archbishop|Cardinal|Canon|Blessed|Pope)\s+[A-Z][\w'’]*"
    r"(?:\s+[A-Z][\w'’]*)?)\b(?!\s+(?:said|says|told|asked|explained))"
    # "Bishop Wardle staff raised it": before the school's people
    r"|\b(?P<before>(?:Bishop|Archbishop|Cardinal|Canon)\s+[A-Z][\w'’]*)\s+(?=(?:staff|pupils|"
    r"students|teachers|DSL|SENCO|head\s*teacher|school)\b)"
)
# "Next steps with Denefield DSL": a school's own name before its safeguarding lead, SENCo or
# head (the name's words must be neither names, kept places nor stop words).
STAFF_AFTER_RE = re.compile(
    r"\b(?!(?:The|Our|Their|His|Her|School|Academy|College|Primary|Lead|Deputy)\b)"
    r"(?P<school>[A-Z][a-z][\w'’-]+(?:[ \t]+[A-Z][a-z][\w'’-]+)?)[ \t]+"
    r"(?:D?DSL|SENCO|SENCo|[Hh]ead\s*teacher|[Hh]ead\s+of\s+[Yy]ear)\b"
)
STAFF_TRIGGERS = ("DSL", "SENCO", "SENCo", "eadteacher", "ead teacher", "ead of")
# "School: Manningham Green" (a form's field); "Ms Hope (teacher, Ashgrove)", "(Head of Year 8,
# Willow Park)"; "teacher Miss Rahman from Elmfield Park": where only a school can be meant.
SCHOOL_ROLE = (
    r"(?i:teacher|form[ \t]+tutor|tutor|head[ \t]*teacher|head[ \t]+of[ \t]+year(?:[ \t]+\d{1,2})?|"
    r"d?dsl|senco|pastoral[ \t]+(?:lead|manager)|teaching[ \t]+assistant)"
)
SCHOOL_NAME = r"(?P<school>[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){0,2})"
# Each is tried from its own trigger.
SCHOOL_FIELD_VALUE_RE = re.compile(
    rf"(?im:^[ \t]*(?:[-•*][ \t]*)?school[ \t]*:[ \t]*){SCHOOL_NAME}[ \t]*(?=\n|\Z)"
)
FIELD_TRIGGER_RE = re.compile(r"school[ \t]*:")
OWNER_BEFORE_RE = re.compile(r"(?:['’]s|\b(?:[Hh]is|[Hh]er|[Tt]heir))[ \t]+$")
OWNED_FIELD_RE = re.compile(rf"(?i:school)[ \t]*:[ \t]*{SCHOOL_NAME}(?=[ \t]*(?:[.;\n]|$))")
ROLE_BRACKET_RE = re.compile(rf"\({SCHOOL_ROLE}[ \t]*,[ \t]*{SCHOOL_NAME}\)")
ROLE_BRACKET_TRIGGER_RE = re.compile(
    r"\((?i:teacher|form|tutor|head|d?dsl|senco|pastoral|teaching)"
)
# "teacher Miss Rahman from Elmfield Park": read back from " from " to the teacher
TEACHER_BEFORE_RE = re.compile(
    rf"\b{SCHOOL_ROLE}[ \t]+(?:Mr|Mrs|Miss|Ms|Mx|Dr)\.?[ \t]+[A-Z][\w'’-]*$"
)
NAME_AT_RE = re.compile(SCHOOL_NAME)
# a title, a surname and "from" then a capital: found from the title (a literal start)
TITLED_FROM_RE = re.compile(
    r"(?:Mr|Mrs|Miss|Ms|Mx|Dr)\.?[ \t]+(?P<name>[A-Z][\w'’-]*)[ \t]+from[ \t]+(?=[A-Z])"
)
# "started at Cotteridge Girls'": a girls' or boys' school by its short name, read back
GIRLS_BOYS_BEFORE_RE = re.compile(r"\b[A-Z][\w’-]*(?:[ \t]+[A-Z][\w’-]*)?[ \t]+$")
SCHOOL_AT_RE = re.compile(r"(?P<school>[^\n]+)")
GIRLS_BOYS_TRIGGERS = ("Girls'", "Girls’", "Boys'", "Boys’")
# "goes to St Oswin's": a saint's name alone, where a child goes to school (not a church or a
# hospital named after it).
SAINT_SCHOOL_RE = re.compile(
    r"\b(?:attends|attended|attending|goes\s+to|went\s+to|go\s+to|moved\s+to|joined|left|"
    r"from|pupils?\s+at|students?\s+at|staff\s+at|start(?:s|ed)?\s+at|transferred\s+to)"
    r"\s+(?P<school>(?:St\.?|Saint)\s+[A-Z][\w’'-]*['’]s?)(?![\w’'-])"
    r"(?!\s+(?:Hospital|Church|Hospice|Road|Street|Park|Centre|Clinic|Ward|Surgery|Cathedral))"
)
# "excluded from Westfield", "on roll at Park View", "the Beacon Centre (AP)": a school's own
# name where only a school can be meant.
SCHOOL_CONTEXT_RE = re.compile(
    r"(?i:excluded\s+from|exclusion\s+from|on\s+roll\s+at|dual[\s-]registered\s+(?:at|with)|"
    r"managed\s+move\s+to|transferred\s+to|pupils?\s+at|students?\s+at|teachers?\s+at|"
    r"staff\s+at|excl\.?\s+from|counsellor\s+at|key\s*worker\s+at|"
    r"head\s*teacher\s+at|head\s+of\s+year\s+at|d?dsl\s+at|senco\s+at|tutor\s+at|school\s+at)"
    r"\s+(?:the\s+)?"
    r"(?P<school>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})"
)
SCHOOL_CONTEXT_TRIGGERS = (
    "excluded", "exclusion", "on roll", "registered", "managed move", "transferred", "pupil at",
    "pupils at", "student at", "students at", "teacher at", "teachers at", "headteacher at",
    "head teacher at", "head of year at", "dsl at", "ddsl at", "senco at", "tutor at",
    "staff at", "excl", "counsellor at", "key worker at", "keyworker at", "school at",
)  # fmt: skip
NOT_SCHOOLS = frozenset(
    "maths math english science history geography art music drama french spanish german welsh "
    "urdu arabic computing pe re rs technology design dt ict biology chemistry physics lessons "
    "lesson class classes year form school schools college the trip trips".split()
)
AP_RE = re.compile(r"(?P<school>(?:[A-Z][\w'’-]*\s+){1,3})\((?:AP|PRU|alternative\s+provision)\)")
AP_TRIGGERS = ("(AP)", "(PRU)", "(alternative")
# "PRU (Highfield Centre)": the provision named in brackets after its kind
AP_BRACKET_RE = re.compile(
    r"(?:PRU|AP|[Aa]lternative\s+[Pp]rovision)[ \t]*\((?P<school>[A-Z][\w'’-]*"
    r"(?:[ \t]+[A-Z][\w'’-]*){0,3})\)"
)
AP_BRACKET_TRIGGER_RE = re.compile(r"(?:PRU|AP|rovision)[ \t]*\(")
SAINT_TRIGGER_RE = re.compile(r"S(?:t\b|aint\s)")
CLERIC_TRIGGER_RE = re.compile(r"(?:Bishop|Archbishop|Cardinal|Canon|Blessed|Pope)\s")
ROLES_OF = frozenset(
    "head heads deputy director chair principal governor governors teacher teachers pupil "
    "pupils student students staff member members leader manager lead".split()
)
HONORIFICS = frozenset(
    "st saint queen king prince princess sir lady dame lord duke duchess bishop archbishop "
    "cardinal".split()
)


# "in year 9 at harrowdene academy": in a note typed in lower case, a school's name in lower
# case, after a word of going to school and before a school noun as written.
LOWER_SCHOOL_TRIGGERS = ("academy", "primary", "school", "college", "high")
LOWER_SCHOOL_BEFORE_RE = re.compile(
    r"(?:\b(?:at|from|to|attends|attending|attended|joined|joining|left|leaving|school[ \t]+is)|"
    r"\b[yY](?:ear[ \t]*)?\d{1,2},?)[ \t]+(?:the[ \t]+)?"
    r"(?P<name>(?:[A-Za-z][\w'’-]*\.?[ \t]+){1,4})$"
)
# "at bridgewater high –", not "at very high risk"
HIGH_END_RE = re.compile(r"[ \t]*(?:[^\w \t]|$|school\b)")
# Kinds of school and words of going to one, never a school's own name ("at forest school",
# "at the local primary", "to attend college").
NOT_SCHOOL_NAMES = frozenset(
    "local nearby new old previous former current same another other different mainstream "
    "village big main partner feeder senior comprehensive alternative residential boarding "
    "private state faith day night summer sunday holiday weekend breakfast after forest home "
    "driving dance drama language music football sports secondary further education fe "
    "attend leave start finish change miss return skip avoid hate hates enjoy love like get go "
    "take do".split()
)


LOWER_SCHOOL_SKIP = FUNCTION_WORDS | NOT_SCHOOL_NAMES
FIRST_LETTER_RE = re.compile(r"[^\W\d_]")
SENTENCE_FIRST_LETTER_RE = re.compile(r"(?m)(?:^|[.!?][ \t]+)[\W\d_]*([^\W\d_])")


def lower_case_note(text: str) -> bool:
    """Most sentences begin in lower case: a note typed in a hurry."""
    firsts = SENTENCE_FIRST_LETTER_RE.findall(text)
    return sum(letter.islower() for letter in firsts) * 2 > len(firsts)


def _lower_case_schools(text: str) -> Iterator[Span]:
    first = FIRST_LETTER_RE.search(text)
    if first is None or first.group().isupper():
        return  # a note typed in lower case begins in lower case
    flags = lexicon().flags
    lower_note = None
    for trigger in word_triggers(text, LOWER_SCHOOL_TRIGGERS):
        start = trigger.start()
        before = text[max(0, start - 24) : start].split()
        if not before or fold(before[-1]) in LOWER_SCHOOL_SKIP:
            continue  # "at school", "the local primary": no name just before the noun
        if trigger.group() == "high" and not HIGH_END_RE.match(text, trigger.end()):
            continue
        match = LOWER_SCHOOL_BEFORE_RE.search(text, max(0, start - 60), start)
        # "year 9 at harrowdene academy": the name starts after the last word of schooling
        while match and fold(match.group("name").split()[0]) in FUNCTION_WORDS:
            match = LOWER_SCHOOL_BEFORE_RE.search(text, match.start("name"), start)
        if match is None:
            continue
        words = [fold(word.rstrip(".")) for word in match.group("name").split()]
        distinctive = [word for word in words if word not in GENERIC_SCHOOL_WORDS]
        if not distinctive or any(
            word in FUNCTION_WORDS or word in NOT_SCHOOL_NAMES or flags.get(word, 0) & STOP
            for word in distinctive
        ):
            continue
        if lower_note is None:
            lower_note = lower_case_note(text)
        if lower_note:
            yield match.start("name"), trigger.end(), Kind.SCHOOL


def schools(text: str, lower: str) -> Iterator[Span]:
    found = list(_named_schools(text, lower))
    found += _lower_case_schools(text)
    yield from found
    yield from _short_forms(text, found)
    if found:
        yield from school_initials(text, found)


def _schools_in_context(text: str, lower: str) -> Iterator[Span]:
    flags = lexicon().flags
    found = around(
        SCHOOL_CONTEXT_RE,
        text,
        word_triggers(lower, SCHOOL_CONTEXT_TRIGGERS),
        0,
        60,
    )
    ap = around(AP_RE, text, literal_triggers(text, AP_TRIGGERS), 60, 30) if "(" in text else ()
    bracketed = (
        list(_ap_brackets(text))
        if "(" in text and ("PRU" in text or "AP" in text or "rovision" in text)
        else ()
    )
    staff = around(STAFF_AFTER_RE, text, literal_triggers(text, STAFF_TRIGGERS), 40, 20)
    staff = [match for match in staff if _school_not_person(text, match, flags)]
    placed = list(_school_places(text, lower))
    for match in (*found, *ap, *bracketed, *staff, *placed):
        start, end = match.span("school")
        words = text[start:end].split()
        # "key worker at The Orchard": a capital "The" after the context is the name's
        if fold(words[0]) in FUNCTION_WORDS and not (words[0] == "The" and len(words) > 1):
            start = text.index(words[1], start) if len(words) > 1 else end
            words = words[1:]
        if match.re is AP_RE:
            end = match.end()
        folded = [fold(w) for w in words[1:] if words[0] == "The"] or [fold(w) for w in words]
        if (
            not folded
            or folded[0] in NOT_SCHOOLS
            or all(flags.get(w, 0) & (KEEP | STOP) or w in FUNCTION_WORDS for w in folded)
        ):
            continue  # "excluded from Leeds", "excluded from Maths", "pupil at The"
        yield start, end, Kind.SCHOOL


PREVIOUS_WORD_RE = re.compile(r"([\w.'’-]+)[ \t]+$")


def _school_not_person(text: str, match: re.Match[str], flags: dict[str, int]) -> bool:
    """ "Denefield DSL" names a school; "Mrs Oduya DSL", "Jo Pickering DSL" name a person: no
    name word, nor a title or a capitalised word just before."""
    start, end = match.span("school")
    if any(flags.get(fold(word), 0) & NAME for word in text[start:end].split()):
        return False
    before = PREVIOUS_WORD_RE.search(text, max(0, start - 20), start)
    return before is None or not (
        before.group(1)[0].isupper() or fold(before.group(1).rstrip(".")) in TITLES
    )


def _ap_brackets(text: str) -> Iterator[re.Match[str]]:
    for trigger in AP_BRACKET_TRIGGER_RE.finditer(text):
        start = trigger.start()
        if start > 0 and text[start - 1].isalnum() and text[start] != "r":
            continue
        if text.startswith("rovision", start):
            start = text.rfind("lternative", max(0, start - 16), start) - 1
            if start < 0:
                continue
        if match := AP_BRACKET_RE.match(text, start):
            yield match


def _school_places(text: str, lower: str) -> Iterator[re.Match[str]]:
    """Schools named where only a school can be meant: a form's field, a teacher's bracket
    or "from" after a teacher's name, a girls' or boys' school's short name."""
    fields = FIELD_TRIGGER_RE.finditer(lower) if ":" in text and "school" in lower else ()
    for field in fields:  # a field opens its line: match there
        line = text.rfind("\n", 0, field.start()) + 1
        if not text[line : field.start()].strip(" \t-•*"):
            if match := SCHOOL_FIELD_VALUE_RE.match(text, line):
                yield match
        elif OWNER_BEFORE_RE.search(text, max(0, field.start() - 8), field.start()):
            # "Amira's school: Fernlea Park." in a sentence, up to its end
            if match := OWNED_FIELD_RE.match(text, field.start()):
                yield match
    if "(" in text:
        for trigger in ROLE_BRACKET_TRIGGER_RE.finditer(text):
            if match := ROLE_BRACKET_RE.match(text, trigger.start()):
                yield match
    for name in TITLED_FROM_RE.finditer(text) if " from " in text else ():
        if TEACHER_BEFORE_RE.search(text, max(0, name.start() - 40), name.end("name")):
            if match := NAME_AT_RE.match(text, name.end()):
                yield match
    for word in GIRLS_BOYS_TRIGGERS if "Girls" in text or "Boys" in text else ():
        at = text.find(word)
        while at != -1:
            end = at + len(word)
            before = GIRLS_BOYS_BEFORE_RE.search(text, max(0, at - 40), at)
            if before and (end == len(text) or not text[end].isalnum()):
                yield SCHOOL_AT_RE.match(text, before.start(), end)
            at = text.find(word, end)


def _short_forms(text: str, found: list[Span]) -> Iterator[Span]:
    """ "Harrowfield Academy ... staff at Harrowfield": the distinctive words of a school found,
    wherever else they stand alone (with a capital, as written)."""
    flags = lexicon().flags
    shorts = set()
    for start, end, _ in found:
        words = SHORT_WORD_RE.findall(text, start, end)
        # "Ysgol Gyfun Cwm Aran ... at Cwm Aran": a Welsh school's own name follows its kind
        while len(words) > 1 and fold(words[0]) in WELSH_SCHOOL_WORDS:
            words = words[1:]
        lead = []
        for word in words:
            folded = fold(word.removesuffix("'s").removesuffix("’s"))
            if folded in GENERIC_SCHOOL_WORDS or folded in FUNCTION_WORDS:
                break
            lead.append(word)
        if not lead or fold(lead[0]) in ("st", "saint") and len(lead) == 1:
            continue
        short = " ".join(lead)
        if len(lead) == 1 and (len(short) < 4 or flags.get(fold(short), 0) & (STOP | KEEP)):
            continue
        shorts.add(short)
    for short in sorted(shorts, key=len, reverse=True):
        size = len(short)
        at = text.find(short)
        while at != -1:  # str.find: a pattern made for each text would be compiled each time
            end = at + size
            if (
                (at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "_'’-"))
                and (end == len(text) or not (text[end].isalnum() or text[end] in "_-"))
                and not _town_here(text, at, end)
            ):
                yield at, end, Kind.SCHOOL
            at = text.find(short, end)


# "Ossett Academy ... 22 Dale Street, Ossett WF5": a school named for its town, where the town
# is meant (after a street, "in" or "near", or before a postcode). Read from the words before it:
# a pattern searched backwards from the name would try every position of the window.
STREET_TYPES = frozenset(word.lower() for word in STREETS.split("|"))
DIRECTIONS = frozenset("north south east west upper lower".split())
TOWN_PREPOSITIONS = frozenset("in near around outside".split())
TOWN_AFTER_RE = re.compile(r",?\s*[A-Z]{1,2}\d")
SENTENCE_START_RE = re.compile(r"(?:^|[.!?:;\n(\"“‘•*-])\s*$")


def _town_here(text: str, start: int, end: int) -> bool:
    if TOWN_AFTER_RE.match(text, end):
        return True
    before = text[max(0, start - 40) : start]
    head = before.rstrip()
    if head.endswith(","):
        words = head[:-1].split()
        if words and words[-1].lower() in DIRECTIONS:
            words.pop()
        return bool(words) and words[-1].rstrip(".").lower() in STREET_TYPES
    words = head.split()
    return (
        len(head) < len(before)
        and bool(words)
        and (words[-1].lstrip("(\"'“‘").lower() in TOWN_PREPOSITIONS)
    )


SCHOOL_FIELD_RE = re.compile(r"(?i:school)[ \t]*:[ \t]*$")  # "School: The Nicolson Institute"
WELSH_SCHOOL_WORDS = frozenset("ysgol coleg gyfun gynradd uwchradd gymraeg babanod iau".split())
SHORT_WORD_RE = re.compile(r"[A-Za-z][\w'’]*(?:-[A-Za-z][\w'’]*)*")


def _named_schools(text: str, lower: str) -> Iterator[Span]:
    if "Ysgol" in text or "Coleg" in text:
        for match in YSGOL_RE.finditer(text):
            end = match.end()
            # trailing lower-case words ("Ysgol Gyfun Bro Taf yn ...") are not the name
            while not text[end - 1 : end].isupper() and text[match.start() : end].count(" ") > 1:
                last = text.rfind(" ", match.start(), end)
                if text[last + 1].isupper():
                    break
                end = last
            yield match.start(), end, Kind.SCHOOL
    for match in around(CLERIC_SCHOOL_RE, text, CLERIC_TRIGGER_RE.finditer(text), 12, 60):
        group = "school" if match.group("school") else "before"
        yield match.start(group), match.end(group), Kind.SCHOOL
    for match in around(SAINT_SCHOOL_RE, text, SAINT_TRIGGER_RE.finditer(text), 22, 40):
        yield match.start("school"), match.end("school"), Kind.SCHOOL
    yield from _schools_in_context(text, lower)
    for match in around(
        SCHOOL_RE, text, word_starts(SCHOOL_TRIGGER_RE.finditer(text), text), 110, 60
    ):
        name = match.group("name")
        start = _school_start(name)
        if start is None:
            continue
        end = match.end()
        if match.group("place") and not (
            match.group("noun") == "Academy" and _place_after_academy(match.group("place"))
        ):
            end = match.start("place")
        start += match.start("name")
        # "at The Orchard School": a capital "The" mid-sentence is part of the name
        if text.endswith("The ", 0, start) and (
            not SENTENCE_START_RE.search(text, max(0, start - 12), start - 4)
            or SCHOOL_FIELD_RE.search(text, max(0, start - 14), start - 4)
        ):
            start -= 4
        # "Parkside Academy and Leeds City College" are two schools
        for both in TWO_SCHOOLS_RE.finditer(text, start, end):
            yield start, both.start("and"), Kind.SCHOOL
            start = both.end()
        yield start, end, Kind.SCHOOL
    if "University" in text:
        for match in UNIVERSITY_OF_RE.finditer(text):
            yield match.start(), match.end(), Kind.SCHOOL
