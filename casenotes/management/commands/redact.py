"""`manage.py redact`: redact the text on standard input and print the result as JSON."""

import json
import sys

from django.core.management.base import BaseCommand

from casenotes.redaction import redact


class Command(BaseCommand):
    help = (
        "Read a case note on standard input and print it redacted, as JSON: "
        '{"text": "...", "findings": [{"start": 0, "end": 5, "kind": "PERSON"}, ...]}. '
        "Offsets are into the original text, counted in characters (code points)."
    )
    requires_system_checks = []
    stealth_options = ("stdin",)

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--participant",
            action="append",
            default=[],
            dest="participants",
            help='A person in the case, always redacted: "Amira Khan (child)". Repeatable.',
        )
        parser.add_argument(
            "--term",
            action="append",
            default=[],
            dest="terms",
            help="A word or phrase to redact as [redacted]. Repeatable.",
        )

    def handle(self, *args, participants: list[str], terms: list[str], **options) -> None:
        text = (options.get("stdin") or sys.stdin).read()
        result = redact(text, participants=participants, extra_terms=terms)
        payload = {
            "text": result.text,
            "findings": [
                {"start": f.start, "end": f.end, "kind": f.kind.value} for f in result.findings
            ],
        }
        self.stdout.write(json.dumps(payload))
