"""Addresses: numbered streets, flats, named homes and house names in address context."""

from __future__ import annotations

import re
from collections.abc import Iterator

from casenotes.redaction.lexicon import FIRST, KEEP, NAME, STOP, TITLES, fold, lexicon
from casenotes.redaction.numbers import POSTCODE_TAIL_RE
from casenotes.redaction.places.sites import site_after
from casenotes.redaction.result import Kind
from casenotes.redaction.scan import Span, around, word_starts, word_triggers

# --- Addresses ----------------------------------------------------------------------------------

STRONG_STREETS = (
    "Road|Street|Avenue|Lane|Lanes|Drive|Close|Crescent|Grove|Terrace|Gardens|Mews|Boulevard|Rd|Ave"
)
STREETS = (
    STRONG_STREETS + "|Walk|Rise|Way|Row|Parade|Square|Place|Hill|Vale|View|Court|Green|Park|"
    "Fold|Croft|Mount|Bank|Brow|Gate|Wharf|Yard|Approach|Chase|Dale|Garth|Wynd|Heights|Grange|"
    "Meadows|Meadow|Fields|Side|End|Hollow|Lea|Quay|Embankment|Circus|Broadway|Causeway|Passage|"
    "Estate|Middleway|Esplanade|Promenade|Hall|House|Lodge|Tower|Towers|Mansions|Buildings|Cottages|Point|Plaza|St|Ln|Dr|Cl|"
    "Cres|Gr|Gdns|Terr|Tce|Pl|Sq|Ct|Pk|Wk"
)
DIRECTION = r"(?:\s+(?:North|South|East|West|Upper|Lower))?"
FLAT = (
    r"(?i:flat|apartment|apt\.?|unit|room|maisonette|bedsit|plot|pitch)\s+"
    r"(?:\d{1,4}[A-Za-z]?(?:/\d{1,3})?|[A-Za-z]\d{0,3})\b"
)
FLAT_TRIGGER_RE = re.compile(r"(?:flat|apartment|apt|unit|room|maisonette|bedsit|plot|pitch)\b")
HOUSE = r"\d{1,4}[A-Za-z]?(?:\s?[-–/]\s?\d{1,4}[A-Za-z]?)?"
STREET_WORD = r"(?:St\.?\s+)?[A-Za-z][\w'’]*(?:-[A-Za-z][\w'’]*)*"
CAP_WORD = r"(?:St\.?\s+)?[A-Z][\w'’]*(?:-[A-Za-z][\w'’]*)*"
# From its house number; a flat before it joins when spans are merged.
HOUSE_TRIGGER_RE = re.compile(r"\d(?<![\w/.:£$-]\d)\d{0,3}[A-Za-z]?,?\s+[A-Za-z]")
NUMBERED_ADDRESS_RE = re.compile(
    rf"{HOUSE},?\s+(?P<words>(?:{STREET_WORD}\s+){{1,3}})"
    rf"(?P<type>(?i:{STREETS}))\b(?:\.(?=\s*[,\d]))?{DIRECTION}"
)
# "27 Peckham Rye, London": a number and capitalised words, then a town or a postcode
NUMBER_THEN_TOWN_RE = re.compile(
    rf"\d(?<![\w/.:£$-]\d)\d{{0,3}}[A-Za-z]?,?\s+(?P<words>(?:{CAP_WORD}\s+){{0,2}}{CAP_WORD})"
    r",\s*(?P<next>[A-Za-z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?|[A-Z]{1,2}\d)"
)
FLAT_RE = re.compile(
    rf"\b{FLAT}(?:,?\s+(?P<words>(?:{CAP_WORD}\s+){{1,3}})(?P<type>{STREETS}|Hostel|Refuge)\b)?"
)
STREET_RE = re.compile(
    rf"\b(?P<words>(?:{CAP_WORD}\s+){{1,3}})(?P<type>{STRONG_STREETS})\b{DIRECTION}"
)
STRONG_STREET_TYPES = frozenset(STRONG_STREETS.lower().split("|"))
STRONG_STREET_TRIGGER_RE = re.compile(rf"(?:{STRONG_STREETS})\b")
# Words that end a name rather than begin a street or school: "the", "at", "his".
FUNCTION_WORDS = frozenset(
    "a an the this that these those his her their our my your its in on at to from by with of "
    "for and or but nor is was are were be he she they we you i it there here then when where "
    "which who what also no not any some every each all both into onto off up down over under "
    "near past via as so if than".split()
)
# "Amanda Lane" is a woman, "Victoria Road" a street.
SURNAME_STREETS = frozenset("lane lanes street hill green wood field".split())


def _street_words_ok(words: str, street: str, *, numbered: bool, lived: bool = False) -> bool:
    parts = words.split()
    flags = lexicon().flags
    folded = [fold(part.rstrip(".")) for part in parts]
    if numbered and parts[0] == "The" and len(parts) > 1:  # "6 The Paddocks"
        parts, folded = parts[1:], folded[1:]
    if folded[0] in FUNCTION_WORDS or any(word in TITLES for word in folded):
        return False
    for part, word in zip(parts, folded, strict=True):
        # with a number, "12 mill road" may be in lower case, but not "12 pupils in the hall"
        if part[0].islower() and (
            not numbered or word in FUNCTION_WORDS or flags.get(word, 0) & STOP and not lived
        ):
            return False
    return numbered or not (fold(street) in SURNAME_STREETS and flags.get(folded[-1], 0) & FIRST)


COLLAR_BEFORE_RE = re.compile(r"\b(?:PC|PCSO|DC|DS|PS|Sgt)[ \t]+$")
AREA_START_RE = re.compile(r"[A-Z]{1,2}\d")
# "51 Greenbank, Falmouth TR11 2SR": a town the word lists lack, before a postcode
TOWN_THEN_POSTCODE_RE = re.compile(
    r"[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*)?,?[ \t]+[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2}\b"
)


def _town_or_postcode(text: str, lower: str, start: int, following: str) -> bool:
    if AREA_START_RE.match(following) or TOWN_THEN_POSTCODE_RE.match(text, start):
        return True
    tail = POSTCODE_TAIL_RE.search(lower, start, start + 12)
    if tail and tail.start() <= start + 2:
        return True
    words = [fold(w) for w in following.split()]
    lexicon_ = lexicon()
    return bool(lexicon_.flags.get(words[0], 0) & KEEP) or tuple(words) in lexicon_.phrases.get(
        words[0], ()
    )


# Named homes and buildings: "Rowan Court", "Trewartha Farm", "Ty Gwyn". Farms and cottages
# are homes wherever they are named; a court, house or Welsh house name only where the text says
# someone lives there, or with a street after it.
BUILDINGS = (
    "Court|House|Lodge|Tower|Towers|Mansions|Heights|Point|Hall|Buildings|Grange|Manor|Villas|"
    "Bungalow|Barn|Farm|Farmhouse|Cottage|Cottages|Chambers|Flats|Apartments|Hostel|Forge|Mill|"
    "Rectory|Vicarage|Lodge|Halting Site|Traveller Site|Travellers Site|Caravan Park|Caravan Site|"
    "Layby|Lay-by"
)
HOME_WORD = r"[A-Za-z][\w'’]*(?:-[A-Za-z][\w'’]*)*"
HOME_WORD_RE = re.compile(HOME_WORD)
NAMED_HOME_RE = re.compile(
    rf"\b(?P<words>(?:{HOME_WORD}\s+){{1,3}})(?P<type>(?i:{BUILDINGS}))\b"
    rf"|\b(?P<welsh>(?:T[yŷ]|Plas|Bryn|Hafod|Bwthyn|Fferm|Tyddyn|Pen[-\s]y)\s+[A-Z]\w+"
    rf"(?:\s+(?:y\s+|yr\s+)?[A-Z]\w+)?)\b"
)
# Capitalised only: a trigger in any case is slow to search for. A lower-case home is found
# after a flat by STREET_AFTER_RE.
WELSH_HOMES = ("Ty ", "Tŷ ", "Plas ", "Bryn ", "Hafod ", "Bwthyn ", "Fferm ", "Tyddyn ")
HOME_WORDS = tuple(BUILDINGS.split("|")) + WELSH_HOMES
ALWAYS_HOMES = frozenset(
    ("farm", "farmhouse", "cottage", "cottages", "bungalow", "barn", "halting site",
     "traveller site", "travellers site", "caravan park", "caravan site", "layby", "lay-by")
)  # fmt: skip
LIVES_RE = re.compile(
    r"\b(?:lives?|living|lived|stays?|staying|stayed|moved|moving|address|addresses|resides?|"
    r"residing|resident|home|housed|placed|tenancy|flat|visit(?:ed)?\s+(?:at|to)|"
    r"went\s+to|go(?:es)?\s+to)\b[^.\n]{0,30}$"
)
NEXT_STREET_RE = re.compile(
    rf",?\s+(?:\d{{1,4}}[A-Za-z]?,?\s+)?(?:{STREET_WORD}\s+){{1,3}}(?i:{STREETS})\b"
)
HOME_TYPES = frozenset(word.lower() for word in BUILDINGS.split("|"))
NOT_HOMES = frozenset(
    "crown magistrates county youth family high supreme royal town city council police village "
    "community church the a an this that our their his her my white opera".split()
)


# "Oakfield House", "Willowmere Lodge": a house or lodge named by words that are neither kept
# places nor ordinary words is a home or a children's home wherever it is written; these
# ordinary words before "House" name no one's home.
NAMED_TYPES = frozenset(("house", "lodge"))
NOT_HOUSE_NAMES = frozenset(
    "safe halfway guest open public wendy tree big brother doll haunted full country boarding "
    "companies parliament".split()
)


def _named_house(words: list[str]) -> bool:
    flags = lexicon().flags
    return fold(words[-1]) in NAMED_TYPES and all(
        word[0].isupper()
        and fold(word) not in NOT_HOUSE_NAMES
        and not flags.get(fold(word), 0) & (STOP | KEEP)
        for word in words[:-1]
    )


def _home_name_start(text: str, low: int, high: int) -> int | None:
    """Where a home's own name begins in text[low:high] (the words before its type): the last
    words that are not function words, stop words or "lives"; all capitalised, or all not."""
    flags = lexicon().flags
    start = None
    for word in reversed(list(HOME_WORD_RE.finditer(text, low, high))):
        folded = fold(word.group())
        # "The Old Forge", "The New Barn": a home's name, not "the old farm"
        if folded in ("old", "new") and word.group()[0].isupper():
            if text.endswith("The ", 0, word.start()):
                start = word.start()
                break
        if folded in ("y", "yr") and start is not None and text[start].isupper():
            continue  # "Pen y Graig Farm"
        if folded in FUNCTION_WORDS or folded in NOT_HOMES:
            break
        # "Old" in "The Old Forge", "Lane" in "Mill Lane Farm", not "Mum" in "Mum Cottage"
        capital = word.group()[0].isupper()
        street = capital and folded in STREET_OR_BUILDING_WORDS
        if flags.get(folded, 0) & STOP and (start is None and not street or not capital):
            break
        if start is not None and word.group()[0].isupper() != text[start].isupper():
            break
        start = word.start()
    return start


def _named_homes(text: str, lower: str) -> Iterator[Span]:
    triggers = word_triggers(text, HOME_WORDS)
    for match in around(NAMED_HOME_RE, text, triggers, 60, 40):
        if match.group("welsh"):
            start, end = match.span("welsh")
            strong = text.startswith(("Fferm", "Tyddyn", "Bwthyn"), start)  # farm, cottage
        else:
            start = _home_name_start(text, match.start("words"), match.start("type"))
            if start is None and text.endswith("The ", 0, match.start("type")):
                start = match.start("type")  # "The Rectory": "The" goes with it below
            if start is None:
                continue
            end = match.end()
            words = text[start:end].split()
            if any(w[0].islower() and w not in ("y", "yr") for w in words) and not LIVES_RE.search(
                lower, max(0, start - 40), start
            ):
                continue  # "the old farm": a lower-case home needs someone living there
            strong = words[0][0].isupper() and (
                fold(match.group("type")) in ALWAYS_HOMES or _named_house(words)
            )
            if text.endswith("The ", 0, start):  # "The Old Forge"
                start -= 4
        if (
            strong
            or LIVES_RE.search(lower, max(0, start - 40), start)
            or NEXT_STREET_RE.match(text, end)
        ):
            yield start, end, Kind.ADDRESS


# "Flat 3, rowan court, mill lane": a street after an address found goes with it, any case.
STREET_AFTER_RE = re.compile(
    rf",[ \t]*(?:\d{{1,4}}[A-Za-z]?,?\s+)?(?:{STREET_WORD}[ \t]+){{1,3}}"
    rf"(?i:{STREETS}|{BUILDINGS})\b"
)


# "Pen y Bryn Farm, Heol y Cwm", "Lôn Isaf": Welsh street words that are never anything else,
# with or without a number.
WELSH_STREET_NAME_RE = re.compile(  # "Ffordd yr Eglwys 14": the number may follow
    r"\b(?:Heol|Ffordd|Stryd|L[ôo]n|Rhodfa)(?:[ \t]+(?:y|yr))?[ \t]+[A-Z][\w'’-]*"
    r"(?:[ \t]+[A-Z][\w'’-]*)?(?:[ \t]+\d{1,3}[A-Za-z]?\b(?![/:.]\d))?"
)
# "The Old Vicarage, Church Lane", "Meadowview, 9 Pennine Way", "Room 4, 22 Sefton Park Road":
# a house's name, or a room in it, just before an address found.
NAME_BEFORE_RE = re.compile(
    r"(?:(?:Flat|Room|Unit|Plot|Pitch)[ \t]+\w{1,5}|(?:The[ \t]+)?[A-Z][\w'’-]*"
    r"(?:[ \t]+(?:y|yr|[A-Z][\w'’-]*)){0,3}),[ \t]*$"
)


# "Aspire AP, Unit 7 Brindley Park": a school before its address is no house name
SCHOOL_NOUNS = frozenset("school academy college ap pru primary high centre institute".split())
ROOM_AFTER_RE = re.compile(r",[ \t]*(?:Flat|Room|Unit|Plot|Pitch)[ \t]+\d{1,4}[A-Za-z]?\b")


def _name_before(text: str, start: int) -> int | None:
    match = NAME_BEFORE_RE.search(text, max(0, start - 50), start)
    if match is None:
        return None
    words = [fold(word) for word in match.group().rstrip(", \t").split()]
    if words[0] in ("flat", "room", "unit", "plot", "pitch"):
        return match.start()
    flags = lexicon().flags
    # "The Old Granary": a capital "The" opens a house's name, whose words may be ordinary
    home = any(word in HOME_TYPES for word in words) or match.group().startswith("The ")
    if words[0] == "the":
        words = words[1:]
    if any(
        word in TITLES
        or word in NOT_HOMES
        or word in SCHOOL_NOUNS
        or flags.get(word, 0) & (STOP | FIRST)
        and not home
        for word in words
    ) or all(flags.get(word, 0) & KEEP or word in ("y", "yr") for word in words):
        return None  # "Lisa Green, 12 Mill Road", "Leeds, ...": a person or a town
    return match.start()


def addresses(text: str, lower: str) -> Iterator[Span]:
    found = list(_addresses(text, lower))
    if any(word in text for word in ("Heol", "Ffordd", "Stryd", "Lôn", "Lon ", "Rhodfa")):
        found += [(m.start(), m.end(), Kind.ADDRESS) for m in WELSH_STREET_NAME_RE.finditer(text)]
    yield from found
    for start, _, _ in found:
        while text[max(0, start - 3) : start].rstrip(" \t").endswith(",") and (
            before := _name_before(text, start)
        ):
            yield before, start, Kind.ADDRESS
            start = before
    for _, end, _ in found:
        if room := ROOM_AFTER_RE.match(text, end):  # "Ashfield Halting Site, Pitch 6"
            yield room.start() + 1, room.end(), Kind.ADDRESS
            end = room.end()
        while match := STREET_AFTER_RE.match(text, end):
            words = match.group().strip(", \t").split()
            if fold(words[0]) in FUNCTION_WORDS or any(fold(w) in FUNCTION_WORDS for w in words):
                break
            yield match.start() + 1, match.end(), Kind.ADDRESS
            end = match.end()


# "lives at The Old Forge", "Address: Maes y Coed, Llanelli": a house's name where someone lives
HOUSE_NAME_RE = re.compile(
    r"(?i:\b(?:(?:lives?|living|lived|staying|stays|stayed|resides|residing)\s+at|"
    r"(?:new\s+|home\s+)?address(?:\s+is)?\s*:?))\s+"
    r"(?P<name>(?:The\s+)?[A-Z][\w'’-]*(?:[ \t]+(?:y|yr|the|of|[A-Z][\w'’-]*)){0,3})"
    r"(?=[ \t]*(?:[,.;\n)]|$|[ \t]+(?:with|in|near|and|since|for)\b))"
)
HOUSE_NAME_TRIGGER_RE = re.compile(r"(?:liv|stay|resid|address)")
HOUSE_NUMBER_WORD_RE = re.compile(r"(?:\b(?:No|no|Number|number)\.?|#)[ \t]*$")


def _house_names(text: str, lower: str) -> Iterator[Span]:
    flags = lexicon().flags
    for match in around(HOUSE_NAME_RE, text, HOUSE_NAME_TRIGGER_RE.finditer(lower), 0, 60):
        words = match.group("name").split()
        folded = [fold(word) for word in words]
        if folded[0] in ("flat", "apartment", "unit", "room") or any(
            word.endswith(("'s", "’s")) for word in words
        ):
            continue
        distinctive = [w for w in folded if w not in FUNCTION_WORDS and w not in ("y", "yr")]
        if not distinctive or all(flags.get(w, 0) & (KEEP | NAME | STOP) for w in distinctive):
            continue  # "lives at Dad", "address: Leeds": a person or a town
        yield match.start("name"), match.end("name"), Kind.ADDRESS


# "Address: 27 peckham rye, Leeds": a form's address field, any case, up to the town or the
# postcode. Parts after the first go with it when they have a number or a street word.
ADDRESS_FIELD_RE = re.compile(
    r"(?im)^[ \t]*(?:[-•*][ \t]*)?(?:(?:home|current|new|previous|family|child['’]?s|"
    r"last\s+known)[ \t]+)?address[ \t]*:[ \t]*(?P<value>[^\n]+)"
)
POSTCODE_AREA_RE = re.compile(r"(?i)\b[a-z]{1,2}\d[a-z\d]?\b")
ADDRESS_PART_RE = re.compile(r"(?:[^,;(.]|\.(?!\s))+")
STREET_OR_BUILDING_WORDS = frozenset(
    word.lower() for word in (STREETS + "|" + BUILDINGS).split("|")
)
NO_ADDRESS = frozenset(
    "unknown known n/a na nfa none no fixed abode withheld confidential same above tbc given "
    "provided".split()
)


def _address_fields(text: str, lower: str) -> Iterator[Span]:
    flags = lexicon().flags
    at = lower.find("address")
    while at != -1:
        line = lower.rfind("\n", 0, at) + 1
        match = ADDRESS_FIELD_RE.match(text, line)
        at = lower.find("address", at + 7)
        if match is None:
            continue
        first = True
        for part in ADDRESS_PART_RE.finditer(text, match.start("value"), match.end("value")):
            start, end = part.span()
            postcode = POSTCODE_AREA_RE.search(text, start, end)
            if postcode:
                end = postcode.start()
            value = text[start:end].strip(" \t.")
            words = [fold(word) for word in value.split()]
            if not words:
                break
            start = text.index(value, start)
            numbered = any(c.isdigit() for c in value)
            street = any(word.rstrip(".") in STREET_OR_BUILDING_WORDS for word in words)
            plain = all(
                word in FUNCTION_WORDS or word in NO_ADDRESS or flags.get(word, 0) & (KEEP | STOP)
                for word in words
            )
            if plain or not (numbered or street or first):
                break
            yield start, start + len(value), Kind.ADDRESS
            if postcode:
                break
            first = False


# "5 Pen y Bryn", "12 Heol y Felin": Welsh streets name their kind first.
WELSH_STREETS = (
    "Heol|Stryd|Ffordd|L[ôo]n|Maes|Bryn|Cae|Parc|Clos|Rhodfa|Teras|Cwrt|Llys|Pen|Tan|Bro|Nant|"
    "Cwm|Pant|Coed|Erw|Gwel"
)
WELSH_STREET_RE = re.compile(
    rf"{HOUSE},?[ \t]+(?:{WELSH_STREETS})(?:[ \t-]+(?:y|yr|'r|[A-Z][\w'’-]*)){{1,3}}"
)
YEAR_COMMA_BEFORE_RE = re.compile(r"(?i:\b(?:year|yr))[ \t]*$")
AGE_OR_YEAR_BEFORE_RE = re.compile(r"(?i:\b(?:year|yr|aged?|y|x))[ \t]*$")


def _welsh_street(text: str, start: int) -> Span | None:
    """The Welsh street at a house number, if one is there."""
    match = WELSH_STREET_RE.match(text, start)
    if match is None or text[match.end() - 1] in "yr'":
        return None
    if AGE_OR_YEAR_BEFORE_RE.search(text, max(0, start - 8), start):
        return None  # "Year 10 Bryn Jones", "aged 14 Bryn"
    return start, match.end(), Kind.ADDRESS


def _age_between_commas(text: str, start: int) -> bool:
    digits = start
    while digits < len(text) and text[digits].isdigit():
        digits += 1
    return text.startswith(",", digits) and text[max(0, start - 3) : start].rstrip().endswith(",")


def _addresses(text: str, lower: str) -> Iterator[Span]:
    yield from _named_homes(text, lower)
    yield from _house_names(text, lower)
    if "address" in lower:
        yield from _address_fields(text, lower)
    for trigger in HOUSE_TRIGGER_RE.finditer(text):
        match = NUMBERED_ADDRESS_RE.match(text, trigger.start())
        if match is None:
            if welsh := _welsh_street(text, trigger.start()):
                yield welsh
            continue
        if _age_between_commas(text, match.start()):
            continue  # "Hamza Iqbal, 15, Valley Road Academy": an age, then a school
        street = match.group("type")
        if street.lower() not in STRONG_STREET_TYPES and YEAR_COMMA_BEFORE_RE.search(
            text, max(0, match.start() - 8), match.start()
        ):
            continue  # "(Head of Year 8, Willow Park)": a school year, then a school
        # "14 Quarrybank wynd", "address: 9 orchard way": a weaker street word in lower case
        # needs a capital before it or a word of living there ("12 pupils in the hall" has none)
        lived = LIVES_RE.search(lower, max(0, match.start() - 40), match.start())
        if (
            street[0].islower()
            and street.lower() not in STRONG_STREET_TYPES
            and match.group("words").islower()
            and not lived
        ):
            continue
        # "lives at 19 church view": there an ordinary word may name the street
        if _street_words_ok(match.group("words"), street, numbered=True, lived=bool(lived)):
            # "No. 12 Mill Street": the word for the number goes with it
            number = HOUSE_NUMBER_WORD_RE.search(text, max(0, match.start() - 8), match.start())
            yield number.start() if number else match.start(), match.end(), Kind.ADDRESS
    for match in NUMBER_THEN_TOWN_RE.finditer(text):
        if COLLAR_BEFORE_RE.search(
            text, max(0, match.start() - 6), match.start()
        ) or _age_between_commas(text, match.start()):
            continue  # "PC 4471 Hollis, Colchester": an officer's number and name; an age
        if _town_or_postcode(text, lower, match.start("next"), match.group("next")) and (
            _street_words_ok(match.group("words"), "", numbered=True)
        ):
            yield match.start(), match.end("words"), Kind.ADDRESS
    for trigger in word_starts(FLAT_TRIGGER_RE.finditer(lower), lower):
        match = FLAT_RE.match(text, trigger.start())
        if match is None:
            continue
        end = match.end()
        words = match.group("words")
        street = bool(words) and _street_words_ok(words, match.group("type"), numbered=True)
        if words and not street:
            end = match.start("words")
        if lower.startswith(("plot", "pitch"), trigger.start()) and (
            site := site_after(text, end, FUNCTION_WORDS)
        ):
            end, street = site, True
        # "Unit 4 of the course", "Room 12": alone, a unit or a room is an address only where
        # someone lives there
        if (
            not street
            and lower.startswith(("unit", "room", "plot", "pitch"), trigger.start())
            and not LIVES_RE.search(lower, max(0, trigger.start() - 40), trigger.start())
        ):
            continue
        yield match.start(), len(text[:end].rstrip(" ,")), Kind.ADDRESS
    for match in around(
        STREET_RE, text, word_starts(STRONG_STREET_TRIGGER_RE.finditer(text), text), 60, 12
    ):
        words = match.group("words")
        # Sentence words before the street ("Then Mill Road") are not part of it.
        parts = words.split()
        skip = 0
        while skip < len(parts) - 1 and fold(parts[skip]) in FUNCTION_WORDS:
            skip += 1
        offset = match.start() + (words.index(parts[skip]) if skip else 0)
        words = text[offset : match.start("type")]
        if _street_words_ok(words, match.group("type"), numbered=False):
            yield offset, match.end(), Kind.ADDRESS


# --- Schools and colleges -----------------------------------------------------------------------
