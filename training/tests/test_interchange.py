"""Exporting modules as files and importing them: lossless, all or nothing, every problem listed."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from portal import services as portal_services
from portal.models import AuditAction, AuditEvent
from training import engine, interchange
from training.models import Choice, Module, ModuleVersion, Scenario, Step
from training.services import indicators_load, module_snapshot_build
from training.services.interchange import ImportRefused, module_export, module_import
from training.tests.factories import INDICATORS, small_module, small_module_v1

LIBRARY = Path(__file__).resolve().parents[1] / "library"
MODULE_FILES = sorted((LIBRARY / "modules").glob("*.json"))
# The library as it shipped on the old single scale (threshold-module/1), frozen: sites hold
# exports and published versions of these, and must go on reading them.
OLD_LIBRARY_FILES = sorted((Path(__file__).parent / "data" / "library-v1").glob("*.json"))
EXPORTED_AT = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def _document(**changes: Any) -> dict[str, Any]:
    """The small test module as a current-format file."""
    snapshot = small_module()
    snapshot["indicator_catalogue"] = {
        item["key"]: {"name": item["name"], "category": item["category"]}
        for item in INDICATORS["indicators"]
    }
    document = interchange.document_write(
        snapshot, authority_name="Wealdshire", module_version=3, exported_at=EXPORTED_AT
    )
    document.update(changes)
    return document


def _raw(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def _rows() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Module, Scenario, Step, Choice, ModuleVersion, AuditEvent)
    }


def _without_key(document: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in document.items() if name not in ("key", "source")}


@pytest.fixture
def indicators(db):
    indicators_load(data=INDICATORS)


@pytest.fixture
def library_indicators(db):
    indicators_load(data=json.loads((LIBRARY / "indicators.json").read_text(encoding="utf-8")))


@pytest.fixture
def import_file(authority, carol):
    def run(raw: bytes) -> Module:
        return module_import(raw=raw, authority=authority, by=carol).module

    return run


@pytest.fixture
def refused(indicators, import_file):
    """Import a file that must be refused; return its problems, having checked nothing was
    saved."""

    def run(raw: bytes) -> list[str]:
        before = _rows()
        with pytest.raises(ImportRefused) as refusal:
            import_file(raw)
        assert _rows() == before
        return refusal.value.problems

    return run


# --- Round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", MODULE_FILES, ids=lambda p: p.stem)
def test_it_round_trips_every_starter_module_losslessly(path, db, authority, carol):
    call_command("load_library", verbosity=0)
    original = Module.objects.get(key=path.stem)

    name, first = module_export(module=original)
    copy = module_import(raw=first, authority=authority, by=carol).module
    _, second = module_export(module=copy)

    assert name == f"{path.stem}.threshold.json"
    assert copy.key == f"{path.stem}-2"
    assert _without_key(json.loads(second)) == _without_key(json.loads(first))
    assert _without_key(module_snapshot_build(module=copy)) == _without_key(
        module_snapshot_build(module=original)
    )


def test_it_records_where_an_export_came_from(db, authority, carol):
    call_command("load_library", verbosity=0)
    original = Module.objects.get(key=MODULE_FILES[0].stem)
    copy = module_import(
        raw=module_export(module=original)[1], authority=authority, by=carol
    ).module

    first = json.loads(module_export(module=original)[1])
    second = json.loads(module_export(module=copy)[1])

    assert first["format"] == "threshold-module/3"
    assert (first["source"]["authority"], first["source"]["module_version"]) == ("", 1)
    assert second["source"]["authority"] == "Northbridge City Council"
    assert second["source"]["module_version"] is None
    assert datetime.fromisoformat(second["source"]["exported_at"]).tzinfo is not None
    assert "version" not in first


def test_it_exports_readable_utf8_json(module):
    module.title = "Jo’s bedroom door"
    module.save(update_fields=["title"])

    _, raw = module_export(module=module)

    text = raw.decode("utf-8")
    assert '\n  "title": "Jo’s bedroom door",\n' in text
    assert list(json.loads(text))[:3] == ["format", "source", "key"]
    assert list(json.loads(text))[-1] == "scenarios"


def test_it_imports_a_valid_file_as_a_new_draft_of_the_importers_authority(
    indicators, authority, carol
):
    imported = module_import(raw=_raw(_document()), authority=authority, by=carol).module

    assert imported.key == "test-module"
    assert imported.authority == authority
    assert imported.visibility == Module.Visibility.AUTHORITY
    assert imported.created_by == carol
    assert imported.has_unpublished_changes is True
    assert imported.library_version is None
    assert not imported.versions.exists()
    assert imported.learning_outcomes == "Spot a grievance\nRespond in proportion"


def test_it_refuses_an_import_by_someone_who_cannot_write_the_authoritys_modules(
    indicators, authority, alice, charlie
):
    for person in (alice, charlie):
        with pytest.raises(PermissionDenied):
            module_import(raw=_raw(_document()), authority=authority, by=person)

    assert not Module.objects.exists()


@pytest.mark.parametrize("path", OLD_LIBRARY_FILES, ids=lambda p: p.stem)
def test_it_upgrades_a_version_1_library_file(path, library_indicators, import_file):
    # As the file reads through the mapping to the two routes (engine.upgrade_document).
    data, _ = engine.upgrade_document(json.loads(path.read_text(encoding="utf-8")))

    imported = import_file(path.read_bytes())

    snapshot = module_snapshot_build(module=imported)
    catalogue = snapshot.pop("indicator_catalogue")
    data.pop("version")
    assert snapshot.pop("min_decisions") == data.pop("min_decisions", 4)
    for document in (snapshot, data):
        document.pop("format")
        for scenario in document["scenarios"]:
            for step in scenario["steps"]:
                # A draft lists a step's indicators in the taxonomy's order, and an end step's
                # as none; the file may list them in any order, or leave them out.
                step["indicators"] = sorted(step.get("indicators", []))
    assert snapshot == data
    assert set(catalogue) == set(_indicator_keys(data))
    exported = json.loads(module_export(module=imported)[1])
    assert exported["indicator_catalogue"] == catalogue


def _indicator_keys(module: dict[str, Any]) -> list[str]:
    return [
        key
        for scenario in module["scenarios"]
        for step in scenario["steps"]
        for key in step.get("indicators", [])
    ]


def test_it_ignores_the_library_version_number(indicators, import_file):
    imported = import_file(_raw(_document(version=7)))

    assert imported.library_version is None


def test_it_accepts_a_byte_order_mark(indicators, import_file):
    imported = import_file(b"\xef\xbb\xbf" + _raw(_document()))

    assert imported.key == "test-module"


def test_it_writes_an_audit_event(indicators, import_file, carol, authority):
    import_file(_raw(_document()))

    event = AuditEvent.objects.get(action=AuditAction.MODULE_IMPORTED)
    assert (event.actor, event.authority) == (carol, authority)
    assert event.detail == {
        "module": "Jo's bedroom door",
        "key": "test-module",
        "from": "Wealdshire",
    }


# --- Old formats: upgraded through the mapping, every decision listed for review ----------


@pytest.mark.parametrize("version", ["threshold-module/1", "threshold-module/2"])
def test_it_upgrades_an_old_file_and_lists_every_decision_to_review(
    indicators, authority, carol, version
):
    data = small_module_v1(format=version)
    if version == "threshold-module/2":
        data["indicator_catalogue"] = {}

    imported = module_import(raw=_raw(data), authority=authority, by=carol)

    assert imported.to_review == ["o1", "o2", "o3", "o4"]
    o3 = imported.module.scenarios.get().steps.get(key="o3")
    assert (o3.safeguarding_band_low, o3.safeguarding_band_high) == ("child_protection",) * 2
    assert (o3.prevent_band_low, o3.prevent_band_high, o3.safety_critical) == (
        "none",
        "none",
        False,
    )
    assert [(c.safeguarding, c.prevent) for c in o3.choices.all()] == [
        ("family_help", "none"),
        ("child_protection", "none"),
    ]


def test_it_lists_nothing_to_review_in_a_current_file(indicators, authority, carol):
    imported = module_import(raw=_raw(_document()), authority=authority, by=carol)

    assert imported.to_review == []


def test_it_reports_an_old_level_it_cannot_map_at_the_old_field(refused):
    data = small_module_v1()
    data["scenarios"][0]["steps"][0]["choices"][0]["level"] = "early_helpp"
    data["scenarios"][0]["steps"][1]["proportionate"] = ""

    assert refused(_raw(data)) == [
        "scenarios[0].steps[0].choices[0].level: must be one of no_further_action, "
        "monitor_and_record, universal_support, early_help, statutory_social_care, "
        "prevent_referral, police_emergency",
        "scenarios[0].steps[1].proportionate: say which response is proportionate",
    ]


def test_it_refuses_a_current_file_with_an_unknown_route_action_or_error(refused):
    document = _document()
    choice = document["scenarios"][0]["steps"][1]["choices"][0]
    choice.update(prevent="maybe", actions=["shout"], error="typo")

    problems = refused(_raw(document))

    assert problems == [
        'scenarios[0].steps[1].choices[0].prevent: unknown Prevent route "maybe"',
        'scenarios[0].steps[1].choices[0].actions: unknown action "shout"',
        'scenarios[0].steps[1].choices[0].error: unknown practice error "typo"',
    ]


def test_it_refuses_a_module_whose_shortest_path_answers_too_few_decisions(refused):
    assert refused(_raw(_document(min_decisions=4))) == [
        "min_decisions: the shortest path answers 3 decisions (d1, d2, p2-d1); every path must "
        "answer at least 4"
    ]


def test_it_shows_the_decisions_to_review_after_importing_an_old_file(
    verified_client, indicators, carol
):
    client = verified_client(carol)
    raw = _raw(small_module_v1())
    upload = SimpleUploadedFile("old.json", raw, content_type="application/json")

    response = client.post(reverse("training:studio-import"), {"file": upload}, follow=True)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Decisions to review" in page
    for key in ("o1", "o2", "o3", "o4"):
        step = Step.objects.get(key=key, scenario__module__key="old-module")
        assert reverse("training:studio-step", args=[step.pk]) in page


# --- Keys ----------------------------------------------------------------------------------


def test_it_gives_a_taken_key_a_number(module, import_file):
    first = import_file(_raw(_document()))
    second = import_file(_raw(_document()))

    assert (module.key, first.key, second.key) == ("test-module", "test-module-2", "test-module-3")


def test_it_keeps_a_numbered_key_within_80_characters(indicators, import_file):
    long_key = "a" * 79 + "b"
    import_file(_raw(_document(key=long_key)))

    second = import_file(_raw(_document(key=long_key)))

    assert second.key == "a" * 78 + "-2"


# --- Refusals: nothing is created ----------------------------------------------------------


def test_it_refuses_a_file_that_is_not_json_with_line_and_column(refused):
    raw = b'{\n  "format": "threshold-module/2",\n  "key" "test-module"\n}'

    assert refused(raw) == ["file: not valid JSON (line 3, column 9: Expecting ':' delimiter)"]


def test_it_refuses_a_file_that_is_not_utf8(refused):
    assert refused(_raw(_document(title="Jo")).replace(b"Jo", b"J\xf6")) == ["file: not UTF-8 text"]


def test_it_refuses_an_empty_file(refused):
    assert refused(b"  \n") == ["file: is empty"]


def test_it_refuses_a_list_at_the_top_level(refused):
    assert refused(_raw([_document()])) == ["file: must be a JSON object (one module), not a list"]


def test_it_lists_every_wrong_type_by_its_path(refused):
    document = _document(title=12, minutes="ten", refresher_months=True)
    document["scenarios"][0]["steps"][1]["choices"] = "Nothing, or the DSL"
    document["learning_outcomes"][1] = ["Respond"]

    assert refused(_raw(document)) == [
        "title: must be text",
        "minutes: must be a whole number from 1 to 600",
        "refresher_months: must be a whole number from 1 to 120",
        "learning_outcomes[1]: must be text",
        "scenarios[0].steps[1].choices: must be a list",
    ]


def test_it_refuses_true_where_a_number_belongs(refused):
    assert refused(_raw(_document(pass_mark=True))) == [
        "pass_mark: must be a whole percentage between 1 and 100"
    ]


def test_it_names_a_dangling_reference_by_its_path(refused):
    document = _document()
    document["scenarios"][1]["steps"] = [
        {"key": f"p2-n{n}", "kind": "narrative", "title": "On", "body": "…", "next": f"p2-n{n + 1}"}
        for n in range(1, 4)
    ] + [
        {"key": "p2-n4", "kind": "narrative", "title": "On", "body": "…", "next": "p2-d1"},
        {
            "key": "p2-d1",
            "kind": "decision",
            "title": "Six months on",
            "body": "What now?",
            "bands": {"safeguarding": ["none", "none"], "prevent": ["none", "none"]},
            "explanation": "Nothing new.",
            "choices": [
                {
                    "text": "Leave it",
                    "safeguarding": "none",
                    "prevent": "none",
                    "feedback": ".",
                    "next": "s9",
                },
                {
                    "text": "Record",
                    "safeguarding": "record",
                    "prevent": "none",
                    "feedback": ".",
                    "next": "p2-end",
                },
            ],
        },
        {"key": "p2-end", "kind": "end", "title": "The end", "body": "Jo is fine."},
    ]

    assert refused(_raw(document)) == ['scenarios[1].steps[4].choices[0].next: unknown step "s9"']


def test_it_lists_shape_and_graph_problems_together_in_document_order(refused):
    document = _document(title=["Jo"])
    document["scenarios"][0]["steps"][2]["choices"][0]["next"] = "nowhere"
    document["scenarios"][0]["steps"][0]["title"] = "x" * 201
    document["scenarios"][1]["steps"][0]["choices"][2]["text"] = "y" * 301

    assert refused(_raw(document)) == [
        "title: must be text",
        "scenarios[0].steps[0].title: must be at most 200 characters (it has 201)",
        'scenarios[0].steps[2].choices[0].next: unknown step "nowhere"',
        "scenarios[1].steps[0].choices[2].text: must be at most 300 characters (it has 301)",
    ]


def test_it_refuses_a_missing_required_field(refused):
    document = _document()
    del document["summary"]
    del document["scenarios"][0]["steps"][3]["body"]

    assert refused(_raw(document)) == [
        "scenarios[0].steps[3].body: is required",
        "summary: is required",
    ]


def test_it_refuses_an_unknown_field(refused):
    document = _document(owner="Wealdshire")
    document["scenarios"][0]["steps"][0]["colour"] = "red"

    assert refused(_raw(document)) == [
        "scenarios[0].steps[0].colour: unknown field",
        "owner: unknown field",
    ]


def test_it_refuses_a_field_of_another_kind_of_step(refused):
    document = _document()
    document["scenarios"][0]["steps"][1]["next"] = "d2"
    document["scenarios"][0]["steps"][3]["choices"] = []

    assert refused(_raw(document)) == [
        "scenarios[0].steps[1].next: not used on decision steps",
        "scenarios[0].steps[3].choices: not used on end steps",
    ]


def test_it_refuses_an_unknown_step_kind(refused):
    document = _document()
    document["scenarios"][0]["steps"][3]["kind"] = "ending"

    assert refused(_raw(document)) == [
        "scenarios[0].steps[3].kind: must be one of narrative, decision, end"
    ]


def test_it_refuses_an_unknown_indicator(refused):
    document = _document()
    document["scenarios"][0]["steps"][0]["indicators"] = ["isolation", "loneliness", "isolation"]

    assert refused(_raw(document)) == [
        'scenarios[0].steps[0].indicators: unknown indicator "loneliness"',
        'scenarios[0].steps[0].indicators[2]: "isolation" is listed more than once',
    ]


def test_it_reports_a_version_1_files_unknown_indicator(refused):
    document = small_module_v1()
    document["scenarios"][0]["steps"][0]["indicators"] = ["loneliness"]

    assert refused(_raw(document)) == [
        'scenarios[0].steps[0].indicators: unknown indicator "loneliness"'
    ]


def test_it_refuses_bad_keys_and_a_repeated_scenario_key(refused):
    document = _document(key="Test Module")
    document["scenarios"][1]["key"] = "part-1"
    document["scenarios"][0]["steps"][0]["key"] = "intro_1"

    assert refused(_raw(document)) == [
        "key: must be lowercase letters, digits and hyphens, at most 80 long",
        "scenarios[0].steps[0].key: must be lowercase letters, digits and hyphens, at most 80 long",
        'scenarios[1].key: the key "part-1" is used by more than one scenario',
    ]


def test_it_refuses_text_the_database_cannot_keep(refused):
    document = _document(summary="A\x00B")
    document["learning_outcomes"][0] = "Spot one\nand another"

    assert refused(_raw(document)) == [
        "summary: must not contain NUL characters",
        "learning_outcomes[0]: must be one line",
    ]


def test_it_refuses_a_name_given_twice_in_one_object(refused):
    raw = _raw(_document()).replace(b'"title": "Jo', b'"title": "Sam", "title": "Jo', 1)

    assert refused(raw) == ["title: given more than once in the same object"]


def test_it_refuses_a_bad_source_and_catalogue(refused):
    document = _document(source={"authority": "Wealdshire", "module_version": "3"})
    document["indicator_catalogue"]["isolation"] = {"name": "Isolation"}

    assert refused(_raw(document)) == [
        "source.module_version: must be a whole number or null",
        "indicator_catalogue.isolation.category: is required",
    ]


def test_it_refuses_a_file_over_the_size_limit(refused):
    raw = _raw(_document(summary="x" * (10 * 1024 * 1024)))

    assert refused(raw) == [
        "file: too large (10.0 MB); the largest module file this site reads is 2 MB"
    ]


def test_it_refuses_deeply_nested_lists(refused):
    assert refused(b"[" * 10_000 + b"]" * 10_000) == ["file: nested more than 20 levels deep"]


def test_it_refuses_deep_nesting_inside_a_module(refused):
    document = _document()
    document["scenarios"][0]["steps"][0]["body"] = json.loads('{"a": ' * 200 + "1" + "}" * 200)

    assert refused(_raw(document)) == [
        "scenarios[0].steps[0].body.a.a.a…: nested more than 20 levels deep"
    ]


def test_it_refuses_an_unknown_schema_version(refused):
    assert refused(_raw(_document(format="threshold-module/9"))) == [
        'format: unknown schema version "threshold-module/9"; '
        "this site reads threshold-module/1, threshold-module/2 and threshold-module/3"
    ]


def test_it_refuses_a_file_without_a_schema_version(refused):
    document = _document()
    del document["format"]

    assert refused(_raw(document)) == [
        "format: no schema version given; "
        "this site reads threshold-module/1, threshold-module/2 and threshold-module/3"
    ]


def test_it_refuses_a_schema_version_that_is_not_text(refused):
    assert refused(_raw(_document(format=2))) == [
        "format: unknown schema version 2; this site reads threshold-module/1, "
        "threshold-module/2 and threshold-module/3"
    ]


def test_it_saves_nothing_when_the_last_write_fails(indicators, import_file, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(portal_services, "audit_record", fail)
    before = _rows()

    with pytest.raises(RuntimeError):
        import_file(_raw(_document()))

    assert _rows() == before


# --- The pure reader ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", [b"12", b'"a module"', b"null", b"true", b"{}", b'{"format": null}', b"[[[[]]]]"]
)
def test_it_never_raises_on_odd_documents(raw):
    result = interchange.document_read(raw, known_indicators={})

    assert result.module is None
    assert result.problems


def test_it_reads_the_current_format_back_as_written():
    document = _document()
    known = document["indicator_catalogue"]

    result = interchange.document_read(_raw(document), known_indicators=known)

    assert result.problems == []
    assert result.module == document


def test_it_refuses_more_steps_than_a_module_needs(refused):
    document = _document()
    document["scenarios"][0]["steps"][0:0] = [
        {"key": f"s{n}", "kind": "narrative", "title": "On", "body": ".", "next": f"s{n + 1}"}
        for n in range(interchange.MAX_STEPS)
    ]

    assert refused(_raw(document)) == [
        "scenarios: a module has at most 500 steps (this one has 507)"
    ]


def test_it_keeps_an_imported_version_1_module_to_its_authority(indicators, import_file):
    imported = import_file(_raw(small_module_v1(visibility="shared")))

    assert imported.visibility == Module.Visibility.AUTHORITY
