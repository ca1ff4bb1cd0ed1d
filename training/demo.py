"""Demo training activity for `manage.py load_demo`: assignments, and attempts to report on.

Needs the starter library (`manage.py load_library`) and the portal's demo people. Runs once:
if the demo supervisor has already assigned anything, it changes nothing.
"""

from __future__ import annotations

from django.db import transaction

from portal.models import User
from training import engine, services
from training.models import AssignmentRule, Attempt, Module
from training.version_reader import VersionDocument

SUPERVISOR = "bob@northbridge.example"
ADMIN = "dave@northbridge.example"
AUTHOR = "carol@northbridge.example"
ADOPTED = "information-sharing-channel"  # the author's draft copy, to adapt in the studio
# (person, module key, how to answer: "proportionate", "cautious" (a level lower), or None
# to leave the attempt half-way)
ATTEMPTS = [
    ("alice@northbridge.example", "provocative-views-not-referral", "proportionate"),
    ("ella@northbridge.example", "online-grievance-extreme-right", "cautious"),
    ("alice@northbridge.example", "online-grievance-extreme-right", None),
]


@transaction.atomic
def demo_training_load() -> bool:
    """Assign two library modules in Northbridge, play a few attempts and give the author a
    draft adopted from the library; False if done before."""
    supervisor = User.objects.get(email=SUPERVISOR)
    if AssignmentRule.objects.filter(created_by=supervisor).exists():
        return False
    admin = User.objects.get(email=ADMIN)
    modules = {m.key: m for m in Module.objects.filter(versions__isnull=False).distinct()}
    services.rule_create(
        actor=supervisor,
        module=modules["provocative-views-not-referral"],
        target=AssignmentRule.Target.TEAM,
        target_team=supervisor.team,
        due_in_days=14,
    )
    services.rule_create(
        actor=admin,
        module=modules["online-grievance-extreme-right"],
        target=AssignmentRule.Target.AUTHORITY,
        due_in_days=30,
    )
    for email, key, style in ATTEMPTS:
        _attempt_play(User.objects.get(email=email), modules[key], style)
    services.module_adopt(source=modules[ADOPTED], by=User.objects.get(email=AUTHOR))
    return True


def _attempt_play(user: User, module: Module, style: str | None) -> Attempt:
    version = module.versions.order_by("-number").first()
    attempt = services.attempt_start(user=user, version=version)
    services.attempt_rate_confidence(user=user, attempt=attempt, confidence=3)
    steps = engine.steps_by_key(version.snapshot)
    while attempt.current_step_key:
        step = steps[attempt.current_step_key]
        if step["kind"] != engine.DECISION:
            attempt = services.attempt_continue(
                user=user, attempt=attempt, from_step_key=step["key"]
            )
            continue
        if style is None:
            return attempt  # stopped at the first decision, to resume later
        services.answer_record(
            user=user,
            attempt=attempt,
            step_key=step["key"],
            position=attempt.answer_count,
            choice_index=_choice(version.document, step["key"], style),
        )
        attempt.refresh_from_db()
    return services.attempt_finish(user=user, attempt=attempt, confidence=4)


def _choice(document: VersionDocument, step_key: str, style: str) -> int:
    """The first choice inside both bands; "cautious", the first that under-reacts on a route
    (if the decision offers one)."""
    decisions = [
        document.decision_for(step_key, index)
        for index in range(len(document.steps[step_key].choices))
    ]
    best = next(i for i, decision in enumerate(decisions) if decision.within_bands)
    if style != "cautious":
        return best
    under = (
        i for i, d in enumerate(decisions) if d.safeguarding_distance < 0 or d.prevent_distance < 0
    )
    return next(under, best)
