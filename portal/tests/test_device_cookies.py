"""Device cookies (OWASP): the owner's usual browser gets past the wider sign-in bounds and the
reset emails' per-address limit that strangers with many addresses can trip; a stolen cookie
gives only a few guesses."""

import base64
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail, signing
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import current_code
from portal.tests.factories import PASSWORD, TOTPDeviceFactory

SIGN_IN = "/account/sign-in/"
VERIFY = "/account/second-factor/verify/"
SET_UP = "/account/second-factor/set-up/"
RESET = "/account/password-reset/"
HERE = "198.51.100.1"
ELSEWHERE = "198.51.100.2"
ADDRESS_MESSAGE = "There have been 20 failed sign-in attempts from your network in the last hour."
ACCOUNT_MESSAGE = "This account has had 50 failed sign-in attempts in the last hour."
RESET_MESSAGE = "Too many password reset requests."


@pytest.fixture
def frozen_time():
    """TOTP codes follow the clock: each step of a test moves it on a minute for a fresh code."""
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def device(alice):
    return TOTPDeviceFactory(user=alice)


def sign_in(client, email, password=PASSWORD, address=HERE):
    return client.post(SIGN_IN, {"username": email, "password": password}, REMOTE_ADDR=address)


def verify(client, code, address=HERE):
    return client.post(VERIFY, {"code": code, "next": "/"}, REMOTE_ADDR=address)


def page_text(response):
    return " ".join(response.content.decode().split())


def device_cookie_of(user, device, address=HERE):
    """The device cookie a complete sign-in (password and code) leaves in the browser."""
    client = Client()
    assert sign_in(client, user.email, address=address).status_code == 302
    response = verify(client, current_code(device), address=address)
    assert response.status_code == 302, "second factor failed in set-up"
    return response.cookies[settings.DEVICE_COOKIE_NAME].value


def browser(cookie=None):
    client = Client()
    if cookie is not None:
        client.cookies[settings.DEVICE_COOKIE_NAME] = cookie
    return client


def fail_from_many_addresses(email, times):
    for number in range(times):
        sign_in(Client(), email, "not-the-password", address=f"203.0.113.{number + 1}")


def spray(times, address=HERE):
    for number in range(times):
        sign_in(Client(), f"guess{number}@northbridge.example", "Winter2026!", address=address)


def signs_in_fully(client, user, device, address):
    """Password then code; True when both steps let the person through."""
    if sign_in(client, user.email, address=address).status_code != 302:
        return False
    response = verify(client, current_code(device), address=address)
    return response.status_code == 302 and response["Location"] == "/"


# --- The cookie itself ---------------------------------------------------------------------


def test_it_gives_the_browser_a_device_cookie_when_the_sign_in_is_complete(alice, device):
    client = Client()
    response = sign_in(client, alice.email)
    assert settings.DEVICE_COOKIE_NAME not in response.cookies  # the password alone is not enough

    response = verify(client, current_code(device))

    cookie = response.cookies[settings.DEVICE_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 365 * 24 * 60 * 60


def test_it_gives_a_device_cookie_on_first_setting_up_the_authenticator(alice):
    client = Client()
    sign_in(client, alice.email)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=alice, confirmed=False)

    response = client.post(SET_UP, {"code": current_code(device), "next": "/"})

    assert response.status_code == 200
    assert response.cookies[settings.DEVICE_COOKIE_NAME].value


def test_it_keeps_the_email_out_of_the_cookie(alice, device):
    cookie = device_cookie_of(alice, device)

    payload = cookie.split(":")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()
    assert "alice" not in cookie.lower()
    assert "alice" not in decoded.lower()
    assert "northbridge" not in decoded.lower()


# --- One account from many addresses --------------------------------------------------------


def test_it_lets_the_owner_in_with_a_device_cookie_while_many_addresses_keep_the_account_shut(
    alice, device, frozen_time
):
    cookie = device_cookie_of(alice, device)
    fail_from_many_addresses(alice.email, 50)
    frozen_time.shift(timedelta(minutes=1))

    assert signs_in_fully(browser(cookie), alice, device, address=ELSEWHERE)


def test_it_still_refuses_the_account_without_a_device_cookie(alice, device, frozen_time):
    device_cookie_of(alice, device)
    fail_from_many_addresses(alice.email, 50)

    response = sign_in(browser(), alice.email, address=ELSEWHERE)

    assert response.status_code == 429
    assert ACCOUNT_MESSAGE in page_text(response)


# --- One address on many accounts -----------------------------------------------------------


def test_it_lets_the_owner_in_with_a_device_cookie_from_a_sprayed_address(
    alice, device, frozen_time
):
    cookie = device_cookie_of(alice, device)
    spray(20, address=HERE)
    frozen_time.shift(timedelta(minutes=1))

    assert signs_in_fully(browser(cookie), alice, device, address=HERE)


def test_it_still_refuses_others_at_the_sprayed_address(alice, bob, device):
    device_cookie_of(alice, device)
    spray(20, address=HERE)

    response = sign_in(browser(), bob.email, address=HERE)

    assert response.status_code == 429
    assert ADDRESS_MESSAGE in page_text(response)


# --- A stolen cookie ------------------------------------------------------------------------


def test_it_distrusts_a_device_cookie_after_five_wrong_passwords(alice, device, frozen_time):
    cookie = device_cookie_of(alice, device)
    fail_from_many_addresses(alice.email, 50)
    for number in range(4):  # from different addresses, so axes' pair lock never applies
        sign_in(browser(cookie), alice.email, "not-the-password", address=f"192.0.2.{number + 1}")
    assert sign_in(browser(cookie), alice.email, address=ELSEWHERE).status_code == 302

    sign_in(browser(cookie), alice.email, "not-the-password", address="192.0.2.5")
    response = sign_in(browser(cookie), alice.email, address=ELSEWHERE)

    assert response.status_code == 429
    assert ACCOUNT_MESSAGE in page_text(response)


def test_it_trusts_the_device_cookie_again_once_its_failures_are_fifteen_minutes_old(
    alice, device, frozen_time
):
    cookie = device_cookie_of(alice, device)
    fail_from_many_addresses(alice.email, 50)
    for number in range(5):
        sign_in(browser(cookie), alice.email, "not-the-password", address=f"192.0.2.{number + 1}")
    frozen_time.shift(timedelta(minutes=16))

    response = sign_in(browser(cookie), alice.email, address=ELSEWHERE)

    assert response.status_code == 302


def test_it_distrusts_a_device_cookie_after_five_wrong_codes(alice, device, frozen_time):
    cookie = device_cookie_of(alice, device)
    fail_from_many_addresses(alice.email, 50)
    for number in range(5):  # each from its own address, so the code step's pair lock never applies
        address = f"192.0.2.{number + 1}"
        client = browser(cookie)
        assert sign_in(client, alice.email, address=address).status_code == 302
        verify(client, "000000", address=address)

    response = sign_in(browser(cookie), alice.email, address=ELSEWHERE)

    assert response.status_code == 429


# --- Cookies that are not ours --------------------------------------------------------------


def forged_cookies(bob):
    bobs_device = TOTPDeviceFactory(user=bob)
    genuine = device_cookie_of(bob, bobs_device, address="192.0.2.99")
    payload, timestamp, signature = genuine.split(":")
    return {
        "garbled": "not a cookie at all",
        "colons": "a:b:c",
        "empty fields": "::",
        "other salt": signing.dumps({"account": "x", "nonce": "y"}, salt="something-else"),
        "another account's": genuine,
        "tampered": f"{payload}x:{timestamp}:{signature}",
        "bad signature": f"{payload}:{timestamp}:{'A' * len(signature)}",
    }


def test_it_ignores_forged_garbled_and_other_accounts_cookies(alice, bob, device):
    cookies = forged_cookies(bob)
    fail_from_many_addresses(alice.email, 50)

    for name, cookie in cookies.items():
        response = sign_in(browser(cookie), alice.email, address=ELSEWHERE)
        assert response.status_code == 429, name
        assert ACCOUNT_MESSAGE in page_text(response), name
        reset = browser(cookie).post(RESET, {"email": alice.email}, REMOTE_ADDR=ELSEWHERE)
        assert reset.status_code in (200, 302), name


# --- Password reset emails -------------------------------------------------------------------


def test_it_sends_the_owner_a_reset_email_after_a_stranger_used_up_the_addresss_limit(
    alice, device, django_capture_on_commit_callbacks
):
    cookie = device_cookie_of(alice, device)
    for number in range(3):
        Client().post(RESET, {"email": alice.email}, REMOTE_ADDR=f"203.0.113.{number + 1}")
    refused = Client().post(RESET, {"email": alice.email}, REMOTE_ADDR=ELSEWHERE)
    assert RESET_MESSAGE in page_text(refused)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = browser(cookie).post(RESET, {"email": alice.email}, REMOTE_ADDR=ELSEWHERE)

    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[alice.email]]
