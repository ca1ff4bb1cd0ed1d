"""Issue #18's done means, in a real browser: each of the twelve new library modules opens,
starts and reaches its first decision for a practitioner whose authority has filled in its
"Who to contact" page; she answers it and reads the feedback. Both pages pass axe, name her
own authority's contacts wherever the module's text does, and no page shows a raw
`{pathway.…}` placeholder. Where the authority left a field empty, the national wording reads.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from training import pathway_words, services
from training.models import Module
from training.tests.library_journeys import (
    LIBRARY,
    NEW_KEYS,
    NORTHBRIDGE_CONTACTS,
    RAW_PLACEHOLDER,
    careful_choice,
    contacts_on_feedback_page,
    contacts_on_step_page,
    pathway_fill,
)
from training.version_reader import Step, VersionDocument

pytestmark = pytest.mark.browser

# Its first decision offers a word with the Prevent lead and a referral by the local route.
EARLY_CONTACTS = "screened-out-then-escalated"
WEALDSHIRE_LEAD = "Tom Reyes, the Wealdshire Prevent lead, on 0300 555 0201"


def _load(key: str) -> VersionDocument:
    """The module as `load_library` publishes it (its file, with citations required)."""
    services.indicators_load(data=json.loads((LIBRARY / "indicators.json").read_text()))
    data = json.loads((LIBRARY / "modules" / f"{key}.json").read_text(encoding="utf-8"))
    module, _ = services.module_load_from_json(data=data, require_citations=True)
    return Module.objects.get(pk=module.pk).versions.get().document


def _no_raw_placeholder(page: Page, where: str) -> None:
    assert RAW_PLACEHOLDER not in page.content(), f"{where} shows a raw placeholder"


def _start(page: Page, document: VersionDocument) -> None:
    """From My training to the module's first step, checking each page on the way."""
    page.get_by_role("link", name="My training", exact=True).click()
    page.get_by_role("link", name=document.title, exact=True).click()
    _no_raw_placeholder(page, "the module's page")
    page.get_by_role("button", name="Start module").click()
    _no_raw_placeholder(page, "the confidence question")
    page.get_by_label("3 – Moderately confident").check()
    page.get_by_role("button", name="Start the scenario").click()


def _to_first_decision(page: Page, document: VersionDocument, words: dict[str, str]) -> Step:
    """Continue through the opening narrative; every step shows its contacts as `words`."""
    key = document.first_step_key
    while True:
        step = document.steps[key]
        expect(page.get_by_role("heading", level=1, name=step.title, exact=True)).to_be_visible()
        _no_raw_placeholder(page, step.key)
        for name in sorted(contacts_on_step_page(step)):
            expect(page.locator("main")).to_contain_text(words[name])
        if step.is_decision:
            return step
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
        key = document.step_after(key)


@pytest.mark.parametrize("key", NEW_KEYS)
def test_a_practitioner_answers_the_first_decision_in_her_authoritys_words(
    key, browser_page, browser_console_errors, browser_sign_in, axe_violations, alice
):
    document = _load(key)
    pathway_fill(alice.authority, **NORTHBRIDGE_CONTACTS)
    words = pathway_words.wording(NORTHBRIDGE_CONTACTS)
    page = browser_page
    failures: dict[str, str] = {}

    browser_sign_in(alice)
    _start(page, document)
    step = _to_first_decision(page, document, words)
    if violations := axe_violations(page):
        failures["decision"] = violations
    index = careful_choice(document, step.key)
    chosen = pathway_words.fill(step.choices[index].text, words, markdown=False)
    page.get_by_label(chosen, exact=True).check()
    page.get_by_role("button", name="Submit my answer").click()

    expect(page.get_by_role("heading", level=1, name=f"Feedback: {step.title}")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text(chosen)
    expect(page.get_by_role("heading", name="The accepted response")).to_be_visible()
    for name in sorted(contacts_on_feedback_page(step, index)):
        expect(main).to_contain_text(words[name])
    _no_raw_placeholder(page, "the feedback")
    if violations := axe_violations(page):
        failures["feedback"] = violations
    assert not failures, "\n".join(f"{label}:\n{text}" for label, text in failures.items())
    assert not browser_console_errors, browser_console_errors


def test_a_field_the_authority_left_empty_reads_in_the_national_wording(
    browser_page, browser_sign_in, alice, charlie
):
    document = _load(EARLY_CONTACTS)
    pathway_fill(alice.authority, **NORTHBRIDGE_CONTACTS)
    pathway_fill(charlie.authority, prevent_lead=WEALDSHIRE_LEAD)  # no referral route given
    words = pathway_words.wording({"prevent_lead": WEALDSHIRE_LEAD})
    page = browser_page

    browser_sign_in(charlie)
    _start(page, document)
    step = _to_first_decision(page, document, words)

    assert contacts_on_step_page(step) >= {"prevent_lead", "referral_route"}
    main = page.locator("main")
    expect(main).to_contain_text(WEALDSHIRE_LEAD)
    expect(main).to_contain_text(pathway_words.NATIONAL["referral_route"])
    expect(main).not_to_contain_text(NORTHBRIDGE_CONTACTS["prevent_lead"])
    expect(main).not_to_contain_text(NORTHBRIDGE_CONTACTS["referral_route"])
