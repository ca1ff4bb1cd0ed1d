from django.core.management.base import BaseCommand
from django.db import transaction

from training.services import progress_rebuild


class Command(BaseCommand):
    help = "Recompute the progress read model (ModuleProgress) from assignments and attempts."

    def handle(self, *args, **options):
        with transaction.atomic():
            rows = progress_rebuild()
        self.stdout.write(f"Rebuilt the progress of {rows} person-module pairs.")
