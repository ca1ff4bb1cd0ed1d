"""Training's list and dashboard pages take the same queries for ten times the rows: the
catalogue, assignments, progress reports, records and the studio's lists."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.tests.factories import AuthorityFactory, TeamFactory, UserFactory
from portal.tests.query_counts import ListPage, State, assert_same_queries_at_ten_times, url_of
from training import services
from training.models import Assignment, AssignmentRule, Module, ModuleVersion
from training.tests.factories import small_module
from training.tests.report_data import assign, attempt_with, modules_with_versions


def _modules(state: State, first: int, count: int) -> list[ModuleVersion]:
    """National-library modules "Module 01" onwards, numbered from first + 1."""
    return modules_with_versions(count, prefix=f"library-{first}", first=first + 1)


def _learner_progress(user, versions: list[ModuleVersion], first: int) -> None:
    """Every kind of progress: passed with a certificate (and an earlier fail), in progress,
    failed, not started."""
    for n, version in enumerate(versions, start=first):
        if n % 4 == 0:
            attempt_with(user, version, [2, 2], percent=40)
            passed = attempt_with(user, version, [0, 0], percent=100)
            services.certificate_issue(attempt=passed)
        elif n % 4 == 1:
            attempt_with(user, version, [0], completed=False)
        elif n % 4 == 2:
            attempt_with(user, version, [-2, 1], percent=40)


# --- The learner --------------------------------------------------------------------------


def _grow_catalogue(state: State, first: int, count: int) -> None:
    _learner_progress(state["fixture"]("alice"), _modules(state, first, count), first)


def _setup_module_detail(fixture) -> State:
    return {"version": fixture("version")}


def _grow_module_detail(state: State, first: int, count: int) -> None:
    alice = state["fixture"]("alice")
    for n in range(first, first + count):
        attempt = attempt_with(alice, state["version"], [0, 1], percent=50 + n)
        if n % 5 == 0:
            services.certificate_issue(attempt=attempt)
    attempt_with(alice, state["version"], [0], completed=False)


# --- Assigning ----------------------------------------------------------------------------


def _members(state: State, first: int, count: int, *, team=None) -> list:
    authority = state["fixture"]("authority")
    team = team or state["fixture"]("team")
    return [
        UserFactory(
            email=f"person{n:03d}@northbridge.example",
            full_name=f"Person {n:03d}",
            authority=authority,
            team=team,
        )
        for n in range(first, first + count)
    ]


def _grow_rules(state: State, first: int, count: int) -> None:
    """Rules by bob: for one new person, or for the whole team (which grows too)."""
    bob = state["fixture"]("bob")
    people = _members(state, first, count)
    for n, (person, version) in enumerate(
        zip(people, _modules(state, first, count), strict=True), start=first
    ):
        target = {"target": AssignmentRule.Target.PERSON, "target_user": person}
        if n % 2:
            target = {"target": AssignmentRule.Target.TEAM, "target_team": bob.team}
        rule = services.rule_create(actor=bob, module=version.module, due_in_days=30, **target)
        if n % 3 == 0:
            services.rule_cancel(actor=bob, rule=rule)


def _grow_assignable(state: State, first: int, count: int) -> None:
    _members(state, first, count)
    _modules(state, first, count)


def _setup_rule(fixture) -> State:
    bob = fixture("bob")
    rule = services.rule_create(
        actor=bob,
        module=fixture("module"),
        target=AssignmentRule.Target.TEAM,
        target_team=bob.team,
        due_in_days=30,
    )
    return {"rule": rule, "version": fixture("version")}


def _grow_rule_detail(state: State, first: int, count: int) -> None:
    """People on the rule: open, extended, in progress, completed with a certificate, and
    cancelled."""
    rule, version = state["rule"], state["version"]
    today = timezone.localdate()
    for n, person in enumerate(_members(state, first, count), start=first):
        assignment = Assignment.objects.create(
            rule=rule,
            user=person,
            module=rule.module,
            assigned_on=today - timedelta(days=n),
            due_on=today + timedelta(days=n - 10),
            extended_due_on=today + timedelta(days=30) if n % 5 == 1 else None,
            extension_reason="Leave" if n % 5 == 1 else "",
            cancelled_at=timezone.now() if n % 5 == 4 else None,
        )
        if n % 5 == 2:
            attempt_with(person, version, [0], completed=False)
        elif n % 5 == 3:
            certificate = services.certificate_issue(
                attempt=attempt_with(person, version, [0, 0], percent=100)
            )
            assignment.completed_at, assignment.completed_by = timezone.now(), certificate
            assignment.save(update_fields=["completed_at", "completed_by"])


# --- Progress reports ---------------------------------------------------------------------


def _grow_progress(state: State, first: int, count: int) -> None:
    """More people (half in bob's team, half in teams of their own) and more modules, each
    new person assigned every new module with every kind of progress (a critical miss
    among them)."""
    authority = state["fixture"]("authority")
    versions = _modules(state, first, count)
    today = timezone.localdate()
    for n in range(first, first + count):
        team = state["fixture"]("team") if n % 2 == 0 else None
        team = team or TeamFactory(authority=authority, name=f"Team {n:03d}")
        (person,) = _members(state, n, 1, team=team)
        for m, version in enumerate(versions):
            due_on = today + timedelta(days=(n + m) % 20 - 10)
            kind = (n + m) % 4
            certificate = None
            if kind == 0:
                attempt = attempt_with(person, version, [0, 1], percent=100)
                certificate = services.certificate_issue(attempt=attempt)
            elif kind == 1:
                attempt_with(person, version, [-1], completed=False)
            elif kind == 3:  # failed on a critical miss: the page names the decision
                attempt_with(person, version, [-1, 0], critical=True)
            assign(
                person,
                version.module,
                due_on=due_on,
                extended_due_on=due_on + timedelta(days=14) if kind == 2 else None,
                reason="Leave" if kind == 2 else "",
                certificate=certificate,
            )


def _grow_authority_report(state: State, first: int, count: int) -> None:
    """Progress at home, and five learners (enough to be compared) in other authorities."""
    _grow_progress(state, first, count)
    version = state["fixture"]("version")
    for n in range(first, first + count):
        elsewhere = AuthorityFactory(name=f"Elsewhere {n:03d}")
        team = TeamFactory(authority=elsewhere)
        for _ in range(5):
            learner = UserFactory(authority=elsewhere, team=team)
            attempt_with(learner, version, [n % 3 - 1, 0], percent=80)


def _setup_team(fixture) -> State:
    return {"team": fixture("team")}


def _grow_person_record(state: State, first: int, count: int) -> None:
    alice = state["fixture"]("alice")
    today = timezone.localdate()
    for n, version in enumerate(_modules(state, first, count), start=first):
        _learner_progress(alice, [version], n)
        certificate = alice.certificates.filter(version=version).first()
        assign(alice, version.module, due_on=today + timedelta(days=n - 5), certificate=certificate)


# --- The studio ---------------------------------------------------------------------------


def _grow_studio_home(state: State, first: int, count: int) -> None:
    """The authority's modules: drafts, published ones, shared ones, adopted copies."""
    authority = state["fixture"]("authority")
    for n in range(first, first + count):
        module = Module.objects.create(
            key=f"own-{n:03d}",
            title=f"Own module {n:03d}",
            authority=authority,
            visibility="shared" if n % 3 == 2 else "authority",
            adopted_from_authority="Wealdshire County Council" if n % 4 == 1 else "",
        )
        for number in range(1, n % 3 + 1):
            ModuleVersion.objects.create(module=module, number=number, snapshot=small_module())


def _grow_studio_library(state: State, first: int, count: int) -> None:
    """The national library and modules other authorities share."""
    _modules(state, first, count)
    for n in range(first, first + count):
        elsewhere = AuthorityFactory(name=f"Elsewhere {n:03d}")
        services.module_load_from_json(
            data=small_module(key=f"shared-{n:03d}", title=f"Shared {n:03d}", visibility="shared"),
            authority=elsewhere,
        )


def _setup_studio_module(fixture) -> State:
    fixture("indicators")
    carol = fixture("carol")
    module, _ = services.module_load_from_json(
        data=small_module(key="ours"), authority=carol.authority
    )
    return {"module": module, "version": module.versions.get()}


def _grow_versions(state: State, first: int, count: int) -> None:
    """More published versions, each by its own author (the version history lists them)."""
    module = state["module"]
    for n in range(first, first + count):
        ModuleVersion.objects.create(
            module=module,
            number=n + 2,
            snapshot=small_module(key="ours"),
            published_by=UserFactory(authority=module.authority, full_name=f"Author {n:03d}"),
            change_note=f"Change {n:03d}",
        )


def _grow_insight(state: State, first: int, count: int) -> None:
    """Learners' attempts at the module: finished, stopped part way, and stale."""
    authority = state["fixture"]("authority")
    for n in range(first, first + count):
        learner = UserFactory(authority=authority)
        attempt_with(
            learner,
            state["version"],
            [n % 5 - 2, 0, n % 3 - 1][: 1 + n % 3],
            completed=n % 3 == 2,
            at=timezone.now() - timedelta(days=n),
        )


def _grow_admin_rows(state: State, first: int, count: int) -> None:
    """Modules of several authorities, published by someone, and learners' attempts at them
    with certificates, for the Django admin."""
    for n in range(first, first + count):
        authority = AuthorityFactory(name=f"Authority {n:03d}")
        author = UserFactory(authority=authority, full_name=f"Author {n:03d}")
        module, _ = services.module_load_from_json(
            data=small_module(key=f"admin-{n:03d}", title=f"Admin module {n:03d}"),
            authority=authority,
        )
        version = module.versions.get()
        version.published_by = author
        version.save(update_fields=["published_by"])
        learner = UserFactory(authority=authority, full_name=f"Learner {n:03d}")
        services.certificate_issue(attempt=attempt_with(learner, version, [0, 0], percent=100))


def _admin_page(model: str, shows: Callable[[int], list[str]]) -> ListPage:
    return ListPage(
        persona="platform_admin",
        grow=_grow_admin_rows,
        url=url_of(f"admin:training_{model}_changelist"),
        shows=shows,
        ceiling=9,
    )


def _studio_url(name: str):
    return lambda state: reverse(name, args=[state["module"].pk])


PAGES = {
    "catalogue": ListPage(
        persona="alice",
        grow=_grow_catalogue,
        url=url_of("training:catalogue"),
        shows=lambda total: ["Module 01", f"Module {total:02d}", "Certified", "In progress"],
        ceiling=8,
    ),
    "module detail": ListPage(
        persona="alice",
        setup=_setup_module_detail,
        grow=_grow_module_detail,
        url=lambda state: reverse("training:module-detail", args=[state["version"].module.key]),
        shows=lambda total: ["Resume where you left off", f"{50 + total - 1}%"],
        ceiling=8,
    ),
    "assignment list": ListPage(
        persona="bob",
        grow=_grow_rules,
        url=url_of("training:assignment-list"),
        shows=lambda total: [
            "Module 01",
            f"Module {total:02d}",
            f"Person {total - 2 + total % 2:03d}",
        ],
        ceiling=9,  # with the pager's COUNT
    ),
    "new assignment": ListPage(
        persona="bob",
        grow=_grow_assignable,
        url=url_of("training:assignment-create"),
        shows=lambda total: [f"Module {total:02d}", f"Person {total - 1:03d}"],
        ceiling=10,
    ),
    "assignment detail": ListPage(
        persona="bob",
        setup=_setup_rule,
        grow=_grow_rule_detail,
        url=lambda state: reverse("training:assignment-detail", args=[state["rule"].pk]),
        shows=lambda total: ["Person 000", f"Person {total - 1:03d}", "Extended from"],
        ceiling=10,  # with the pager's COUNT
    ),
    "team progress": ListPage(
        persona="bob",
        grow=_grow_progress,
        url=url_of("training:team-progress"),
        shows=lambda total: [f"Person {total - 2 + total % 2:03d}", f"Module {total:02d}"],
        # the report's seven, its critical misses and their decisions' titles, and the
        # signed-in session's six
        ceiling=15,
    ),
    "team progress, by status and sorted": ListPage(
        persona="bob",
        grow=_grow_progress,
        url=url_of("training:team-progress", "?status=completed&sort=-score"),
        shows=lambda total: ["Person 000", f"Person {total - 2 + total % 2:03d}"],
        ceiling=15,
    ),
    "team progress, one module": ListPage(
        persona="bob",
        grow=_grow_progress,
        url=url_of("training:team-progress", "?module=library-0-01"),
        shows=lambda total: ["Person 000", f"Person {total - 2 + total % 2:03d}"],
        ceiling=15,
    ),
    "team progress, every team": ListPage(
        persona="dave",
        grow=_grow_progress,
        url=url_of("training:team-progress"),
        shows=lambda total: [f"Person {total - 1:03d}", f"Team {total - 1 - total % 2:03d}"],
        ceiling=16,
    ),
    "team progress, one team": ListPage(
        persona="dave",
        setup=_setup_team,
        grow=_grow_progress,
        url=lambda state: reverse("training:team-progress") + f"?team={state['team'].pk}",
        shows=lambda total: ["Person 000", f"Module {total:02d}"],
        ceiling=15,
    ),
    "team matrix csv": ListPage(
        persona="bob",
        grow=_grow_progress,
        url=url_of("training:team-matrix-csv"),
        shows=lambda total: [f"Module {total:02d}", "Person 000"],
        ceiling=12,  # no critical-miss notes: the matrix has no column for them
    ),
    "team people csv": ListPage(
        persona="bob",
        grow=_grow_progress,
        url=url_of("training:team-people-csv"),
        shows=lambda total: ["Person 000", f"Person {total - 2 + total % 2:03d}"],
        ceiling=15,
    ),
    "authority report": ListPage(
        persona="dave",
        grow=_grow_authority_report,
        url=url_of("training:authority-report"),
        shows=lambda total: [f"Team {total - 1 - total % 2:03d}", f"({total} authorities)"],
        ceiling=12,
    ),
    "person record": ListPage(
        persona="bob",
        grow=_grow_person_record,
        url=lambda state: reverse("training:person-record", args=[state["fixture"]("alice").pk]),
        shows=lambda total: ["Module 01", f"Module {total:02d}"],
        ceiling=10,  # one more since the record lists critical misses
    ),
    "person record csv": ListPage(
        persona="bob",
        grow=_grow_person_record,
        url=lambda state: reverse(
            "training:person-record-csv", args=[state["fixture"]("alice").pk]
        ),
        shows=lambda total: ["Module 01", f"Module {total:02d}"],
        ceiling=10,  # one more since the record lists critical misses
    ),
    "studio home": ListPage(
        persona="carol",
        grow=_grow_studio_home,
        url=url_of("training:studio"),
        shows=lambda total: ["Own module 000", f"Own module {total - 1:03d}", "Adapted from"],
        ceiling=8,
    ),
    "studio library": ListPage(
        persona="carol",
        grow=_grow_studio_library,
        url=url_of("training:studio-library"),
        shows=lambda total: [f"Module {total:02d}", f"Shared {total - 1:03d}"],
        ceiling=7,
    ),
    "studio module, its version history": ListPage(
        persona="carol",
        setup=_setup_studio_module,
        grow=_grow_versions,
        url=_studio_url("training:studio-module"),
        shows=lambda total: [f"Author {total - 1:03d}", f"Change {total - 1:03d}"],
        ceiling=18,
    ),
    "studio insight": ListPage(
        persona="carol",
        setup=_setup_studio_module,
        grow=_grow_insight,
        url=_studio_url("training:studio-insight"),
        shows=lambda total: [f"Attempts started {total}"],
        ceiling=11,  # 10, and the authority's contacts that choice texts name
    ),
    # The platform admin's lists are the Django admin's.
    "admin: modules": _admin_page(
        "module", lambda total: [f"Admin module {total - 1:03d}", f"Authority {total - 1:03d}"]
    ),
    "admin: module versions": _admin_page(
        "moduleversion", lambda total: [f"Admin module {total - 1:03d}", f"Author {total - 1:03d}"]
    ),
    "admin: scenarios": _admin_page("scenario", lambda total: [f"Admin module {total - 1:03d}"]),
    "admin: steps": _admin_page("step", lambda total: ["Meet Jo"]),
    "admin: attempts": _admin_page(
        "attempt", lambda total: [f"Learner {total - 1:03d}", f"Admin module {total - 1:03d} v1"]
    ),
    "admin: certificates": _admin_page(
        "certificate", lambda total: [f"Learner {total - 1:03d}", f"Admin module {total - 1:03d}"]
    ),
}


@pytest.mark.parametrize("name", PAGES)
def test_it_draws_the_page_in_the_same_queries_for_ten_times_the_rows(
    name,
    indicators,
    request,
    verified_client,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    assert_same_queries_at_ten_times(
        PAGES[name],
        request=request,
        verified_client=verified_client,
        django_assert_num_queries=django_assert_num_queries,
        django_assert_max_num_queries=django_assert_max_num_queries,
    )
