"""Browser journey: a supervisor assigns a module to his team, a practitioner sees it on her
home page, completes it, and the supervisor sees her completion."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import dateformat, timezone
from playwright.sync_api import Page, expect

from training import engine, services
from training.models import Attempt
from training.tests.factories import INDICATORS, best_choice, small_module

pytestmark = pytest.mark.browser

MAX_STEPS = 50


@pytest.fixture
def module(db):
    services.indicators_load(data=INDICATORS)
    module, _ = services.module_load_from_json(data=small_module())
    return module


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()


def _walk_proportionately(page: Page, attempt: Attempt) -> None:
    """From the first step to the end, choosing the proportionate response every time (read
    from the attempt's own snapshot)."""
    steps = engine.steps_by_key(attempt.version.snapshot)
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
        choice = step["choices"][best_choice(step)]
        page.get_by_label(choice["text"], exact=True).check()
        page.get_by_role("button", name="Submit my answer").click()
        expect(page).to_have_url(re.compile(r"/feedback/\d+/$"))
        page.get_by_role("link", name="Continue").click()
    pytest.fail(f"The walk did not finish within {MAX_STEPS} steps")


def test_a_supervisor_assigns_a_module_that_a_practitioner_completes(
    browser_page, browser_sign_in, axe_violations, alice, bob, module
):
    page = browser_page
    failures: dict[str, str] = {}
    due = timezone.localdate() + timedelta(days=5)
    title = module.title

    def scan(label: str) -> None:
        if violations := axe_violations(page):
            failures[label] = violations

    # Bob assigns the module to his team, due in five days.
    browser_sign_in(bob)
    page.get_by_role("link", name="Assign a module").click()
    expect(page.get_by_role("heading", level=1, name="Assign a module")).to_be_visible()
    scan("assign a module")
    page.get_by_role("button", name="Assign module").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("Choose a module")
    scan("assign a module, with errors")

    page.get_by_label("Module").select_option(label=title)
    page.get_by_label("My team (Early Help North)").check()
    page.get_by_label("By a date").check()
    page.get_by_label("Day", exact=True).fill(str(due.day))
    page.get_by_label("Month", exact=True).fill(str(due.month))
    page.get_by_label("Year", exact=True).fill(str(due.year))
    page.get_by_role("button", name="Assign module").click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    expect(page.get_by_text(f"{title} assigned to 2 people.")).to_be_visible()
    _sign_out(page)

    # Alice finds it on her home page as due soon, starts it and passes.
    browser_sign_in(alice)
    row = page.get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text("Due soon")
    expect(row).to_contain_text(f"Due {dateformat.format(due, 'j F Y')}")
    scan("learner home")
    row.get_by_role("button", name=f"Start {title}").click()
    expect(page.get_by_role("heading", level=1, name="Before you start")).to_be_visible()
    attempt = Attempt.objects.get(pk=re.search(r"/attempts/(\d+)/", page.url)[1])
    page.get_by_label("3 – Moderately confident").check()
    page.get_by_role("button", name="Start the scenario").click()
    _walk_proportionately(page, attempt)
    expect(
        page.get_by_role("heading", level=1, name="You have finished the scenario")
    ).to_be_visible()
    page.get_by_label("4 – Confident").check()
    page.get_by_role("button", name="See my results").click()
    expect(page.get_by_role("heading", name="You passed")).to_be_visible()
    page.get_by_role("link", name="View and print your certificate").click()
    expect(page.get_by_role("heading", level=1, name=alice.full_name)).to_be_visible()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Home").click()
    expect(page.get_by_role("row").filter(has_text=title)).to_contain_text("Completed")
    _sign_out(page)

    # Bob sees that Alice has completed it.
    browser_sign_in(bob)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Assignments").click()
    page.get_by_role("link", name=re.compile(re.escape(title))).click()
    expect(page.get_by_role("row").filter(has_text=alice.full_name)).to_contain_text("Completed")
    expect(page.get_by_role("row").filter(has_text=bob.full_name)).to_contain_text("Due soon")
    scan("assignment detail")

    assert not failures, "\n".join(f"{label}:\n{text}" for label, text in failures.items())
