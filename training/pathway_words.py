"""The authority's pathway: the placeholders module text may use, and their national wording.

A module says "Phone {pathway.front_door} today." and the player fills it from the learner's
authority's "Who to contact" page, or with the national wording below when the authority left
that field empty, so every sentence reads well either way (FORMAT.md "The authority's
pathway"). Pure: no Django; the portal's model names its fields after these keys.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class PathwayField:
    key: str
    label: str  # the "Who to contact" page's heading for it
    national: str  # the wording when the authority has not filled it in


FIELDS = (
    PathwayField("prevent_lead", "Prevent lead", "your local authority's Prevent lead"),
    PathwayField(
        "referral_route", "How Prevent referrals are made", "the National Prevent Referral Form"
    ),
    PathwayField(
        "ct_policing",
        "Counter-terrorism policing (your region)",
        "your regional counter-terrorism policing team",
    ),
    PathwayField(
        "front_door",
        "Children's social care front door (MASH)",
        "children's social care's front door (the MASH)",
    ),
    PathwayField(
        "lado",
        "Local Authority Designated Officer (LADO)",
        "the Local Authority Designated Officer (LADO)",
    ),
    PathwayField("out_of_hours", "Out of hours", "the out-of-hours social care team"),
    PathwayField("threshold_document", "Local threshold document", "your local threshold document"),
)
KEYS = tuple(field.key for field in FIELDS)
NATIONAL = {field.key: field.national for field in FIELDS}

# Anything that looks like a placeholder, so a misspelt one is reported rather than shown.
PLACEHOLDER = re.compile(r"\{\s*pathway\.([^{}\s]*)\s*\}")
# Characters Markdown would read as formatting or links in a value an admin typed.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


def placeholders_in(text: str) -> list[str]:
    """The field names of every placeholder in `text`, in order (unknown ones included)."""
    return PLACEHOLDER.findall(text or "")


def unknown_placeholders(text: str) -> list[str]:
    return [name for name in placeholders_in(text) if name not in NATIONAL]


def wording(values: Mapping[str, str] | None = None) -> dict[str, str]:
    """Each placeholder's words: the authority's value where given, else the national one."""
    values = values or {}
    return {key: (values.get(key) or "").strip() or NATIONAL[key] for key in KEYS}


def markdown_literal(value: str) -> str:
    """`value` as literal text inside Markdown: no HTML, no formatting, no links, one line."""
    one_line = " ".join(value.split())
    return MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(one_line, quote=False))


def fill(text: str, words: Mapping[str, str], *, markdown: bool = True) -> str:
    """`text` with each known placeholder replaced by its words (from `wording`).

    `markdown`: the text is rendered as Markdown, so the words are escaped to read literally;
    plain text is escaped by the template instead. Unknown placeholders stay as written
    (validation refuses them before publishing).
    """

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in words:
            return match.group(0)
        return markdown_literal(words[name]) if markdown else " ".join(words[name].split())

    return PLACEHOLDER.sub(replace, text or "")
