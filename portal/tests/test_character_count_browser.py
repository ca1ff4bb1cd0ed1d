"""Browser journey: GOV.UK's character count counts down as a person types, lets them go
over (nothing is cut), says by how much, and the form refuses the excess in words."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_it_counts_down_and_keeps_text_past_the_limit(
    browser_page, browser_sign_in, browser_console_errors, axe_violations, carol
):
    page = browser_page
    browser_sign_in(carol)
    page.goto("/training/studio/new/")
    title = page.get_by_label("Title", exact=True)
    count = page.locator("#div_id_title .govuk-character-count__status")
    expect(count).to_have_text("You have 200 characters remaining")
    expect(title).to_have_accessible_description(
        "You can enter up to 200 characters", ignore_case=False
    )
    assert axe_violations(page) == ""

    title.fill("a" * 205)
    expect(count).to_have_text("You have 5 characters too many")
    assert len(title.input_value()) == 205
    assert axe_violations(page) == ""

    page.get_by_role("button", name="Create module").click()
    expect(page.get_by_role("alert")).to_contain_text("The title must be 200 characters or fewer")
    assert len(page.get_by_label("Title", exact=True).input_value()) == 205
    assert axe_violations(page) == ""
    # The refused form answers 400, which the console notes; nothing else may fail.
    assert [e for e in browser_console_errors if "status of 400" not in e] == []
