import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from training import services

LIBRARY = Path(__file__).resolve().parents[2] / "library"


class Command(BaseCommand):
    help = "Load the indicator taxonomy and the starter library of modules (safe to run again)."

    def handle(self, *args, **options) -> None:
        indicators = json.loads((LIBRARY / "indicators.json").read_text(encoding="utf-8"))
        self.stdout.write(f"{services.indicators_load(data=indicators)} indicators.")
        for path in sorted((LIBRARY / "modules").glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            try:
                module, changed = services.module_load_from_json(data=data, require_citations=True)
            except services.PublishError as error:
                problems = "\n  ".join(error.problems)
                raise CommandError(f"{path.name} cannot be published:\n  {problems}") from error
            state = f"file version {data['version']} published" if changed else "up to date"
            self.stdout.write(f"{module.title}: {state}.")
