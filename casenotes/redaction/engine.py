"""`redact()`: find personal data in a case note and replace it with consistent labels."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from casenotes.redaction import (
    aliases,
    groups,
    known,
    names,
    numbers,
    online,
    places,
    references,
    spelled,
)
from casenotes.redaction.known import Key, Known
from casenotes.redaction.people import People, Person, labels, parse_participant
from casenotes.redaction.result import LABEL_RE, PLACEHOLDERS, Finding, Kind, Result
from casenotes.redaction.scan import Span, ascii_lower, shared_word_triggers
from casenotes.redaction.tokens import tokenize

# Characters that may begin or end another match right next to a finding. There a label can
# reveal what the finding's own letters hid ("Amira07700 900123": a phone after a letter is
# none, after "]" it is), so only then is the output redacted again to be sure.
MAY_BEGIN = frozenset("_+(@")
MAY_END = frozenset("_)/@#")
ROUNDS = 3


def redact(
    text: str,
    participants: Sequence[str] = (),
    extra_terms: Sequence[Term] = (),
    *,
    keep_numbers: Sequence[str] = (),
) -> Result:
    """Redact `text`. `participants` are people the author listed ("Amira Khan (child)"):
    they are always caught. `extra_terms` are words the author marked to redact, each a word
    (redacted as OTHER) or a (word, kind) pair; a word marked PERSON is read as a participant.
    `keep_numbers` are phone numbers to keep besides the published ones in data/ (an
    authority's own pathway numbers).

    Findings hold offsets into `text`, sorted and never overlapping. Labels already in the text
    ("[Child A]", "[date]") are left alone, and redacting the result again changes nothing.
    """
    result, _ = _redact(text, _options(participants, extra_terms, keep_numbers), None)
    return result


def redact_remembering(
    text: str,
    participants: Sequence[str] = (),
    extra_terms: Sequence[Term] = (),
    *,
    known: Known,
    key: Key,
    keep_numbers: Sequence[str] = (),
) -> tuple[Result, Known]:
    """Redact `text` written on a case that already named `known` people (known.py): they are
    caught and keep their labels, new people get labels the case has not used. Returns the
    result and what the case now knows (keys made by `key`, never a name)."""
    options = _options(participants, extra_terms, keep_numbers)
    result, memory = _redact(text, options, (known, key))
    assert memory is not None  # noqa: S101 (given a memory, one comes back)
    return result, memory[0]


Memory = tuple[Known, Key]
Term = str | tuple[str, Kind]


@dataclass(frozen=True)
class Options:
    participants: tuple[str, ...]
    terms: tuple[tuple[str, Kind], ...]  # never PERSON: those are participants
    keep_numbers: frozenset[str]  # digits only


def phone_numbers(text: str) -> list[str]:
    """The phone numbers written in `text` ("MASH: 0113 496 0123, out of hours 0113 496 0999")
    as the engine reads them, for keep_numbers; published numbers are kept anyway."""
    return [text[start:end] for start, end, _ in numbers.phones(text)]


def _options(
    participants: Sequence[str], extra_terms: Sequence[Term], keep_numbers: Sequence[str]
) -> Options:
    terms = [(term, Kind.OTHER) if isinstance(term, str) else term for term in extra_terms]
    return Options(
        participants=(*participants, *(word for word, kind in terms if kind == Kind.PERSON)),
        terms=tuple((word, Kind(kind)) for word, kind in terms if kind != Kind.PERSON),
        keep_numbers=frozenset(numbers.digits_of(number) for number in keep_numbers),
    )


def _redact(text: str, options: Options, memory: Memory | None) -> tuple[Result, Memory | None]:
    participants = (*options.participants, *aliases.find(text))
    listed = [person for person in map(parse_participant, participants) if person]
    findings, memory = _find(text, listed, options, memory)
    # Usually the output holds nothing more. When a finding touches a word or digit, its label
    # may free a match the original hid: then redact the output until it is clean.
    for _ in range(ROUNDS):
        if not _touching(text, findings):
            break
        redacted = _replace(text, findings)
        listed = [person for person in map(parse_participant, participants) if person]
        more, memory = _find(redacted, listed, options, memory)
        if not more:
            break
        findings = _fold_back(findings, more)
    return Result(text=_replace(text, findings), findings=findings), memory


def _find(
    text: str, listed: list[Person], options: Options, memory: Memory | None
) -> tuple[list[Finding], Memory | None]:
    if not text:
        return [], memory
    # 1. Data with a shape, never inside a label already there.
    existing = [match.span() for match in LABEL_RE.finditer(text)] if "[" in text else []
    spans = _shaped(text, options)
    if existing:
        spans = [s for s in spans if not _inside_any(s, existing)]
    shaped = _merge(spans, text)
    # 2. Names, reading the shaped data as opaque so context is the same after redaction; the
    # people the case already named are found again by their keys (known.py).
    opaque = sorted(existing + [(start, end) for start, end, _ in shaped])
    tokens = tokenize(text, opaque)
    recalled = known.recall(memory[0], memory[1], tokens, listed) if memory else None
    people = People(recalled.persons + recalled.listed if recalled else listed)
    mentions = names.find(text, tokens, people.words)
    persons = people.resolve(text, mentions)
    if recalled and memory:
        person_labels = labels(text, persons, recalled.fixed, memory[0].used())
        remembered = known.remember(
            memory[0], memory[1], recalled, people.known, person_labels, text
        )
        memory = (remembered, memory[1])
    else:
        person_labels = labels(text, persons)
    # 3. Findings in order.
    findings = [Finding(start, end, kind, PLACEHOLDERS[kind]) for start, end, kind in shaped]
    findings += [
        Finding(m.start, m.end, Kind.PERSON, person_labels[id(p)])
        for m, p in zip(mentions, persons, strict=True)
    ]
    findings.sort(key=lambda f: f.start)
    return findings, memory


def _shaped(text: str, options: Options) -> list[Span]:
    lower = ascii_lower(text)
    platform_words, reference_words, spelled_digits = shared_word_triggers(
        lower, online.PLATFORM_TRIGGERS, references.REFERENCE_WORDS, spelled.SPELLED_DIGITS
    )
    spans = list(_terms(text, options.terms))
    spans += references.venues(text)  # before addresses: a children's home is no address
    spans += online.find(text, lower, platform_words)
    spans += online.spaced_handles(text, lower)
    spans += numbers.phones(text, options.keep_numbers)
    spans += numbers.extensions(lower)
    spans += numbers.nhs_numbers(text)
    spans += numbers.ni_numbers(lower)
    spans += numbers.postcodes(text, lower)
    spans += numbers.dates(text, lower)
    spans += places.addresses(text, lower)
    spans += places.estates(text, lower)
    spans += places.labelled_addresses(text, lower)
    spans += places.street_names(text, lower)
    spans += places.schools(text, lower)
    spans += places.school_places(text, lower)
    spans += places.lower_case_schools(text, lower)
    spans += spelled.emails(text, lower)
    spans += spelled.dates(lower)
    spans += spelled.phones(lower, spelled_digits)
    spans += references.plates(text, lower)
    spans += references.references(text, lower, reference_words)
    spans += references.group_names(text, lower)
    spans += groups.groups(text)
    spans += groups.named_chats(text, lower)
    spans += references.unique_jobs(text, lower)
    return spans


def _terms(text: str, terms: Sequence[tuple[str, Kind]]) -> Iterator[Span]:
    kinds: dict[str, Kind] = {}
    for term, kind in terms:
        if term and term.strip():
            kinds.setdefault(" ".join(term.split()).lower(), kind)
    if not kinds:
        return
    words = sorted(kinds, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, word.split())) for word in words)
    for match in re.finditer(rf"(?i)(?<!\w)(?:{alternatives})(?!\w)", text):
        if match.end() > match.start():
            kind = kinds.get(" ".join(match.group().split()).lower(), Kind.OTHER)
            yield match.start(), match.end(), kind


def _inside_any(span: Span, ranges: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in ranges)


ADDRESS_GAP_RE = re.compile(r"[ \t]*,?[ \t]*")


def _merge(spans: list[Span], text: str) -> list[Span]:
    """Overlapping spans become one, of the kind of the longest among them (a school before an
    address as long); parts of one address ("Flat 3", "27 Peckham Rye") join."""
    merged: list[Span] = []
    longest: list[int] = []
    for start, end, kind in sorted(spans, key=lambda s: (s[0], -s[1])):
        if end <= start:
            continue
        if merged and (
            start < merged[-1][1]
            or kind == Kind.ADDRESS == merged[-1][2]
            and ADDRESS_GAP_RE.fullmatch(text, merged[-1][1], start)
        ):
            last_start, last_end, last_kind = merged[-1]
            # "staff at Elm House": a school read from its context outweighs a house's name
            if end - start > longest[-1] or (
                end - start == longest[-1] and kind == Kind.SCHOOL and last_kind == Kind.ADDRESS
            ):
                last_kind, longest[-1] = kind, end - start
            merged[-1] = (last_start, max(last_end, end), last_kind)
        else:
            merged.append((start, end, kind))
            longest.append(end - start)
    return merged


def _touching(text: str, findings: list[Finding]) -> bool:
    size = len(text)
    for finding in findings:
        start, end = finding.start, finding.end
        if start > 0:
            before = text[start - 1]
            if before.isalnum() or before in MAY_END:
                return True
            if before in ".-:" and start > 1 and not text[start - 2].isspace():
                return True
        if end < size:
            after = text[end]
            if after.isalnum() or after in MAY_BEGIN:
                return True
            if after == "." and end + 1 < size and not text[end + 1].isspace():
                return True
    return False


def _fold_back(findings: list[Finding], more: list[Finding]) -> list[Finding]:
    """Findings in the redacted text, moved back to the original's offsets. Labels are never
    redacted again, so each lies in text the first round left as it was."""
    shifts = []  # (start in the redacted text, how far the original is ahead there)
    shift = 0
    for finding in findings:
        shift += (finding.end - finding.start) - len(finding.label)
        shifts.append((finding.start - shift + (finding.end - finding.start), shift))
    out = list(findings)
    for extra in more:
        ahead = 0
        for redacted_start, offset in shifts:
            if extra.start >= redacted_start:
                ahead = offset
        out.append(Finding(extra.start + ahead, extra.end + ahead, extra.kind, extra.label))
    out.sort(key=lambda f: f.start)
    return out


def _replace(text: str, findings: list[Finding]) -> str:
    out, position = [], 0
    for finding in findings:
        out.append(text[position : finding.start])
        out.append(finding.label)
        position = finding.end
    out.append(text[position:])
    return "".join(out)
