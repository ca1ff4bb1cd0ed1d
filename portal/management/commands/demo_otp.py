from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current authenticator code of a demo person (refused unless DEBUG is on)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")

    def handle(self, *args, email: str, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "demo_otp only runs with DEBUG on: it would bypass a real second factor."
            )
        device = TOTPDevice.objects.filter(
            user__email=email.strip().lower(), confirmed=True
        ).first()
        if device is None:
            raise CommandError(f"No authenticator is set up for {email}.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
