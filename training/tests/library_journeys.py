"""What the library journeys share: which modules issue #18 added, a filled-in "Who to contact"
page, the choice a careful practitioner makes, and the contacts a page should name."""

from __future__ import annotations

import json
from pathlib import Path

from portal.models import Authority, AuthorityPathway
from training import pathway_words
from training.version_reader import Step, VersionDocument

LIBRARY = Path(__file__).resolve().parents[1] / "library"
MODULE_FILES = sorted((LIBRARY / "modules").glob("*.json"))
ALL_KEYS = [json.loads(path.read_text(encoding="utf-8"))["key"] for path in MODULE_FILES]
# The starter library before issue #18; every other file is one of its twelve new modules.
ORIGINAL_KEYS = {
    "information-sharing-channel",
    "school-violence-fixation",
    "family-and-faith-islamist",
    "provocative-views-not-referral",
    "mixed-unclear-ideology",
    "online-grievance-extreme-right",
}
NEW_KEYS = [key for key in ALL_KEYS if key not in ORIGINAL_KEYS]
RAW_PLACEHOLDER = "{pathway."  # what a page shows if a placeholder went unfilled

# Northbridge's contacts as its admin would type them, to read inside a sentence (plain words,
# so they look the same in the HTML of a choice and of Markdown).
NORTHBRIDGE_CONTACTS = {
    "prevent_lead": "Sam Patel, the Northbridge Prevent lead, on 0300 555 0101",
    "referral_route": "the Northbridge referral form on the council intranet",
    "ct_policing": "Counter Terrorism Policing North East on 0300 555 0102",
    "front_door": "the Northbridge Front Door on 0300 555 0103",
    "lado": "Priya Shah, the Northbridge LADO, on 0300 555 0104",
    "out_of_hours": "the Northbridge emergency duty team on 0300 555 0105",
    "threshold_document": "the Northbridge Continuum of Need",
}


def pathway_fill(authority: Authority, **contacts: str) -> AuthorityPathway:
    """The authority's "Who to contact" page with these fields filled, the rest left empty."""
    return AuthorityPathway.objects.create(authority=authority, **contacts)


def careful_choice(document: VersionDocument, step_key: str) -> int:
    """The first choice inside both of the decision's bands with no practice error."""
    count = len(document.decision(step_key).choices)
    decisions = (document.decision_for(step_key, index) for index in range(count))
    return next(
        index for index, made in enumerate(decisions) if made.within_bands and not made.error
    )


def critical_miss_choice(document: VersionDocument, step_key: str) -> int | None:
    """The first choice that would be a critical miss at this decision (None if it is not
    safety-critical)."""
    count = len(document.decision(step_key).choices)
    decisions = (document.decision_for(step_key, index) for index in range(count))
    return next((index for index, made in enumerate(decisions) if made.critical_miss), None)


def contacts_on_step_page(step: Step) -> set[str]:
    """The pathway fields the step's page names: its body and, at a decision, every choice."""
    texts = [step.body, *(choice.text for choice in step.choices)]
    return {name for text in texts for name in pathway_words.placeholders_in(text)}


def contacts_on_feedback_page(step: Step, choice_index: int) -> set[str]:
    """The pathway fields the feedback page names: the choice made, its feedback, and why."""
    choice = step.choices[choice_index]
    texts = [choice.text, choice.feedback, step.explanation]
    return {name for text in texts for name in pathway_words.placeholders_in(text)}
