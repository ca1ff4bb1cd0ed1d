"""The report pages in a real browser: axe finds no serious problem, the CSP blocks nothing
(no console errors), and the training record prints without the site's header and menus.

Set THRESHOLD_SCREENSHOTS to a folder to save full-page screenshots of the pages there.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.tests.factories import UserFactory
from training.tests.report_data import assign, attempt_with

pytestmark = pytest.mark.browser

PRINT_HIDDEN = (
    ".govuk-header",
    ".govuk-service-navigation",
    ".govuk-footer",
    ".threshold-no-print",
)


def _screenshot(page, name: str) -> None:
    folder = os.environ.get("THRESHOLD_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(folder) / name, full_page=True)


@pytest.fixture
def team_with_data(alice, team, version):
    today = timezone.localdate()
    assign(alice, version.module, due_on=today - timedelta(days=4))
    attempt = attempt_with(alice, version, [-2, -1, 0])
    colleague = UserFactory(authority=team.authority, team=team, full_name="Priya Shah")
    assign(colleague, version.module, due_on=today, extended_due_on=today + timedelta(days=9))
    attempt_with(colleague, version, [1, 2, 0], after=5)
    return attempt


def test_it_passes_axe_on_the_report_pages_and_prints_the_record_cleanly(
    browser_page,
    browser_console_errors,
    browser_sign_in,
    axe_violations,
    bob,
    alice,
    team_with_data,
):
    page = browser_page
    failures: dict[str, str] = {}

    def scan(label: str) -> None:
        if violations := axe_violations(page):
            failures[label] = violations

    browser_sign_in(bob)
    page.goto("/training/progress/")
    expect(page.get_by_role("heading", level=1, name="Early Help North")).to_be_visible()
    expect(page.get_by_role("img", name="People by response tendency")).to_be_visible()
    scan("team progress")
    _screenshot(page, "reports-team-progress.png")

    page.get_by_role("link", name="Response tendency").click()
    header = page.get_by_role("columnheader", name="Response tendency")
    expect(header).to_have_attribute("aria-sort", "ascending")
    page.get_by_label("Status").select_option("overdue")
    page.get_by_role("button", name="Show").click()
    matrix = page.get_by_role("table", name="Modules by person")
    expect(matrix.get_by_role("rowheader")).to_have_text(["Alice Okafor"])
    scan("team progress, filtered")

    matrix.get_by_role("link", name="Alice Okafor").click()
    expect(page.get_by_role("heading", level=1, name="Alice Okafor")).to_be_visible()
    scan("training record")
    _screenshot(page, "reports-training-record.png")
    page.emulate_media(media="print")
    for selector in PRINT_HIDDEN:
        expect(page.locator(selector).first).to_be_hidden()
    page.emulate_media(media="screen")

    page.get_by_role("link", name="Jo's bedroom door").click()
    expect(page.get_by_role("heading", level=2, name="1. First worry")).to_be_visible()
    scan("attempt decisions")
    _screenshot(page, "reports-attempt.png")

    assert not failures, "\n".join(f"{label}:\n{text}" for label, text in failures.items())
    assert not browser_console_errors, "\n".join(browser_console_errors)


def test_it_passes_axe_on_the_authority_report(
    browser_page, browser_console_errors, browser_sign_in, axe_violations, dave, team_with_data
):
    browser_sign_in(dave)
    browser_page.goto("/training/authority/")
    expect(browser_page.get_by_role("table", name="By team")).to_contain_text("Early Help North")
    _screenshot(browser_page, "reports-authority.png")
    assert not axe_violations(browser_page)
    assert not browser_console_errors, "\n".join(browser_console_errors)
