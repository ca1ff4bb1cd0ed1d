from datetime import date

from django.core.management.base import BaseCommand, CommandError

from portal.tasks import outbox_send
from training import services


class Command(BaseCommand):
    help = (
        "Plan today's reminder emails into the outbox and send them now (what beat does each "
        "morning). Safe to run again: nothing is planned or sent twice."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--date", dest="on", help="Plan as if today were this day (YYYY-MM-DD)."
        )

    def handle(self, *args, on: str | None = None, **options) -> None:
        try:
            day = date.fromisoformat(on) if on else None
        except ValueError as error:
            raise CommandError(f"--date must look like 2026-11-27 ({error}).") from error
        planned = services.reminders_plan(on=day)
        handled = outbox_send()
        self.stdout.write(f"Planned {planned} new emails; handled {handled} from the outbox.")
