"""Identifiers that are no one's name but point at one family: vehicle registrations, the
reference numbers of local systems (a case, a pupil, a crime, a Mosaic record) and small named
places a person can be found at (a parent's employer, a children's home, a club). All are
redacted as OTHER."""

from __future__ import annotations

import re
from collections.abc import Iterator

from casenotes.redaction.lexicon import KEEP, STOP, WORD_RE, fold, lexicon
from casenotes.redaction.result import Kind
from casenotes.redaction.scan import Span, around, literal_triggers, word_triggers

# Current plates (AB12 CDE): two letters, the age digits, three letters. I, Q and Z never begin
# one; the last three never hold I or Q. In capitals anywhere, in lower case after a vehicle word.
PLATE_RE = re.compile(r"[A-HJ-PR-Y](?<![\w-][A-HJ-PR-Y])[A-HJ-PR-Y]\d\d ?[A-HJ-PR-Z]{3}(?![\w-])")
# Older plates (A123 BCD, ABC 123D) are only plates after a vehicle word.
VEHICLE_WORDS = (
    r"(?:reg(?:istration)?(?:\s+(?:no\.?|number|plate))?|number\s*plate|plate|vrm|vehicle|car|"
    r"van|motorbike|moped|taxi)"
)
PLATE_AFTER_WORD_RE = re.compile(
    rf"\b{VEHICLE_WORDS}\b[^\n.;]{{0,30}}?(?<![\w-])(?P<plate>[a-z]{{2}}\d\d ?[a-z]{{3}}|"
    r"[a-z]\d{1,3} ?[a-z]{3}|[a-z]{3} ?\d{1,3}[a-z])(?![\w-])"
)
# A reference after the word that names it: "ref 123456", "case number: CS-2023-0042",
# "Mosaic ID 998877", "UPN A123456789012". Run on the lower-cased text.
REFERENCE_RE = re.compile(
    r"\b(?:ref(?:erence)?|case|crime|incident|log|cad|occurrence|pupil|student|candidate|"
    r"mosaic|lcs|liquidlogic|eclipse|cpoms|referral|record|file|client|patient|hospital|"
    r"upn|uln|id|badge|collar|warrant|ehcp|lado|mash|yos|yjs|pnc|cin|channel|tenancy|account|"
    r"membership|claim)"
    r"\.?(?:\s+(?:ref(?:erence)?|no|num|number|id|identifier|record|file)\b)?\.?"
    r"\s*(?:is|was|:|#|=|-|–)?\s*(?P<ref>(?:(?P<prefix>[a-z]{1,4})[ \t])?"
    r"(?=[a-z/-]*\d)[a-z0-9][a-z0-9/-]{2,24}[a-z0-9])(?![\w/])"
)
REFERENCE_WORDS = tuple(
    "ref reference case crime incident log cad occurrence pupil student candidate mosaic lcs "
    "liquidlogic eclipse cpoms referral record file client patient hospital upn uln id badge "
    "collar warrant "
    "ehcp lado mash yos yjs pnc cin channel tenancy account membership claim".split()
)
DIGIT_AFTER_RE = re.compile(r"[ \t]\d")
YEAR_RE = re.compile(r"(?:19|20)\d\d(?:[/-](?:19|20)?\d\d)?")


VEHICLE_TRIGGERS = (
    "reg",
    "plate",
    "vrm",
    "vehicle",
    "car",
    "van",
    "motorbike",
    "moped",
    "taxi",
    "number plate",
)
DIGITS_RE = re.compile(r"\d\d")
# "reg partly BD70 ...", "plate started KX6…": the first half of a current plate, said to be
# only part of one (a word or the dots after it); run on the lower-cased text
PARTIAL_PLATE_RE = re.compile(
    rf"\b{VEHICLE_WORDS}\b[^\n.;]{{0,30}}?(?<![\w-])(?P<plate>[a-hj-pr-y]{{2}}\d\d)"
    r"(?P<mark>[ \t]*(?:\.{2,}|…|\?+|\*+|_{2,}))?(?![\w-])"
)
PARTIAL_WORDS_RE = re.compile(r"\b(?:partial|partly|part|half|began|begins|beginning|start\w*)\b")


def plates(text: str, lower: str) -> Iterator[Span]:
    for match in PLATE_RE.finditer(text):
        yield match.start(), match.end(), Kind.OTHER
    triggers = word_triggers(lower, VEHICLE_TRIGGERS)
    for match in around(PLATE_AFTER_WORD_RE, lower, triggers, 0, 60):
        start, end = match.span("plate")
        if text[start:end].isupper() or text[start:end].islower():
            yield start, end, Kind.OTHER
    for match in around(PARTIAL_PLATE_RE, lower, triggers, 0, 60):
        start, end = match.span("plate")
        said = PARTIAL_WORDS_RE.search(lower, match.start(), start)
        if (match.group("mark") or said) and text[start:end].isupper():
            yield start, match.end(), Kind.OTHER


# The words that name a reference go with it ("CSC ref 2026/04417", "Sussex Police ref ...",
# "Mosaic case 884213"): a system's or an agency's acronym, or one of these words.
LABEL_WORDS = frozenset(
    "ref reference case crime incident log cad mosaic lcs liquidlogic eclipse cpoms police "
    "custody misper prevent channel".split()
)
# "NPCC 26/19044", "LCS 77812": an acronym then a number of five digits or more; "custody
# TH/26/3341", "logged CLE-26-06734": letters and numbers in groups, the shape of a reference.
# Found from the number (a pattern from a digit is quick), then read back.
NUMBER_RE = re.compile(r"\d(?<!\w\d)[\d/-]{3,14}\d(?:/?[A-Z]{1,5}\d*)?(?![\w/-])")
ACRONYM_BEFORE_RE = re.compile(r"(?<![\w])(?P<label>[A-Z]{2,6})[ \t]+$")
# "PREV-NW-2024-1187", "WL/SG/04417": up to three groups of capitals before the number
SHAPE_BEFORE_RE = re.compile(r"(?<![\w/-])(?P<groups>[A-Z]{1,5}[-/]){1,3}$")
DATE_SHAPE_RE = re.compile(r"\d{1,2}([/.-])\d{1,2}\1\d{2,4}")
NOT_REFERENCE_LABELS = frozenset("NHS NI NINO DOB TEL MOB GP KS AM PM".split())
EXHIBIT_RE = re.compile(
    r"[Ee]xhibits?(?:[ \t]+(?:ref|no)\.?)?[ \t]*:?[ \t]*(?P<ref>[A-Z]{2,4}/\d{1,3})(?![\w/])"
)
# "PC 4471 Hollis": a police officer's collar number
COLLAR_RE = re.compile(r"\b(?:PC|PCSO|DC|DS|PS|Sgt)[ \t]+(?P<n>\d{3,5})\b")
NAME_AFTER_COLLAR_RE = re.compile(r"[ \t]+[A-Z][a-z]")
# "PC Lowe 4412", "PC Ellie Shaw 2290": the collar number after the officer's name
COLLAR_AFTER_NAME_RE = re.compile(
    r"\b(?:PC|PCSO|DC|DS|PS|Sgt)[ \t]+[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)?[ \t]+"
    r"(?P<n>\d{3,5})\b(?![ \t]*(?:[:/.-]\d|[ \t]\d))"
)


def _label_start(text: str, start: int) -> int:
    """Where the words naming the reference at `start` begin (at most three words back)."""
    if start > 1 and text[start - 1] == "#":  # "CPOMS #44812": the "#" goes with its label
        label = _label_start(text, start - 1)
        return label if label < start - 1 else start
    for _ in range(3):
        end = len(text[:start].rstrip(" \t"))
        if end == start:
            break
        begin = end
        while begin > 0 and (text[begin - 1].isalnum() or text[begin - 1] in "'’-_"):
            begin -= 1
        word = text[begin:end]
        if not word or begin > 0 and not (text[begin - 1].isspace() or text[begin - 1] in "(,;:"):
            break
        if not (word.lower() in LABEL_WORDS or word.isupper() and 2 <= len(word) <= 6):
            # "Sussex Police ref": the force's place before "Police"
            if word[0].isupper() and text.startswith("Police", start):
                start = begin
            break
        start = begin
    return start


def references(text: str, lower: str, labels: list[re.Match[str]]) -> Iterator[Span]:
    """`labels`: word_triggers(lower, REFERENCE_WORDS), found with other scans'."""
    for match in around(REFERENCE_RE, lower, labels, 0, 50):
        # "Home Office ref HO B1290554": a system's letters in capitals may come before the
        # number; "case in 2023" is none, "Mosaic case 884213" is read again from "case"
        if match.group("prefix") and not text[match.start("ref") : match.end("prefix")].isupper():
            match = REFERENCE_RE.match(lower, match.start("prefix"))
            if match is None or match.group("prefix"):
                continue
        reference = match.group("ref")
        if match.group("prefix"):
            reference = reference[len(match.group("prefix")) + 1 :]
        digits = sum(c.isdigit() for c in reference)
        # a year, a school year or a count is no reference ("case 2023", "pupil 14"), nor a
        # date ("DSL log 15/03/26": the log's date)
        if digits < 4 or YEAR_RE.fullmatch(reference) or DATE_SHAPE_RE.fullmatch(reference):
            continue
        if reference[0] == "0" and reference.isdigit() and DIGIT_AFTER_RE.match(text, match.end()):
            continue  # "MASH number is 0300 123 4567": a phone's first group, read as a phone
        yield _label_start(text, match.start("ref")), match.end("ref"), Kind.OTHER
    for match in NUMBER_RE.finditer(text):
        reference, start = match.group(), match.start()
        if sum(c.isdigit() for c in reference) < 5 or YEAR_RE.fullmatch(reference):
            continue
        if shape := SHAPE_BEFORE_RE.search(text, max(0, start - 18), start):
            groups = sum(c in "-/" for c in shape.group())
            if "-" in reference or "/" in reference or groups > 1:
                yield shape.start(), match.end(), Kind.OTHER
            continue
        acronym = ACRONYM_BEFORE_RE.search(text, max(0, start - 8), start)
        if (
            acronym
            and acronym.group("label") not in NOT_REFERENCE_LABELS
            and not (reference.isdigit() and reference[0] == "0")  # a phone's first part
            and not DATE_SHAPE_RE.fullmatch(reference)  # "HOME VISIT 18/04/24"
        ):
            yield _label_start(text, start), match.end(), Kind.OTHER
    if "xhibit" in text:  # "exhibit JM/2": a police exhibit, by the officer's initials
        for match in EXHIBIT_RE.finditer(text):
            yield match.start("ref"), match.end("ref"), Kind.OTHER
    if "PC" in text or "DC" in text or "DS" in text or "PS" in text or "Sgt" in text:
        for match in COLLAR_RE.finditer(text):
            # "PC 2214 Singh": the rank goes with the number, so no bare "PC" is left before
            # the officer's label; "PC 4471 attended" keeps it
            named = NAME_AFTER_COLLAR_RE.match(text, match.end())
            yield match.start() if named else match.start("n"), match.end("n"), Kind.OTHER
        for match in COLLAR_AFTER_NAME_RE.finditer(text):
            yield match.start("n"), match.end("n"), Kind.OTHER


# "works at Barrow Motors", "placed at Willowmere Lodge", "trains at the Phoenix Boxing Club": a
# small named place where someone works, lives in care or goes, found from its last word.
VENUE_NOUNS = (
    "Motors|Kitchen|Cafe|Café|Garage|Barbers|Barber|Salon|Takeaway|Bakery|Gym|Stores|Store|"
    "Autos|Restaurant|Grill|Pizza|Cars|Taxis|Builders|Nails|Beauty|Club|Lodge|House|Farm"
)
VENUE_RE = re.compile(
    r"\b(?:works?|worked|working|job|jobs|employed|shifts?|placed|placement|trains?|training|"
    r"attends|attended|goes|went|volunteers?|volunteering)"
    r"\s+(?:(?:at|for|to|with)\s+)?(?:the\s+)?"
    rf"(?P<venue>(?:[A-Z][\w'’&-]*\s+){{1,3}}(?:{VENUE_NOUNS}))(?![\w'’-])"
    # "Hawthorn House children's home", "Elm Lodge (residential)"
    rf"|\b(?P<home>(?:[A-Z][\w'’-]*\s+){{1,2}}(?:House|Lodge|Court|Grange|View|Hall|Place))"
    r"(?=\s*,?\s*(?:\(\s*)?(?:an?\s+|the\s+)?(?:children['’]?s\s+home|residential|care\s+home))"
)
VENUE_TRIGGERS = tuple(VENUE_NOUNS.split("|")) + ("Court", "Grange", "View", "Hall", "Place")
GENERIC_VENUE_WORDS = frozenset(
    "the a an his her their youth local boxing football community family children's care "
    "residential new old".split()
)


def venues(text: str) -> Iterator[Span]:
    triggers = literal_triggers(text, VENUE_TRIGGERS)
    for match in around(VENUE_RE, text, triggers, 70, 40):
        group = "venue" if match.group("venue") else "home"
        start, end = match.span(group)
        if all(word.lower() in GENERIC_VENUE_WORDS for word in text[start:end].split()[:-1]):
            continue  # "the Youth Club": nothing names it
        yield start, end, Kind.OTHER


# 'a WhatsApp group called "Dan the Man's Cult"', "a Discord server, Hiraeth Army, where": a
# small group's own name points at its members. Quoted after "called" or "named", or
# capitalised words set off by commas; groups named in radicalisation work are kept.
GROUP_NOUNS = ("group", "server", "chat", "channel", "page", "gang")
GROUP_NAME_RE = re.compile(
    rf"\b(?:{'|'.join(GROUP_NOUNS)})"
    r"(?:[ \t]+(?:called|named|call(?:ing|s|ed)[ \t]+itself)[ \t]+|[ \t]*,[ \t]*"
    r"|[ \t]*\(?[ \t]*(?=[\"“‘])|[ \t]*\((?=(?:the[ \t]+)?[A-Z]))"
    r"(?:[\"“‘](?P<quoted>[^\"”’\n]{2,40})[\"”’]"
    # "a Telegram group (Iron Dawn 14)": the name in brackets after the noun
    r"|(?<=\()(?P<bracket>(?:the[ \t]+)?[A-Z][^()\n]{1,40}?)(?=\))"
    r"|(?P<name>[A-Z][\w'’-]*(?:[ \t]+(?:(?:of|the|and|&)[ \t]+)?(?:[A-Z][\w'’-]*|\d\w*)){1,3})"
    r"(?=[ \t]*[,;)])"
    # "a server called Rate Them All and", "called the Bunker.": after "called", up to the
    # first word in lower case
    r"|(?<=called |itself )(?P<called>(?:the[ \t]+)?[A-Z][\w'’-]*"
    r"(?:[ \t]+(?:[A-Z][\w'’-]*|\d\w*)){0,3}))"
)
# The group noun and what follows it, so the pattern is tried only there (lower-cased text)
GROUP_TRIGGER_RE = re.compile(
    rf"(?:{'|'.join(GROUP_NOUNS)})"
    r"(?:[ \t]*[,(]|[ \t]+(?:called|named|call(?:ing|s|ed)[ \t]+itself|[\"“‘]))"
)


def _public(words: list[str] | tuple[str, ...], flags: dict[str, int]) -> bool:
    """Kept words and stop words only, one kept at least ("The Base", "Leeds"): a public
    name. Stop words alone ("Year 9 Boys Only") may name a small group."""
    return any(flags.get(word, 0) & KEEP for word in words) and all(
        flags.get(word, 0) & (KEEP | STOP) for word in words
    )


def group_names(text: str, lower: str) -> Iterator[Span]:
    # substring tests (C speed) before a pattern that opens with six different words
    if not any(noun in lower for noun in GROUP_NOUNS):
        return
    flags = lexicon().flags
    phrases = lexicon().phrases
    for trigger in GROUP_TRIGGER_RE.finditer(lower):
        at = trigger.start()
        if at and lower[at - 1].isalnum() or not (match := GROUP_NAME_RE.match(text, at)):
            continue
        group = next(g for g in ("quoted", "name", "called", "bracket") if match.group(g))
        start, end = match.span(group)
        words = tuple(fold(word) for word in WORD_RE.findall(text, start, end))
        if not words or words in phrases.get(words[0], ()) or _public(words, flags):
            continue  # "a group called 'Patriotic Alternative'": a public group
        if group == "bracket" and (
            text[start:end].isupper() or all(flags.get(word, 0) & STOP for word in words)
        ):
            continue  # "the group (TAF)", "the group (Year 9)": an acronym, ordinary words
        yield start, end, Kind.OTHER


# "works as the only groundsman at Stanwix Cricket Club": a unique job points at one person,
# so the small employer named after it is OTHER (the job itself is left, as the guide does).
UNIQUE_JOB_RE = re.compile(
    r"\bonly[ \t]+(?:[\w'’-]+[ \t]+){0,3}?at[ \t]+"
    r"(?P<employer>(?:the[ \t]+)?[A-Z][\w'’-]*(?:[ \t]+(?:(?:&|and|of)[ \t]+)?[A-Z][\w'’-]*){0,5})"
)


def unique_jobs(text: str, lower: str) -> Iterator[Span]:
    if "only" not in lower:
        return
    flags = lexicon().flags
    for trigger in word_triggers(lower, ("only",)):
        match = UNIQUE_JOB_RE.match(text, trigger.start())
        if match is None:
            continue
        start, end = match.span("employer")
        words = [fold(word) for word in WORD_RE.findall(text, start, end)]
        if _public(words, flags):
            continue  # "the only nurse at Leeds": a place, not an employer
        yield start, end, Kind.OTHER
