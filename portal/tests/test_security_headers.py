"""Security headers on every page, markup the CSP can allow, and production settings."""

import os
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from portal.tests.factories import PASSWORD, UserFactory

BASE_DIR = Path(settings.BASE_DIR)

ANONYMOUS_PAGES = [
    "/account/sign-in/",
    "/account/password-reset/",
    "/account/password-reset/sent/",
    "/account/password-reset/MQ/not-a-token/",
    "/account/password-set/",
    "/healthz",
    "/no-such-page/",
]
SIGNED_IN_PAGES = ["/", "/account/", "/account/password-change/", "/admin/"]


class _MarkupAudit(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, style attributes and handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts = 0
        self.style_attributes: list[str] = []
        self.style_elements = 0
        self.event_handlers: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.inline_scripts += 1
        if tag == "style":
            self.style_elements += 1
        if "style" in names:
            self.style_attributes.append(tag)
        self.event_handlers += [f"{tag} {name}" for name in names if name.startswith("on")]


def audit(response):
    parser = _MarkupAudit()
    parser.feed(response.content.decode())
    return parser


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    return {
        directive.split()[0]: directive.split()[1:]
        for directive in (part.strip() for part in policy.split(";"))
        if directive
    }


@pytest.fixture
def platform_admin(db):
    return UserFactory(authority=None, is_staff=True, is_superuser=True)


def run_python(*args, environment):
    """Run this project's Python in a fresh process, with DEBUG and SECRET_KEY as given."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    env.update(environment)
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )


# --- Headers ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_it_sends_a_script_policy_without_inline_scripts_to_everyone(client, db, path):
    response = client.get(path)

    directives = csp_directives(response)
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_it_sends_a_script_policy_on_signed_in_pages(verified_client, platform_admin, path):
    response = verified_client(platform_admin).get(path)

    assert response.status_code == 200
    assert csp_directives(response)["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_it_sends_the_policy_with_the_second_factor_pages(client, alice):
    client.force_login(alice)

    response = client.get("/account/second-factor/set-up/")

    assert csp_directives(response)["script-src"] == ["'self'"]


def test_it_sends_the_policy_with_the_lockout_page(client, alice):
    for _ in range(5):
        response = client.post(
            "/account/sign-in/", {"username": alice.email, "password": "not-the-password"}
        )

    assert response.status_code == 429
    assert csp_directives(response)["script-src"] == ["'self'"]


def test_it_allows_no_inline_styles_or_framing(client, db):
    directives = csp_directives(client.get("/account/sign-in/"))

    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]


def test_it_refuses_to_be_framed(client, db):
    response = client.get("/account/sign-in/")

    assert response["X-Frame-Options"] == "DENY"


def test_it_stops_browsers_guessing_content_types(client, db):
    response = client.get("/account/sign-in/")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


# --- Markup the policy allows ---------------------------------------------------------------


def test_it_has_no_inline_script_on_the_sign_in_page(client, db):
    markup = audit(client.get("/account/sign-in/"))

    assert markup.inline_scripts == 0
    assert markup.event_handlers == []


def test_it_has_no_style_attributes_on_the_sign_in_page(client, db):
    markup = audit(client.get("/account/sign-in/"))

    assert markup.style_attributes == []
    assert markup.style_elements == 0


def test_it_has_no_inline_script_or_style_on_the_sign_in_page_with_errors(client, db):
    response = client.post("/account/sign-in/", {"username": "x@example.org", "password": "x"})

    markup = audit(response)
    assert (markup.inline_scripts, markup.style_attributes) == (0, [])


def test_it_has_no_inline_script_or_style_on_the_set_up_page(client, alice):
    client.force_login(alice)

    markup = audit(client.get("/account/second-factor/set-up/"))

    assert (markup.inline_scripts, markup.style_attributes) == (0, [])


def test_it_has_no_inline_script_or_style_on_the_recovery_codes_page(verified_client, alice):
    markup = audit(verified_client(alice).post("/account/recovery-codes/"))

    assert (markup.inline_scripts, markup.style_attributes) == (0, [])


# --- Production settings ------------------------------------------------------------------


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run_python("-c", "import portal.settings", environment={"DEBUG": "off"})

    assert result.returncode != 0
    assert "ImproperlyConfigured: Set SECRET_KEY to a long random value" in result.stderr


def test_it_refuses_to_start_with_an_empty_secret_key_when_debug_is_off():
    result = run_python(
        "-c", "import portal.settings", environment={"DEBUG": "off", "SECRET_KEY": ""}
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured: Set SECRET_KEY to a long random value" in result.stderr


PRODUCTION = {
    "DEBUG": "off",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "threshold.example",
}


def test_it_passes_the_deploy_check_in_production():
    result = run_python(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", environment=PRODUCTION
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_it_binds_the_cookies_to_the_host_over_https_in_production():
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.DEVICE_COOKIE_NAME, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_PATH, "
        "s.SESSION_COOKIE_DOMAIN)"
    )

    result = run_python(
        "-c", script, environment={**PRODUCTION, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    )

    assert result.returncode == 0, result.stderr
    session_name, csrf_name, device_name, *rest = result.stdout.split()
    assert session_name.startswith("__Host-")
    assert csrf_name.startswith("__Host-")
    assert device_name == "__Host-threshold_device"  # Secure: it follows SESSION_COOKIE_SECURE
    assert rest == ["True", "True", "/", "None"]


def test_it_keeps_the_session_cookie_from_scripts_and_other_sites(client, alice):
    response = client.post("/account/sign-in/", {"username": alice.email, "password": PASSWORD})

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def _proxy_ssl_header(**environment: str) -> str:
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_PROXY_SSL_HEADER)"
    )
    result = run_python(
        "-c",
        script,
        environment={**PRODUCTION, "DJANGO_SETTINGS_MODULE": "portal.settings", **environment},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_it_ignores_a_forwarded_protocol_header_without_a_proxy_of_ours():
    """Reached directly, anyone could send X-Forwarded-Proto: https and pass as secure."""
    assert _proxy_ssl_header(TRUSTED_PROXY_COUNT="0") == "None"


def test_it_believes_the_forwarded_protocol_from_a_proxy_of_ours():
    assert _proxy_ssl_header(TRUSTED_PROXY_COUNT="1") == "('HTTP_X_FORWARDED_PROTO', 'https')"
