"""The key of the one-way forms in which a case remembers the names on it (CaseNameKeys), and
the preview of a text on a case as it would be saved.

Each name word is kept as HMAC-SHA256(key, case salt + word), cut to 128 bits: the key comes
from the settings (CASE_NAME_KEY, or by default one derived from SECRET_KEY), never from the
database, and the per-case salt makes one name give different keys on two cases, so keys
cannot tie cases together. Changing the key leaves earlier cases' names unmatched in new text.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from django.conf import settings
from django.utils.crypto import salted_hmac

from casenotes import case_text
from casenotes.models import Case, CaseNameKeys
from casenotes.redaction import Known, known_from_json
from casenotes.redaction.known import Key

KEY_SALT = "casenotes.case_names"


def new_salt() -> str:
    return secrets.token_hex(16)


def name_key(salt: str) -> Key:
    """The keyed one-way form of a folded name word on the case with `salt`."""
    secret = settings.CASE_NAME_KEY or settings.SECRET_KEY

    def key(word: str) -> str:
        digest = salted_hmac(KEY_SALT, f"{salt}:{word}", secret=secret, algorithm="sha256")
        return digest.hexdigest()[:32]

    return key


def known_of(row: CaseNameKeys | None) -> Known:
    """What a CaseNameKeys row (or None: a case posted before cases remembered) knows."""
    return known_from_json(row.known if row is not None else None)


def case_text_preview(
    *,
    case: Case,
    texts: Sequence[str],
    participants: Sequence[str] = (),
    extra_terms: Sequence[str] = (),
) -> list[case_text.RedactedText]:
    """Texts as services.names.redact_on_case would save them on `case`; nothing is kept."""
    row = CaseNameKeys.objects.filter(case=case).first()
    redacted, _ = case_text.redact_fields_remembering(
        texts,
        known=known_of(row),
        key=name_key(row.salt if row is not None else new_salt()),
        participants=participants,
        extra_terms=extra_terms,
    )
    return redacted
