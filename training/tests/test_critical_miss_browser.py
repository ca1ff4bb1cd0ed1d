"""Issue #17's done means, in a real browser: a learner who phones for advice instead of calling
999 on a dated firearm threat (the library's noah-d5) sees why, fails the module whatever the
percentage, and her supervisor sees the miss and records a debrief. axe on every page visited.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from training import engine, pathway_words
from training.models import Attempt, CriticalMissDebrief, ModuleVersion
from training.tests.factories import best_choice

pytestmark = pytest.mark.browser

MODULE_KEY = "school-violence-fixation"
THREAT = "noah-d5"  # a message naming Friday, with possible access to a shotgun
MAX_STEPS = 200


def _as_shown(text: str) -> str:
    """A choice's text as the player shows it to someone whose authority has no Who to contact
    page (the national wording in place of each placeholder)."""
    return pathway_words.fill(text, pathway_words.wording(), markdown=False)


def _advice_instead_of_999(step: dict) -> str:
    """The text of the choice that phones for advice: the wrong channel on a threat."""
    return _as_shown(next(c["text"] for c in step["choices"] if c.get("error") == "wrong_channel"))


def _walk_to_the_results(page: Page, attempt: Attempt, scan) -> None:
    """Every decision inside its bands, except advice instead of 999 at the threat."""
    steps = engine.steps_by_key(attempt.version.snapshot)
    seen: set[str] = set()
    for _ in range(MAX_STEPS):
        attempt.refresh_from_db()
        if not attempt.current_step_key:
            return
        step = steps[attempt.current_step_key]
        expect(page.get_by_role("heading", level=1, name=step["title"], exact=True)).to_be_visible()
        if step["kind"] != engine.DECISION:
            with page.expect_navigation():
                page.get_by_role("button", name="Continue").click()
            continue
        if step["key"] == THREAT:
            scan("the threat")
            page.get_by_label(_advice_instead_of_999(step), exact=True).check()
        else:
            page.get_by_label(
                _as_shown(step["choices"][best_choice(step)]["text"]), exact=True
            ).check()
        page.get_by_role("button", name="Submit my answer").click()
        expect(page).to_have_url(re.compile(r"/feedback/\d+/$"))
        if step["key"] == THREAT:
            main = page.locator("main")
            expect(main).to_contain_text("Critical miss. This decision is safety-critical")
            expect(main).to_contain_text("An under-reaction")
            expect(page.get_by_text("Wrong channel", exact=True)).to_be_visible()
            expect(main).to_contain_text("A route that cannot act in time")
            expect(page.get_by_role("heading", level=3, name="Why")).to_be_visible()
            expect(main).to_contain_text("999 emergency")
            scan("feedback on the threat")
        elif "feedback" not in seen:
            seen.add("feedback")
            scan("feedback")
        page.get_by_role("link", name="Continue").click()
    pytest.fail(f"The walk through {MODULE_KEY} did not finish within {MAX_STEPS} steps")


def test_a_critical_miss_fails_the_learner_and_reaches_her_supervisor(
    browser_page, browser_console_errors, browser_sign_in, axe_violations, alice, bob
):
    call_command("load_library", stdout=io.StringIO())
    version = ModuleVersion.objects.filter(module__key=MODULE_KEY).latest()
    title = version.snapshot["title"]
    threat_title = engine.steps_by_key(version.snapshot)[THREAT]["title"]
    page = browser_page
    failures: dict[str, str] = {}

    def scan(label: str) -> None:
        if violations := axe_violations(page):
            failures[label] = violations

    # Alice plays the module and phones for advice at the threat.
    browser_sign_in(alice)
    page.get_by_role("link", name="My training", exact=True).click()
    page.get_by_role("link", name=title, exact=True).click()
    page.get_by_role("button", name="Start module").click()
    attempt = Attempt.objects.get(pk=re.search(r"/attempts/(\d+)/", page.url)[1])
    page.get_by_label("3 – Moderately confident").check()
    page.get_by_role("button", name="Start the scenario").click()
    _walk_to_the_results(page, attempt, scan)
    page.get_by_label("4 – Confident").check()
    page.get_by_role("button", name="See my results").click()

    attempt.refresh_from_db()
    assert attempt.percent >= version.snapshot["pass_mark"], "the miss should fail on its own"
    assert (attempt.passed, attempt.critical_miss_count) == (False, 1)
    expect(page.get_by_role("heading", name="You have not passed this time")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text(f"You scored {attempt.percent}%")
    expect(main).to_contain_text("You made 1 critical miss")
    expect(page.get_by_role("link", name=threat_title, exact=True).first).to_be_visible()
    expect(page.get_by_role("button", name="Retake the module")).to_be_visible()
    expect(main).not_to_contain_text("Verification code")
    scan("summary")
    page.get_by_role("button", name="Sign out").click()

    # Bob sees the miss on team progress and on Alice's record, and records a debrief.
    browser_sign_in(bob)
    page.goto("/training/progress/")
    figures = page.get_by_role("table", name=re.compile("critical misses and calibration"))
    miss = figures.get_by_role("link", name=re.compile(re.escape(threat_title)))
    expect(miss).to_contain_text(title)
    expect(figures).to_contain_text("(not debriefed yet)")
    scan("team progress")

    figures.get_by_role("link", name="Alice Okafor").click()
    misses = page.get_by_role("table", name="Critical misses, newest first")
    expect(misses).to_contain_text(threat_title)
    scan("training record")
    misses.get_by_role("link", name=re.compile("Record a debrief")).click()
    scan("debrief form")
    today = timezone.localdate()
    page.get_by_label("Day", exact=True).fill(str(today.day))
    page.get_by_label("Month", exact=True).fill(str(today.month))
    page.get_by_label("Year", exact=True).fill(str(today.year))
    page.get_by_label("What you talked about").fill("Why a dated threat is a 999 call.")
    page.get_by_role("button", name="Record the debrief").click()

    expect(page.get_by_text("Debrief recorded.")).to_be_visible()
    expect(misses).to_contain_text("Why a dated threat is a 999 call.")
    scan("training record after the debrief")
    assert CriticalMissDebrief.objects.get().answer.attempt == attempt
    assert not failures, "\n".join(f"{label}:\n{text}" for label, text in failures.items())
    assert not browser_console_errors, browser_console_errors
