"""`manage.py redact`: text on standard input, JSON out. No database."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def _run(text: str, *args: str) -> dict:
    out = StringIO()
    call_command("redact", *args, stdin=StringIO(text), stdout=out)
    return json.loads(out.getvalue())


def test_it_prints_the_redacted_text_and_findings_as_json():
    assert _run("Amira Khan rang 07700 900123.") == {
        "text": "[Person 1] rang [phone].",
        "findings": [
            {"start": 0, "end": 10, "kind": "PERSON"},
            {"start": 16, "end": 28, "kind": "PHONE"},
        ],
    }


def test_it_prints_empty_text_and_no_findings_for_empty_input():
    assert _run("") == {"text": "", "findings": []}


def test_it_takes_participants_and_terms_as_options():
    result = _run(
        "hope met Hope at the gym.", "--participant", "Hope Baker (child)", "--term", "gym"
    )

    assert result["text"] == "hope met [Child A] at the [redacted]."


def test_it_reads_standard_input_when_run_from_the_shell():
    completed = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "redact"],
        input="Seen on 12/03/2024 at LS6 2AB.\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=60,
    )

    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == {
        "text": "Seen on [date] at [postcode].\n",
        "findings": [
            {"start": 8, "end": 18, "kind": "DATE"},
            {"start": 22, "end": 29, "kind": "POSTCODE"},
        ],
    }
