from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo import DEMO_PASSWORD, demo_load
from training.demo import demo_training_load
from training.models import Module


class Command(BaseCommand):
    help = "Load the demo authorities, teams and people (safe to run again; DEBUG only)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "load_demo only runs with DEBUG on: its accounts share a published password "
                "and authenticator keys anyone can work out, so they must never reach a live site."
            )
        people = demo_load()
        if Module.objects.filter(versions__isnull=False).exists():
            demo_training_load()
        else:
            self.stdout.write("No training library yet: run load_library for demo assignments.")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Every demo login uses the password: {DEMO_PASSWORD}")
        self.stdout.write("Second-factor code for any of them: python manage.py demo_otp EMAIL")
        for person in people:
            role = "platform admin" if person.is_superuser else person.role.label.lower()
            where = person.authority or "all authorities"
            self.stdout.write(f"  {role:<16} {person.email:<30} {where}")
