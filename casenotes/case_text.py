"""Redacting the free text of one case as a whole, and showing what was replaced.

Pure Python (no ORM), on top of the redaction engine. A case's fields (title, question, account)
are redacted as one document, so "[Child A]" is the same child in every field, and each field
gets back its own redacted text plus the pieces a preview highlights.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from casenotes.redaction import Finding, Kind, Known, Term, redact_remembering
from casenotes.redaction.known import Key

# Fields are joined by a paragraph break, so no sentence runs from one field into the next.
SEPARATOR = "\n\n"

# What a screen reader hears before each replacement, and the preview's list of kinds.
KIND_NAMES: dict[str, str] = {
    Kind.PERSON: "name",
    Kind.DATE: "date",
    Kind.ADDRESS: "address",
    Kind.POSTCODE: "postcode",
    Kind.PHONE: "phone number",
    Kind.EMAIL: "email address",
    Kind.NHS_NUMBER: "NHS number",
    Kind.NI_NUMBER: "National Insurance number",
    Kind.SCHOOL: "school",
    Kind.ONLINE_HANDLE: "online handle or link",
    Kind.OTHER: "word you marked",
}
KIND_PLURALS: dict[str, str] = {
    Kind.ADDRESS: "addresses",
    Kind.ONLINE_HANDLE: "online handles or links",
    Kind.OTHER: "words you marked",
}


@dataclass(frozen=True)
class Piece:
    """A run of kept text (kind is None) or one replacement (its label, of its kind)."""

    text: str
    kind: str | None = None

    @property
    def kind_name(self) -> str:
        """What a screen reader hears the replacement is ("name", "date")."""
        return KIND_NAMES.get(self.kind, self.kind or "")


@dataclass(frozen=True)
class RedactedText:
    pieces: tuple[Piece, ...]

    @property
    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces)

    @property
    def kinds(self) -> list[str]:
        return [piece.kind for piece in self.pieces if piece.kind]


def participants_parse(text: str) -> list[str]:
    """One person a line ("Amira Khan (child)"); blank lines and stray spaces dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def terms_parse(text: str) -> list[str]:
    """Words to redact, one a line or separated by commas."""
    return [term.strip() for term in re.split(r"[\n,]", text or "") if term.strip()]


# What the author may say a word they mark is, in the preview's select (the first is the default).
MARK_KINDS: list[tuple[str, str]] = [
    (Kind.PERSON, "A name"),
    (Kind.ADDRESS, "An address or a place"),
    (Kind.SCHOOL, "A school"),
    (Kind.ONLINE_HANDLE, "An online handle"),
    (Kind.DATE, "A date"),
    (Kind.PHONE, "A phone number"),
    (Kind.EMAIL, "An email address"),
    (Kind.OTHER, "Something else"),
]
MARK_LINE_RE = re.compile(r"(?P<kind>[A-Z_]+): (?P<words>.+)")


def marks_parse(text: str) -> list[tuple[str, Kind]]:
    """Words marked in the preview, "KIND: words" a line; lines of no known kind are dropped."""
    kinds = {kind for kind, _ in MARK_KINDS}
    marks = []
    for line in (text or "").splitlines():
        match = MARK_LINE_RE.fullmatch(line.strip())
        if match and match["kind"] in kinds:
            marks.append((match["words"].strip(), Kind(match["kind"])))
    return marks


def marks_add(marked: str, words: str, kind: str) -> str:
    """`marked` with `words` added as `kind` (a name when no kind is given), once."""
    words = " ".join((words or "").split())
    lines = [f"{kind_}: {text}" for text, kind_ in marks_parse(marked)]
    if words:
        line = f"{kind or Kind.PERSON}: {words}"
        if line in lines or kind and kind not in {k for k, _ in MARK_KINDS}:
            return "\n".join(lines)
        lines.append(line)
    return "\n".join(lines)


def redact_fields(
    texts: Sequence[str],
    *,
    participants: Sequence[str] = (),
    extra_terms: Sequence[Term] = (),
    keep_numbers: Sequence[str] = (),
) -> list[RedactedText]:
    """Redact several fields of a new case together; one RedactedText per field, in order.
    `keep_numbers`: phone numbers to keep (the authority's pathway numbers).

    Line endings become "\n". A finding that crossed a field boundary (it should not) is
    replaced on both sides.
    """
    # The same reading as a text on a case that has named nobody yet (so a new case's preview
    # is what case_publish saves); what it learns is dropped, so its words need no key.
    redacted, _ = redact_fields_remembering(
        texts,
        known=Known(),
        key=str,
        participants=participants,
        extra_terms=extra_terms,
        keep_numbers=keep_numbers,
    )
    return redacted


def redact_fields_remembering(
    texts: Sequence[str],
    *,
    known: Known,
    key: Key,
    participants: Sequence[str] = (),
    extra_terms: Sequence[Term] = (),
    keep_numbers: Sequence[str] = (),
) -> tuple[list[RedactedText], Known]:
    """redact_fields on a case that already named `known` people (casenotes.redaction.known):
    they keep the case's labels; returns also what the case knows after these fields."""
    texts = _lines(texts)
    combined = SEPARATOR.join(texts)
    result, known = redact_remembering(
        combined, participants, extra_terms, known=known, key=key, keep_numbers=keep_numbers
    )
    return _split(texts, combined, result.findings), known


def _lines(texts: Sequence[str]) -> list[str]:
    return [(text or "").replace("\r\n", "\n") for text in texts]  # browsers send CRLF


def _split(texts: list[str], combined: str, findings: list[Finding]) -> list[RedactedText]:
    redacted, start = [], 0
    for text in texts:
        end = start + len(text)
        pieces, cursor = [], start
        for finding in findings:
            if finding.end <= start or finding.start >= end:
                continue
            if finding.start > cursor:
                pieces.append(Piece(combined[cursor : finding.start]))
            pieces.append(Piece(finding.label, str(finding.kind)))
            cursor = min(finding.end, end)
        if cursor < end:
            pieces.append(Piece(combined[cursor:end]))
        redacted.append(RedactedText(tuple(pieces)))
        start = end + len(SEPARATOR)
    return redacted


def kind_counts(redacted: Sequence[RedactedText]) -> list[str]:
    """How many replacements of each kind, most first, for people: "3 names", "1 date"."""
    counts = Counter(kind for field in redacted for kind in field.kinds)
    return [f"{count} {_kind_name(kind, count)}" for kind, count in counts.most_common()]


def _kind_name(kind: str, count: int) -> str:
    name = KIND_NAMES.get(kind, kind)
    if count == 1:
        return name
    return KIND_PLURALS.get(kind, f"{name}s")
