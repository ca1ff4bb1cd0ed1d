"""Browser journeys: the assign form's conditional reveals (GOV.UK's pattern, our own script
static/js/reveals.js) show only the chosen option's follow-up field, pass axe, and without
JavaScript leave every field open."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from conftest import current_code
from portal.tests.factories import PASSWORD, TOTPDeviceFactory
from training.models import AssignmentRule

pytestmark = pytest.mark.browser

FOLLOW_UPS = ["Person", "Team", "Role", "Day", "Number of days"]


def _visible(page: Page) -> set[str]:
    return {label for label in FOLLOW_UPS if page.get_by_label(label, exact=True).is_visible()}


def test_it_reveals_only_the_follow_up_field_of_the_option_chosen(
    browser_page, browser_sign_in, browser_console_errors, axe_violations, dave, alice, module
):
    page = browser_page
    browser_sign_in(dave)
    page.goto("/training/assignments/new/")
    assert _visible(page) == set()
    expect(page.get_by_label("A person")).to_have_attribute("aria-controls", "conditional-target-1")
    assert page.locator("input[type='radio'][aria-expanded]").count() == 0
    assert axe_violations(page) == ""

    page.get_by_label("A person").check()
    assert _visible(page) == {"Person"}
    page.get_by_label("Everyone with a role").check()
    assert _visible(page) == {"Role"}
    page.get_by_label("Everyone in the authority").check()
    page.get_by_label("A number of days after each person gets it").check()
    assert _visible(page) == {"Number of days"}
    assert axe_violations(page) == ""

    page.get_by_label("Module").select_option(label=module.title)
    page.get_by_label("Number of days", exact=True).fill("30")
    page.get_by_role("button", name="Assign module").click()
    expect(page.get_by_text(f"{module.title} assigned to")).to_be_visible()
    rule = AssignmentRule.objects.get()
    assert (rule.target, rule.due_in_days) == (AssignmentRule.Target.AUTHORITY, 30)
    assert browser_console_errors == []


def test_it_shows_every_follow_up_field_without_javascript(
    chromium, live_server, dave, alice, module
):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    device = TOTPDeviceFactory(user=dave)
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(dave.email)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()

    page.goto("/training/assignments/new/")
    assert _visible(page) == set(FOLLOW_UPS)
    # A person chosen, then "A team": the person left behind is not checked or used.
    page.get_by_label("Module").select_option(label=module.title)
    page.get_by_label("Person", exact=True).select_option(index=1)
    page.get_by_label("A team").check()
    page.get_by_label("Team", exact=True).select_option(label=alice.team.name)
    page.get_by_label("By a date").check()
    page.get_by_label("Day", exact=True).fill("1")
    page.get_by_label("Month", exact=True).fill("1")
    page.get_by_label("Year", exact=True).fill("2099")
    page.get_by_label("Number of days", exact=True).fill("not a number")
    page.get_by_role("button", name="Assign module").click()
    expect(page.get_by_text(f"{module.title} assigned to")).to_be_visible()
    rule = AssignmentRule.objects.get()
    assert (rule.target, rule.target_user, rule.due_in_days) == ("team", None, None)
    context.close()
