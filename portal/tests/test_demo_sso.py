"""`make demo-sso`: Northbridge's demo provider, and Sam signing in through it."""

import pytest
from django.core.management import CommandError, call_command

from portal.demo import demo_load
from portal.demo_sso import DEMO_SSO_CLAIMS, DEMO_SSO_EMAIL
from portal.models import IdentityProvider, User
from portal.tests.test_sso import sign_in


def test_it_gives_northbridge_a_provider_for_the_demo_login(db, settings, oidc_provider):
    settings.DEBUG = True
    demo_load()

    call_command("load_demo_sso", issuer=oidc_provider.url, stdout=None)
    call_command("load_demo_sso", issuer=oidc_provider.url, stdout=None)  # again: no change

    provider = IdentityProvider.objects.get()
    sam = User.objects.get(email=DEMO_SSO_EMAIL)
    assert provider.authority.name == sam.authority.name == "Northbridge City Council"
    assert list(provider.domains.values_list("domain", flat=True)) == ["staff.northbridge.example"]


def test_it_signs_the_demo_login_in_through_the_demo_provider(client, db, settings, oidc_provider):
    settings.DEBUG = True
    demo_load()
    call_command("load_demo_sso", issuer=oidc_provider.url, stdout=None)
    oidc_provider.person(DEMO_SSO_EMAIL, **DEMO_SSO_CLAIMS)

    sign_in(client, oidc_provider, DEMO_SSO_EMAIL)

    assert client.get("/").status_code == 200  # its provider used multi-factor: no code asked


def test_it_refuses_to_load_the_demo_provider_without_debug(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        call_command("load_demo_sso")
