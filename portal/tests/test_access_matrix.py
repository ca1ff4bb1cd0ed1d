"""Who gets what from every URL of the project, as one table later issues extend.

Each row names a URL, the object it points at (relative to the viewer's authority), and the
status each persona must get. `test_it_covers_every_url_pattern` fails when a URL pattern is
added without a row here, so no page escapes the authority and role rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from casenotes.tests.case_factories import CaseFactory, CommentFactory
from portal import unsubscribe
from portal.models import EmailKind
from portal.tests.factories import IdentityProviderFactory, TeamFactory, UserFactory
from training import engine
from training import services as training_services
from training.tests import factories as training_factories

ANONYMOUS = "anonymous"
PRACTITIONER = "practitioner"
SUPERVISOR = "supervisor"
AUTHOR = "author"
ADMIN = "authority_admin"
OTHER_ADMIN = "other_authority_admin"
PLATFORM_ADMIN = "platform_admin"
VIEWERS = [ANONYMOUS, PRACTITIONER, SUPERVISOR, AUTHOR, ADMIN, OTHER_ADMIN, PLATFORM_ADMIN]

SIGNED_IN = {PRACTITIONER, SUPERVISOR, AUTHOR, ADMIN, OTHER_ADMIN, PLATFORM_ADMIN}
STAFF_ONLY = {PRACTITIONER: 403, SUPERVISOR: 403, AUTHOR: 403}
NOT_AUTHORS = {PRACTITIONER: 403, SUPERVISOR: 403}


def everyone(status: int, **overrides: int) -> dict[str, int]:
    return {viewer: overrides.get(viewer, status) for viewer in VIEWERS}


def signed_in(status: int, **overrides: int) -> dict[str, int]:
    """Anonymous people are sent to sign in; the rest get status unless overridden."""
    return everyone(status, anonymous=302, **overrides)


@dataclass(frozen=True)
class Row:
    url_name: str
    expected: dict[str, int]
    target: str | None = None  # names an object made by the `targets` fixture
    kwargs: dict[str, str] = field(default_factory=dict)


# Authority A holds the practitioner, supervisor, author and authority admin; authority B holds
# the other authority's admin. Object rows point at an object of A ("same") or of B ("other").
ROWS = [
    Row("portal:home", signed_in(200)),
    Row("portal:healthz", everyone(200)),
    Row("portal:account", signed_in(200)),
    Row("portal:sign-in", everyone(302, anonymous=200)),
    Row("portal:sign-out", everyone(405)),
    Row("portal:password-reset", everyone(200)),
    Row("portal:password-reset-sent", everyone(200)),
    Row(
        "portal:password-reset-confirm",
        everyone(200),
        kwargs={"uidb64": "MQ", "token": "bad-token"},
    ),
    Row("portal:set-password", everyone(200), kwargs={"uidb64": "MQ", "token": "bad-token"}),
    Row("portal:password-set-complete", everyone(200)),
    Row("portal:password-change", signed_in(200)),
    # A verified person has nothing to set up or verify: they are sent on.
    Row("portal:second-factor-setup", signed_in(302)),
    Row("portal:second-factor-verify", signed_in(302)),
    Row("portal:recovery-codes-renew", signed_in(405)),
    # Who to contact: everyone with an authority reads its page; only its admin edits it.
    Row("portal:pathway", signed_in(200, platform_admin=404)),
    Row("portal:manage-pathway-edit", signed_in(404, authority_admin=200), target="authority_a"),
    Row(
        "portal:manage-pathway-edit",
        signed_in(404, other_authority_admin=200),
        target="authority_b",
    ),
    Row("portal:manage-user-list", signed_in(200, **STAFF_ONLY, platform_admin=403)),
    Row("portal:manage-user-create", signed_in(200, **STAFF_ONLY, platform_admin=403)),
    Row("portal:manage-user-import", signed_in(200, **STAFF_ONLY, platform_admin=403)),
    Row("portal:manage-team-list", signed_in(200, **STAFF_ONLY, platform_admin=403)),
    Row("portal:manage-team-create", signed_in(200, **STAFF_ONLY, platform_admin=403)),
    Row("portal:manage-audit-log", signed_in(200, **STAFF_ONLY, platform_admin=403)),
    # Single sign-on: with no sign-in started in this browser, start goes back to the sign-in
    # page and the callback refuses; only authority admins configure their providers.
    Row("portal:sso-start", everyone(302)),
    Row("portal:sso-callback", everyone(403)),
    Row("portal:manage-provider-list", signed_in(200, **STAFF_ONLY, platform_admin=403)),
    Row("portal:manage-provider-create", signed_in(200, **STAFF_ONLY, platform_admin=403)),
    # Reminder emails: preferences, one-click unsubscribe (no sign-in), the outbox.
    Row("portal:email-preferences", signed_in(200)),
    Row("portal:email-unsubscribe", everyone(200), target="unsubscribe_token"),
    Row("portal:manage-outbox", signed_in(200, **STAFF_ONLY, platform_admin=403)),
    *[
        Row(
            name,
            signed_in(200, **STAFF_ONLY, other_authority_admin=404, platform_admin=403),
            target=target,
        )
        for name, target in [
            ("portal:manage-user-edit", "same_user"),
            ("portal:manage-user-deactivate", "same_user"),
            ("portal:manage-user-reactivate", "same_user"),
            ("portal:manage-team-edit", "same_team"),
            ("portal:manage-team-delete", "same_team"),
            ("portal:manage-provider-edit", "same_provider"),
            ("portal:manage-provider-delete", "same_provider"),
        ]
    ],
    *[
        Row(
            name,
            signed_in(404, **STAFF_ONLY, other_authority_admin=200, platform_admin=403),
            target=target,
        )
        for name, target in [
            ("portal:manage-user-edit", "other_user"),
            ("portal:manage-user-deactivate", "other_user"),
            ("portal:manage-user-reactivate", "other_user"),
            ("portal:manage-provider-edit", "other_provider"),
            ("portal:manage-provider-delete", "other_provider"),
            ("portal:manage-team-edit", "other_team"),
            ("portal:manage-team-delete", "other_team"),
        ]
    ],
    # Platform admins reset anyone's second factor here: the Django admin has no device pages.
    Row(
        "portal:manage-user-second-factor-reset",
        signed_in(200, **STAFF_ONLY, other_authority_admin=404, platform_admin=200),
        target="same_user",
    ),
    Row(
        "portal:manage-user-second-factor-reset",
        signed_in(404, **STAFF_ONLY, other_authority_admin=200, platform_admin=200),
        target="other_user",
    ),
    # Training: the practitioner owns the attempt, answer and certificate.
    Row("training:catalogue", signed_in(200)),
    Row("training:module-detail", signed_in(200), target="library_module"),
    Row("training:module-detail", signed_in(200), target="shared_module_of_b"),
    Row(
        "training:module-detail",
        signed_in(404, other_authority_admin=200, platform_admin=200),
        target="private_module_of_b",
    ),
    *[
        Row(name, signed_in(405), target=target)
        for name, target in [
            ("training:attempt-start", "library_module"),
            ("training:attempt-confidence", "own_attempt"),
            ("training:attempt-continue", "own_attempt"),
            ("training:attempt-answer", "own_attempt"),
        ]
    ],
    *[
        Row(name, signed_in(404, practitioner=200), target=target)
        for name, target in [
            ("training:attempt-feedback", "own_answer"),
            ("training:attempt-summary", "own_attempt"),
            ("training:certificate-detail", "own_certificate"),
        ]
    ],
    # A finished attempt's player sends its owner on to the summary.
    Row("training:attempt-play", signed_in(404, practitioner=302), target="own_attempt"),
    Row("certificates:certificate-verify", everyone(200), target="own_certificate"),
    Row("certificates:certificate-check", everyone(200)),
    # "Stop for now" says the progress is saved and sends the owner to the module's page.
    Row("training:attempt-stop", signed_in(404, practitioner=302), target="own_attempt"),
    # --- Assigning modules: supervisors (their team) and authority admins (their authority).
    Row(
        "training:assignment-list", signed_in(200, practitioner=403, author=403, platform_admin=403)
    ),
    Row(
        "training:assignment-create",
        signed_in(200, practitioner=403, author=403, platform_admin=403),
    ),
    *[
        Row(
            name,
            signed_in(status, practitioner=403, author=403, platform_admin=403, **override),
            target=target,
        )
        for name in ["training:assignment-detail", "training:assignment-cancel"]
        for target, status, override in [
            ("team_rule", 200, {"other_authority_admin": 404}),
            ("authority_rule", 404, {"authority_admin": 200}),
            ("rule_of_b", 404, {"other_authority_admin": 200}),
        ]
    ],
    Row(
        "training:assignment-extend",
        signed_in(200, practitioner=403, author=403, platform_admin=403, other_authority_admin=404),
        target="team_assignment",
    ),
    Row(
        "training:assignment-extend",
        signed_in(404, practitioner=403, author=403, platform_admin=403, other_authority_admin=200),
        target="assignment_of_b",
    ),
    # --- End of assigning modules.
    # --- Progress reports: supervisors see their team, authority admins their authority, a
    # practitioner their own record (the record follows portal.access.scope_users).
    *[
        Row(name, signed_in(200, practitioner=403, author=403, platform_admin=403))
        for name in [
            "training:team-progress",
            "training:team-matrix-csv",
            "training:team-people-csv",
        ]
    ],
    Row(
        "training:authority-report",
        signed_in(200, practitioner=403, supervisor=403, author=403, platform_admin=403),
    ),
    *[
        Row(name, signed_in(200, author=404, other_authority_admin=404), target=target)
        for name, target in [
            ("training:person-record", "own_person"),
            ("training:person-record-csv", "own_person"),
            ("training:person-attempt", "own_person_attempt"),
        ]
    ],
    Row(
        "training:person-record",
        signed_in(404, other_authority_admin=200, platform_admin=200),
        target="other_user",
    ),
    # A debrief of alice's critical miss: her team's supervisor and her authority's admins.
    Row(
        "training:critical-miss-debrief",
        signed_in(404, supervisor=200, authority_admin=200),
        target="own_critical_miss",
    ),
    # --- End of progress reports.
    # --- Cases: everyone of an authority reads its cases (a team's only its team, and its
    # admins); beyond it only approved region or all-authorities cases. Moderators (supervisors,
    # authority admins) decide on wider sharing; only the author records the outcome; only the
    # owning authority's admins look up who posted.
    Row("casenotes:case-list", signed_in(200)),
    Row("casenotes:case-create", signed_in(200, platform_admin=403)),
    Row(
        "casenotes:approval-queue",
        signed_in(200, practitioner=403, author=403, platform_admin=403),
    ),
    *[
        Row("casenotes:case-detail", signed_in(status, **override), target=target)
        for target, status, override in [
            ("team_case", 200, {"author": 404, "other_authority_admin": 404}),
            ("authority_case", 200, {"other_authority_admin": 404}),
            ("pending_region_case", 200, {"other_authority_admin": 404}),
            ("approved_all_case", 200, {}),
            ("pending_case_of_b", 404, {"other_authority_admin": 200, "platform_admin": 200}),
        ]
    ],
    Row(
        "casenotes:case-sharing",
        signed_in(200, practitioner=403, author=403, other_authority_admin=404, platform_admin=403),
        target="pending_region_case",
    ),
    Row(
        "casenotes:case-sharing",
        signed_in(404, practitioner=403, author=403, other_authority_admin=200, platform_admin=403),
        target="pending_case_of_b",
    ),
    Row("casenotes:case-outcome", signed_in(404, practitioner=200), target="authority_case"),
    Row("casenotes:case-author", signed_in(404, authority_admin=200), target="approved_all_case"),
    Row(
        "casenotes:case-author",
        signed_in(404, other_authority_admin=200),
        target="pending_case_of_b",
    ),
    # --- End of cases.
    # --- Case discussion: whoever sees a case comments, votes (POST only) and reports it or a
    # comment; hidden comments are seen by the case's own moderators only, who alone see the
    # reports and hide or show. People of no authority (platform admins) read but take no part.
    *[
        Row(name, signed_in(405, platform_admin=403), target="authority_case")
        for name in ["casenotes:comment-create", "casenotes:vote"]
    ],
    *[
        Row(name, signed_in(status, platform_admin=403, **override), target=target)
        for name, target, status, override in [
            ("casenotes:case-flag", "authority_case", 200, {"other_authority_admin": 404}),
            ("casenotes:case-flag", "approved_all_case", 200, {}),
            ("casenotes:case-flag", "pending_case_of_b", 404, {"other_authority_admin": 200}),
            ("casenotes:comment-flag", "comment", 200, {"other_authority_admin": 404}),
            ("casenotes:comment-flag", "comment_on_all_case", 200, {}),
            (
                "casenotes:comment-flag",
                "hidden_comment",
                404,
                {"supervisor": 200, "authority_admin": 200},
            ),
            ("casenotes:comment-flag", "comment_of_b", 404, {"other_authority_admin": 200}),
        ]
    ],
    # A comment's own address sends whoever may see it to the case page that shows it.
    *[
        Row("casenotes:comment-detail", signed_in(status, **override), target=target)
        for target, status, override in [
            ("comment", 302, {"other_authority_admin": 404}),
            ("comment_on_all_case", 302, {}),
            ("hidden_comment", 404, {"supervisor": 302, "authority_admin": 302}),
            ("comment_of_b", 404, {"other_authority_admin": 302, "platform_admin": 302}),
        ]
    ],
    Row(
        "casenotes:moderation-queue",
        signed_in(200, practitioner=403, author=403, platform_admin=403),
    ),
    *[
        Row(
            name,
            signed_in(status, practitioner=403, author=403, platform_admin=403, **override),
            target=target,
        )
        for name, target, status, override in [
            ("casenotes:case-moderate", "authority_case", 200, {"other_authority_admin": 404}),
            ("casenotes:case-moderate", "pending_case_of_b", 404, {"other_authority_admin": 200}),
            ("casenotes:comment-moderate", "comment", 200, {"other_authority_admin": 404}),
            ("casenotes:comment-moderate", "hidden_comment", 200, {"other_authority_admin": 404}),
            ("casenotes:comment-moderate", "comment_of_b", 404, {"other_authority_admin": 200}),
        ]
    ],
    # --- End of case discussion.
    # --- Authoring studio: authors and authority admins edit their own authority's modules
    # (platform admins every module); supervisors and practitioners are turned away.
    *[
        Row(name, signed_in(200, **NOT_AUTHORS))
        for name in [
            "training:studio",
            "training:studio-module-create",
            "training:studio-import",
            "training:studio-library",
            "training:studio-sources",
        ]
    ],
    *[
        Row(name, signed_in(status, **NOT_AUTHORS, **override), target=f"{kind}_of_{side}")
        for name, kind, end in [
            ("training:studio-module", "studio_module", 200),
            ("training:studio-module-edit", "studio_module", 200),
            # Nothing imported in this session: on to the module's page.
            ("training:studio-module-imported", "studio_module", 302),
            ("training:studio-publish", "studio_module", 200),
            ("training:studio-export", "studio_module", 200),
            ("training:studio-share", "studio_module", 200),
            ("training:studio-insight", "studio_module", 200),
            ("training:studio-scenario-create", "studio_module", 200),
            # The draft has a problem (a decision with no choices): preview says what to fix.
            ("training:studio-preview", "studio_module", 200),
            # No preview under way: the player, feedback and finish send back to its start.
            ("training:studio-preview-play", "studio_module", 302),
            ("training:studio-preview-feedback", "studio_module", 302),
            ("training:studio-preview-finish", "studio_module", 302),
            ("training:studio-scenario", "studio_scenario", 200),
            ("training:studio-scenario-delete", "studio_scenario", 200),
            ("training:studio-step-create", "studio_scenario", 200),
            ("training:studio-step", "studio_step", 200),
            ("training:studio-step-delete", "studio_step", 200),
        ]
        for side, status, override in [
            ("a", end, {"other_authority_admin": 404}),
            ("b", 404, {"other_authority_admin": end, "platform_admin": end}),
        ]
    ],
    # POST only: the method is refused before the object is looked up.
    Row(
        "training:studio-preview-restart",
        signed_in(405, **NOT_AUTHORS),
        target="studio_module_of_a",
    ),
    Row("training:studio-step-move", signed_in(405, **NOT_AUTHORS), target="studio_step_of_a"),
    # Adopting: another authority's shared module, never one's own.
    Row(
        "training:studio-adopt",
        signed_in(200, **NOT_AUTHORS, other_authority_admin=404),
        target="shared_module_pk_of_b",
    ),
    Row(
        "training:studio-adopt",
        signed_in(404, **NOT_AUTHORS, other_authority_admin=200, platform_admin=200),
        target="shared_module_pk_of_a",
    ),
    # --- End of authoring studio.
    # The Django admin is for platform admins only; everyone else signed in is refused.
    Row("admin:index", signed_in(403, platform_admin=200)),
    Row("admin-sign-in", everyone(302)),
]

# Every admin URL, read from the admin site's own patterns, is checked for every persona (GET
# and POST, changing nothing) by portal/tests/test_admin_access.py; admin:index stands for them.
EXEMPT_NAMESPACES = {"admin"}


def _all_url_names(patterns=None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _all_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_it_covers_every_url_pattern():
    covered = {row.url_name for row in ROWS}
    missing = {
        name for name in _all_url_names() - covered if name.split(":")[0] not in EXEMPT_NAMESPACES
    }
    assert not missing, f"Add these URL names to the access matrix: {sorted(missing)}"


@pytest.fixture
def viewers(authority, other_authority, team, alice, bob, carol, dave, wendy):
    platform_admin = UserFactory(
        email="platform@threshold.example",
        authority=None,
        is_staff=True,
        is_superuser=True,
    )
    return {
        PRACTITIONER: alice,
        SUPERVISOR: bob,
        AUTHOR: carol,
        ADMIN: dave,
        OTHER_ADMIN: wendy,
        PLATFORM_ADMIN: platform_admin,
    }


def _completed_attempt(user, version):
    """An attempt walked to the end with a choice inside the bands at every decision."""
    attempt = training_services.attempt_start(user=user, version=version)
    training_services.attempt_rate_confidence(user=attempt.user, attempt=attempt, confidence=3)
    steps = engine.steps_by_key(version.snapshot)
    while attempt.current_step_key:
        step = steps[attempt.current_step_key]
        if step["kind"] == engine.DECISION:
            best = training_factories.best_choice(step)
            training_services.answer_record(
                user=attempt.user,
                attempt=attempt,
                step_key=step["key"],
                position=attempt.answer_count,
                choice_index=best,
            )
        else:
            training_services.attempt_continue(
                user=attempt.user, attempt=attempt, from_step_key=step["key"]
            )
        attempt.refresh_from_db()
    return training_services.attempt_finish(user=attempt.user, attempt=attempt, confidence=4)


# --- Assigning modules: the rules and assignments the assignment rows point at.
def _assignment_targets(module, *, authority, team, other_authority, other_team, bob, dave, wendy):
    """A rule of bob's team (with an open assignment of a team member), an authority-wide rule
    of dave's, and a person rule of wendy's in the other authority."""
    member = UserFactory(authority=authority, team=team)
    team_rule = training_services.rule_create(
        actor=bob, module=module, target="team", target_team=team, due_in_days=30
    )
    authority_rule = training_services.rule_create(
        actor=dave, module=module, target="authority", due_in_days=30
    )
    rule_of_b = training_services.rule_create(
        actor=wendy, module=module, target="person", due_in_days=30,
        target_user=UserFactory(authority=other_authority, team=other_team),
    )  # fmt: skip
    return {
        "team_rule": {"pk": team_rule.pk},
        "authority_rule": {"pk": authority_rule.pk},
        "rule_of_b": {"pk": rule_of_b.pk},
        "team_assignment": {"pk": team_rule.assignments.get(user=member).pk},
        "assignment_of_b": {"pk": rule_of_b.assignments.get().pk},
    }


# --- End of assigning modules.


# --- Cases: the cases the case rows point at, all posted by the practitioner (alice) but one.
def _case_targets(*, alice, other_author):
    cases = {
        "team_case": CaseFactory(author=alice, visibility="team"),
        "authority_case": CaseFactory(author=alice, visibility="authority"),
        "pending_region_case": CaseFactory(author=alice, visibility="region"),
        "approved_all_case": CaseFactory(author=alice, visibility="all", sharing="approved"),
        "pending_case_of_b": CaseFactory(author=other_author, visibility="all"),
    }
    return {name: {"pk": case.pk} for name, case in cases.items()}


# --- End of cases.


# --- Case discussion: comments by the supervisor on cases of A (one hidden), one on a case of B.
def _discussion_targets(*, alice, bob, other_author):
    inside = CaseFactory(author=alice, visibility="authority")
    everyone = CaseFactory(author=alice, visibility="all", sharing="approved")
    of_b = CaseFactory(author=other_author, visibility="authority")
    comments = {
        "comment": CommentFactory(case=inside, author=bob),
        "hidden_comment": CommentFactory(case=inside, author=bob, is_hidden=True),
        "comment_on_all_case": CommentFactory(case=everyone, author=bob),
        "comment_of_b": CommentFactory(case=of_b, author=other_author),
    }
    return {name: {"pk": comment.pk} for name, comment in comments.items()}


# --- End of case discussion.


# --- Authoring studio: a draft module of each authority with a scenario and a decision step
# (no choices yet, so the draft has a problem), and a shared published module of A.
def _studio_targets(*, carol, wendy, shared_b):
    targets = {"shared_module_pk_of_b": {"pk": shared_b.pk}}
    for side, author in [("a", carol), ("b", wendy)]:
        module = training_services.module_create(
            by=author,
            title=f"Draft of {side}",
            summary=".",
            minutes=10,
            pass_mark=70,
            refresher_months=12,
            confidence_topic="a worry",
            learning_outcomes="Spot it",
        )
        scenario = training_services.scenario_create(by=author, module=module, title="Part 1")
        step = training_services.step_create(
            by=author,
            scenario=scenario,
            kind="decision",
            title="What now?",
            body=".",
        )
        targets[f"studio_module_of_{side}"] = {"pk": module.pk}
        targets[f"studio_scenario_of_{side}"] = {"pk": scenario.pk}
        targets[f"studio_step_of_{side}"] = {"pk": step.pk}
    shared_a, _ = training_services.module_load_from_json(
        data=training_factories.small_module(key="shared-a", visibility="shared"),
        authority=carol.authority,
    )
    targets["shared_module_pk_of_a"] = {"pk": shared_a.pk}
    return targets


# --- End of authoring studio.


def _critical_miss(attempt):
    """One of the attempt's answers, made a critical miss as a safety-critical step would."""
    answer = attempt.answers.order_by("position").first()
    answer.critical_miss = True
    answer.save(update_fields=["critical_miss"])
    return answer


@pytest.fixture
def targets(authority, other_authority, team, other_team, alice, bob, carol, dave, wendy):
    """URL kwargs of each object a row can point at."""
    training_services.indicators_load(data=training_factories.INDICATORS)
    library, _ = training_services.module_load_from_json(data=training_factories.small_module())
    shared_b, _ = training_services.module_load_from_json(
        data=training_factories.small_module(key="shared-b", visibility="shared"),
        authority=other_authority,
    )
    private_b, _ = training_services.module_load_from_json(
        data=training_factories.small_module(key="private-b"), authority=other_authority
    )
    attempt = _completed_attempt(alice, library.versions.get())
    return {
        "authority_a": {"pk": authority.pk},
        "authority_b": {"pk": other_authority.pk},
        "same_user": {"pk": UserFactory(authority=authority, team=team).pk},
        "other_user": {"pk": UserFactory(authority=other_authority).pk},
        "same_team": {"pk": TeamFactory(authority=authority, name="Empty team A").pk},
        "other_team": {"pk": TeamFactory(authority=other_authority, name="Empty team B").pk},
        "same_provider": {"pk": IdentityProviderFactory(authority=authority).pk},
        "other_provider": {"pk": IdentityProviderFactory(authority=other_authority).pk},
        "library_module": {"key": library.key},
        "shared_module_of_b": {"key": shared_b.key},
        "private_module_of_b": {"key": private_b.key},
        "own_attempt": {"pk": attempt.pk},
        "own_answer": {"pk": attempt.pk, "position": 0},
        "own_certificate": {"code": attempt.certificate.code},
        # Progress reports: alice's record and her attempt seen through it.
        "own_person": {"pk": alice.pk},
        "own_person_attempt": {"pk": alice.pk, "attempt_pk": attempt.pk},
        "own_critical_miss": {"pk": alice.pk, "answer_pk": _critical_miss(attempt).pk},
        "unsubscribe_token": {
            "token": unsubscribe.token_make(user_id=alice.pk, kind=EmailKind.DUE_SOON)
        },
        **_assignment_targets(
            library,
            authority=authority,
            team=team,
            other_authority=other_authority,
            other_team=other_team,
            bob=bob,
            dave=dave,
            wendy=wendy,
        ),  # fmt: skip
        **_case_targets(
            alice=alice, other_author=UserFactory(authority=other_authority, team=other_team)
        ),
        **_discussion_targets(
            alice=alice, bob=bob, other_author=UserFactory(authority=other_authority)
        ),
        **_studio_targets(carol=carol, wendy=wendy, shared_b=shared_b),
    }


CASES = [
    pytest.param(row, viewer, id=f"{row.url_name}-{row.target or 'page'}-{viewer}")
    for row in ROWS
    for viewer in VIEWERS
]


@pytest.mark.parametrize(("row", "viewer"), CASES)
def test_it_answers_each_viewer_as_the_matrix_says(
    row, viewer, viewers, targets, client, verified_client
):
    kwargs = {**row.kwargs, **(targets[row.target] if row.target else {})}
    url = reverse(row.url_name, kwargs=kwargs or None)
    if viewer != ANONYMOUS:
        client = verified_client(viewers[viewer])
    response = client.get(url)
    assert response.status_code == row.expected[viewer], (
        f"{viewer} GET {url}: expected {row.expected[viewer]}, got {response.status_code}"
    )
