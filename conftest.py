"""Test set-up shared by every app: personas, a verified client, a clean cache.

Personas (STYLE.md): alice (practitioner), bob (her supervisor), carol (author), dave (authority
admin), all in one authority; charlie is a practitioner in another authority.
"""

import base64
import email
import email.policy
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
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


# --- Real Celery workers (tests marked `worker`) ------------------------------------------

ROOT = Path(__file__).resolve().parent
WORKER_DEADLINE_SECONDS = 60
# Django's file backend ends every message with this line; files are named by the second and
# the backend's id(), so two messages can share one.
FILEMAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    host, port, user = db["HOST"] or "127.0.0.1", db["PORT"] or 5432, db["USER"]
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


class CeleryWorkers:
    """`celery -A portal worker` processes on the test database, writing emails as files.

    Each worker gets the test's environment plus whatever `start` is given (REDIS_URL for
    another broker, OUTBOX_* settings). Every process started is ended when the test ends.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.mail = folder / "mail"
        self.mail.mkdir()
        self.processes: list[subprocess.Popen] = []
        self.running: list[subprocess.Popen] = []  # started and neither killed nor stopped

    def start(self, *, pool: str = "solo", concurrency: int = 1, **env: str) -> subprocess.Popen:
        number = len(self.processes)
        log = (self.folder / f"worker-{number}.txt").open("w")
        process = subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
            [sys.executable, "-m", "celery", "-A", "portal", "worker", f"--pool={pool}"]
            + [f"--concurrency={concurrency}", f"--hostname=test-worker-{number}@%h"]
            + ["--without-gossip", "--without-mingle", "--loglevel=INFO"],
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": _database_url(),
                "EMAIL_URL": "filemail://",
                "EMAIL_FILE_PATH": str(self.mail),
                "SITE_URL": settings.SITE_URL,
                **env,
            },
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()  # the child has its own copy
        self.processes.append(process)
        self.running.append(process)
        return process

    def kill(self) -> None:
        """SIGKILL every running worker: no warm shutdown, no acknowledgements."""
        self.running.clear()
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)

    def stop(self) -> None:
        """Warm shutdown (finish the task in hand), SIGKILL after 20 seconds."""
        self.running.clear()
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)

    def emails(self) -> list[EmailMessage]:
        """Every message written so far (one a SIGKILL cut short before its headers is not)."""
        messages = []
        for path in sorted(self.mail.glob("*.log")):
            for chunk in path.read_bytes().split(FILEMAIL_SEPARATOR):
                if not chunk.strip():
                    continue
                message = email.message_from_bytes(chunk, policy=email.policy.default)
                if message["To"]:
                    messages.append(message)
        return messages

    def recipients(self) -> Counter[str]:
        """How many emails each address received."""
        return Counter(str(message["To"]) for message in self.emails())

    def logs(self, tail: int | None = None) -> str:
        """What the workers printed (the last `tail` characters of each)."""
        parts = []
        for path in sorted(self.folder.glob("worker-*.txt")):
            text = path.read_text()
            parts.append(f"--- {path.name}\n{text[-tail:] if tail else text}")
        return "\n".join(parts)

    def wait_for(self, condition: Callable[[], object], what: str) -> None:
        """Poll until condition() is true; fail with the workers' logs after the deadline, or
        at once if a worker exits by itself."""
        deadline = time.monotonic() + WORKER_DEADLINE_SECONDS
        while not condition():
            if any(process.poll() is not None for process in self.running):
                pytest.fail(f"A worker exited while waiting for: {what}.\n{self.logs(3000)}")
            if time.monotonic() > deadline:
                pytest.fail(f"Not within {WORKER_DEADLINE_SECONDS}s: {what}.\n{self.logs(3000)}")
            time.sleep(0.05)  # waiting for another process, bounded by the deadline


@pytest.fixture
def celery_worker_process(tmp_path):
    """Start real workers with `.start()`; they read the test database (so the test needs
    `django_db(transaction=True)`) and the broker starts empty."""
    # Django's test database on SQLite lives in this process's memory, whatever its name.
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.fail(
            "Worker tests need a database another process can open: set DATABASE_URL to a "
            "PostgreSQL database (as CI does) as well as REDIS_URL.",
            pytrace=False,
        )
    celery_app.control.purge()
    workers = CeleryWorkers(tmp_path)
    yield workers
    workers.stop()


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


@pytest.fixture
def platform_admin(db):
    """Runs the platform: no authority, staff and superuser."""
    return UserFactory(
        email="platform@threshold.example", authority=None, is_staff=True, is_superuser=True
    )


def current_code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def signed_in_client(user, client: Client | None = None) -> Client:
    """Log a person in with password and second factor, as the middleware requires: on a
    client of their own unless given one (two people can then read side by side)."""
    client = client or Client()
    device = TOTPDeviceFactory(user=user)
    client.force_login(user)
    response = client.post(
        "/account/second-factor/verify/", {"code": current_code(device), "next": "/"}
    )
    assert response.status_code == 302, "second factor verification failed in set-up"
    return client


@pytest.fixture
def verified_client(client):
    """Sign people in on the test's one client (each sign-in replaces the last)."""
    return lambda user: signed_in_client(user, client)


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
STYLESHEET_SOURCE = Path(__file__).resolve().parent / "static" / "scss" / "threshold.scss"
STYLESHEET_STAMP = STYLESHEET_SOURCE.parents[1] / "vendor" / "threshold.css.source-sha256"


def _stylesheet_is_current() -> bool:
    """Whether static/vendor/threshold.css was built from today's threshold.scss (the build
    writes the source's SHA-256 beside it). A stale build passes or fails pages on styles the
    project no longer has, so browser tests refuse it."""
    if not STYLESHEET_STAMP.exists():
        return False
    digest = hashlib.sha256(STYLESHEET_SOURCE.read_bytes()).hexdigest()
    return STYLESHEET_STAMP.read_text().strip() == digest


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
    if not _stylesheet_is_current():
        pytest.fail(
            "static/vendor/threshold.css was built from another threshold.scss: run `make assets`",
            pytrace=False,
        )
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
        browser_page.get_by_role("button", name="Continue").click()  # email first
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


# --- An OpenID Connect provider (oidc-provider-mock, its server in a thread) ---------------


class OpenIDProvider:
    """oidc-provider-mock served from a thread on localhost, for single sign-on tests.

    People and the claims of their ID tokens are set through the mock's own API (`person`);
    `sign_in` answers its authorization form as the person would. `tamper_next_token` stands
    for someone altering a token on its way: the next token response has its ID token's
    payload changed (the signature left as it was).
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.tamper_next_token = False

    def person(self, sub: str, **claims) -> None:
        response = httpx.put(f"{self.url}/users/{quote(sub, safe='')}", json=claims)
        assert response.status_code == 204, response.text

    def sign_in(self, authorization_url: str, sub: str) -> str:
        """Post the provider's form for sub; the URL it sends the browser back to."""
        response = httpx.post(authorization_url, data={"sub": sub})
        assert response.status_code == 302, response.text
        return response.headers["location"]

    def refuse(self, authorization_url: str) -> str:
        response = httpx.post(authorization_url, data={"action": "deny"})
        assert response.status_code == 302, response.text
        return response.headers["location"]

    def wsgi(self, app):
        def tampering(environ, start_response):
            if environ["PATH_INFO"] != "/oauth2/token" or not self.tamper_next_token:
                return app(environ, start_response)
            self.tamper_next_token = False
            captured = {}

            def capture(status, headers, exc_info=None):
                captured.update(status=status, headers=headers)

            body = json.loads(b"".join(app(environ, capture)))
            header, payload, signature = body["id_token"].split(".")
            claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            claims["email"] = "dave@northbridge.example"
            payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
            body["id_token"] = ".".join([header, payload, signature])
            data = json.dumps(body).encode()
            headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
            start_response(captured["status"], [*headers, ("Content-Length", str(len(data)))])
            return [data]

        return tampering


@pytest.fixture(scope="session")
def oidc_provider():
    """One provider for the whole run (people are set per test); it requires a nonce and
    names its signing key as real providers do (portal.demo_sso.provider_keys_named)."""
    import oidc_provider_mock
    import werkzeug.serving

    from portal.demo_sso import provider_keys_named

    with pytest.MonkeyPatch.context() as patch, provider_keys_named():
        patch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # plain HTTP, on this machine only
        server = werkzeug.serving.make_server("localhost", 0, None, threaded=True)
        provider = OpenIDProvider(f"http://localhost:{server.server_port}")
        server.app = provider.wsgi(oidc_provider_mock.app(require_nonce=True))
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
        thread.start()
        yield provider
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
