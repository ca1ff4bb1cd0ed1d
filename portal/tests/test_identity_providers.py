"""Configuring single sign-on: an authority admin's own pages (their authority only) and the
Django admin for platform admins. The client secret is stored encrypted and never shown."""

from __future__ import annotations

import pytest

from portal.models import AuditAction, AuditEvent, IdentityProvider
from portal.sso import client_secrets
from portal.tests.factories import CLIENT_SECRET, PASSWORD, IdentityProviderFactory, UserFactory

LIST = "/manage/sign-in-providers/"
NEW = "/manage/sign-in-providers/new/"
SECRET = "a-very-secret-value-0123"  # noqa: S105 - a test value


def provider_form(**changes):
    return {
        "name": "Northbridge staff account",
        "issuer": "https://login.northbridge.example/tenant/v2.0",
        "client_id": "threshold",
        "client_secret": SECRET,
        "domains": "northbridge.example\n@NB.Northbridge.example",
        "accepted_acr_values": "urn:mfa  urn:mfa, urn:strong",
        "allow_account_creation": "on",
        **changes,
    }


def test_it_adds_a_provider_to_the_admins_own_authority(verified_client, dave):
    response = verified_client(dave).post(NEW, provider_form())

    provider = IdentityProvider.objects.get()
    assert response["Location"] == LIST
    assert provider.authority == dave.authority
    assert sorted(provider.domains.values_list("domain", flat=True)) == [
        "nb.northbridge.example",
        "northbridge.example",
    ]
    assert provider.accepted_acr_values == ["urn:mfa", "urn:strong"]
    assert (provider.allow_account_creation, provider.require_sso) == (True, False)


def test_it_stores_the_client_secret_only_encrypted(verified_client, dave):
    verified_client(dave).post(NEW, provider_form())

    provider = IdentityProvider.objects.get()
    assert SECRET not in provider.client_secret_encrypted
    assert client_secrets.decrypt(provider.client_secret_encrypted) == SECRET


def test_it_never_shows_the_secret_again_nor_audits_it(verified_client, dave):
    client = verified_client(dave)
    client.post(NEW, provider_form())
    provider = IdentityProvider.objects.get()

    page = client.get(f"{LIST}{provider.pk}/").content.decode()

    assert SECRET not in page
    assert provider.client_secret_encrypted not in page
    event = AuditEvent.objects.get(action=AuditAction.IDENTITY_PROVIDER_SAVED)
    assert event.authority == dave.authority
    assert SECRET not in str(event.detail)
    assert provider.client_secret_encrypted not in str(event.detail)


def test_it_keeps_the_secret_when_left_blank_and_audits_what_changed(
    verified_client, dave, authority
):
    provider = IdentityProviderFactory(authority=authority, domains=["northbridge.example"])

    verified_client(dave).post(
        f"{LIST}{provider.pk}/",
        provider_form(
            client_secret="", name="Northbridge (Entra ID)", domains="northbridge.example"
        ),
    )

    provider.refresh_from_db()
    assert provider.name == "Northbridge (Entra ID)"
    assert client_secrets.decrypt(provider.client_secret_encrypted) == CLIENT_SECRET
    event = AuditEvent.objects.get(action=AuditAction.IDENTITY_PROVIDER_SAVED)
    assert "name" in event.detail["changed"]
    assert "client secret" not in event.detail["changed"]


def test_it_records_that_a_new_secret_was_entered(verified_client, dave, authority):
    provider = IdentityProviderFactory(authority=authority, domains=["northbridge.example"])

    verified_client(dave).post(
        f"{LIST}{provider.pk}/", provider_form(domains="northbridge.example")
    )

    provider.refresh_from_db()
    assert client_secrets.decrypt(provider.client_secret_encrypted) == SECRET
    event = AuditEvent.objects.get(action=AuditAction.IDENTITY_PROVIDER_SAVED)
    assert "client secret" in event.detail["changed"]


def test_it_asks_for_the_secret_of_a_new_provider(verified_client, dave):
    response = verified_client(dave).post(NEW, provider_form(client_secret=""))

    assert response.status_code == 200
    assert response.context["form"].errors["client_secret"] == ["Enter the client secret"]
    assert not IdentityProvider.objects.exists()


def test_it_refuses_a_domain_another_provider_vouches_for(verified_client, dave, other_authority):
    IdentityProviderFactory(authority=other_authority, domains=["shared.example"])

    response = verified_client(dave).post(NEW, provider_form(domains="shared.example"))

    assert response.context["form"].errors["domains"] == [
        "shared.example is already used by another sign-in provider."
    ]
    assert IdentityProvider.objects.count() == 1


def test_it_refuses_a_domain_where_another_authority_has_people(verified_client, dave, charlie):
    response = verified_client(dave).post(NEW, provider_form(domains="wealdshire.example"))

    assert (
        "People outside this authority have accounts at wealdshire.example"
        in (response.context["form"].errors["domains"][0])
    )


@pytest.mark.parametrize(
    ("issuer", "message"),
    [
        ("http://login.northbridge.example", "The issuer URL must start with https://"),
        ("https://10.0.0.5/realms/x", "The issuer URL must name a public host"),
        ("https://localhost:8443", "The issuer URL must name a public host"),
    ],
)
def test_it_refuses_an_issuer_inside_our_network(verified_client, dave, settings, issuer, message):
    settings.SSO_ALLOW_LOCAL_ISSUERS = False

    response = verified_client(dave).post(NEW, provider_form(issuer=issuer))

    assert response.context["form"].errors["issuer"] == [message]


def test_it_refuses_something_that_is_not_a_domain(verified_client, dave):
    response = verified_client(dave).post(NEW, provider_form(domains="not a domain!"))

    assert response.context["form"].errors["domains"]


def test_it_lists_only_the_admins_own_providers(verified_client, dave, authority, other_authority):
    IdentityProviderFactory(authority=authority, name="Northbridge account")
    IdentityProviderFactory(authority=other_authority, name="Wealdshire account")

    page = verified_client(dave).get(LIST).content.decode()

    assert "Northbridge account" in page
    assert "Wealdshire account" not in page


def test_it_answers_404_for_another_authoritys_provider(verified_client, dave, other_authority):
    provider = IdentityProviderFactory(authority=other_authority, domains=["weald.example"])
    client = verified_client(dave)

    assert client.get(f"{LIST}{provider.pk}/").status_code == 404
    assert client.post(f"{LIST}{provider.pk}/", provider_form()).status_code == 404
    assert client.post(f"{LIST}{provider.pk}/delete/").status_code == 404
    assert IdentityProvider.objects.filter(pk=provider.pk).exists()


def test_it_refuses_the_pages_to_a_practitioner(verified_client, alice):
    assert verified_client(alice).get(LIST).status_code == 403


def test_it_removes_a_provider_and_audits_it(verified_client, dave, authority):
    provider = IdentityProviderFactory(authority=authority, domains=["northbridge.example"])

    response = verified_client(dave).post(f"{LIST}{provider.pk}/delete/")

    assert response["Location"] == LIST
    assert not IdentityProvider.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.IDENTITY_PROVIDER_DELETED)
    assert (event.actor, event.authority) == (dave, authority)


# --- The Django admin (platform admins) ---------------------------------------------------


def test_it_lets_a_platform_admin_add_any_authoritys_provider(
    verified_client, platform_admin, other_authority
):
    response = verified_client(platform_admin).post(
        "/admin/portal/identityprovider/add/",
        {**provider_form(domains="wealdshire.example"), "authority": other_authority.pk},
    )

    provider = IdentityProvider.objects.get()
    assert response.status_code == 302
    assert provider.authority == other_authority
    assert client_secrets.decrypt(provider.client_secret_encrypted) == SECRET
    assert list(provider.domains.values_list("domain", flat=True)) == ["wealdshire.example"]
    event = AuditEvent.objects.get(action=AuditAction.IDENTITY_PROVIDER_SAVED)
    assert (event.actor, event.authority) == (platform_admin, other_authority)


def test_it_never_shows_the_secret_in_the_django_admin(verified_client, platform_admin, authority):
    provider = IdentityProviderFactory(authority=authority, domains=["northbridge.example"])

    page = (
        verified_client(platform_admin)
        .get(f"/admin/portal/identityprovider/{provider.pk}/change/")
        .content.decode()
    )

    assert "northbridge.example" in page
    assert CLIENT_SECRET not in page
    assert provider.client_secret_encrypted not in page


def test_it_refuses_a_taken_domain_in_the_django_admin(
    verified_client, platform_admin, authority, other_authority
):
    IdentityProviderFactory(authority=authority, domains=["northbridge.example"])

    response = verified_client(platform_admin).post(
        "/admin/portal/identityprovider/add/",
        {**provider_form(domains="northbridge.example"), "authority": other_authority.pk},
    )

    assert response.status_code == 200
    assert "northbridge.example is already used by another sign-in provider." in (
        response.content.decode()
    )
    assert IdentityProvider.objects.count() == 1


def test_it_lets_a_platform_admin_keep_signing_in_with_a_password(client, authority):
    IdentityProviderFactory(authority=authority, domains=["northbridge.example"], require_sso=True)
    admin = UserFactory(email="root@northbridge.example", authority=authority, is_superuser=True)

    client.post("/account/sign-in/", {"username": admin.email, "password": PASSWORD})

    assert client.session.get("_auth_user_id") == str(admin.pk)
