"""Lockout after repeated failures: per account and client address (django-axes), per address
on any accounts (password spraying), per account from any addresses, and at the code step."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client

from conftest import current_code
from portal.models import AuditAction, AuditEvent
from portal.tests.factories import PASSWORD, TOTPDeviceFactory

SIGN_IN = "/account/sign-in/"
VERIFY = "/account/second-factor/verify/"
HERE = "198.51.100.1"
ELSEWHERE = "198.51.100.2"
LOCKED_MESSAGE = (
    "This account is locked for 15 minutes after 5 failed sign-in attempts from your network."
)
ADDRESS_MESSAGE = "There have been 20 failed sign-in attempts from your network in the last hour."
ACCOUNT_MESSAGE = "This account has had 50 failed sign-in attempts in the last hour."
CODES_MESSAGE = "Too many wrong codes: entering codes is locked for 15 minutes"


def sign_in(client, email, password=PASSWORD, address=HERE, **headers):
    return client.post(
        SIGN_IN, {"username": email, "password": password}, REMOTE_ADDR=address, **headers
    )


def fail(client, email, times, address=HERE):
    for _ in range(times):
        response = sign_in(client, email, "not-the-password", address=address)
    return response


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def page_text(response):
    return " ".join(response.content.decode().split())


@pytest.fixture
def frozen_time():
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


# --- One account from one address (axes) ---------------------------------------------------


def test_it_does_not_lock_after_four_failures(client, alice):
    fail(client, "alice@northbridge.example", 4)

    response = sign_in(client, "alice@northbridge.example")

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(alice.pk)


def test_it_locks_the_account_from_that_address_on_the_fifth_failure(client, alice):
    response = fail(client, "alice@northbridge.example", 5)

    assert response.status_code == 429
    assert LOCKED_MESSAGE in page_text(response)


def test_it_refuses_the_correct_password_from_that_address_while_locked(client, alice):
    fail(client, "alice@northbridge.example", 5)

    response = sign_in(client, "alice@northbridge.example")

    assert response.status_code == 429
    assert LOCKED_MESSAGE in page_text(response)
    assert signed_in_user_id(client) is None


def test_it_lets_the_owner_in_from_another_address_while_one_is_locked(alice):
    fail(Client(), "alice@northbridge.example", 5, address=HERE)
    owner = Client()

    response = sign_in(owner, "alice@northbridge.example", address=ELSEWHERE)

    assert response.status_code == 302
    assert signed_in_user_id(owner) == str(alice.pk)


def test_it_keeps_the_email_in_the_form_when_locked(client, alice):
    response = fail(client, "alice@northbridge.example", 5)

    assert 'value="alice@northbridge.example"' in response.content.decode()


def test_it_still_refuses_after_fourteen_minutes(client, alice, frozen_time):
    fail(client, "alice@northbridge.example", 5)
    frozen_time.shift(timedelta(minutes=14))

    response = sign_in(client, "alice@northbridge.example")

    assert response.status_code == 429
    assert signed_in_user_id(client) is None


def test_it_lets_the_correct_password_in_after_fifteen_minutes(client, alice, frozen_time):
    fail(client, "alice@northbridge.example", 5)
    frozen_time.shift(timedelta(minutes=15, seconds=1))

    response = sign_in(client, "alice@northbridge.example")

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(alice.pk)


def test_it_does_not_extend_the_lockout_for_attempts_while_locked(client, alice, frozen_time):
    fail(client, "alice@northbridge.example", 5)
    frozen_time.shift(timedelta(minutes=10))
    fail(client, "alice@northbridge.example", 3)
    frozen_time.shift(timedelta(minutes=5, seconds=1))

    sign_in(client, "alice@northbridge.example")

    assert signed_in_user_id(client) == str(alice.pk)


def test_it_does_not_lock_one_account_for_failures_on_another(client, alice, bob):
    fail(client, "bob@northbridge.example", 5)

    response = sign_in(client, "alice@northbridge.example")

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(alice.pk)


def test_it_counts_failures_whatever_the_case_of_the_email(client, alice):
    spellings = [
        "alice@northbridge.example",
        "ALICE@northbridge.example",
        "Alice@Northbridge.Example",
        "aLiCe@NORTHBRIDGE.EXAMPLE",
        " alice@northbridge.example ",
    ]
    for email in spellings:
        sign_in(client, email, "not-the-password")

    response = sign_in(client, "Alice@northbridge.example")

    assert response.status_code == 429
    assert signed_in_user_id(client) is None


def test_it_forgets_earlier_failures_after_a_successful_sign_in(client, alice):
    fail(client, "alice@northbridge.example", 4)
    sign_in(client, "alice@northbridge.example")
    client.post("/account/sign-out/")

    response = fail(client, "alice@northbridge.example", 4)

    assert response.status_code == 200
    assert LOCKED_MESSAGE not in page_text(response)


def test_it_locks_unknown_addresses_the_same_way(client, db):
    response = fail(client, "nobody@northbridge.example", 5)

    assert response.status_code == 429
    assert LOCKED_MESSAGE in page_text(response)


def test_it_unlocks_the_account_when_the_password_is_reset_by_email(
    client, alice, django_capture_on_commit_callbacks
):
    fail(client, "alice@northbridge.example", 5)
    with django_capture_on_commit_callbacks(execute=True):  # the queued reset email is sent
        client.post("/account/password-reset/", {"email": "alice@northbridge.example"})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    set_password_path = client.get(link)["Location"]
    new_password = "a-brand-new-lighthouse"
    client.post(set_password_path, {"new_password1": new_password, "new_password2": new_password})

    response = sign_in(client, "alice@northbridge.example", new_password)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(alice.pk)


# --- The client address: only what our own proxies wrote ------------------------------------


def test_it_ignores_a_forwarded_for_header_it_was_not_told_to_trust(client, settings, alice):
    settings.TRUSTED_PROXY_COUNT = 0
    for attempt in range(5):
        sign_in(
            client,
            alice.email,
            "not-the-password",
            address=HERE,
            HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt + 1}",
        )

    response = sign_in(client, alice.email, address=HERE, HTTP_X_FORWARDED_FOR="203.0.113.99")

    assert response.status_code == 429
    assert signed_in_user_id(client) is None


def test_it_takes_the_address_our_one_proxy_appended(client, settings, alice):
    """Entries left of the proxy's are the client's to forge, and change nothing."""
    settings.TRUSTED_PROXY_COUNT = 1
    for attempt in range(5):
        sign_in(
            client,
            alice.email,
            "not-the-password",
            address="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt + 1}, {HERE}",
        )

    refused = sign_in(client, alice.email, address="10.0.0.2", HTTP_X_FORWARDED_FOR=HERE)
    owner = Client()
    let_in = sign_in(owner, alice.email, address="10.0.0.2", HTTP_X_FORWARDED_FOR=ELSEWHERE)

    assert refused.status_code == 429
    assert let_in.status_code == 302


def test_it_records_the_address_behind_our_own_proxy(client, settings, alice):
    settings.TRUSTED_PROXY_COUNT = 1

    sign_in(
        client,
        alice.email,
        "not-the-password",
        address="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7",
    )

    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert event.ip_address == "198.51.100.7"


# --- One address on many accounts (password spraying) --------------------------------------


def spray(client, times, address=HERE):
    """One wrong password each on `times` different accounts, none of which exist."""
    for number in range(times):
        response = sign_in(
            client, f"guess{number}@northbridge.example", "Winter2026!", address=address
        )
    return response


def test_it_does_not_refuse_an_address_after_nineteen_failures_on_other_accounts(client, alice):
    spray(client, 19)

    response = sign_in(client, alice.email)

    assert response.status_code == 302


def test_it_refuses_an_address_on_its_twentieth_failure_on_any_accounts(client, db):
    response = spray(client, 20)

    assert response.status_code == 429
    assert ADDRESS_MESSAGE in page_text(response)


def test_it_refuses_even_a_correct_password_from_that_address(client, alice):
    spray(client, 20)

    response = sign_in(client, alice.email)

    assert response.status_code == 429
    assert ADDRESS_MESSAGE in page_text(response)
    assert signed_in_user_id(client) is None


def test_it_still_lets_people_in_from_other_addresses(client, alice):
    spray(Client(), 20, address=HERE)

    response = sign_in(client, alice.email, address=ELSEWHERE)

    assert response.status_code == 302


def test_it_lets_the_address_in_again_once_its_failures_are_an_hour_old(client, alice, frozen_time):
    spray(client, 20)
    frozen_time.shift(timedelta(minutes=30))
    sign_in(client, alice.email)  # refused: not counted, so it does not extend the wait
    frozen_time.shift(timedelta(minutes=31))

    response = sign_in(client, alice.email)

    assert response.status_code == 302


def test_it_does_not_forget_an_addresss_failures_when_someone_signs_in_there(client, alice):
    """Else an attacker with one account of their own could reset the bound at will."""
    spray(client, 19)
    sign_in(client, alice.email)
    client.post("/account/sign-out/")

    response = sign_in(client, "guess99@northbridge.example", "Winter2026!")

    assert response.status_code == 429
    assert ADDRESS_MESSAGE in page_text(response)


def test_it_records_the_refusal_of_an_address_as_a_lockout(client, alice):
    spray(client, 20)

    sign_in(client, alice.email)

    locked = AuditEvent.objects.get(action=AuditAction.LOCKED_OUT)
    assert (locked.subject, locked.ip_address) == (alice, HERE)


# --- One account from many addresses --------------------------------------------------------


def fail_from_many_addresses(email, times):
    """One failure from each of `times` addresses: no address reaches a bound of its own."""
    for number in range(times):
        response = sign_in(Client(), email, "not-the-password", address=f"203.0.113.{number + 1}")
    return response


def test_it_does_not_refuse_an_account_after_forty_nine_failures_from_many_addresses(client, alice):
    fail_from_many_addresses(alice.email, 49)

    response = sign_in(client, alice.email, address=ELSEWHERE)

    assert response.status_code == 302


def test_it_refuses_an_account_after_fifty_failures_from_many_addresses(client, alice):
    fail_from_many_addresses(alice.email, 50)

    response = sign_in(client, alice.email, address=ELSEWHERE)

    assert response.status_code == 429
    assert ACCOUNT_MESSAGE in page_text(response)
    assert signed_in_user_id(client) is None


def test_it_does_not_refuse_other_accounts_for_one_accounts_failures(client, alice, bob):
    fail_from_many_addresses(alice.email, 50)

    response = sign_in(client, bob.email, address=ELSEWHERE)

    assert response.status_code == 302


def test_it_lets_the_owner_in_once_the_accounts_failures_are_an_hour_old(
    client, alice, frozen_time
):
    fail_from_many_addresses(alice.email, 50)
    frozen_time.shift(timedelta(hours=1, minutes=1))

    response = sign_in(client, alice.email, address=ELSEWHERE)

    assert response.status_code == 302


def test_it_lets_the_owner_in_after_a_password_reset_ends_the_accounts_refusal(
    client, alice, django_capture_on_commit_callbacks
):
    fail_from_many_addresses(alice.email, 50)
    with django_capture_on_commit_callbacks(execute=True):  # the reset email is queued on commit
        client.post("/account/password-reset/", {"email": alice.email}, REMOTE_ADDR=ELSEWHERE)
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    set_password_path = client.get(link)["Location"]
    new_password = "a-brand-new-lighthouse"
    client.post(set_password_path, {"new_password1": new_password, "new_password2": new_password})

    response = sign_in(client, alice.email, new_password, address=ELSEWHERE)

    assert response.status_code == 302


# --- The second factor ----------------------------------------------------------------------


@pytest.fixture
def device(alice):
    return TOTPDeviceFactory(user=alice)


def password_signed_in(user, address=HERE):
    client = Client()
    assert sign_in(client, user.email, address=address).status_code == 302
    return client


def verify(client, code, address=HERE):
    return client.post(VERIFY, {"code": code, "next": "/"}, REMOTE_ADDR=address)


def wrong_codes(client, times, address=HERE):
    for _ in range(times):
        response = verify(client, "000000", address=address)
    return response


def test_it_locks_the_code_step_from_an_address_after_five_wrong_codes(alice, device):
    client = password_signed_in(alice)
    wrong_codes(client, 5)

    response = verify(client, current_code(device))

    assert response.status_code == 429
    assert CODES_MESSAGE in page_text(response)
    assert client.get("/").status_code == 302  # still not past the second factor


def test_it_lets_the_owner_verify_from_another_address_meanwhile(alice, device, frozen_time):
    wrong_codes(password_signed_in(alice), 5)
    frozen_time.shift(timedelta(minutes=1))  # past django-otp's own short per-device delay
    owner = password_signed_in(alice, address=ELSEWHERE)

    response = verify(owner, current_code(device), address=ELSEWHERE)

    assert response.status_code == 302


def test_it_lets_the_right_code_in_after_fifteen_minutes(alice, device, frozen_time):
    client = password_signed_in(alice)
    wrong_codes(client, 5)
    frozen_time.shift(timedelta(minutes=15, seconds=1))

    response = verify(client, current_code(device))

    assert response.status_code == 302


def test_it_keeps_the_code_step_locked_after_signing_in_again_with_the_password(
    alice, device, frozen_time
):
    wrong_codes(password_signed_in(alice), 5)
    frozen_time.shift(timedelta(minutes=1))
    client = password_signed_in(alice)

    response = verify(client, current_code(device))

    assert response.status_code == 429


def test_it_counts_wrong_codes_toward_the_accounts_bound(client, alice, device):
    fail_from_many_addresses(alice.email, 45)
    wrong_codes(password_signed_in(alice), 5)

    response = sign_in(client, alice.email, address=ELSEWHERE)

    assert response.status_code == 429
    assert ACCOUNT_MESSAGE in page_text(response)


def test_it_refuses_codes_while_the_account_is_refused_everywhere(alice, device):
    client = password_signed_in(alice)
    fail_from_many_addresses(alice.email, 50)

    response = verify(client, current_code(device))

    assert response.status_code == 429
    assert ACCOUNT_MESSAGE in page_text(response)


def test_it_records_a_refused_code_as_a_lockout(alice, device):
    client = password_signed_in(alice)
    wrong_codes(client, 5)

    verify(client, current_code(device))

    locked = AuditEvent.objects.get(action=AuditAction.LOCKED_OUT)
    assert (locked.subject, locked.detail["step"]) == (alice, "second_factor")


# --- The audit log --------------------------------------------------------------------------


def test_it_records_each_failed_sign_in(client, alice):
    fail(client, "alice@northbridge.example", 3)

    events = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED)
    assert events.count() == 3
    assert {(event.subject, event.authority) for event in events} == {(alice, alice.authority)}


def test_it_records_the_address_each_failure_came_from(alice):
    fail(Client(), alice.email, 1, address=HERE)
    fail(Client(), alice.email, 1, address=ELSEWHERE)

    addresses = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).values_list(
        "ip_address", flat=True
    )
    assert sorted(addresses) == [HERE, ELSEWHERE]


def test_it_records_the_lockout_once(client, alice):
    fail(client, "alice@northbridge.example", 5)

    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() == 5
    locked = AuditEvent.objects.get(action=AuditAction.LOCKED_OUT)
    assert (locked.subject, locked.authority) == (alice, alice.authority)


def test_it_records_a_refused_attempt_while_locked_once(client, alice):
    fail(client, "alice@northbridge.example", 5)

    sign_in(client, "alice@northbridge.example")

    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() == 6
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).count() == 2


def test_it_records_a_successful_sign_in_after_the_lockout(client, alice, frozen_time):
    fail(client, "alice@northbridge.example", 5)
    frozen_time.shift(timedelta(minutes=16))

    sign_in(client, "alice@northbridge.example")

    event = AuditEvent.objects.get(action=AuditAction.SIGNED_IN)
    assert (event.actor, event.subject) == (alice, alice)


def test_it_counts_an_ipv6_client_by_its_network_not_each_address(client, alice):
    """One /64 is one client: a fresh address for each guess does not escape the bound."""
    for number in range(20):
        sign_in(
            client, f"guess{number}@northbridge.example", "x", address=f"2001:db8:1:2::{number}"
        )

    refused = sign_in(client, alice.email, address="2001:db8:1:2::ffff")
    elsewhere = sign_in(Client(), alice.email, address="2001:db8:1:3::1")

    assert refused.status_code == 429
    assert ADDRESS_MESSAGE in page_text(refused)
    assert elsewhere.status_code == 302


# --- With the cache down --------------------------------------------------------------------


@pytest.fixture
def cache_down(settings):
    """A Redis cache nobody answers on (nothing listens on port 1)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }


def test_it_signs_people_in_while_the_cache_is_down(client, alice, cache_down, caplog):
    device = TOTPDeviceFactory(user=alice)
    fail(client, alice.email, 1)
    assert sign_in(client, alice.email).status_code == 302

    response = client.post(VERIFY, {"code": current_code(device), "next": "/"}, REMOTE_ADDR=HERE)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(alice.pk)
    assert "Sign-in counts skipped: the cache did not answer" in caplog.text


def test_it_still_locks_the_pair_from_the_database_while_the_cache_is_down(
    client, alice, cache_down
):
    fail(client, alice.email, 5)

    response = sign_in(client, alice.email)

    assert response.status_code == 429
