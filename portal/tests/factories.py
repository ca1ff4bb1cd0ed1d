import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import Authority, Role, Team, User

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
