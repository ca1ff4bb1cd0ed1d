from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo_sso import DEMO_SSO_EMAIL, demo_sso_load


class Command(BaseCommand):
    help = "Give Northbridge the demo's OpenID Connect provider (after load_demo; DEBUG only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--issuer", default="http://localhost:9400")

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "load_demo_sso only runs with DEBUG on: its provider signs anyone in."
            )
        provider = demo_sso_load(issuer=options["issuer"])
        self.stdout.write(self.style.SUCCESS(f"{provider} signs in {DEMO_SSO_EMAIL}."))
        self.stdout.write(
            f"Sign in with {DEMO_SSO_EMAIL}; on the provider's page, enter the same address "
            "as the subject (sub) and choose Authorize."
        )
