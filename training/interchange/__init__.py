"""Reading and writing module files (export and import). Pure: no ORM, no queries.

A module file is the library format (training/library/FORMAT.md) with a schema version in
`format`. `threshold-module/3`, what this site writes, gives each decision a band on two
routes and each choice both routes (DESIGN.md "Responses: two routes…"); like /2 it has
`indicator_catalogue` (the names of the indicators used, so a reader sees what the author
meant) and `source` (where and when the file was exported; informational). `/1` and `/2`
files, on the single response scale, are upgraded as they are read
(engine.upgrade_document) and every decision is listed for an author to review.

`document_read` never raises: it returns either the module, ready to write as a draft, or
every problem found, each as "path: detail" with the path in the document
(`scenarios[1].steps[4].choices[0].next: unknown step "s9"`), in document order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from training import engine
from training.interchange.reader import _parse, _Reader, _shown, _upgraded
from training.interchange.schema import (
    CURRENT_FORMAT,
    FIELD_ORDER,
    MAX_BYTES,
    MAX_STEPS,
    OLD_FORMATS,
    READABLE_FORMATS,
)

__all__ = ["MAX_BYTES", "MAX_STEPS", "ImportResult", "document_read", "document_write"]


@dataclass
class ImportResult:
    module: dict[str, Any] | None  # a `threshold-module/3` document; None when refused
    problems: list[str]  # "path: detail", in document order
    # Decision step keys an author should review: every decision of an upgraded /1 or /2 file.
    to_review: list[str] = field(default_factory=list)


def document_write(
    snapshot: Mapping[str, Any],
    *,
    authority_name: str,
    module_version: int | None,
    exported_at: datetime,
) -> dict[str, Any]:
    """A draft snapshot (`module_snapshot_build`'s shape) as a `threshold-module/3` file."""
    document = {
        **json.loads(json.dumps(snapshot)),  # a deep copy of plain JSON values
        "format": CURRENT_FORMAT,
        "source": {
            "authority": authority_name,
            "module_version": module_version,
            "exported_at": exported_at.isoformat(),
        },
    }
    document.setdefault("indicator_catalogue", {})
    return {name: document[name] for name in FIELD_ORDER if name in document}


def document_read(
    raw: bytes,
    *,
    known_indicators: Mapping[str, Mapping[str, str]],
    known_sources: Iterable[str] | None = None,
) -> ImportResult:
    """Check a module file, upgrading an older schema version, and list every problem.

    known_indicators maps each indicator key this site has to its "name" and "category";
    known_sources are the keys a decision may cite (training/library/sources.json).
    Steps: size, text, JSON, nesting, schema version, then every field's type and shape, then
    the graph rules publishing applies (`engine.find_problems`).
    """
    document, problem = _parse(raw)
    if problem:
        return ImportResult(None, [problem])
    reader = _Reader(document)
    reader.walk()  # nesting and repeated names, before anything else looks deeper
    if reader.too_deep:
        return ImportResult(None, reader.report())
    version = document.get("format")
    if version not in READABLE_FORMATS:
        readable = f"{', '.join(READABLE_FORMATS[:-1])} and {READABLE_FORMATS[-1]}"
        if "format" not in document:
            return ImportResult(
                None, [f"format: no schema version given; this site reads {readable}"]
            )
        shown = _shown(version)
        return ImportResult(
            None, [f"format: unknown schema version {shown}; this site reads {readable}"]
        )
    reader.check_module(version)
    if not reader.graph_safe:
        return ImportResult(None, reader.report())
    upgraded, to_review = engine.upgrade_document(document)
    reader.add_engine_problems(
        engine.find_problems(upgraded, known_indicators, known_sources),
        old=version in OLD_FORMATS,
    )
    if reader.problems:
        return ImportResult(None, reader.report())
    return ImportResult(_upgraded(upgraded, known_indicators), [], to_review)


# --- Reading the file ----------------------------------------------------------------------
