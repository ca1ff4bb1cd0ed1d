"""Words for assignment rules in templates: who a rule is for, and when it is due."""

from django import template
from django.utils import dateformat

from portal.models import Role
from training.models import AssignmentRule

register = template.Library()


@register.filter
def rule_target(rule: AssignmentRule) -> str:
    match rule.target:
        case AssignmentRule.Target.PERSON:
            return rule.target_user.full_name if rule.target_user else "A person"
        case AssignmentRule.Target.TEAM:
            return f"Team: {rule.target_team.name}" if rule.target_team else "A team"
        case AssignmentRule.Target.ROLE:
            role = Role(rule.target_role).label if rule.target_role in Role.values else ""
            return f"Everyone with the role {role}".strip()
    return "Everyone in the authority"


@register.filter
def rule_due(rule: AssignmentRule) -> str:
    if rule.due_on is not None:
        return dateformat.format(rule.due_on, "j F Y")
    days = rule.due_in_days or 0
    return f"{days} day{'' if days == 1 else 's'} after assignment"
