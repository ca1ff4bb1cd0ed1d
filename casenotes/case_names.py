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
from casenotes.models import Case, CaseNameKeys, Comment, ConsensusVote, Flag
from casenotes.redaction import Known, known_from_json, phone_numbers
from casenotes.redaction.known import Key
from casenotes.redaction.people import label_counts
from portal.models import AuthorityPathway

KEY_SALT = "casenotes.case_names"


def new_salt() -> str:
    return secrets.token_hex(16)


def name_key(salt: str) -> Key:
    """The keyed one-way form of a folded name word on the case with `salt`."""
    secret = settings.CASE_NAME_KEY or settings.SECRET_KEY
    keys: dict[str, str] = {}  # a text is read up to four times (engine.ROUNDS)

    def key(word: str) -> str:
        if word not in keys:
            digest = salted_hmac(KEY_SALT, f"{salt}:{word}", secret=secret, algorithm="sha256")
            keys[word] = digest.hexdigest()[:32]
        return keys[word]

    return key


def known_of(row: CaseNameKeys) -> Known:
    return known_from_json(row.known)


def labels_used(case: Case) -> Known:
    """What a case posted before cases remembered their people knows: no names, but the
    labels its texts hold, so nobody new is given one of them."""
    texts = [case.title, case.question, case.account, case.outcome, case.hidden_reason]
    texts += Comment.objects.filter(case=case).values_list("body", flat=True)
    texts += Comment.objects.filter(case=case).values_list("hidden_reason", flat=True)
    texts += ConsensusVote.objects.filter(case=case).values_list("rationale", flat=True)
    texts += Flag.objects.filter(case=case).values_list("reason", flat=True)
    used = label_counts(texts)
    return Known(children=used["child"], adults=used["adult"], others=used[None])


# The fields of an authority's "Who to contact" page that hold its own numbers (its MASH, LADO,
# out of hours line...): an organisation's, so case text keeps them.
PATHWAY_NUMBER_FIELDS = (
    "prevent_lead", "referral_route", "ct_policing", "front_door", "lado", "out_of_hours",
    "other_contacts",
)  # fmt: skip


def pathway_numbers(authority_id: int | None) -> list[str]:
    """The phone numbers on the authority's pathway page, as written: one query, none when
    there is no authority."""
    if authority_id is None:
        return []
    row = (
        AuthorityPathway.objects.filter(authority_id=authority_id)
        .values_list(*PATHWAY_NUMBER_FIELDS)
        .first()
    )
    return phone_numbers("\n".join(row)) if row else []


def case_text_preview(
    *,
    case: Case | None,
    texts: Sequence[str],
    participants: Sequence[str] = (),
    extra_terms: Sequence[str] = (),
    authority_id: int | None = None,
) -> list[case_text.RedactedText]:
    """Texts as services would save them on `case` (None: a new case, written in
    `authority_id`); nothing is kept."""
    if case is None:
        return case_text.redact_fields(
            texts,
            participants=participants,
            extra_terms=extra_terms,
            keep_numbers=pathway_numbers(authority_id),
        )
    row = CaseNameKeys.objects.filter(case=case).first()
    redacted, _ = case_text.redact_fields_remembering(
        texts,
        known=known_of(row) if row is not None else labels_used(case),
        key=name_key(row.salt if row is not None else new_salt()),
        participants=participants,
        extra_terms=extra_terms,
        keep_numbers=pathway_numbers(case.authority_id),
    )
    return redacted
