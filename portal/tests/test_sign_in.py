"""Signing in and out with email and password, and changing a known password."""

from portal.models import AuditAction, AuditEvent, User
from portal.tests.factories import PASSWORD, UserFactory

SIGN_IN = "/account/sign-in/"
WRONG_PASSWORD_MESSAGE = "Enter a correct email address and password."


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(SIGN_IN, {"username": email, "password": password}, **extra)


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_it_shows_the_sign_in_form(client, db):
    """Email first (single sign-on may take it from there); the password comes next."""
    response = client.get(SIGN_IN)

    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()
    assert 'name="password"' not in response.content.decode()


def test_it_asks_for_the_password_after_an_email_no_provider_signs_in(client, alice):
    response = client.post(SIGN_IN, {"username": alice.email})

    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()
    assert signed_in_user_id(client) is None


def test_it_shows_the_password_form_when_asked_for_it(client, db):
    response = client.get(f"{SIGN_IN}?with=password")

    assert 'name="password"' in response.content.decode()


def test_it_signs_in_with_email_and_password(client, alice):
    response = sign_in(client, "alice@northbridge.example")

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(alice.pk)


def test_it_ignores_the_case_of_the_email(client, alice):
    sign_in(client, "  Alice@NorthBridge.EXAMPLE ")

    assert signed_in_user_id(client) == str(alice.pk)


def test_it_shows_a_clear_message_for_a_wrong_password(client, alice):
    response = sign_in(client, "alice@northbridge.example", "not-her-password")

    assert response.status_code == 200
    assert WRONG_PASSWORD_MESSAGE in response.content.decode()
    assert signed_in_user_id(client) is None


def test_it_shows_the_same_message_for_an_unknown_email(client, alice):
    response = sign_in(client, "nobody@northbridge.example")

    assert response.status_code == 200
    assert WRONG_PASSWORD_MESSAGE in response.content.decode()


def test_it_asks_for_an_email_address_when_none_is_given(client, db):
    response = client.post(SIGN_IN, {"username": "", "password": PASSWORD})

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert response.context["form"].errors["username"]


def test_it_refuses_a_deactivated_account(client, alice):
    alice.is_active = False
    alice.save(update_fields=["is_active"])

    response = sign_in(client, "alice@northbridge.example")

    assert response.status_code == 200
    assert signed_in_user_id(client) is None


def test_it_records_a_successful_sign_in(client, alice):
    sign_in(client, "alice@northbridge.example", REMOTE_ADDR="203.0.113.7")

    event = AuditEvent.objects.get(action=AuditAction.SIGNED_IN)
    assert (event.actor, event.subject, event.authority) == (alice, alice, alice.authority)
    assert event.ip_address == "203.0.113.7"


def test_it_sends_a_person_on_to_the_second_factor_after_the_password(client, alice):
    response = sign_in(client, "alice@northbridge.example")

    assert response["Location"] == "/"
    assert client.get("/")["Location"].startswith("/account/second-factor/set-up/")


def test_it_returns_to_the_page_asked_for(client, alice):
    response = client.post(
        f"{SIGN_IN}?next=/account/",
        {"username": "alice@northbridge.example", "password": PASSWORD, "next": "/account/"},
    )

    assert response["Location"] == "/account/"


def test_it_does_not_return_to_another_site(client, alice):
    response = client.post(
        SIGN_IN,
        {
            "username": "alice@northbridge.example",
            "password": PASSWORD,
            "next": "https://evil.example/",
        },
    )

    assert response["Location"] == "/"


def test_it_signs_out_on_post(verified_client, alice):
    client = verified_client(alice)

    response = client.post("/account/sign-out/")

    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    assert signed_in_user_id(client) is None
    assert client.get("/")["Location"].startswith(SIGN_IN)


def test_it_records_a_sign_out(verified_client, alice):
    client = verified_client(alice)

    client.post("/account/sign-out/")

    assert AuditEvent.objects.filter(action=AuditAction.SIGNED_OUT, subject=alice).count() == 1


def test_it_does_not_sign_out_on_get(verified_client, alice):
    client = verified_client(alice)

    response = client.get("/account/sign-out/")

    assert response.status_code == 405
    assert client.get("/").status_code == 200


def test_it_refuses_a_sign_out_without_the_csrf_token(verified_client, alice):
    client = verified_client(alice)
    client.handler.enforce_csrf_checks = True

    response = client.post("/account/sign-out/")

    assert response.status_code == 403
    assert signed_in_user_id(client) == str(alice.pk)


def test_it_changes_the_password_given_the_old_one(verified_client, alice):
    client = verified_client(alice)

    response = client.post(
        "/account/password-change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-fresh-kettle-of-fish",
            "new_password2": "a-fresh-kettle-of-fish",
        },
    )

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a-fresh-kettle-of-fish")


def test_it_keeps_the_person_signed_in_after_changing_their_password(verified_client, alice):
    client = verified_client(alice)

    client.post(
        "/account/password-change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-fresh-kettle-of-fish",
            "new_password2": "a-fresh-kettle-of-fish",
        },
    )

    response = client.get("/account/")
    assert response.status_code == 200
    assert "Your password has been changed." in response.content.decode()


def test_it_refuses_a_password_change_with_the_wrong_old_password(verified_client, alice):
    client = verified_client(alice)

    response = client.post(
        "/account/password-change/",
        {
            "old_password": "not-her-password",
            "new_password1": "a-fresh-kettle-of-fish",
            "new_password2": "a-fresh-kettle-of-fish",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_it_records_a_password_change(verified_client, alice):
    client = verified_client(alice)

    client.post(
        "/account/password-change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-fresh-kettle-of-fish",
            "new_password2": "a-fresh-kettle-of-fish",
        },
    )

    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED, actor=alice).exists()


def test_it_signs_in_with_a_changed_password(verified_client, alice):
    client = verified_client(alice)
    client.post(
        "/account/password-change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-fresh-kettle-of-fish",
            "new_password2": "a-fresh-kettle-of-fish",
        },
    )
    client.post("/account/sign-out/")

    sign_in(client, "alice@northbridge.example", "a-fresh-kettle-of-fish")

    assert signed_in_user_id(client) == str(alice.pk)


def test_it_signs_in_a_person_added_in_the_django_admin_with_capitals(verified_client, db):
    platform_admin = UserFactory(authority=None, is_staff=True, is_superuser=True)
    client = verified_client(platform_admin)
    client.post(
        "/admin/portal/user/add/",
        {
            "email": "Jo.Bloggs@Northbridge.Example",
            "full_name": "Jo Bloggs",
            "role": "practitioner",
            "usable_password": "true",
            "password1": "a-fresh-kettle-of-fish",
            "password2": "a-fresh-kettle-of-fish",
        },
    )
    client.post("/account/sign-out/")

    sign_in(client, "Jo.Bloggs@Northbridge.Example", "a-fresh-kettle-of-fish")

    assert signed_in_user_id(client) == str(User.objects.get(full_name="Jo Bloggs").pk)
