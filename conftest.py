"""Test set-up shared by every app: personas, a verified client, a clean cache.

Personas (STYLE.md): alice (practitioner), bob (her supervisor), carol (author), dave (authority
admin), all in one authority; charlie is a practitioner in another authority.
"""

import os
from pathlib import Path

import pytest
from django.core.cache import cache
from django_otp.oath import TOTP

from portal.celery import app as celery_app
from portal.models import Role
from portal.tests.factories import (
    PASSWORD,
    AuthorityFactory,
    TeamFactory,
    TOTPDeviceFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SITE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def _tasks_run_in_process(request):
    """Celery tasks run eagerly in tests, even with REDIS_URL set, so each test sees its own
    results; tests marked `worker` send them to a real worker through the real broker."""
    if request.node.get_closest_marker("worker"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def pytest_collection_modifyitems(config, items):
    """A real worker needs a broker another process can reach: without REDIS_URL the
    `worker` tests are deselected (and said so in the header), never skipped."""
    if os.environ.get("REDIS_URL"):
        return
    deselected = [item for item in items if item.get_closest_marker("worker")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("worker")]


def pytest_report_header(config):
    if not os.environ.get("REDIS_URL"):
        return "worker tests: deselected (they need REDIS_URL; CI runs them on Redis)"
    return f"worker tests: on {os.environ['REDIS_URL']}"


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate-limit counters live in the cache; each test starts from none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def authority(db):
    return AuthorityFactory(name="Northbridge City Council", is_prevent_priority_area=True)


@pytest.fixture
def other_authority(db):
    return AuthorityFactory(name="Wealdshire County Council", region="South East")


@pytest.fixture
def team(authority):
    return TeamFactory(authority=authority, name="Early Help North")


@pytest.fixture
def other_team(other_authority):
    return TeamFactory(authority=other_authority, name="Family Support Weald")


@pytest.fixture
def alice(authority, team):
    return UserFactory(
        email="alice@northbridge.example", full_name="Alice Okafor", authority=authority, team=team
    )


@pytest.fixture
def bob(authority, team):
    return UserFactory(
        email="bob@northbridge.example",
        full_name="Bob Hughes",
        role=Role.SUPERVISOR,
        authority=authority,
        team=team,
    )


@pytest.fixture
def carol(authority):
    return UserFactory(
        email="carol@northbridge.example",
        full_name="Carol Singh",
        role=Role.AUTHOR,
        authority=authority,
    )


@pytest.fixture
def dave(authority):
    return UserFactory(
        email="dave@northbridge.example",
        full_name="Dave Morgan",
        role=Role.AUTHORITY_ADMIN,
        authority=authority,
    )


@pytest.fixture
def charlie(other_authority, other_team):
    return UserFactory(
        email="charlie@wealdshire.example",
        full_name="Charlie Adeyemi",
        authority=other_authority,
        team=other_team,
    )


@pytest.fixture
def wendy(other_authority):
    """Authority admin of charlie's authority."""
    return UserFactory(
        email="wendy@wealdshire.example",
        full_name="Wendy Clarke",
        role=Role.AUTHORITY_ADMIN,
        authority=other_authority,
    )


def current_code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def verified_client(client):
    """Log a person in with password and second factor, as the middleware requires."""

    def sign_in(user):
        device = TOTPDeviceFactory(user=user)
        client.force_login(user)
        response = client.post(
            "/account/second-factor/verify/", {"code": current_code(device), "next": "/"}
        )
        assert response.status_code == 302, "second factor verification failed in set-up"
        return client

    return sign_in


# --- Browser tests (Playwright driving Debian's Chromium) ----------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SOURCE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture(scope="module")
def chromium():
    """A headless Chromium per test module; CI must have it, a laptop may skip.

    Playwright's sync API keeps an asyncio loop running in this thread while it is started, so
    Django would refuse ORM calls from the tests (factories, teardown) as if they were async
    code. The browser lives only as long as the module, and so does the permission.
    """
    if not CHROMIUM.exists():
        message = f"Chromium is missing at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI is set, so browser tests must run)", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, live_server):
    """A fresh browser tab (own cookies) whose relative URLs go to the live server."""
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def browser_console_errors(browser_page):
    """Console errors (CSP violations among them) and uncaught exceptions of browser_page."""
    errors: list[str] = []
    browser_page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    browser_page.on("pageerror", lambda error: errors.append(f"Uncaught: {error}"))
    return errors


@pytest.fixture
def browser_sign_in(browser_page):
    """Sign a person in through the real forms: email and password, then a TOTP code."""

    def sign_in(user, password=PASSWORD):
        device = TOTPDeviceFactory(user=user)
        browser_page.goto("/account/sign-in/")
        browser_page.get_by_label("Email address").fill(user.email)
        browser_page.get_by_label("Password").fill(password)
        browser_page.get_by_role("button", name="Sign in").click()
        browser_page.get_by_label("Code").fill(current_code(device))
        browser_page.get_by_role("button", name="Continue").click()
        browser_page.wait_for_url("**/")
        return browser_page

    return sign_in


@pytest.fixture
def axe_violations():
    """Run axe-core (WCAG 2.0, 2.1 and 2.2, A and AA) on a page; return its serious ones.

    Returns a readable report, one line per failing element, empty when the page passes.
    """
    if not AXE_SOURCE.exists():
        pytest.fail(f"{AXE_SOURCE} is missing: run `make setup` (npm ci)", pytrace=False)
    source = AXE_SOURCE.read_text()

    def scan(page, impacts=("serious", "critical")) -> str:
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(source)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        lines = []
        for violation in result["violations"]:
            if violation["impact"] not in impacts:
                continue
            lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"]:
                lines.append(f"    {', '.join(node['target'])}: {node['failureSummary']}")
        return "\n".join(lines)

    return scan
