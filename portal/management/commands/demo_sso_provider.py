import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo_sso import DEMO_SSO_CLAIMS, DEMO_SSO_EMAIL, provider_keys_named


class Command(BaseCommand):
    help = "Serve the demo's OpenID Connect provider (oidc-provider-mock) on localhost."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=9400)

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("demo_sso_provider only runs with DEBUG on: it signs anyone in.")
        try:
            import oidc_provider_mock
            import werkzeug.serving
        except ImportError as error:
            raise CommandError(
                "Install requirements-dev.txt: it has oidc-provider-mock."
            ) from error
        os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # plain HTTP, on this machine only
        person = oidc_provider_mock.User(sub=DEMO_SSO_EMAIL, claims=DEMO_SSO_CLAIMS)
        with provider_keys_named():
            app = oidc_provider_mock.app(require_nonce=True, user_claims=[person])
            self.stdout.write(f"Demo provider on http://localhost:{options['port']}")
            werkzeug.serving.run_simple("localhost", options["port"], app, threaded=True)
