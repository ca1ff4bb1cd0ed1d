"""Browser journey: an author builds a three-step module in the studio, sees its problem on the
map, fixes it, previews and publishes it; a practitioner then finds it in My training."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from training import services
from training.models import Attempt, Module
from training.tests.factories import INDICATORS, small_module
from training.tests.studio_data import completed_attempt, studio_draft
from training.tests.test_browser import BAD_REQUEST_LOGGED

pytestmark = pytest.mark.browser

TITLE = "Sam's new friends"


@pytest.fixture
def indicators(db):
    services.indicators_load(data=INDICATORS)


def _add_step(page: Page, kind: str, title: str, body: str) -> None:
    page.get_by_role("button", name="Add a step").click()
    page.get_by_label(kind, exact=True).check()
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("What the learner reads (Markdown)").fill(body)
    page.get_by_role("button", name="Add step").click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()


def _back_to_map(page: Page) -> None:
    page.get_by_role("link", name="Back to the map").click()
    expect(page.get_by_role("heading", level=2, name="Map")).to_be_visible()


def _fill_choice(
    page: Page, number: int, text: str, routes: tuple[str, str], feedback: str
) -> None:
    choice = page.get_by_role("group", name=f"Choice {number}")
    choice.get_by_label("Choice text").fill(text)
    choice.get_by_label("Safeguarding route").select_option(label=routes[0])
    choice.get_by_label("Prevent route").select_option(label=routes[1])
    choice.get_by_label("Feedback (Markdown)").fill(feedback)
    choice.get_by_label("Leads to").select_option(label="What happened (what-happened)")


def test_an_author_builds_previews_and_publishes_a_module_a_practitioner_then_sees(
    browser_page, browser_sign_in, browser_console_errors, axe_violations, alice, carol, indicators
):
    page = browser_page
    failures: dict[str, str] = {}

    def scan(label: str) -> None:
        if violations := axe_violations(page):
            failures[label] = violations

    # Carol creates the module and its scenario.
    browser_sign_in(carol)
    page.get_by_role("link", name="Studio").first.click()
    scan("studio home")
    page.get_by_role("button", name="Create a module").click()
    page.get_by_role("button", name="Create module").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a title")
    scan("create a module, with errors")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Summary for the catalogue").fill("A youth worker hears about new friends.")
    page.get_by_label("Confidence question topic").fill("a young person's new online friends")
    page.get_by_label("Learning outcomes").fill("Weigh a worry against protective factors")
    page.get_by_role("button", name="Create module").click()
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    page.get_by_role("button", name="Add a scenario").click()
    page.get_by_label("Scenario title").fill("Part 1")
    page.get_by_role("button", name="Add scenario").click()

    # Three steps: a narrative, a decision and an end.
    _add_step(page, "Narrative", "Meet Sam", "Sam, 14, has **new friends** online.")
    _back_to_map(page)
    _add_step(page, "Decision", "What do you do?", "Sam repeats a joke about a religion.")
    _back_to_map(page)
    _add_step(page, "End", "What happened", "Sam's mum was glad you asked.")
    _back_to_map(page)

    # The map flags what is wrong: the narrative leads nowhere, the decision has no choices,
    # so no path reaches the end.
    the_map = page.locator(".threshold-studio-map svg")
    expect(the_map.locator(".scenario-map__node--problem")).to_have_count(3)
    expect(page.locator(".threshold-studio-outline")).to_contain_text(
        "a decision needs at least 2 choices"
    )
    scan("scenario map with problems")

    # Fix the narrative from the map: its node opens the step.
    the_map.get_by_role("link", name=re.compile("Meet Sam")).click()
    expect(page.get_by_role("heading", level=1, name="Meet Sam")).to_be_visible()
    expect(page.locator("#step-problems")).to_contain_text("needs a next step")
    page.get_by_label("Next step (narrative steps)").select_option(
        label="What do you do? (what-do-you-do)"
    )
    page.get_by_role("button", name="Save step").click()
    expect(page.locator("#step-problems")).to_contain_text("No problems")
    _back_to_map(page)

    # The decision: two choices added without leaving the page (htmx), then saved.
    the_map.get_by_role("link", name=re.compile("What do you do")).click()
    for label, response in [
        ("Safeguarding: lowest accepted response (decision steps)", "Universal support"),
        ("Safeguarding: highest accepted response (decision steps)", "Universal support"),
        ("Prevent: lowest accepted response (decision steps)", "No Prevent action"),
        ("Prevent: highest accepted response (decision steps)", "No Prevent action"),
    ]:
        page.get_by_label(label).select_option(label=response)
    page.get_by_label("Why those responses are right (decision steps)").fill(
        "One remark with strong protective factors needs a conversation, not a referral."
    )
    page.get_by_role("button", name="Add another choice").click()
    expect(page.get_by_role("group", name="Choice 1")).to_be_visible()
    page.get_by_role("button", name="Add another choice").click()
    expect(page.get_by_role("group", name="Choice 2")).to_be_visible()
    _fill_choice(
        page, 1, "Talk it through with Sam", ("Universal support", "No Prevent action"), "Right."
    )
    _fill_choice(
        page, 2, "Refer to Prevent", ("Universal support", "Prevent referral"), "Over-reacting."
    )
    page.get_by_role("button", name="Save step").click()
    expect(page.locator("#step-problems")).to_contain_text("No problems")
    scan("step editor")
    _back_to_map(page)
    expect(page.locator(".scenario-map__node--problem")).to_have_count(0)

    # Preview plays the draft and records nothing.
    # One decision is this test's whole module; a real one must answer four on every path.
    Module.objects.filter(title=TITLE).update(min_decisions=1)
    page.get_by_role("link", name="Preview the module").click()
    page.get_by_label("3 – Moderately confident").check()
    page.get_by_role("button", name="Start the scenario").click()
    expect(page.get_by_role("heading", level=1, name="Meet Sam")).to_be_visible()
    scan("preview step")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Talk it through with Sam").check()
    page.get_by_role("button", name="Submit my answer").click()
    expect(page.get_by_text("Inside the accepted band").first).to_be_visible()
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", level=1, name="What happened")).to_be_visible()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("4 – Confident").check()
    page.get_by_role("button", name="See my results").click()
    expect(page.get_by_role("heading", level=2, name="100%")).to_be_visible()
    assert Attempt.objects.count() == 0

    # Publish with a change note.
    page.get_by_role("link", name="Back to the studio").first.click()
    page.get_by_role("button", name="Publish").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("alert")).to_contain_text("Say what changed in this version")
    page.get_by_label("What changed in this version?").fill("First version.")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text(f"Published version 1 of {TITLE}.")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("First version.")
    scan("module page")
    assert Module.objects.get(title=TITLE).versions.count() == 1
    page.get_by_role("button", name="Sign out").click()

    # Alice finds it in My training.
    browser_sign_in(alice)
    page.get_by_role("link", name="My training", exact=True).click()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()

    assert not failures, "\n".join(f"{page}:\n{report}" for page, report in failures.items())
    # The forms answered 400 with their errors, as they should; nothing else (no CSP report,
    # no uncaught script error) may appear.
    assert [text for text in browser_console_errors if BAD_REQUEST_LOGGED not in text] == []


def test_the_studios_other_pages_pass_axe(
    browser_page, browser_sign_in, axe_violations, alice, carol, wendy, indicators
):
    """Insight, publishing, import (with problems), sharing, the library and adopting."""
    draft = studio_draft(by=carol)
    version = services.version_publish(module=draft.module, by=carol, change_note="First.")
    completed_attempt(alice, version)
    from_b, _ = services.module_load_from_json(
        data=small_module(key="from-b", visibility="shared"), authority=wendy.authority
    )
    page = browser_page
    failures: dict[str, str] = {}
    browser_sign_in(carol)
    for label, url in [
        ("insight", reverse("training:studio-insight", args=[draft.module.pk])),
        ("publish", reverse("training:studio-publish", args=[draft.module.pk])),
        ("sharing", reverse("training:studio-share", args=[draft.module.pk])),
        ("library", reverse("training:studio-library")),
        ("adopt", reverse("training:studio-adopt", args=[from_b.pk])),
        ("import", reverse("training:studio-import")),
    ]:
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if violations := axe_violations(page):
            failures[label] = violations

    page.get_by_label("Module file (.json)").set_input_files(
        files=[{"name": "bad.json", "mimeType": "application/json", "buffer": b'{"format": 1}'}]
    )
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("alert")).to_contain_text("The file was not imported")
    expect(page.locator(".threshold-problem-list")).to_contain_text("format:")
    if violations := axe_violations(page):
        failures["import, refused"] = violations

    assert not failures, "\n".join(f"{name}:\n{report}" for name, report in failures.items())
