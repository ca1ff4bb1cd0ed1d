"""What a redaction returns: findings with offsets into the original text, and the new text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    PERSON = "PERSON"
    DATE = "DATE"
    ADDRESS = "ADDRESS"
    POSTCODE = "POSTCODE"
    PHONE = "PHONE"
    EMAIL = "EMAIL"
    NHS_NUMBER = "NHS_NUMBER"
    NI_NUMBER = "NI_NUMBER"
    SCHOOL = "SCHOOL"
    ONLINE_HANDLE = "ONLINE_HANDLE"
    OTHER = "OTHER"


# The replacement for every kind but PERSON, whose label names the person ("[Child A]").
PLACEHOLDERS: dict[Kind, str] = {
    Kind.DATE: "[date]",
    Kind.ADDRESS: "[address]",
    Kind.POSTCODE: "[postcode]",
    Kind.PHONE: "[phone]",
    Kind.EMAIL: "[email]",
    Kind.NHS_NUMBER: "[NHS number]",
    Kind.NI_NUMBER: "[NI number]",
    Kind.SCHOOL: "[school]",
    Kind.ONLINE_HANDLE: "[online handle]",
    Kind.OTHER: "[redacted]",
}

# Labels this engine writes; text already redacted keeps them as they are.
LABEL_RE = re.compile(
    r"\[(?:Child (?P<child>[A-Z]{1,3})|Adult (?P<adult>\d{1,4})|Person (?P<person>\d{1,4})|date|"
    r"address|postcode|phone|email|NHS number|NI number|school|online handle|redacted)\]"
)


@dataclass(frozen=True, slots=True)
class Finding:
    """`text[start:end]` of the original text is personal data of `kind`, replaced by `label`."""

    start: int
    end: int
    kind: Kind
    label: str


@dataclass(frozen=True, slots=True)
class Result:
    text: str
    findings: list[Finding]
