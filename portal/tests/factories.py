import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import (
    Authority,
    IdentityProvider,
    IdentityProviderDomain,
    Role,
    Team,
    User,
)
from portal.sso import client_secrets

PASSWORD = "correct-horse-battery-staple"


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Authority {n}")
    region = "North West"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    authority = factory.SubFactory(AuthorityFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    role = Role.PRACTITIONER
    authority = factory.SubFactory(AuthorityFactory)
    team = None

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Authenticator app"
    confirmed = True


CLIENT_SECRET = "northbridge-client-secret"  # noqa: S105 - a test value


class IdentityProviderFactory(factory.django.DjangoModelFactory):
    """A provider, its secret encrypted as the service stores it; `domains=[...]` to vouch."""

    class Meta:
        model = IdentityProvider
        skip_postgeneration_save = True

    authority = factory.SubFactory(AuthorityFactory)
    name = "Northbridge staff account"
    issuer = "https://login.northbridge.example"
    client_id = "threshold-northbridge"
    client_secret_encrypted = factory.LazyFunction(lambda: client_secrets.encrypt(CLIENT_SECRET))

    @factory.post_generation
    def domains(self, create, extracted, **kwargs):
        for domain in extracted or []:
            IdentityProviderDomain.objects.create(provider=self, domain=domain)
