"""What changed between two module snapshots, for a version's history. Pure: no database."""

from __future__ import annotations

import json
from typing import Any

from training.tests.factories import small_module
from training.version_diff import VersionChanges, version_changes


def _step(module: dict[str, Any], key: str) -> dict[str, Any]:
    return next(
        step for scenario in module["scenarios"] for step in scenario["steps"] if step["key"] == key
    )


def _choice(text: str, next_key: str) -> dict[str, Any]:
    return {"text": text, "level": "early_help", "feedback": "Because.", "next": next_key}


def _with_new_end(module: dict[str, Any], key: str) -> dict[str, Any]:
    module["scenarios"][0]["steps"].append({"key": key, "kind": "end", "title": "New", "body": "."})
    return module


# --- Steps --------------------------------------------------------------------------------


def test_it_finds_no_change_between_identical_snapshots():
    changes = version_changes(small_module(), small_module())

    assert changes.is_empty
    assert changes == VersionChanges()


def test_it_lists_added_steps_in_reading_order():
    current = _with_new_end(_with_new_end(small_module(), "end-c"), "end-d")

    assert version_changes(small_module(), current).steps_added == ("end-c", "end-d")


def test_it_lists_removed_steps():
    current = small_module()
    current["scenarios"][1]["steps"].pop()

    assert version_changes(small_module(), current).steps_removed == ("p2-end",)


def test_it_lists_a_step_whose_own_fields_changed_as_edited():
    current = small_module()
    _step(current, "d1")["explanation"] = "A different reason."

    changes = version_changes(small_module(), current)

    assert changes.steps_edited == ("d1",)
    assert (changes.choices_added, changes.choices_removed, changes.choices_edited) == (0, 0, 0)


def test_it_sees_an_edit_to_each_field_of_a_step():
    edits = {
        "title": "New title",
        "body": "New body",
        "kind": "narrative",
        "indicators": ["isolation"],
        "next": "d2",
        "proportionate": "early_help",
        "explanation": "New reason",
    }
    for field, value in edits.items():
        current = small_module()
        _step(current, "d1")[field] = value

        assert version_changes(small_module(), current).steps_edited == ("d1",), field


def test_it_does_not_count_a_step_edited_when_only_its_choices_changed():
    current = small_module()
    _step(current, "d1")["choices"][0]["feedback"] = "Different feedback."

    changes = version_changes(small_module(), current)

    assert (changes.steps_edited, changes.choices_edited) == ((), 1)


def test_it_treats_a_missing_field_and_an_empty_one_alike():
    previous = small_module()
    current = small_module()
    _step(previous, "end-a")["indicators"] = []

    assert version_changes(previous, current).is_empty


def test_it_matches_steps_by_key_across_scenarios():
    current = small_module()
    moved = current["scenarios"][0]["steps"].pop(3)  # end-a, into the second scenario
    current["scenarios"][1]["steps"].append(moved)

    changes = version_changes(small_module(), current)

    assert (changes.steps_added, changes.steps_removed, changes.steps_edited) == ((), (), ())


# --- Choices ------------------------------------------------------------------------------


def test_it_counts_choices_added_to_a_step():
    current = small_module()
    _step(current, "d1")["choices"].append(_choice("Call the police", "d2"))

    assert version_changes(small_module(), current).choices_added == 1


def test_it_counts_choices_removed_from_a_step():
    current = small_module()
    del _step(current, "d2")["choices"][1:]

    assert version_changes(small_module(), current).choices_removed == 2


def test_it_counts_each_edited_choice_once_whatever_fields_changed():
    current = small_module()
    first, second = _step(current, "d1")["choices"][:2]
    first.update(text="Nothing at all", level="monitor_and_record")
    second["next"] = "end-a"

    assert version_changes(small_module(), current).choices_edited == 2


def test_it_compares_choices_by_position():
    current = small_module()
    choices = _step(current, "d2")["choices"]
    choices[0], choices[1] = choices[1], choices[0]

    changes = version_changes(small_module(), current)

    assert (changes.choices_added, changes.choices_removed, changes.choices_edited) == (0, 0, 2)


def test_it_counts_the_choices_of_added_and_removed_steps():
    current = small_module()
    current["scenarios"][1]["steps"][0]["key"] = "p2-d1-renamed"  # 3 choices out, 3 in

    changes = version_changes(small_module(), current)

    assert (changes.choices_added, changes.choices_removed) == (3, 3)


# --- Module details -----------------------------------------------------------------------


def test_it_lists_module_fields_that_changed():
    current = small_module(title="A new title", pass_mark=80)

    assert version_changes(small_module(), current).details_edited == ("title", "pass_mark")


def test_it_ignores_the_version_format_and_indicator_catalogue():
    current = small_module(version=2, format="threshold-module/2", indicator_catalogue={"a": 1})

    assert version_changes(small_module(), current).is_empty


def test_it_lists_scenarios_when_one_is_renamed():
    current = small_module()
    current["scenarios"][1]["title"] = "Part 2: later"

    assert version_changes(small_module(), current).details_edited == ("scenarios",)


def test_it_lists_a_module_field_that_was_removed():
    current = small_module()
    del current["audience"]

    assert version_changes(small_module(), current).details_edited == ("audience",)


# --- First version ------------------------------------------------------------------------


def test_it_counts_everything_as_added_without_a_previous_version():
    changes = version_changes(None, small_module())

    assert changes.steps_added == ("intro", "d1", "d2", "end-a", "end-b", "p2-d1", "p2-end")
    assert (changes.choices_added, changes.steps_removed, changes.details_edited) == (9, (), ())


# --- Storing and wording ------------------------------------------------------------------


def test_it_round_trips_through_json():
    current = _with_new_end(small_module(title="New"), "end-c")
    _step(current, "d1")["choices"][0]["text"] = "Changed"
    changes = version_changes(small_module(), current)

    stored = json.loads(json.dumps(changes.as_dict()))

    assert VersionChanges.from_dict(stored) == changes


def test_it_reads_a_stored_summary_with_fields_missing():
    assert VersionChanges.from_dict({"choices_added": 2}) == VersionChanges(choices_added=2)


def test_it_words_changes_as_one_sentence():
    changes = VersionChanges(
        steps_added=("s4", "s5"), steps_edited=("d1",), choices_edited=3, choices_added=1
    )

    assert changes.sentence() == (
        "2 steps added (s4, s5), 1 step edited (d1), 1 choice added, 3 choices edited"
    )


def test_it_says_when_no_steps_or_choices_changed():
    assert VersionChanges().sentence() == "No changes to steps or choices"


def test_it_adds_module_details_to_the_sentence():
    changes = VersionChanges(steps_removed=("x",), details_edited=("title", "pass_mark"))

    assert changes.sentence() == "1 step removed (x); details edited (title, pass mark)"


def test_it_says_only_details_changed_when_that_is_all():
    changes = VersionChanges(details_edited=("summary",))

    assert changes.sentence() == "No changes to steps or choices; details edited (summary)"


def test_it_lists_at_most_five_keys_in_the_sentence():
    changes = VersionChanges(steps_added=tuple(f"s{n}" for n in range(1, 9)))

    assert changes.sentence() == "8 steps added (s1, s2, s3, s4, s5 and 3 more)"
