"""Issue 20 in the browser: the menu folds behind a button on a phone, a 10,000-character word
in a comment wraps, a page drawn in answer to a form leaves no "resubmit?" in the history, and
the certificate's print button appears only where it works."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from casenotes.tests.case_factories import CaseFactory, CommentFactory
from training import services
from training.models import Certificate
from training.tests.factories import INDICATORS, small_module

pytestmark = pytest.mark.browser

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_it_folds_the_menu_behind_a_button_on_a_phone(browser_page, browser_sign_in, dave):
    page = browser_sign_in(dave)
    page.set_viewport_size({"width": 320, "height": 640})
    menu = page.get_by_role("button", name="Menu")
    users = page.get_by_role("navigation", name="Menu").get_by_role("link", name="Users")

    expect(menu).to_be_visible()
    expect(users).to_be_hidden()
    menu.click()
    expect(users).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "true")


def test_it_shows_the_whole_menu_on_a_desktop(browser_page, browser_sign_in, dave):
    page = browser_sign_in(dave)

    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    nav = page.get_by_role("navigation", name="Menu")
    expect(nav.get_by_role("link", name="Audit log")).to_be_visible()


def test_it_wraps_a_very_long_word_in_a_comment_on_a_phone(
    browser_page, browser_sign_in, alice, bob
):
    case = CaseFactory(author=alice, visibility="authority")
    CommentFactory(case=case, author=bob, body="x" * 10_000)
    page = browser_sign_in(alice)
    page.set_viewport_size({"width": 320, "height": 640})

    page.goto(f"/cases/{case.pk}/")

    expect(page.get_by_text("x" * 50, exact=False).first).to_be_visible()
    assert page.evaluate(OVERFLOW) == 0


def test_it_goes_back_to_a_form_answered_with_errors_without_a_resubmit(browser_page, alice):
    page = browser_page
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(alice.email)
    page.get_by_role("button", name="Continue").click()  # the email first (single sign-on)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Enter a correct email address and password").first).to_be_visible()

    page.get_by_role("link", name="Forgotten your password?").click()
    page.wait_for_url(re.compile(r"/account/password-reset/"))
    response = page.go_back()

    assert response is not None and response.request.method == "GET"
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()


def test_it_shows_a_print_button_on_a_certificate_page(browser_page, browser_sign_in, alice):
    services.indicators_load(data=INDICATORS)
    module, _ = services.module_load_from_json(data=small_module())
    version = module.versions.get()
    attempt = services.attempt_start(user=alice, version=version)
    Certificate.objects.create(
        attempt=attempt,
        user=alice,
        version=version,
        code="ABCD-EFGH-JK23",
        issued_at=version.published_at,
        expires_at=version.published_at.replace(year=version.published_at.year + 1),
    )
    page = browser_sign_in(alice)

    page.goto("/training/certificates/ABCD-EFGH-JK23/")

    expect(page.get_by_role("button", name="Print this certificate")).to_be_visible()
    page.get_by_role("link", name="check a certificate").click()
    page.get_by_label("Certificate code").fill("abcd efgh jk23")
    page.get_by_role("button", name="Check certificate").click()
    expect(
        page.get_by_role("heading", name="This certificate is genuine and current")
    ).to_be_visible()
