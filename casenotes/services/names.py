"""Redacting text written on a case under the labels the case gave its people, and keeping
what the case knows of them (CaseNameKeys: keyed one-way forms, never a name). Used by the
services of cases and discussion inside their own transactions."""

from __future__ import annotations

from collections.abc import Sequence

from casenotes import case_text
from casenotes.case_names import known_of, labels_used, name_key, new_salt, pathway_numbers
from casenotes.models import Case, CaseNameKeys
from casenotes.redaction import Known, known_as_json


def redact_new_case(
    texts: Sequence[str],
    *,
    participants: Sequence[str],
    extra_terms: Sequence[str],
    authority_id: int | None,
) -> tuple[list[case_text.RedactedText], CaseNameKeys]:
    """The fields of a case about to be posted in `authority_id`, and its CaseNameKeys to save
    with it. The authority's pathway numbers are kept."""
    salt = new_salt()
    redacted, known = case_text.redact_fields_remembering(
        texts,
        known=Known(),
        key=name_key(salt),
        participants=participants,
        extra_terms=extra_terms,
        keep_numbers=pathway_numbers(authority_id),
    )
    return redacted, CaseNameKeys(salt=salt, known=known_as_json(known))


def redact_on_case(
    case: Case,
    texts: Sequence[str],
    *,
    participants: Sequence[str] = (),
    extra_terms: Sequence[str] = (),
) -> list[case_text.RedactedText]:
    """Texts written on `case`, redacted with every person it named, under their labels;
    people named for the first time are remembered; the case's authority's pathway numbers are
    kept. Call inside a transaction: the case's row is locked until it ends, so two texts
    posted at once never give one label twice."""
    row = CaseNameKeys.objects.select_for_update().filter(case=case).first()
    if row is None:  # a case posted before cases remembered their people
        row, _ = CaseNameKeys.objects.select_for_update().get_or_create(
            case=case, defaults={"salt": new_salt(), "known": known_as_json(labels_used(case))}
        )
    redacted, known = case_text.redact_fields_remembering(
        texts,
        known=known_of(row),
        key=name_key(row.salt),
        participants=participants,
        extra_terms=extra_terms,
        keep_numbers=pathway_numbers(case.authority_id),
    )
    row.known = known_as_json(known)
    row.save(update_fields=["known"])
    return redacted
