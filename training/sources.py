"""The guidance the library cites (training/library/sources.json). Pure: no Django.

Every decision of a library module names at least one source by key, with a section where
the document has them (FORMAT.md "Sources and review dates"). The file is the one place a
title, date or address is written, so a superseded document is marked once and the studio
can list every decision that still cites it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SOURCES_PATH = Path(__file__).resolve().parent / "library" / "sources.json"
CURRENT = "current"
SUPERSEDED = "superseded"
STATUSES = (CURRENT, SUPERSEDED)
# A day where it is known; a month or a year where only that is (never a guessed day).
DATE_PATTERN = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
REQUIRED_TEXT = ("key", "title", "publisher", "url", "status")


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    publisher: str
    url: str
    status: str = CURRENT
    date: str = ""  # "YYYY-MM-DD", "YYYY-MM" or "YYYY"; "" for a page kept current
    superseded_by: str = ""
    note: str = ""

    @property
    def is_superseded(self) -> bool:
        return self.status == SUPERSEDED


@dataclass(frozen=True)
class Citation:
    """A decision's reference to a source: its key and, optionally, where in it."""

    key: str
    section: str = ""


def sources_problems(data: Mapping[str, Any]) -> list[str]:
    """Every problem with a sources file, all at once (the content test reports them)."""
    problems: list[str] = []
    items = data.get("sources")
    if not isinstance(items, list) or not items:
        return ["sources: the file needs a non-empty list of sources"]
    keys = [item.get("key") for item in items if isinstance(item, Mapping)]
    for index, item in enumerate(items):
        where = f"sources[{index}]"
        if not isinstance(item, Mapping):
            problems.append(f"{where}: each source is an object")
            continue
        for name in REQUIRED_TEXT:
            if not isinstance(item.get(name), str) or not item[name].strip():
                problems.append(f"{where}.{name}: required")
        if keys.count(item.get("key")) > 1:
            problems.append(f'{where}.key: "{item.get("key")}" is used more than once')
        if item.get("status") not in STATUSES:
            problems.append(f"{where}.status: must be one of {', '.join(STATUSES)}")
        if not str(item.get("url", "")).startswith("https://"):
            problems.append(f"{where}.url: must be an https:// address")
        date = item.get("date", "")
        if date and not (isinstance(date, str) and DATE_PATTERN.fullmatch(date)):
            problems.append(f"{where}.date: must be YYYY-MM-DD, YYYY-MM or YYYY")
        successor = item.get("superseded_by", "")
        if successor and successor not in keys:
            problems.append(f'{where}.superseded_by: unknown source "{successor}"')
        if item.get("status") == SUPERSEDED and not successor:
            problems.append(f"{where}.superseded_by: name the source that replaces it")
    return problems


def sources_read(data: Mapping[str, Any]) -> dict[str, Source]:
    """The sources by key, in the file's order (the file is assumed valid: see the test)."""
    return {
        item["key"]: Source(
            key=item["key"],
            title=item["title"],
            publisher=item["publisher"],
            url=item["url"],
            status=item.get("status", CURRENT),
            date=item.get("date", ""),
            superseded_by=item.get("superseded_by", ""),
            note=item.get("note", ""),
        )
        for item in data["sources"]
    }


@cache
def library_sources() -> dict[str, Source]:
    """The sources file shipped with the code, read once per process."""
    return sources_read(json.loads(SOURCES_PATH.read_text(encoding="utf-8")))


def citations_of(value: Any) -> tuple[Citation, ...]:
    """A step's `sources` as citations; malformed entries (only in a draft) are left out."""
    if not isinstance(value, list | tuple):
        return ()
    return tuple(
        Citation(key=item["key"], section=str(item.get("section") or ""))
        for item in value
        if isinstance(item, Mapping) and isinstance(item.get("key"), str) and item["key"]
    )
