"""Single sign-on through an authority's OpenID Connect provider: the whole redirect flow,
through Django's test client, against a real provider (oidc-provider-mock in a thread)."""

from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.utils import timezone

from portal import services
from portal.models import AuditAction, AuditEvent, IdentityProviderDevice, Role, User
from portal.tests.factories import PASSWORD, IdentityProviderFactory, TOTPDeviceFactory, UserFactory
from portal.views.sso import SSO_SESSION_KEY

SIGN_IN = "/account/sign-in/"


@pytest.fixture
def provider(authority, oidc_provider):
    """Northbridge's provider, vouching for northbridge.example."""
    return IdentityProviderFactory(
        authority=authority, issuer=oidc_provider.url, domains=["northbridge.example"]
    )


@pytest.fixture
def other_provider(other_authority, oidc_provider):
    """Wealdshire's provider (another client of the same service), owning wealdshire.example."""
    return IdentityProviderFactory(
        authority=other_authority,
        name="Wealdshire staff account",
        issuer=oidc_provider.url,
        client_id="threshold-wealdshire",
        domains=["wealdshire.example"],
    )


def verified_person(oidc_provider, email, **claims):
    """The provider knows this person by their email, confirmed; claims add or replace."""
    oidc_provider.person(email, **{"email": email, "email_verified": True, **claims})


def start(client, email):
    """The email step, then our start view: the provider's authorization URL."""
    response = client.post(SIGN_IN, {"username": email})
    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"].startswith("/account/sso/start/")
    response = client.get(response["Location"])
    assert response.status_code == 302
    return response["Location"]


def sign_in(client, oidc_provider, email, sub=None):
    """The whole flow: email step, provider's form, back to our callback."""
    authorization_url = start(client, email)
    return client.get(oidc_provider.sign_in(authorization_url, sub or email))


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def refusal(reason):
    return AuditEvent.objects.get(action=AuditAction.SSO_REFUSED, detail__reason=reason)


# --- The email step -----------------------------------------------------------------------


def test_it_asks_for_the_email_first(client, db):
    page = client.get(SIGN_IN).content.decode()

    assert 'name="username"' in page
    assert 'name="password"' not in page
    assert ">Continue<" in page


def test_it_continues_with_a_password_for_a_domain_without_a_provider(client, provider, charlie):
    response = client.post(SIGN_IN, {"username": "Charlie@Wealdshire.example"})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="password"' in page
    assert 'value="charlie@wealdshire.example"' in page


def test_it_sends_a_domain_with_a_provider_to_it_with_pkce_state_and_nonce(
    client, provider, oidc_provider
):
    authorization_url = start(client, "alice@northbridge.example")

    parts = urlsplit(authorization_url)
    query = parse_qs(parts.query)
    assert authorization_url.startswith(f"{oidc_provider.url}/oauth2/authorize?")
    assert query["client_id"] == ["threshold-northbridge"]
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["code_challenge"][0] and query["state"][0] and query["nonce"][0]
    assert query["login_hint"] == ["alice@northbridge.example"]
    assert query["redirect_uri"] == ["http://testserver/account/sso/callback/"]


def test_it_lets_the_email_step_form_reach_the_provider_under_the_csp(
    client, provider, oidc_provider
):
    policy = client.get(SIGN_IN)["Content-Security-Policy"]

    form_action = next(part for part in policy.split(";") if "form-action" in part)
    assert oidc_provider.url in form_action


# --- Matching and creating accounts -------------------------------------------------------


def test_it_signs_in_the_active_account_the_verified_email_names(
    client, provider, oidc_provider, alice
):
    verified_person(oidc_provider, alice.email)

    response = sign_in(client, oidc_provider, alice.email)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user_id(client) == str(alice.pk)
    event = AuditEvent.objects.get(action=AuditAction.SIGNED_IN)
    assert (event.subject, event.authority, event.detail) == (
        alice,
        alice.authority,
        {"with": "Northbridge staff account"},
    )


def test_it_returns_to_the_page_asked_for(client, provider, oidc_provider, alice):
    verified_person(oidc_provider, alice.email)
    client.post(f"{SIGN_IN}?next=/account/", {"username": alice.email, "next": "/account/"})
    authorization_url = client.get("/account/sso/start/?next=/account/")["Location"]

    response = client.get(oidc_provider.sign_in(authorization_url, alice.email))

    assert response["Location"] == "/account/"


def test_it_creates_a_practitioner_without_a_team_where_allowed(client, provider, oidc_provider):
    provider.allow_account_creation = True
    provider.save(update_fields=["allow_account_creation"])
    verified_person(oidc_provider, "nina@northbridge.example", name="Nina  Patel")

    response = sign_in(client, oidc_provider, "nina@northbridge.example")

    nina = User.objects.get(email="nina@northbridge.example")
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(nina.pk)
    assert (nina.full_name, nina.role, nina.authority, nina.team) == (
        "Nina Patel",
        Role.PRACTITIONER,
        provider.authority,
        None,
    )
    assert not nina.has_usable_password()
    created = AuditEvent.objects.get(action=AuditAction.USER_CREATED, subject=nina)
    assert created.authority == provider.authority
    assert created.detail["via"] == "single sign-on (Northbridge staff account)"


def test_it_refuses_an_unknown_email_where_accounts_are_not_created(
    client, provider, oidc_provider
):
    verified_person(oidc_provider, "nina@northbridge.example")

    response = sign_in(client, oidc_provider, "nina@northbridge.example")

    assert response.status_code == 403
    assert "You do not have a Threshold account yet" in response.content.decode()
    assert not User.objects.filter(email="nina@northbridge.example").exists()
    assert signed_in_user_id(client) is None
    assert refusal("no_account").authority == provider.authority


def test_it_refuses_an_email_whose_domain_another_authority_owns(
    client, provider, other_provider, oidc_provider, alice, charlie
):
    # Northbridge's provider vouches for a Wealdshire address (a misconfigured directory).
    oidc_provider.person("alice-sso", email=charlie.email, email_verified=True)

    response = sign_in(client, oidc_provider, alice.email, sub="alice-sso")

    assert response.status_code == 403
    assert "Your account belongs to another authority" in response.content.decode()
    assert signed_in_user_id(client) is None
    event = refusal("other_authority")
    assert (event.authority, event.detail["email_domain"]) == (
        provider.authority,
        "wealdshire.example",
    )


def test_it_refuses_a_deactivated_account(client, provider, oidc_provider, alice):
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    verified_person(oidc_provider, alice.email)

    response = sign_in(client, oidc_provider, alice.email)

    assert response.status_code == 403
    assert "Your account has been deactivated" in response.content.decode()
    assert signed_in_user_id(client) is None
    assert refusal("deactivated").subject == alice


def test_it_refuses_a_platform_admin(client, provider, oidc_provider, authority):
    admin = UserFactory(email="root@northbridge.example", authority=authority, is_superuser=True)
    verified_person(oidc_provider, admin.email)

    response = sign_in(client, oidc_provider, admin.email)

    assert response.status_code == 403
    assert "Platform admins sign in with a password" in response.content.decode()
    assert "?with=password" in response.content.decode()
    assert refusal("platform_admin").subject == admin


# --- Tokens that cannot be trusted --------------------------------------------------------


@pytest.mark.parametrize(
    ("claims", "reason", "title"),
    [
        ({"iss": "http://login.elsewhere.example"}, "wrong_issuer", "came from the wrong service"),
        ({"aud": "another-client"}, "wrong_audience", "was meant for another service"),
        ({"exp": int(time.time()) - 600}, "expired", "had expired"),
        ({"email_verified": False}, "email_not_verified", "did not confirm your email"),
    ],
    ids=["wrong issuer", "wrong audience", "expired", "email not verified"],
)
def test_it_refuses_a_token_it_cannot_trust(
    client, provider, oidc_provider, alice, claims, reason, title
):
    verified_person(oidc_provider, alice.email, **claims)

    response = sign_in(client, oidc_provider, alice.email)

    assert response.status_code == 403
    assert title in response.content.decode()
    assert signed_in_user_id(client) is None
    event = refusal(reason)
    assert (event.authority, event.detail["provider"]) == (provider.authority, provider.name)


def test_it_refuses_a_missing_email_verified(client, provider, oidc_provider, alice):
    oidc_provider.person(alice.email, email=alice.email)

    response = sign_in(client, oidc_provider, alice.email)

    assert response.status_code == 403
    assert "did not confirm your email address" in response.content.decode()
    assert signed_in_user_id(client) is None
    assert refusal("email_not_verified")


def test_it_refuses_a_tampered_token(client, provider, oidc_provider, alice, dave):
    verified_person(oidc_provider, alice.email)
    authorization_url = start(client, alice.email)
    callback = oidc_provider.sign_in(authorization_url, alice.email)
    oidc_provider.tamper_next_token = True  # the payload now names dave

    response = client.get(callback)

    assert response.status_code == 403
    assert "could not be checked" in response.content.decode()
    assert signed_in_user_id(client) is None
    assert refusal("tampered")


def test_it_refuses_a_token_carrying_an_earlier_sign_ins_nonce(
    client, provider, oidc_provider, alice
):
    verified_person(oidc_provider, alice.email)
    earlier = start(client, alice.email)
    client.get(oidc_provider.sign_in(earlier, alice.email))
    client.post("/account/sign-out/")
    verified_person(oidc_provider, alice.email, nonce=parse_qs(urlsplit(earlier).query)["nonce"][0])

    response = sign_in(client, oidc_provider, alice.email)

    assert response.status_code == 403
    assert "was not this one" in response.content.decode()
    assert signed_in_user_id(client) is None
    assert refusal("nonce")


def test_it_refuses_a_callback_used_twice(client, provider, oidc_provider, alice):
    verified_person(oidc_provider, alice.email)
    callback = oidc_provider.sign_in(start(client, alice.email), alice.email)
    client.get(callback)

    response = client.get(callback)

    assert response.status_code == 403
    assert "This sign-in has expired" in response.content.decode()
    assert refusal("state")


def test_it_ends_the_session_of_a_browser_whose_new_sign_in_is_refused(
    client, provider, oidc_provider, alice
):
    verified_person(oidc_provider, alice.email, amr=["mfa"])
    sign_in(client, oidc_provider, alice.email)
    session = client.session
    session[SSO_SESSION_KEY] = {"provider": provider.pk, "email": alice.email}
    session.save()

    response = client.get("/account/sso/callback/?error=access_denied&state=unknown")

    assert response.status_code == 403
    assert signed_in_user_id(client) is None


def test_it_signs_no_one_out_for_a_stray_callback_link(client, provider, oidc_provider, alice):
    verified_person(oidc_provider, alice.email, amr=["mfa"])
    sign_in(client, oidc_provider, alice.email)

    response = client.get("/account/sso/callback/?error=access_denied")

    assert response.status_code == 403
    assert signed_in_user_id(client) == str(alice.pk)


def test_it_refuses_a_callback_this_browser_never_started(client, provider, oidc_provider, alice):
    verified_person(oidc_provider, alice.email)
    callback = oidc_provider.sign_in(start(client, alice.email), alice.email)

    response = type(client)().get(callback)

    assert response.status_code == 403
    assert "This sign-in has expired" in response.content.decode()
    assert refusal("state")


def test_it_refuses_when_the_provider_turns_the_person_away(client, provider, oidc_provider, alice):
    response = client.get(oidc_provider.refuse(start(client, alice.email)))

    assert response.status_code == 403
    assert "Northbridge staff account did not sign you in" in response.content.decode()
    assert refusal("provider_refused").detail["error"] == "access_denied"


def test_it_says_when_the_provider_does_not_answer(client, authority):
    IdentityProviderFactory(
        authority=authority, issuer="http://localhost:9", domains=["northbridge.example"]
    )
    response = client.post(SIGN_IN, {"username": "alice@northbridge.example"})

    response = client.get(response["Location"])

    assert response.status_code == 502
    assert "is not answering" in response.content.decode()
    assert refusal("provider_unreachable")


# --- The second factor --------------------------------------------------------------------


def test_it_skips_the_authenticator_when_the_provider_used_multi_factor(
    client, provider, oidc_provider, alice
):
    verified_person(oidc_provider, alice.email, amr=["pwd", "mfa"])

    sign_in(client, oidc_provider, alice.email)

    assert client.get("/").status_code == 200
    assert IdentityProviderDevice.objects.filter(user=alice).exists()


def test_it_skips_the_authenticator_for_an_accepted_acr(client, provider, oidc_provider, alice):
    provider.accepted_acr_values = ["urn:northbridge:mfa"]
    provider.save(update_fields=["accepted_acr_values"])
    verified_person(oidc_provider, alice.email, acr="urn:northbridge:mfa", amr=["pwd"])

    sign_in(client, oidc_provider, alice.email)

    assert client.get("/").status_code == 200


def test_it_asks_for_the_authenticator_without_multi_factor(client, provider, oidc_provider, alice):
    TOTPDeviceFactory(user=alice)
    verified_person(oidc_provider, alice.email, amr=["pwd"], acr="urn:other")

    sign_in(client, oidc_provider, alice.email)

    assert client.get("/")["Location"].startswith("/account/second-factor/verify/")


def test_it_sets_up_an_authenticator_for_someone_without_one(
    client, provider, oidc_provider, alice
):
    verified_person(oidc_provider, alice.email)

    sign_in(client, oidc_provider, alice.email)

    assert client.get("/")["Location"].startswith("/account/second-factor/set-up/")


# --- Sessions and leavers -----------------------------------------------------------------


def test_it_ends_a_single_sign_on_session_after_30_minutes_idle(
    client, provider, oidc_provider, alice
):
    verified_person(oidc_provider, alice.email, amr=["mfa"])
    sign_in(client, oidc_provider, alice.email)

    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        response = client.get("/")

    assert response["Location"].startswith(SIGN_IN)


def test_it_ends_a_single_sign_on_session_12_hours_after_sign_in(
    client, provider, oidc_provider, alice
):
    verified_person(oidc_provider, alice.email, amr=["mfa"])
    sign_in(client, oidc_provider, alice.email)
    start_time = timezone.now()
    for minutes in range(25, 12 * 60, 25):  # busy all day: never 30 minutes idle
        with time_machine.travel(start_time + timedelta(minutes=minutes)):
            assert client.get("/").status_code == 200

    with time_machine.travel(start_time + timedelta(hours=12, minutes=1)):
        response = client.get("/")

    assert response["Location"].startswith(SIGN_IN)


def test_it_refuses_passwords_where_the_authority_requires_single_sign_on(client, provider, alice):
    provider.require_sso = True
    provider.save(update_fields=["require_sso"])

    response = client.post(SIGN_IN, {"username": alice.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "signs you in with your work account, not a password" in response.content.decode()
    assert signed_in_user_id(client) is None
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).exists()


def test_it_keeps_passwords_where_single_sign_on_is_not_required(client, provider, alice):
    client.post(SIGN_IN, {"username": alice.email, "password": PASSWORD})

    assert signed_in_user_id(client) == str(alice.pk)


def test_it_lets_a_leaver_refused_by_the_provider_keep_nothing_past_the_session_limit(
    client, provider, oidc_provider, alice
):
    provider.require_sso = True
    provider.save(update_fields=["require_sso"])
    verified_person(oidc_provider, alice.email, amr=["mfa"])
    sign_in(client, oidc_provider, alice.email)
    later = timezone.now() + timedelta(hours=12, minutes=1)

    with time_machine.travel(later):
        assert client.get("/")["Location"].startswith(SIGN_IN)
        refused = client.get(oidc_provider.refuse(start(client, alice.email)))
        password = client.post(SIGN_IN, {"username": alice.email, "password": PASSWORD})
        home = client.get("/")

    assert refused.status_code == 403
    assert "signs you in with your work account" in password.content.decode()
    assert home["Location"].startswith(SIGN_IN)
    assert signed_in_user_id(client) is None
    assert refusal("provider_refused").authority == provider.authority


def test_it_ends_a_provider_verified_session_when_an_admin_resets_the_second_factor(
    client, provider, oidc_provider, alice, dave
):
    verified_person(oidc_provider, alice.email, amr=["mfa"])
    sign_in(client, oidc_provider, alice.email)

    services.user_second_factor_reset(actor=dave, user=alice)

    assert client.get("/")["Location"].startswith("/account/second-factor/set-up/")


def test_it_ends_the_session_of_someone_deactivated_after_signing_in(
    client, provider, oidc_provider, alice
):
    verified_person(oidc_provider, alice.email, amr=["mfa"])
    sign_in(client, oidc_provider, alice.email)
    alice.is_active = False
    alice.save(update_fields=["is_active"])

    assert client.get("/")["Location"].startswith(SIGN_IN)
