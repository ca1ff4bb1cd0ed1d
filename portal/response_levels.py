"""The one scale of responses used by training choices, case decisions and consensus votes.

Ordered from least to most intrusive, so the signed distance between two levels says whether a
response under-reacts (negative) or over-reacts (positive).
"""

from django.db import models


class ResponseLevel(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    MONITOR_AND_RECORD = "monitor_and_record", "Monitor and record"
    UNIVERSAL_SUPPORT = "universal_support", "Universal support (school or DSL)"
    EARLY_HELP = "early_help", "Early help"
    STATUTORY_SOCIAL_CARE = "statutory_social_care", "Statutory social care (s17 or s47)"
    PREVENT_REFERRAL = "prevent_referral", "Prevent referral (Channel)"
    POLICE_EMERGENCY = "police_emergency", "Police emergency"


LEVEL_ORDER: tuple[str, ...] = tuple(ResponseLevel.values)
