"""Who is who: mentions of the same person share one label, a child's or an adult's.

Mentions join a person when their names agree (Amira Khan ... Amira ... amira), a titled
surname is an adult's (Mr Khan is not Amira Khan), and a nickname follows its name
("Mohammed (Mo)"). Participants the author listed are people before the text is read, with
the role they were given. Labels are handed out in order of first mention: children get
letters ([Child A]), adults numbers ([Adult 1]), and anyone whose age the text does not show
gets [Person 1].
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from casenotes.redaction.context import ADULT_NOUNS, CHILD_NOUNS
from casenotes.redaction.lexicon import (
    COMMON,
    FIRST,
    KEEP,
    PARTICLES,
    STOP,
    SURNAME,
    TITLES,
    WORD_RE,
    fold,
    lexicon,
)
from casenotes.redaction.names import Mention
from casenotes.redaction.result import LABEL_RE

CHILD_ROLES = CHILD_NOUNS | frozenset("young yp cyp subject minor juvenile".split())
ADULT_ROLES = ADULT_NOUNS | frozenset("adult professional staff".split())
CHILD_CONTEXT_RE = re.compile(
    r"(?i)\b(?:pupils?|students?|school|class|classmates|lessons?|year\s*\d{1,2}|y\d{1,2}|gcses?|"
    r"playground|detention|form\s+tutor|head\s+of\s+year|aged\s+(?:[1-9]|1[0-7])\b|"
    r"(?:[1-9]|1[0-7])[\s-]*year[\s-]*old)\b"
)
ADULT_CONTEXT_RE = re.compile(
    r"(?i)\b(?:works|worked|employer|employed|wife|husband|tenancy|landlord|mortgage|"
    r"aged\s+(?:1[89]|[2-9]\d)\b|(?:1[89]|[2-9]\d)[\s-]*year[\s-]*old)\b"
)
SENTENCE_END_RE = re.compile(r"[.!?\n]")


@dataclass(eq=False)
class Person:
    firsts: set[str] = field(default_factory=set)
    lasts: set[str] = field(default_factory=set)
    titled: bool = False
    role: str | None = None  # "child" or "adult", as the author listed them
    child: int = 0
    adult: int = 0
    first_seen: int | None = None
    last_seen: int = -1

    @property
    def kind(self) -> str | None:
        if self.role:
            return self.role
        if self.child != self.adult:
            return "child" if self.child > self.adult else "adult"
        return None


def _role(words: Sequence[str]) -> str | None:
    if any(word in CHILD_ROLES for word in words):
        return "child"
    if any(word in ADULT_ROLES for word in words):
        return "adult"
    return None


def parse_participant(entry: str) -> Person | None:
    """ "Amira Khan", "Amira Khan (child)", "KHAN, Amira", "Mr Imran Khan: father"."""
    name, role_text = entry.strip(), ""
    bracketed = re.fullmatch(r"(.*?)\s*\((.*)\)\s*", name)
    if bracketed:
        name, role_text = bracketed.groups()
    else:
        parts = re.split(r"\s*(?::|\s[-–—]\s|/)\s*", name, maxsplit=1)
        if len(parts) == 2:
            name, role_text = parts
        elif "," in name:
            left, right = (part.strip() for part in name.split(",", 1))
            if _role([fold(w) for w in WORD_RE.findall(right)]):
                name, role_text = left, right
            else:
                name = f"{right} {left}"
    words = [fold(word) for word in WORD_RE.findall(name)]
    titled = any(word in TITLES for word in words)
    words = [w for w in words if w not in TITLES and w not in PARTICLES and len(w) >= 2]
    if not words:
        return None
    role = _role([fold(w) for w in WORD_RE.findall(role_text)]) or ("adult" if titled else None)
    person = Person(titled=titled, role=role)
    person.firsts.add(words[0])
    if len(words) > 1:
        person.lasts.add(words[-1])
    return person


class People:
    def __init__(self, known: Sequence[Person]) -> None:
        """`known`: people before the text is read, those listed (parse_participant) and
        those the case already named (known.py), whose words may be placeholders."""
        self.known: list[Person] = list(known)
        self.by_word: dict[str, list[Person]] = {}  # name word -> people who have it
        flags = lexicon().flags
        # participant words, and whether each is also an ordinary word (so needs a capital)
        self.words: dict[str, bool] = {}
        for person in self.known:
            for word in person.firsts | person.lasts:
                if word.startswith("#"):  # a known word that is not in this text
                    continue
                word_flags = flags.get(word, 0)
                self.words[word] = bool(word_flags & (COMMON | KEEP | STOP)) or len(word) <= 2

    def _index(self, person: Person) -> None:
        for word in person.firsts | person.lasts:
            people = self.by_word.setdefault(word, [])
            if person not in people:
                people.append(person)

    def resolve(self, text: str, mentions: list[Mention]) -> list[Person]:
        """The person each mention names."""
        for person in self.known:
            self._index(person)
        found: list[Person] = []
        for index, mention in enumerate(mentions):
            if mention.alias_of is not None:
                person = found[mention.alias_of]
                person.firsts.update(mention.parts[:1])
            else:
                person = self._match(mention) or self._new(mention)
            if person.first_seen is None:
                person.first_seen = mention.start
            person.last_seen = index
            person.child += mention.child
            person.adult += mention.adult
            person.titled = person.titled or mention.titled
            self._index(person)
            found.append(person)
        self._context(text, mentions, found)
        return found

    def _match(self, mention: Mention) -> Person | None:
        parts = mention.parts
        if not parts:
            return None
        best, best_score = None, 0
        candidates = {id(p): p for word in parts for p in self.by_word.get(word, ())}
        for person in candidates.values():
            if len(parts) >= 2:
                first, last = parts[0], parts[-1]
                if first in person.firsts and last in person.lasts:
                    score = 4
                elif first in person.firsts and not person.lasts:
                    score = 3
                elif mention.titled and last in person.lasts and not person.firsts:
                    score = 3
                elif first in person.firsts and last in person.firsts | person.lasts:
                    score = 2
                else:
                    score = 0
            else:
                word = parts[0]
                if mention.titled:
                    adult = person.titled or person.kind == "adult"
                    score = 3 if word in person.lasts and adult else 0
                elif word in person.firsts:
                    score = 3
                elif word in person.lasts:
                    score = 2
                else:
                    score = 0
            if score and (score, person.last_seen) > (best_score, best.last_seen if best else -2):
                best, best_score = person, score
        if best is not None and len(parts) >= 2:
            best.firsts.add(parts[0])
            best.lasts.add(parts[-1])
        return best

    def _new(self, mention: Mention) -> Person:
        person = Person()
        parts = mention.parts
        if len(parts) >= 2:
            person.firsts.add(parts[0])
            person.lasts.add(parts[-1])
        elif parts:
            flags = lexicon().flags.get(parts[0], 0)
            if mention.titled or (flags & SURNAME and not flags & FIRST):
                person.lasts.add(parts[0])
            else:
                person.firsts.add(parts[0])
        self.known.append(person)
        return person

    @staticmethod
    def _context(text: str, mentions: list[Mention], found: list[Person]) -> None:
        """Someone with no clue at all takes one from their sentence when they are alone in it."""
        first: dict[int, int] = {}
        for index, person in enumerate(found):
            first.setdefault(id(person), index)
        starts = [mention.start for mention in mentions]
        for index in first.values():
            person = found[index]
            if person.kind is not None:
                continue
            mention = mentions[index]
            start = max(text.rfind(mark, 0, mention.start) for mark in ".!?\n") + 1
            end_match = SENTENCE_END_RE.search(text, mention.end)
            end = end_match.start() if end_match else len(text)
            low, high = bisect_left(starts, start), bisect_left(starts, end)
            if any(found[k] is not person for k in range(low, high)):
                continue
            sentence = text[start:end]
            if CHILD_CONTEXT_RE.search(sentence):
                person.child += 1
            elif ADULT_CONTEXT_RE.search(sentence):
                person.adult += 1


def letters(n: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


def _number_of_letters(code: str) -> int:
    n = 0
    for char in code:
        n = n * 26 + ord(char) - 64
    return n


def label_counts(
    texts: Iterable[str], start: Mapping[str | None, int] | None = None
) -> dict[str | None, int]:
    """The highest label of each kind in `texts`, or in `start` if higher: [Child C] counts 3."""
    counts = {"child": 0, "adult": 0, None: 0, **(start or {})}
    for text in texts:
        for match in LABEL_RE.finditer(text):
            if match.group("child"):
                counts["child"] = max(counts["child"], _number_of_letters(match.group("child")))
            elif match.group("adult"):
                counts["adult"] = max(counts["adult"], int(match.group("adult")))
            elif match.group("person"):
                counts[None] = max(counts[None], int(match.group("person")))
    return counts


SUBJECT_RE = re.compile(
    r"(?i)\b(?:the\s+(?:young\s+person|child|pupil|student|learner|yp|cyp)|year\s*\d{1,2}|"
    r"aged\s+(?:[1-9]|1[0-7])\b|(?:[1-9]|1[0-7])[\s-]*(?:year|yr)s?[\s-]*old|"
    r"(?:his|her|their)\s+(?:school|teacher|form\s+tutor|mum|mother|dad|father|parents?))"
)


def _main_child(
    text: str,
    people: Sequence[Person],
    fixed: Mapping[int, str],
    counters: Mapping[str | None, int],
) -> Person | None:
    """The child a note is about when nothing names anyone a child: the first person with no
    clue either way, in a text that speaks of a young person ("the young person", "Year 9",
    "aged 14", "her mum"). None when the text or the case already has a child."""
    if counters["child"] or any(p.kind == "child" for p in people):
        return None
    if any(label.startswith("[Child") for label in fixed.values()):
        return None
    undecided = [p for p in people if p.kind is None and id(p) not in fixed]
    if not undecided or not SUBJECT_RE.search(text):
        return None
    return undecided[0]


def labels(
    text: str,
    people: Sequence[Person],
    fixed: Mapping[int, str] | None = None,
    used: Mapping[str | None, int] | None = None,
) -> dict[int, str]:
    """A label for each person (by id), in order of first mention, after any labels the text
    already holds and the `used` counts. People in `fixed` (by id) keep the label there."""
    fixed = fixed or {}
    counters = label_counts([text], used)
    out: dict[int, str] = {}
    ordered = sorted({id(p): p for p in people}.values(), key=lambda p: p.first_seen or 0)
    main_child = _main_child(text, ordered, fixed, counters)
    for person in ordered:
        if id(person) in fixed:
            out[id(person)] = fixed[id(person)]
            continue
        kind = "child" if person is main_child else person.kind
        if kind == "child":
            out[id(person)] = f"[Child {letters(counters['child'])}]"
        elif kind == "adult":
            out[id(person)] = f"[Adult {counters['adult'] + 1}]"
        else:
            out[id(person)] = f"[Person {counters[None] + 1}]"
        counters[kind] += 1
    return out
