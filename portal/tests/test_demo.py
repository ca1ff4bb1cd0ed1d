"""`load_demo` and `demo_otp`: a demo anyone can sign in to, and nothing more."""

import os
import re
import shutil
import subprocess
from datetime import UTC, datetime
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import current_code
from portal.demo import DEMO_PASSWORD
from portal.models import Authority, Team, User


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def demo_otp(email):
    out = StringIO()
    call_command("demo_otp", email, stdout=out)
    return out.getvalue().strip()


def counts():
    return {
        "authorities": Authority.objects.count(),
        "teams": Team.objects.count(),
        "users": User.objects.count(),
        "authenticators": TOTPDevice.objects.count(),
    }


@pytest.fixture(autouse=True)
def _debug_on(settings):
    """The demo is for DEBUG only; pytest-django turns DEBUG off unless told."""
    settings.DEBUG = True


@pytest.fixture
def frozen_time():
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC), tick=False) as traveller:
        yield traveller


def test_it_loads_the_demo_authorities_teams_and_people(db):
    load_demo()

    assert counts() == {"authorities": 2, "teams": 3, "users": 8, "authenticators": 8}


def test_it_changes_nothing_when_loaded_again(db):
    load_demo()
    first = counts()

    load_demo()

    assert counts() == first


def test_it_keeps_a_password_a_demo_person_changed(db):
    load_demo()
    alice = User.objects.get(email="alice@northbridge.example")
    alice.set_password("alice-chose-her-own")
    alice.save(update_fields=["password"])

    load_demo()

    alice.refresh_from_db()
    assert alice.check_password("alice-chose-her-own")


def test_it_prints_the_demo_password(db):
    output = load_demo()

    assert DEMO_PASSWORD in output
    assert User.objects.get(email="dave@northbridge.example").check_password(DEMO_PASSWORD)


def printed_logins(output):
    """(role, email) for each login line of load_demo's output."""
    matches = (re.match(r"\s+(\S.*?)\s+(\S+@\S+)\s", line) for line in output.splitlines())
    return [match.groups() for match in matches if match]


def test_it_prints_a_login_for_every_role(db):
    output = load_demo()

    roles = {role for role, _ in printed_logins(output)}

    assert roles == {
        "practitioner",
        "supervisor",
        "author",
        "authority admin",
        "platform admin",
    }


def test_it_prints_each_login_with_its_role(db):
    output = load_demo()

    for role, email in printed_logins(output):
        user = User.objects.get(email=email)
        expected = "platform admin" if user.is_superuser else user.get_role_display().lower()
        assert role == expected, email


def test_it_refuses_to_load_when_debug_is_off(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        load_demo()
    assert User.objects.count() == 0


def test_it_makes_the_platform_admin_a_superuser_of_no_authority(db):
    load_demo()

    admin = User.objects.get(email="admin@threshold.example")

    assert (admin.is_superuser, admin.is_staff, admin.authority) == (True, True, None)


def test_it_prints_the_current_code_of_a_demo_person(db, frozen_time):
    load_demo()
    device = TOTPDevice.objects.get(user__email="alice@northbridge.example")

    code = demo_otp("alice@northbridge.example")

    assert code == current_code(device)
    assert len(code) == 6
    assert code.isdigit()


def test_it_finds_the_demo_person_whatever_the_case_of_the_email(db, frozen_time):
    load_demo()
    device = TOTPDevice.objects.get(user__email="bob@northbridge.example")

    assert demo_otp("Bob@Northbridge.Example") == current_code(device)


def test_it_prints_a_code_that_signs_the_person_in(client, db, frozen_time):
    load_demo()
    client.post(
        "/account/sign-in/", {"username": "carol@northbridge.example", "password": DEMO_PASSWORD}
    )

    client.post("/account/second-factor/verify/", {"code": demo_otp("carol@northbridge.example")})

    assert client.get("/").status_code == 200


def test_it_refuses_to_print_a_code_when_debug_is_off(db, settings):
    load_demo()
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        demo_otp("alice@northbridge.example")


def test_it_says_when_a_person_has_no_authenticator(db, alice):
    with pytest.raises(CommandError, match="No authenticator is set up for"):
        demo_otp("alice@northbridge.example")


def test_it_writes_links_for_the_port_make_demo_serves_on():
    """`make demo PORT=8001`: the Makefile hands the demo a SITE_URL on that port, which the
    emails and certificate texts are written with."""
    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST", "PORT")}
    printed = subprocess.run(  # noqa: S603 (make from PATH, fixed arguments)
        [shutil.which("make"), "-s", "--no-print-directory", "--eval=site-url: ; @echo $$SITE_URL",
         "site-url", "PORT=8001"],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert printed.stdout.strip() == "http://127.0.0.1:8001"
