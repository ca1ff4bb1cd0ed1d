"""The TOTP second factor everyone sets up and uses, and its one-time recovery codes."""

import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import current_code
from portal import services
from portal.models import AuditAction, AuditEvent, RecoveryCode
from portal.tests.factories import PASSWORD, TOTPDeviceFactory, UserFactory

SET_UP = "/account/second-factor/set-up/"
VERIFY = "/account/second-factor/verify/"
WRONG_CODE_MESSAGE = "That code is not right"


@pytest.fixture
def frozen_time():
    """TOTP codes follow the clock; a frozen one keeps each test inside one 30-second step."""
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def platform_admin(db):
    return UserFactory(
        email="admin@threshold.example",
        full_name="Pat Admin",
        authority=None,
        is_staff=True,
        is_superuser=True,
    )


def password_sign_in(client, user):
    response = client.post("/account/sign-in/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, "password sign-in failed in set-up"
    return client


def set_up_authenticator(client, user):
    """Pair an authenticator through the set-up page; return the recovery codes shown."""
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SET_UP, {"code": current_code(device), "next": "/"})
    assert response.status_code == 200, "set-up failed in set-up"
    return response.context["codes"]


def wrong_code(device):
    """A six-digit code the device would refuse now: none of the codes its tolerance allows."""
    accepted = set()
    for steps in range(-device.tolerance, device.tolerance + 1):
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time() + steps * device.step
        accepted.add(f"{totp.token():0{device.digits}d}")
    return next(code for code in ("123456", "654321", "111111", "999999") if code not in accepted)


def verify(client, code):
    return client.post(VERIFY, {"code": code, "next": "/"})


@pytest.mark.parametrize("page", ["/", "/account/", "/admin/", "/manage/users/"])
@pytest.mark.parametrize("persona", ["alice", "bob", "carol", "dave", "platform_admin"])
def test_it_sends_everyone_without_an_authenticator_to_set_up(client, request, persona, page):
    user = request.getfixturevalue(persona)
    password_sign_in(client, user)

    response = client.get(page)

    assert response.status_code == 302
    assert response["Location"].startswith(SET_UP)


def test_it_returns_to_the_page_asked_for_after_set_up(client, alice):
    password_sign_in(client, alice)

    response = client.get("/account/")

    assert response["Location"] == f"{SET_UP}?next=%2Faccount%2F"


def test_it_shows_a_qr_code_and_the_key_at_set_up(client, alice):
    password_sign_in(client, alice)

    response = client.get(SET_UP)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'src="data:image/svg+xml' in page
    assert response.context["secret"].replace(" ", "") in page.replace(" ", "")


def test_it_keeps_the_same_key_while_set_up_is_unfinished(client, alice):
    password_sign_in(client, alice)

    first = client.get(SET_UP).context["secret"]
    second = client.get(SET_UP).context["secret"]

    assert first == second
    assert TOTPDevice.objects.filter(user=alice).count() == 1


def test_it_confirms_the_authenticator_with_a_correct_code(client, alice):
    password_sign_in(client, alice)

    set_up_authenticator(client, alice)

    assert TOTPDevice.objects.get(user=alice).confirmed


def test_it_lets_the_person_in_after_set_up(client, alice):
    password_sign_in(client, alice)
    set_up_authenticator(client, alice)

    response = client.get("/")

    assert response.status_code == 200
    assert "Welcome, Alice" in response.content.decode()


def test_it_records_the_set_up(client, alice):
    password_sign_in(client, alice)

    set_up_authenticator(client, alice)

    assert AuditEvent.objects.filter(
        action=AuditAction.SECOND_FACTOR_SET_UP, subject=alice
    ).exists()


def test_it_rejects_a_wrong_code_at_set_up(client, alice, frozen_time):
    password_sign_in(client, alice)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=alice)
    response = client.post(SET_UP, {"code": wrong_code(device), "next": "/"})

    assert response.status_code == 200
    assert WRONG_CODE_MESSAGE in response.content.decode()
    assert response.context["form"].errors["code"]
    device.refresh_from_db()
    assert not device.confirmed


def test_it_keeps_a_person_at_set_up_after_a_wrong_code(client, alice):
    password_sign_in(client, alice)
    client.get(SET_UP)
    client.post(SET_UP, {"code": "000000x", "next": "/"})

    response = client.get("/")

    assert response["Location"].startswith(SET_UP)


def test_it_shows_ten_recovery_codes_after_set_up(client, alice):
    password_sign_in(client, alice)

    codes = set_up_authenticator(client, alice)

    assert len(set(codes)) == 10
    assert RecoveryCode.objects.filter(device__user=alice).count() == 10


def test_it_shows_the_recovery_codes_on_the_page(client, alice):
    password_sign_in(client, alice)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=alice)

    response = client.post(SET_UP, {"code": current_code(device), "next": "/"})

    page = response.content.decode()
    assert all(code in page for code in response.context["codes"])


def test_it_never_shows_the_recovery_codes_again(client, alice):
    password_sign_in(client, alice)
    codes = set_up_authenticator(client, alice)

    pages = [client.get(path, follow=True) for path in (SET_UP, "/account/", "/")]

    for response in pages:
        assert not any(code in response.content.decode() for code in codes)


def test_it_shows_only_a_count_of_recovery_codes_on_the_account_page(client, alice):
    password_sign_in(client, alice)
    set_up_authenticator(client, alice)

    response = client.get("/account/")

    assert "10 unused" in response.content.decode()


def test_it_sends_a_person_with_an_authenticator_from_set_up_to_verify(client, alice):
    TOTPDeviceFactory(user=alice)
    password_sign_in(client, alice)

    response = client.get(SET_UP)

    assert response.status_code == 302
    assert response["Location"] == VERIFY


def test_it_does_not_let_a_password_alone_replace_the_authenticator(client, alice):
    device = TOTPDeviceFactory(user=alice)
    password_sign_in(client, alice)

    response = client.post(SET_UP, {"code": wrong_code(device), "next": "/"})

    assert response["Location"] == VERIFY
    assert list(TOTPDevice.objects.filter(user=alice)) == [device]


def test_it_asks_for_a_code_when_an_authenticator_exists(client, alice):
    TOTPDeviceFactory(user=alice)
    password_sign_in(client, alice)

    response = client.get("/")

    assert response["Location"].startswith(VERIFY)


def test_it_lets_the_person_in_with_a_correct_code(client, alice):
    device = TOTPDeviceFactory(user=alice)
    password_sign_in(client, alice)

    response = verify(client, current_code(device))

    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_it_rejects_a_wrong_code_at_verify(client, alice, frozen_time):
    device = TOTPDeviceFactory(user=alice)
    password_sign_in(client, alice)
    response = verify(client, wrong_code(device))

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert client.get("/")["Location"].startswith(VERIFY)


def test_it_refuses_a_code_that_was_used_already(client, alice, frozen_time):
    device = TOTPDeviceFactory(user=alice)
    code = current_code(device)
    verify(password_sign_in(client, alice), code)
    client.post("/account/sign-out/")

    response = verify(password_sign_in(client, alice), code)

    assert response.status_code == 200
    assert response.context["form"].errors["code"]


def test_it_does_not_return_to_another_site_after_verify(client, alice):
    device = TOTPDeviceFactory(user=alice)
    password_sign_in(client, alice)

    response = client.post(VERIFY, {"code": current_code(device), "next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_it_accepts_a_recovery_code_instead_of_a_code(client, alice):
    password_sign_in(client, alice)
    codes = set_up_authenticator(client, alice)
    client.post("/account/sign-out/")
    password_sign_in(client, alice)

    response = verify(client, codes[0])

    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_it_accepts_a_recovery_code_typed_in_capitals_with_spaces(client, alice):
    password_sign_in(client, alice)
    codes = set_up_authenticator(client, alice)
    client.post("/account/sign-out/")
    password_sign_in(client, alice)

    response = verify(client, f" {codes[0].upper()} ")

    assert response["Location"] == "/"


def test_it_refuses_a_recovery_code_the_second_time(client, alice):
    password_sign_in(client, alice)
    codes = set_up_authenticator(client, alice)
    client.post("/account/sign-out/")
    verify(password_sign_in(client, alice), codes[0])
    client.post("/account/sign-out/")

    response = verify(password_sign_in(client, alice), codes[0])

    assert response.status_code == 200
    assert response.context["form"].errors["code"]


def test_it_records_the_use_of_a_recovery_code(client, alice):
    password_sign_in(client, alice)
    codes = set_up_authenticator(client, alice)
    client.post("/account/sign-out/")

    verify(password_sign_in(client, alice), codes[0])

    event = AuditEvent.objects.get(action=AuditAction.RECOVERY_CODE_USED)
    assert (event.subject, event.detail) == (alice, {"codes_left": 9})


def test_it_counts_down_the_recovery_codes_left(client, alice):
    password_sign_in(client, alice)
    codes = set_up_authenticator(client, alice)
    client.post("/account/sign-out/")
    verify(password_sign_in(client, alice), codes[0])

    response = client.get("/account/")

    assert "9 unused" in response.content.decode()


def test_it_gives_new_recovery_codes_when_asked(verified_client, alice):
    client = verified_client(alice)

    response = client.post("/account/recovery-codes/")

    assert response.status_code == 200
    assert len(set(response.context["codes"])) == 10
    event = AuditEvent.objects.get(action=AuditAction.RECOVERY_CODES_RENEWED)
    assert (event.actor, event.subject, event.authority_id) == (alice, alice, alice.authority_id)


def test_it_refuses_to_confirm_someone_elses_authenticator(alice, bob, rf):
    bobs = services.totp_device_start(user=bob)

    with pytest.raises(PermissionDenied):
        services.totp_device_confirm(user=alice, device=bobs, request=rf.post(SET_UP))

    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR_SET_UP).exists()


def test_it_retires_the_old_recovery_codes_when_giving_new_ones(client, alice, frozen_time):
    password_sign_in(client, alice)
    old_codes = set_up_authenticator(client, alice)
    client.post("/account/recovery-codes/")
    client.post("/account/sign-out/")

    response = verify(password_sign_in(client, alice), old_codes[0])

    assert response.context["form"].errors["code"]
    assert RecoveryCode.objects.filter(device__user=alice).count() == 10


def test_it_gives_new_recovery_codes_only_on_post(verified_client, alice):
    client = verified_client(alice)

    response = client.get("/account/recovery-codes/")

    assert response.status_code == 405


def test_it_does_not_give_recovery_codes_before_the_second_factor(client, alice):
    TOTPDeviceFactory(user=alice)
    password_sign_in(client, alice)

    response = client.post("/account/recovery-codes/")

    assert response["Location"].startswith(VERIFY)
    assert not RecoveryCode.objects.filter(device__user=alice).exists()


def test_it_lets_a_person_sign_out_before_setting_up(client, alice):
    password_sign_in(client, alice)

    response = client.post("/account/sign-out/")

    assert response["Location"] == "/account/sign-in/"
    assert client.session.get("_auth_user_id") is None


def test_it_asks_again_for_a_code_at_the_next_sign_in(client, alice, frozen_time):
    device = TOTPDeviceFactory(user=alice)
    verify(password_sign_in(client, alice), current_code(device))
    client.post("/account/sign-out/")
    frozen_time.shift(timedelta(seconds=30))

    password_sign_in(client, alice)

    assert client.get("/")["Location"].startswith(VERIFY)


def test_it_lets_a_platform_admin_into_the_django_admin_after_the_second_factor(
    verified_client, platform_admin
):
    client = verified_client(platform_admin)

    response = client.get("/admin/")

    assert response.status_code == 200


def test_it_does_not_return_from_https_to_plain_http_after_verify(client, alice):
    device = TOTPDeviceFactory(user=alice)
    password_sign_in(client, alice)

    response = client.post(
        VERIFY, {"code": current_code(device), "next": "http://testserver/account/"}, secure=True
    )

    assert response["Location"] == "/"


def test_it_opens_set_up_when_two_pages_opened_at_once_left_two_unfinished_devices(client, alice):
    TOTPDevice.objects.create(user=alice, confirmed=False, name="Authenticator app")
    TOTPDevice.objects.create(user=alice, confirmed=False, name="Authenticator app")
    password_sign_in(client, alice)

    response = client.get(SET_UP)

    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=alice).count() == 2
