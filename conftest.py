"""Test set-up shared by every app: personas, a verified client, a clean cache.

Personas (STYLE.md): alice (practitioner), bob (her supervisor), carol (author), dave (authority
admin), all in one authority; charlie is a practitioner in another authority.
"""

import pytest
from django.core.cache import cache
from django_otp.oath import TOTP

from portal.models import Role
from portal.tests.factories import (
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


def current_code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def verified_client(client):
    """Log a person in with password and second factor, as the middleware requires."""

    def sign_in(user):
        device = TOTPDeviceFactory(user=user)
        client.force_login(user)
        response = client.post(
            "/account/second-factor/verify/", {"code": current_code(device), "next": "/"}
        )
        assert response.status_code == 302, "second factor verification failed in set-up"
        return client

    return sign_in
