"""Checking a parsed module file field by field, each problem at its path in the document."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import partial
from typing import Any

from training import engine, responses
from training.interchange.schema import (
    CHOICE_TEXT_MAX_LENGTH,
    CURRENT_FORMAT,
    ELIDED,
    FIELD_ORDER,
    FIELDS_BY_KIND,
    FORMAT_V1,
    IGNORED_FIELDS,
    INDICATOR_CATEGORY_MAX_LENGTH,
    INDICATOR_NAME_MAX_LENGTH,
    KEY_MAX_LENGTH,
    KEY_PATTERN,
    KIND_FIELDS,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_STEPS,
    OLD_DETAIL_OF,
    OLD_FIELD_OF,
    OLD_FORMATS,
    TITLE_MAX_LENGTH,
    Path,
)


class _Object(dict):
    """A JSON object that remembers names given more than once (json keeps only the last)."""

    repeated: tuple[str, ...] = ()


def _object_from_pairs(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object(pairs)
    if len(obj) != len(pairs):
        names = [name for name, _ in pairs]
        obj.repeated = tuple(dict.fromkeys(n for n in names if names.count(n) > 1))
    return obj


def _parse(raw: bytes) -> tuple[Any, str]:
    """The JSON value in the file, or the one problem that stops it being read."""
    if len(raw) > MAX_BYTES:
        return None, (
            f"file: too large ({len(raw) / 1024 / 1024:.1f} MB); "
            f"the largest module file this site reads is {MAX_BYTES // 1024 // 1024} MB"
        )
    try:
        text = raw.decode("utf-8-sig")  # a byte order mark from Windows editors is fine
    except UnicodeDecodeError:
        return None, "file: not UTF-8 text"
    if not text.strip():
        return None, "file: is empty"
    try:
        document = json.loads(text, object_pairs_hook=_object_from_pairs)
    except json.JSONDecodeError as error:
        return (
            None,
            f"file: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})",
        )
    except RecursionError:
        return None, f"file: nested more than {MAX_DEPTH} levels deep"
    except ValueError as error:  # e.g. a number with more digits than Python converts
        return None, f"file: not valid JSON ({error})"
    if not isinstance(document, dict):
        return None, f"file: must be a JSON object (one module), not {_kind_of(document)}"
    return document, ""


def _upgraded(document: dict[str, Any], known: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """The current format, in the written order; a version 1 file gains what later ones add."""
    upgraded = dict(document, format=CURRENT_FORMAT)
    if "indicator_catalogue" not in upgraded:
        upgraded["indicator_catalogue"] = {
            key: {"name": known[key]["name"], "category": known[key]["category"]}
            for key in engine.indicators_of(document)
            if key in known
        }
    upgraded.setdefault("source", {"authority": "", "module_version": None, "exported_at": None})
    return {name: upgraded[name] for name in FIELD_ORDER if name in upgraded}


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    names = {str: "text", list: "a list", dict: "an object", type(None): "null"}
    return next(name for kind, name in names.items() if isinstance(value, kind))


def _shown(value: Any) -> str:
    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= 60 else f"{shown[:57]}…"


def _path_text(path: Path) -> str:
    text = ""
    for segment in path:
        if isinstance(segment, int):
            text += f"[{segment}]"
        else:
            text += segment if segment == ELIDED else f".{segment}"
    return text.lstrip(".")


class _Reader:
    """Walks a parsed document once for each kind of check, collecting (path, detail)."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.problems: list[tuple[Path, str]] = []
        self.too_deep = False
        # Off once a container or a field the graph rules read has the wrong type: the
        # rules would misread it, and its own problem is already listed.
        self.graph_safe = True
        self.version = CURRENT_FORMAT

    def add(self, path: Path, detail: str) -> None:
        self.problems.append((path, detail))

    def wrong_type(self, path: Path, detail: str) -> None:
        self.add(path, detail)
        if path[:1] == ("scenarios",):
            self.graph_safe = False

    def report(self) -> list[str]:
        """Problems in document order (stable: a missing field sorts after its siblings)."""
        ordered = sorted(self.problems, key=lambda problem: self._position(problem[0]))
        return [f"{_path_text(path) or 'file'}: {detail}" for path, detail in ordered]

    def _position(self, path: Path) -> tuple[int, ...]:
        position: list[int] = []
        value: Any = self.document
        for segment in path:
            if isinstance(value, dict) and segment in value:
                position.append(list(value).index(segment))
                value = value[segment]
            elif isinstance(value, list) and isinstance(segment, int) and segment < len(value):
                position.append(segment)
                value = value[segment]
            else:  # not in the document (a missing field): after what is there
                position.append(len(value) if isinstance(value, dict | list) else 0)
                value = None
        return tuple(position)

    # --- 1. Nesting and repeated names: iterative, so no depth can exhaust the stack ----

    def walk(self) -> None:
        stack: list[tuple[Any, Path]] = [(self.document, ())]
        while stack:
            value, path = stack.pop()
            if isinstance(value, dict | list) and len(path) >= MAX_DEPTH:
                shown = path if len(path) <= 8 else (*path[:8], ELIDED)
                self.add(shown, f"nested more than {MAX_DEPTH} levels deep")
                self.too_deep = True
                return
            if isinstance(value, _Object):
                for name in value.repeated:
                    self.add((*path, name), "given more than once in the same object")
            if isinstance(value, dict):
                stack += [(value[name], (*path, name)) for name in reversed(value)]
            elif isinstance(value, list):
                stack += [(value[i], (*path, i)) for i in reversed(range(len(value)))]

    # --- 2. Fields, types and lengths -------------------------------------------------------

    def check_module(self, version: str) -> None:
        fields: dict[str, Callable[[Any, Path], None]] = {
            "format": lambda value, path: None,
            "key": self.key,
            "title": partial(self.text, max_length=TITLE_MAX_LENGTH),
            "summary": partial(self.text, required=True),
            "audience": partial(self.text, max_length=TITLE_MAX_LENGTH),
            "minutes": partial(self.whole, low=1, high=600),
            "pass_mark": self.pass_mark,
            "refresher_months": partial(self.whole, low=1, high=120),
            "confidence_topic": partial(self.text, max_length=TITLE_MAX_LENGTH, required=True),
            "learning_outcomes": self.outcomes,
            "indicator_catalogue": self.catalogue,
            "scenarios": self.scenarios,
        }
        optional = {"audience", "indicator_catalogue"}
        if version != FORMAT_V1:
            fields["source"] = self.source
            optional = {"audience", "source"}
        if version == CURRENT_FORMAT:
            fields["min_decisions"] = partial(self.whole, low=1, high=MAX_STEPS)
            fields["reviewed_on"] = self.text  # the rules check it is a date
            optional |= {"min_decisions", "reviewed_on"}
        self.version = version
        required = [name for name in fields if name not in optional]
        self.fields(self.document, (), fields, required, IGNORED_FIELDS[version])

    def fields(
        self,
        value: Any,
        path: Path,
        fields: Mapping[str, Callable[[Any, Path], None]],
        required: list[str],
        ignored: tuple[str, ...] = (),
    ) -> None:
        if not isinstance(value, dict):
            self.wrong_type(path, "must be an object")
            return
        for name in value:
            if name not in fields and name not in ignored:
                self.add((*path, name), "unknown field")
        for name, check in fields.items():
            if name in value:
                check(value[name], (*path, name))
            elif name in required:
                self.add((*path, name), "is required")

    def text(
        self,
        value: Any,
        path: Path,
        *,
        max_length: int | None = None,
        required: bool = False,
        one_line: bool = False,
    ) -> bool:
        if not isinstance(value, str):
            self.wrong_type(path, "must be text")
            return False
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate written as \ud800
            self.add(path, "must be valid Unicode text")
            return False
        if "\x00" in value:  # PostgreSQL cannot store it
            self.add(path, "must not contain NUL characters")
        elif max_length is not None and len(value) > max_length:
            self.add(path, f"must be at most {max_length} characters (it has {len(value)})")
        elif required and not value.strip():
            self.add(path, "must not be empty")
        elif one_line and "\n" in value:
            self.add(path, "must be one line")
        else:
            return True
        return False

    def whole(self, value: Any, path: Path, *, low: int, high: int, detail: str = "") -> None:
        # bool is an int in Python, but true is not a number of minutes
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.add(path, detail or f"must be a whole number from {low} to {high}")

    def pass_mark(self, value: Any, path: Path) -> None:
        # Worded as the graph rules word it, so the two reports of it collapse into one.
        self.whole(
            value, path, low=1, high=100, detail="must be a whole percentage between 1 and 100"
        )

    def key(self, value: Any, path: Path) -> None:
        if not self.text(value, path, required=True):
            return
        if len(value) > KEY_MAX_LENGTH or not KEY_PATTERN.fullmatch(value):
            self.add(
                path,
                f"must be lowercase letters, digits and hyphens, at most {KEY_MAX_LENGTH} long",
            )

    def list_of(self, value: Any, path: Path, check: Callable[[Any, Path], None]) -> None:
        if not isinstance(value, list):
            self.wrong_type(path, "must be a list")
            return
        for index, item in enumerate(value):
            check(item, (*path, index))

    def outcomes(self, value: Any, path: Path) -> None:
        # Stored one per line: a line break inside one would come back as two.
        self.list_of(value, path, partial(self.text, required=True, one_line=True))
        if isinstance(value, list) and not value:
            self.add(path, "must list at least one learning outcome")

    def catalogue(self, value: Any, path: Path) -> None:
        entry = {
            "name": partial(self.text, max_length=INDICATOR_NAME_MAX_LENGTH, required=True),
            "category": partial(self.text, max_length=INDICATOR_CATEGORY_MAX_LENGTH, required=True),
        }
        if not isinstance(value, dict):
            self.wrong_type(path, "must be an object")
            return
        for key, item in value.items():
            self.fields(item, (*path, key), entry, ["name", "category"])

    def source(self, value: Any, path: Path) -> None:
        fields = {
            "authority": partial(self.text, max_length=TITLE_MAX_LENGTH),
            "module_version": self.module_version,
            "exported_at": self.moment,
        }
        self.fields(value, path, fields, [])

    def module_version(self, value: Any, path: Path) -> None:
        if value is not None:
            self.whole(value, path, low=1, high=2**31 - 1, detail="must be a whole number or null")

    def moment(self, value: Any, path: Path) -> None:
        if value is None:
            return
        try:
            datetime.fromisoformat(value if isinstance(value, str) else "")
        except ValueError:
            self.add(path, "must be an ISO 8601 date and time, or null")

    def scenarios(self, value: Any, path: Path) -> None:
        seen: set[str] = set()
        self.list_of(value, path, partial(self.scenario, seen=seen))
        if not isinstance(value, list):
            return
        steps = sum(
            len(scenario["steps"])
            for scenario in value
            if isinstance(scenario, dict) and isinstance(scenario.get("steps"), list)
        )
        # The graph rules take time growing with the square of the steps in a loop.
        if steps > MAX_STEPS:
            self.add(path, f"a module has at most {MAX_STEPS} steps (this one has {steps})")
            self.graph_safe = False

    def scenario(self, value: Any, path: Path, *, seen: set[str]) -> None:
        fields = {
            "key": self.key,
            "title": partial(self.text, max_length=TITLE_MAX_LENGTH, required=True),
            "steps": partial(self.list_of, check=self.step),
        }
        self.fields(value, path, fields, list(fields))
        key = value.get("key") if isinstance(value, dict) else None
        if isinstance(key, str) and key in seen:
            self.add((*path, "key"), f'the key "{key}" is used by more than one scenario')
        elif isinstance(key, str):
            seen.add(key)

    def step(self, value: Any, path: Path) -> None:
        fields: dict[str, Callable[[Any, Path], None]] = {
            "key": self.key,
            "kind": self.kind,
            "title": partial(self.text, max_length=TITLE_MAX_LENGTH, required=True),
            "body": partial(self.text, required=True),
            "indicators": self.indicators,
            "next": partial(self.text, max_length=KEY_MAX_LENGTH),
            "explanation": self.text,
            "choices": partial(self.list_of, check=self.choice),
        }
        if self.version in OLD_FORMATS:
            fields["proportionate"] = self.old_level
        else:
            fields["bands"] = self.bands
            fields["safety_critical"] = self.flag
            fields["sources"] = partial(self.list_of, check=self.citation)
        self.fields(value, path, fields, ["key", "kind", "title", "body"])
        kind = value.get("kind") if isinstance(value, dict) else None
        if not isinstance(kind, str) or kind not in FIELDS_BY_KIND:
            return
        for name in KIND_FIELDS:
            if name in value and name not in FIELDS_BY_KIND[kind]:
                self.add((*path, name), f"not used on {kind} steps")

    def kind(self, value: Any, path: Path) -> None:
        # Any value is safe for the graph rules, which report an unknown kind themselves.
        if not isinstance(value, str) or value not in engine.STEP_KINDS:
            self.add(path, f"must be one of {', '.join(engine.STEP_KINDS)}")

    def indicators(self, value: Any, path: Path) -> None:
        self.list_of(value, path, self.text)
        seen: set[str] = set()
        for index, item in enumerate(value if isinstance(value, list) else []):
            if isinstance(item, str) and item in seen:  # a step is tagged once per indicator
                self.add((*path, index), f'"{item}" is listed more than once')
            elif isinstance(item, str):
                seen.add(item)

    def choice(self, value: Any, path: Path) -> None:
        fields: dict[str, Callable[[Any, Path], None]] = {
            "text": partial(self.text, max_length=CHOICE_TEXT_MAX_LENGTH),
            "feedback": self.text,
            "next": partial(self.text, max_length=KEY_MAX_LENGTH),
        }
        if self.version in OLD_FORMATS:
            fields["level"] = self.old_level
        else:
            fields["safeguarding"] = self.text
            fields["prevent"] = self.text
            fields["actions"] = partial(self.list_of, check=self.text)
            fields["error"] = self.text
        self.fields(value, path, fields, [])

    def citation(self, value: Any, path: Path) -> None:
        """One source a decision cites; the rules check its key is a known source."""
        fields = {
            "key": partial(self.text, max_length=KEY_MAX_LENGTH, required=True),
            "section": partial(self.text, max_length=TITLE_MAX_LENGTH, one_line=True),
        }
        self.fields(value, path, fields, ["key"])

    def old_level(self, value: Any, path: Path) -> None:
        """A level of the old single scale, which the upgrade reads onto the two routes."""
        if not self.text(value, path):
            return
        if value and value not in responses.OLD_LEVELS:
            self.add(path, f"must be one of {', '.join(responses.OLD_LEVELS)}")

    def bands(self, value: Any, path: Path) -> None:
        """An object of routes, each [lowest, highest]; the rules check the keys in them."""
        if not isinstance(value, dict):
            self.wrong_type(path, "must be an object")
            return
        for route, band in value.items():
            if route not in responses.ROUTES:
                self.add((*path, route), "unknown route")
            elif not isinstance(band, list) or not all(isinstance(end, str) for end in band):
                self.wrong_type((*path, route), "must be a list of two responses")

    def flag(self, value: Any, path: Path) -> None:
        if not isinstance(value, bool):
            self.add(path, "must be true or false")

    # --- 3. The graph rules publishing applies ----------------------------------------------

    def _old_value(self, problem: engine.Problem, name: str) -> Any:
        """What an old file gave at a step's (or its choice's) single-scale field."""
        try:
            step = self.document["scenarios"][problem.scenario_index]["steps"][problem.step_index]
            if problem.choice_index is not None:
                step = step["choices"][problem.choice_index]
            return step.get(name)
        except (IndexError, KeyError, TypeError, AttributeError):
            return None

    def add_engine_problems(self, problems: list[engine.Problem], *, old: bool = False) -> None:
        """Add the rules' problems, except where a field's own problem is already listed.
        For an upgraded old file, problems with the bands and routes the upgrade made are
        reported at the old field they came from."""
        listed = {path for path, _ in self.problems}
        for problem in problems:
            detail = problem.detail
            field_name = problem.field
            if old and field_name.split(".")[0] in OLD_FIELD_OF:
                field_name = OLD_FIELD_OF[field_name.split(".")[0]]
                if not self._old_value(problem, field_name):  # missing: in the old words
                    detail = OLD_DETAIL_OF[field_name]
            path: Path = ()
            for name, index in (
                ("scenarios", problem.scenario_index),
                ("steps", problem.step_index),
                ("choices", problem.choice_index),
            ):
                if index is not None:
                    path += (name, index)
            if field_name:
                path += (field_name,)
            if path not in listed:
                self.add(path, detail)
                listed.add(path)
