"""Reads of the training app, scoped through training.access. Callers use `selectors.<name>`.

learning: the learner's catalogue, attempts and certificates.
"""

from training.selectors.learning import (
    AttemptSummary,
    CatalogueEntry,
    answer_get,
    attempt_get_for_user,
    attempt_result,
    attempt_summary,
    catalogue_entry_for_user,
    catalogue_for_user,
    certificate_get_for_user,
    certificate_verify,
    current_certificates_for_user,
)

__all__ = [
    "AttemptSummary",
    "CatalogueEntry",
    "answer_get",
    "attempt_get_for_user",
    "attempt_result",
    "attempt_summary",
    "catalogue_entry_for_user",
    "catalogue_for_user",
    "certificate_get_for_user",
    "certificate_verify",
    "current_certificates_for_user",
]
