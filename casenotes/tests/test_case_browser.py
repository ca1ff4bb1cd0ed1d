"""Posting a case in a real browser: form, preview, publish, with no serious accessibility
failures and nothing the CSP blocks. The raw text round-trips through the preview's hidden
fields, line breaks included, so the saved case keeps its paragraphs."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from casenotes.models import Case, Visibility
from casenotes.tests.case_factories import CaseFactory, VoteFactory
from training import services as training_services
from training.tests.factories import INDICATORS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACCOUNT = (
    "Amira Khan told her tutor at Parkside Academy that her cousin had gone to fight.\n\n"
    "Her mum rang on 07700 900461 and was worried."
)


def test_it_posts_a_case_through_the_preview(
    browser_sign_in, browser_console_errors, axe_violations, alice
):
    training_services.indicators_load(data=INDICATORS)
    page = browser_sign_in(alice)
    page.goto("/cases/")
    assert axe_violations(page) == ""
    page.get_by_role("button", name="Post a case").click()

    expect(page.get_by_role("heading", level=1, name="Post a case")).to_be_visible()
    assert axe_violations(page) == ""
    page.get_by_label("Title").fill("Amira and a cousin who went to fight")
    page.get_by_label("14 to 15").check()
    page.get_by_label("Secondary school").check()
    page.get_by_label("Isolation").check()
    page.get_by_label("Islamist").check()
    page.get_by_label("Family help (early help or section 17)").check()
    page.get_by_label("Prevent advice").check()
    page.get_by_label("Consult the DSL").check()
    page.get_by_label("What would you like your peers to advise on?").fill("Refer to Prevent?")
    page.get_by_label("What happened").fill(ACCOUNT)
    page.get_by_label("Names of the people involved (optional)").fill("Amira Khan (child)")
    page.get_by_label("My authority").check()
    page.get_by_role("button", name="Preview the case").click()

    expect(page.get_by_role("heading", name="Check your case before publishing")).to_be_visible()
    assert axe_violations(page) == ""
    expect(page.locator("mark").first).to_contain_text("[Child A]")
    page.get_by_label("Other words to redact (optional)").fill("cousin")
    page.get_by_role("button", name="Update the preview").click()
    expect(page.locator("mark", has_text="[redacted]").first).to_be_visible()
    page.get_by_role("button", name="Publish the case").click()

    expect(page.get_by_role("heading", level=1, name="[Child A] and a [redacted]")).to_be_visible()
    assert axe_violations(page) == ""
    assert browser_console_errors == []
    case = Case.objects.get()
    assert str(case.decision) == (
        "Family help (early help or section 17) + Prevent advice; actions: Consult the DSL"
    )
    assert case.account == (
        "[Child A] told her tutor at [school] that her [redacted] had gone to fight.\n\n"
        "Her mum rang on [phone] and was worried."
    )

    # Back from the published case: the preview's POST left history (static/js/threshold.js)
    # for a GET that goes on to the case just published, rather than the browser asking to
    # send the form again.
    response = page.go_back()
    assert (response.request.method, response.status) == ("GET", 200)
    assert response.request.redirected_from.url.endswith("/cases/new/?previewed")
    expect(page.get_by_role("heading", level=1, name="[Child A] and a [redacted]")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Post a case")).to_have_count(0)
    page.go_forward()
    expect(page.get_by_role("heading", level=1, name="[Child A] and a [redacted]")).to_be_visible()
    assert Case.objects.count() == 1


def test_it_counts_a_vote_on_both_routes_in_the_table_of_answers(
    browser_sign_in, browser_console_errors, axe_violations, alice, bob, charlie
):
    case = CaseFactory(author=alice, visibility=Visibility.ALL, sharing="approved")
    VoteFactory(case=case, voter=charlie, safeguarding="family_help", prevent="advice")
    page = browser_sign_in(bob)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_label("Child protection (section 47)").check()
    page.get_by_label("Prevent referral").check()
    page.get_by_label("Share information").check()
    page.get_by_label("Why?").fill("A strategy discussion, and a referral in parallel.")
    page.get_by_role("button", name="Save your answer").click()

    table = page.get_by_role("table", name="Answers by safeguarding route")
    expect(table).to_be_visible()
    row = table.get_by_role("row", name="Child protection (section 47)")
    expect(row.get_by_role("cell")).to_have_text(["0", "0", "1 Your answer", "0", "1"])
    row = table.get_by_role("row", name="Family help (early help or section 17)")
    expect(row.get_by_role("cell")).to_have_text(["0 What was done", "1", "0", "0", "1"])
    assert axe_violations(page) == ""
    assert browser_console_errors == []
