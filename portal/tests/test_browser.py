"""Browser journeys: Playwright driving Debian's Chromium against the live server."""

import re

import pytest
from playwright.sync_api import expect

from conftest import current_code
from portal.tests.factories import PASSWORD, IdentityProviderFactory, TOTPDeviceFactory

pytestmark = pytest.mark.browser


def test_it_serves_static_files(browser_page):
    response = browser_page.request.get("/static/vendor/threshold.css")
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/css")


def test_it_signs_a_practitioner_in_with_password_and_code(
    browser_page, browser_console_errors, alice
):
    page = browser_page
    device = TOTPDeviceFactory(user=alice)

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/account/sign-in/\?next=/$"))
    page.get_by_label("Email address").fill(alice.email)
    page.get_by_role("button", name="Continue").click()  # email first
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(
        page.get_by_role("heading", name="Enter the code from your authenticator app")
    ).to_be_visible()
    page.get_by_label("Code").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1, name="Welcome, Alice")).to_be_visible()
    # The module script ran: static files are served and the CSP lets them run.
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    csp_errors = [text for text in browser_console_errors if "Content Security Policy" in text]
    assert not csp_errors, "\n".join(csp_errors)


def test_it_has_no_serious_accessibility_failures_on_sign_in(browser_page, axe_violations, db):
    browser_page.goto("/account/sign-in/")
    violations = axe_violations(browser_page)
    assert not violations, violations


def test_it_has_no_serious_accessibility_failures_on_practitioner_home(
    browser_page, browser_sign_in, axe_violations, alice
):
    browser_sign_in(alice)
    expect(browser_page.get_by_role("heading", level=1, name="Welcome, Alice")).to_be_visible()
    violations = axe_violations(browser_page)
    assert not violations, violations


def test_it_signs_a_practitioner_in_with_their_work_account(
    browser_page, browser_console_errors, oidc_provider, authority, alice
):
    """Email first, the provider's own sign-in form, and home: it used multi-factor, so no
    authenticator step follows."""
    IdentityProviderFactory(
        authority=authority, issuer=oidc_provider.url, domains=["northbridge.example"]
    )
    oidc_provider.person(alice.email, email=alice.email, email_verified=True, amr=["mfa"])
    page = browser_page

    page.goto("/")
    page.get_by_label("Email address").fill(alice.email)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Authorize Client")).to_be_visible()
    page.get_by_placeholder("sub").fill(alice.email)
    page.get_by_role("button", name="Authorize").click()

    expect(page.get_by_role("heading", level=1, name="Welcome, Alice")).to_be_visible()
    csp_errors = [text for text in browser_console_errors if "Content Security Policy" in text]
    assert not csp_errors, "\n".join(csp_errors)
