"""The response vocabulary: two routes, actions and practice errors. Imports nothing from Django.

A response to a concern about a child runs on two routes at once (DESIGN.md "Responses: two
routes, a band, safety-critical decisions"): a Prevent referral and a section 47 enquiry are
not "more" and "less" of one thing, and often run in parallel. Training choices, case decisions
and votes all name a safeguarding route, a Prevent route and any actions, from this module.
`portal.responses` turns these into Django choices; the engine reads them directly.
"""

from __future__ import annotations

from typing import NamedTuple


class Term(NamedTuple):
    key: str
    label: str
    explanation: str


SAFEGUARDING, PREVENT = "safeguarding", "prevent"
ROUTES: tuple[str, ...] = (SAFEGUARDING, PREVENT)
ROUTE_NAMES = {SAFEGUARDING: "Safeguarding", PREVENT: "Prevent"}

# Least to most intrusive: the signed distance between two keys says whether a response
# under-reacts (negative) or over-reacts (positive) on that route.
SAFEGUARDING_LEVELS: tuple[Term, ...] = (
    Term("none", "No safeguarding action", "Nothing beyond ordinary good practice."),
    Term(
        "record",
        "Record and keep watch",
        "Record the concern, the decision and the reasons, and keep watch.",
    ),
    Term(
        "universal",
        "Universal support",
        "The designated safeguarding lead or universal services (school, health, youth "
        "service) respond within their own work.",
    ),
    Term(
        "family_help",
        "Family help (early help or section 17)",
        "Early help or a child in need assessment under section 17 of the Children Act 1989, "
        "with the family's agreement.",
    ),
    Term(
        "child_protection",
        "Child protection (section 47)",
        "A strategy discussion and, where it decides so, a section 47 enquiry: the child may be "
        "suffering, or likely to suffer, significant harm.",
    ),
    Term(
        "emergency_protection",
        "Immediate protection",
        "Action now to keep the child safe: police protection or an emergency protection order.",
    ),
)

PREVENT_LEVELS: tuple[Term, ...] = (
    Term("none", "No Prevent action", "Prevent has no part in the response."),
    Term(
        "advice",
        "Prevent advice",
        "Consult the Prevent lead or the local Prevent team, without making a referral.",
    ),
    Term(
        "referral",
        "Prevent referral",
        "The National Prevent Referral Form to counter-terrorism policing, who assess it; "
        "Channel may follow, with consent.",
    ),
    Term("emergency", "999 emergency", "Call 999: there is an immediate risk of harm."),
)

LEVELS: dict[str, tuple[Term, ...]] = {SAFEGUARDING: SAFEGUARDING_LEVELS, PREVENT: PREVENT_LEVELS}
LEVEL_KEYS: dict[str, tuple[str, ...]] = {
    route: tuple(term.key for term in terms) for route, terms in LEVELS.items()
}

ACTIONS: tuple[Term, ...] = (
    Term(
        "consult_dsl", "Consult the DSL", "Talk it through with the designated safeguarding lead."
    ),
    Term("consult_manager", "Consult a manager", "Talk it through with a supervisor or manager."),
    Term(
        "record_decision",
        "Record the decision",
        "Write down the concern, the decision and the reasons, including a decision to take no "
        "further action.",
    ),
    Term("talk_with_child", "Talk with the child", "Hear the child's own account and wishes."),
    Term(
        "inform_family",
        "Inform the family",
        "Tell the parents or carers, unless doing so would put the child at greater risk.",
    ),
    Term(
        "seek_consent",
        "Seek consent",
        "Ask for agreement where it is the basis for the work (early help, Channel).",
    ),
    Term(
        "share_information",
        "Share information",
        "Share what is necessary and proportionate with the agencies that need it.",
    ),
    Term(
        "contact_front_door",
        "Contact the front door",
        "Contact children's social care's front door or the MASH.",
    ),
    Term("police_101", "Police on 101", "Report to the police on 101: no immediate danger."),
    Term(
        "lado",
        "Contact the LADO",
        "Refer a concern about an adult who works with children to the Local Authority "
        "Designated Officer.",
    ),
    Term(
        "update_open_case",
        "Update the open case",
        "Tell the allocated worker, so the information joins the existing plan.",
    ),
    Term(
        "report_online_content",
        "Report online content",
        "Report terrorist or harmful content to the platform or to the government's online "
        "reporting route, without sharing it further.",
    ),
    Term(
        "health_referral",
        "Health or mental-health referral",
        "Involve the GP, school nurse or child and adolescent mental health services.",
    ),
    Term(
        "safety_plan",
        "Make a safety plan",
        "Agree practical steps to keep the child and others safe now.",
    ),
)
ACTION_KEYS: tuple[str, ...] = tuple(term.key for term in ACTIONS)

PRACTICE_ERRORS: tuple[Term, ...] = (
    Term(
        "consent_misused",
        "Consent misused",
        "Consent was treated as the basis, or as a veto, where it is not: information can and "
        "must be shared without it when a child is at risk, and asking can raise the risk.",
    ),
    Term(
        "over_sharing",
        "Over-sharing",
        "More was shared, or with more people, than was necessary and proportionate: a likely "
        "data breach that damages trust.",
    ),
    Term(
        "not_sharing",
        "Not sharing",
        "Information another agency needed to protect the child was held back.",
    ),
    Term(
        "delay_on_threat",
        "Delay on a threat",
        "Waiting, or choosing a slow route, when there is a threat or a fixed date.",
    ),
    Term(
        "wrong_channel",
        "Wrong channel",
        "A route that cannot act in time or cannot act at all (an email, an advice line or a "
        "referral form) where the situation needs a phone call or 999.",
    ),
    Term(
        "alerting_risk",
        "Alerting those who pose the risk",
        "Telling someone who may harm the child, or take them away, before the child is safe.",
    ),
    Term(
        "coercive_statutory_powers",
        "Statutory powers used to force engagement",
        "A section 47 enquiry or the threat of one used to make a family take part in voluntary "
        "support.",
    ),
    Term(
        "investigating_yourself",
        "Investigating yourself",
        "Questioning, searching or confronting instead of passing the concern to those whose "
        "role it is.",
    ),
    Term(
        "not_recording",
        "Not recording",
        "The concern, the decision or the reasons were not written down.",
    ),
    Term(
        "bias",
        "Judging by identity",
        "The response followed the child's faith, ethnicity or politics rather than what they "
        "said and did.",
    ),
)
ERROR_KEYS: tuple[str, ...] = tuple(term.key for term in PRACTICE_ERRORS)

# How a single level of the old one-scale vocabulary (threshold-module/1 and /2, case decisions
# and votes made before the two routes) reads on the two routes. Ambiguous old levels are read
# as the response they most often meant; an upgraded module lists every decision for an author
# to review, and reports label answers read through this table.
OLD_LEVELS: tuple[str, ...] = (
    "no_further_action",
    "monitor_and_record",
    "universal_support",
    "early_help",
    "statutory_social_care",
    "prevent_referral",
    "police_emergency",
)
FROM_OLD_LEVEL: dict[str, tuple[str, str]] = {
    "no_further_action": ("none", "none"),
    "monitor_and_record": ("record", "none"),
    "universal_support": ("universal", "none"),
    "early_help": ("family_help", "none"),
    # "Statutory social care (s17 or s47)": read as section 47; section 17 work is family help.
    "statutory_social_care": ("child_protection", "none"),
    # A Prevent referral was made through the DSL or the front door: universal on safeguarding.
    "prevent_referral": ("universal", "referral"),
    "police_emergency": ("emergency_protection", "emergency"),
}


def level_index(route: str, key: str) -> int:
    return LEVEL_KEYS[route].index(key)


def term_label(terms: tuple[Term, ...], key: str) -> str:
    for term in terms:
        if term.key == key:
            return term.label
    raise KeyError(key)


def level_label(route: str, key: str) -> str:
    return term_label(LEVELS[route], key)
