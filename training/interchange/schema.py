"""The module file's schema: formats, limits, field order and the fields of each kind."""

from __future__ import annotations

import re

from training import engine

MAX_BYTES = 2 * 1024 * 1024
# The format itself needs 7 levels (module, scenarios, scenario, steps, step, choices,
# choice); anything much deeper is not a module, and could exhaust the reader.
MAX_DEPTH = 20
# Ten times the largest starter module; keeps the graph rules quick on any file.
MAX_STEPS = 500
FORMAT_V1, FORMAT_V2 = engine.OLD_FORMATS
CURRENT_FORMAT = engine.FORMAT
READABLE_FORMATS = (FORMAT_V1, FORMAT_V2, CURRENT_FORMAT)
OLD_FORMATS = (FORMAT_V1, FORMAT_V2)

KEY_MAX_LENGTH = 80
TITLE_MAX_LENGTH = 200
CHOICE_TEXT_MAX_LENGTH = 300
INDICATOR_NAME_MAX_LENGTH = 120
INDICATOR_CATEGORY_MAX_LENGTH = 20
KEY_PATTERN = re.compile(r"[a-z0-9-]+")
# Top-level fields in the order a written file lists them.
FIELD_ORDER = (
    "format",
    "source",
    "key",
    "title",
    "summary",
    "audience",
    "minutes",
    "pass_mark",
    "refresher_months",
    "confidence_topic",
    "learning_outcomes",
    "min_decisions",
    "reviewed_on",
    "indicator_catalogue",
    "scenarios",
)
# Read and dropped: the library's file version, and FORMAT.md's "visibility" for modules
# loaded for an authority (an import is always its importer's own draft).
IGNORED_FIELDS = {
    FORMAT_V1: ("version", "visibility"),
    FORMAT_V2: ("version",),
    CURRENT_FORMAT: ("version",),
}
# Step fields that belong to one kind of step only.
KIND_FIELDS = (
    "next",
    "proportionate",
    "bands",
    "safety_critical",
    "explanation",
    "sources",
    "choices",
)
FIELDS_BY_KIND = {
    engine.NARRATIVE: ("next",),
    engine.DECISION: (
        "proportionate",
        "bands",
        "safety_critical",
        "explanation",
        "sources",
        "choices",
    ),
    engine.END: (),
}
# Where an old file said what the upgrade turned into bands and routes: the rules' problems
# with those are reported at the old field, in the old words.
OLD_FIELD_OF = {"bands": "proportionate", "safeguarding": "level", "prevent": "level"}
OLD_DETAIL_OF = {
    "proportionate": "say which response is proportionate",
    "level": "the choice has no response level",
}

Path = tuple[str | int, ...]
ELIDED = "…"  # ends a path too long to show in full
