"""What a case remembers of the people named on it, so every text written on the case (its
account, comments, votes, outcome, reports) gives each person the same label, and a new person
never gets a label the case already gave someone else.

Names are never kept: each name word is kept only in a keyed one-way form, `key(folded word)`
(an HMAC whose key the caller holds). To find known people in a new text:

1. Key every word of the text that could be part of a name.
2. A known person's words whose keys are among them become that person's words again, for
   this text only; the others stay as opaque placeholders ("#<key>") that no word matches, so
   "Kelly Jones" is not taken for a known Kelly Smith just because "Smith" is not in the text.
3. People listed with this text whose words' keys belong to a known person are that person.
4. The text is read with the known people as if the author had listed them (people.py), and
   each keeps their label; anyone new is labelled after the highest label the case has used.
5. Everyone, known or new, is remembered again: keys of any new words, labels now given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from casenotes.redaction.lexicon import TITLES
from casenotes.redaction.people import Person, label_counts
from casenotes.redaction.tokens import WORD, Token

Key = Callable[[str], str]
PLACEHOLDER = "#"  # people.py skips words so marked
KINDS = {"child": "children", "adult": "adults", None: "others"}


@dataclass(frozen=True)
class KnownPerson:
    """Someone named on a case: their label (None while they were only listed, never
    mentioned), their role, and the keys of their first names and surnames."""

    label: str | None
    role: str | None
    titled: bool
    firsts: frozenset[str]
    lasts: frozenset[str]

    def as_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "role": self.role,
            "titled": self.titled,
            "firsts": sorted(self.firsts),
            "lasts": sorted(self.lasts),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> KnownPerson:
        return cls(
            label=data["label"],
            role=data["role"],
            titled=bool(data["titled"]),
            firsts=frozenset(data["firsts"]),
            lasts=frozenset(data["lasts"]),
        )


@dataclass(frozen=True)
class Known:
    """The people a case has named, and how many labels of each kind it has used (labels
    count from there, so a typed "[Adult 4]" is never given to someone else either)."""

    people: tuple[KnownPerson, ...] = ()
    children: int = 0
    adults: int = 0
    others: int = 0

    def used(self) -> dict[str | None, int]:
        return {kind: getattr(self, attribute) for kind, attribute in KINDS.items()}


@dataclass
class Recall:
    """Known people found again in one text (steps 1 to 3)."""

    persons: list[Person]  # one per known person, in the order of `known.people`
    listed: list[Person]  # people listed with the text who are nobody known
    fixed: dict[int, str] = field(default_factory=dict)  # id(person) -> label kept


def recall(known: Known, key: Key, tokens: Sequence[Token], listed: Sequence[Person]) -> Recall:
    if not known.people:  # nobody to find again: no word needs its key
        return Recall(persons=[], listed=list(listed))
    words = {
        token.fold
        for token in tokens
        if token.kind == WORD and len(token.fold) >= 2 and token.fold not in TITLES
    }
    for person in listed:
        words |= person.firsts | person.lasts
    plain = {key(word): word for word in words}

    def again(keys: frozenset[str]) -> set[str]:
        return {plain.get(k) or PLACEHOLDER + k for k in keys}

    persons, fixed = [], {}
    for entry in known.people:
        person = Person(
            firsts=again(entry.firsts),
            lasts=again(entry.lasts),
            titled=entry.titled,
            role=entry.role,
        )
        persons.append(person)
        if entry.label:
            fixed[id(person)] = entry.label
    new = []
    for person in listed:
        same = _same_person(known.people, _keys(person.firsts, key), _keys(person.lasts, key))
        if same is None:
            new.append(person)
            continue
        match = persons[same]
        match.firsts |= person.firsts
        match.lasts |= person.lasts
        match.role = match.role or person.role
        match.titled = match.titled or person.titled
    return Recall(persons=persons, listed=new, fixed=fixed)


def _same_person(
    people: Sequence[KnownPerson], firsts: frozenset[str], lasts: frozenset[str]
) -> int | None:
    """The known person a listed one is: their first name, and their surname if both have one."""
    for index, entry in enumerate(people):
        if (
            firsts
            and firsts <= entry.firsts
            and (not lasts or not entry.lasts or lasts <= entry.lasts)
        ):
            return index
    return None


def _keys(words: Iterable[str], key: Key) -> frozenset[str]:
    return frozenset(
        word[len(PLACEHOLDER) :] if word.startswith(PLACEHOLDER) else key(word) for word in words
    )


def remember(
    known: Known,
    key: Key,
    recalled: Recall,
    people: Iterable[Person],
    labels: Mapping[int, str],
    text: str,
) -> Known:
    """Step 5: `known` with everyone read in one text (`people`: known ones first, as
    recalled), the labels given there (by id) and any label the text holds."""
    out = list(known.people)
    position = {id(person): index for index, person in enumerate(recalled.persons)}
    for person in people:
        entry = KnownPerson(
            label=labels.get(id(person)),
            role=person.kind,
            titled=person.titled,
            firsts=_keys(person.firsts, key),
            lasts=_keys(person.lasts, key),
        )
        index = position.get(id(person))
        if index is None:
            out.append(entry)
            continue
        before = out[index]
        out[index] = KnownPerson(
            label=before.label or entry.label,
            role=before.role or entry.role,
            titled=before.titled or entry.titled,
            firsts=before.firsts | entry.firsts,
            lasts=before.lasts | entry.lasts,
        )
    used = label_counts([*labels.values(), text], known.used())
    return Known(
        people=tuple(out),
        children=used["child"],
        adults=used["adult"],
        others=used[None],
    )


def known_as_json(known: Known) -> dict[str, Any]:
    return {
        "people": [person.as_json() for person in known.people],
        "children": known.children,
        "adults": known.adults,
        "others": known.others,
    }


def known_from_json(data: Mapping[str, Any] | None) -> Known:
    if not data:
        return Known()
    return Known(
        people=tuple(KnownPerson.from_json(person) for person in data.get("people", ())),
        children=int(data.get("children", 0)),
        adults=int(data.get("adults", 0)),
        others=int(data.get("others", 0)),
    )
