"""Issue #18's done means, on the real player's forms: the whole library loads with
`load_library` (a second run changes nothing), every module plays from start to finish to a
certificate for a practitioner who stays inside the bands, and a safety-critical miss fails each
module that has one. Every page names the learner's own authority's contacts and never shows a
raw `{pathway.…}` placeholder, nor does the supervisor's view of the attempt. (The browser
journeys are in test_library_browser.py.)
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import resolve, reverse

from conftest import signed_in_client
from training import services
from training.models import Attempt, Certificate, Module, ModuleVersion
from training.tests.library_journeys import (
    ALL_KEYS,
    LIBRARY,
    NORTHBRIDGE_CONTACTS,
    ORIGINAL_KEYS,
    RAW_PLACEHOLDER,
    careful_choice,
    contacts_on_feedback_page,
    contacts_on_step_page,
    critical_miss_choice,
    pathway_fill,
)
from training.version_reader import VersionDocument

MAX_STEPS = 100
# The library's modules with no safety-critical decision: none of their situations is urgent.
WITHOUT_SAFETY_CRITICAL = {
    "provocative-views-not-referral",
    "mixed-unclear-ideology",
    "online-grievance-extreme-right",
}

Chooser = Callable[[VersionDocument, str], int]


def _load_library() -> str:
    out = io.StringIO()
    call_command("load_library", stdout=out)
    return out.getvalue()


def _page(client: Client, url: str) -> str:
    """The page's HTML, after checking it answered and filled every placeholder."""
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    text = response.text
    assert RAW_PLACEHOLDER not in text, f"{url} shows a raw placeholder"
    return text


def _names_northbridge(page: str, contacts: set[str], where: str) -> None:
    for name in sorted(contacts):
        assert NORTHBRIDGE_CONTACTS[name] in page, f"{where}: Northbridge's {name} is missing"


def _play(client: Client, version: ModuleVersion, choose: Chooser) -> Attempt:
    """Open the module, start it and answer through the player's forms until the summary."""
    document, key = version.document, version.module.key
    _page(client, reverse("training:module-detail", args=[key]))
    response = client.post(reverse("training:attempt-start", args=[key]))
    attempt = Attempt.objects.get(pk=resolve(response.url).kwargs["pk"])
    play = reverse("training:attempt-play", args=[attempt.pk])
    confidence = reverse("training:attempt-confidence", args=[attempt.pk])
    _page(client, play)
    assert client.post(confidence, {"confidence": 3}).status_code == 302
    for _ in range(MAX_STEPS):
        attempt.refresh_from_db()
        if not attempt.current_step_key:
            break
        step = document.steps[attempt.current_step_key]
        _names_northbridge(_page(client, play), contacts_on_step_page(step), step.key)
        if not step.is_decision:
            client.post(
                reverse("training:attempt-continue", args=[attempt.pk]), {"step_key": step.key}
            )
            continue
        index = choose(document, step.key)
        answer = {"step_key": step.key, "position": attempt.answer_count, "choice": index}
        response = client.post(reverse("training:attempt-answer", args=[attempt.pk]), answer)
        assert response.status_code == 302, f"{step.key}: the answer was refused"
        feedback = _page(client, response.url)
        _names_northbridge(feedback, contacts_on_feedback_page(step, index), f"{step.key} feedback")
    else:
        pytest.fail(f"{key} did not end within {MAX_STEPS} steps")
    _page(client, play)  # the confidence question again
    response = client.post(confidence, {"confidence": 4})
    assert response.url == reverse("training:attempt-summary", args=[attempt.pk])
    attempt.refresh_from_db()
    return attempt


def _play_every_module(client: Client, check: Callable[[Client, ModuleVersion], None]) -> None:
    """Run `check` on each module's published version; report every module that fails."""
    problems = {}
    for version in ModuleVersion.objects.select_related("module").order_by("module__key"):
        try:
            check(client, version)
        except AssertionError as error:
            problems[version.module.key] = str(error)
    assert not problems, "\n".join(f"{key}: {problem}" for key, problem in problems.items())


def test_it_loads_the_library_twice_and_plays_every_module_to_a_certificate(alice, verified_client):
    _load_library()
    versions = list(ModuleVersion.objects.values_list("pk", "module__key", "number"))
    second_run = _load_library()
    assert list(ModuleVersion.objects.values_list("pk", "module__key", "number")) == versions
    assert second_run.count(": up to date.") == len(ALL_KEYS)
    assert sorted(Module.objects.values_list("key", flat=True)) == sorted(ALL_KEYS)
    pathway_fill(alice.authority, **NORTHBRIDGE_CONTACTS)
    client = verified_client(alice)

    def passes(client: Client, version: ModuleVersion) -> None:
        attempt = _play(client, version, careful_choice)
        assert (attempt.passed, attempt.percent, attempt.critical_miss_count) == (True, 100, 0)
        certificate = Certificate.objects.get(attempt=attempt)
        summary = _page(client, reverse("training:attempt-summary", args=[attempt.pk]))
        assert "You passed" in summary
        assert certificate.code in summary

    _play_every_module(client, passes)


def test_it_fails_every_module_with_a_safety_critical_decision_on_a_critical_miss(
    alice, verified_client
):
    _load_library()
    pathway_fill(alice.authority, **NORTHBRIDGE_CONTACTS)
    client = verified_client(alice)
    missed_at: dict[str, str] = {}

    def fails(client: Client, version: ModuleVersion) -> None:
        key = version.module.key

        def miss_once(document: VersionDocument, step_key: str) -> int:
            """A critical miss at the first safety-critical decision, carefully elsewhere."""
            miss = None if key in missed_at else critical_miss_choice(document, step_key)
            if miss is None:
                return careful_choice(document, step_key)
            missed_at[key] = step_key
            return miss

        attempt = _play(client, version, miss_once)
        if key not in missed_at:
            return
        assert (attempt.passed, attempt.critical_miss_count) == (False, 1)
        assert not Certificate.objects.filter(attempt=attempt).exists()
        summary = _page(client, reverse("training:attempt-summary", args=[attempt.pk]))
        assert "You have not passed this time" in summary
        assert "You made 1 critical miss" in summary

    _play_every_module(client, fails)
    assert set(ALL_KEYS) - set(missed_at) == WITHOUT_SAFETY_CRITICAL
    assert WITHOUT_SAFETY_CRITICAL <= ORIGINAL_KEYS  # every new module has a decision to miss


def test_it_shows_the_supervisor_the_learners_choices_in_her_authoritys_words(
    alice, bob, verified_client
):
    services.indicators_load(data=json.loads((LIBRARY / "indicators.json").read_text()))
    data = json.loads((LIBRARY / "modules" / "screened-out-then-escalated.json").read_text())
    module, _ = services.module_load_from_json(data=data, require_citations=True)
    pathway_fill(alice.authority, **NORTHBRIDGE_CONTACTS)
    attempt = _play(verified_client(alice), module.versions.get(), careful_choice)

    url = reverse("training:person-attempt", args=[alice.pk, attempt.pk])
    page = _page(signed_in_client(bob), url)

    assert page.count(NORTHBRIDGE_CONTACTS["prevent_lead"]) >= 3  # so-d1, so-d3 and so-d8
