"""The case-note redaction engine: pure Python, no Django.

>>> redact("Amira Khan (14) said her mum, Sadia, called 07700 900123.").text
'[Child A] (14) said her mum, [Adult 1], called [phone].'
"""

from casenotes.redaction.engine import Term, phone_numbers, redact, redact_remembering
from casenotes.redaction.known import Known, known_as_json, known_from_json
from casenotes.redaction.result import Finding, Kind, Result

__all__ = [
    "Finding",
    "Kind",
    "Known",
    "Result",
    "Term",
    "known_as_json",
    "known_from_json",
    "phone_numbers",
    "redact",
    "redact_remembering",
]
