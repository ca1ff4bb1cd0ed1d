"""The Django admin is a platform admins' tool: everyone else is refused at every admin URL.

The URLs are read from the admin site's own patterns, so a model registered later (or a
model admin's extra views) is covered without editing this file; a pattern this file cannot
fill in fails `test_it_reaches_every_admin_url_pattern` instead of going untested.
"""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from casenotes.tests.case_factories import CaseFactory
from conftest import signed_in_client
from portal import services as portal_services
from portal.models import AuditAction, AuditEvent, RecoveryCodeDevice, Role, Team
from portal.tests.factories import (
    PASSWORD,
    IdentityProviderFactory,
    TOTPDeviceFactory,
    UserFactory,
)
from training import services as training_services
from training.models import Scenario
from training.tests.factories import INDICATORS, small_module
from training.tests.report_data import attempt_with

# /admin/login/ is the portal's sign-in (a redirect, in the access matrix as admin-sign-in).
NOT_ADMIN_PAGES = {"login"}
# Every way the admin's patterns name an object, filled from the row of the model the pattern
# belongs to (the route's app_label/model_name/ prefix).
OBJECT_PLACEHOLDERS = ("<path:object_id>", "<int:pk>", "<id>")


def _admin_resolver() -> URLResolver:
    return next(
        pattern
        for pattern in get_resolver().url_patterns
        if isinstance(pattern, URLResolver) and pattern.namespace == "admin"
    )


def _routes(patterns, prefix: str = ""):
    """(route, name) of every admin URL pattern, routes joined from their includes."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name


def _fill(route: str) -> list[str]:
    """The paths (under /admin/) that reach route, with real objects in place of its
    placeholders; a placeholder this does not know raises, so no pattern is skipped."""
    if route.startswith("^(?P<app_label>"):
        labels = {model._meta.app_label for model in admin.site._registry}
        return [f"{label}/" for label in sorted(labels)]
    if route == "(?P<url>.*)$":
        return ["no-such-admin-page/"]
    if route.startswith("r/<path:content_type_id>/<path:object_id>/"):
        case = CaseFactory._meta.model.objects.first()
        content_type = ContentType.objects.get_for_model(case)
        return [f"r/{content_type.pk}/{case.pk}/"]
    path = route
    for placeholder in OBJECT_PLACEHOLDERS:
        if placeholder in path:
            app_label, model_name = path.split("/")[:2]
            row = apps.get_model(app_label, model_name)._default_manager.order_by("pk").first()
            assert row is not None, f"Make a {app_label}.{model_name} row in `every_model_row`"
            path = path.replace(placeholder, str(row.pk))
    assert "<" not in path and "(" not in path, f"Teach _fill the placeholders of {route}"
    return [path]


def admin_paths() -> list[tuple[str, str]]:
    """(name, path) of every admin URL but the sign-in redirect."""
    index = reverse("admin:index")
    return [
        (name or route, index + path)
        for route, name in _routes(_admin_resolver().url_patterns)
        if name not in NOT_ADMIN_PAGES
        for path in _fill(route)
    ]


def _snapshot() -> dict[str, list[dict]]:
    """Every row of every table, to prove a sweep of requests changed nothing (but the
    session's own idle clock, which every request of a signed-in person moves on)."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.label != "sessions.Session"
    }


def _destructive_post(path: str) -> dict[str, object]:
    """What would delete rows if the view ran: the delete page's confirmation and the change
    list's "delete selected" action, over every row of the model."""
    match = re.match(r"^/admin/(\w+)/(\w+)/", path)
    pks = []
    if match and apps.all_models.get(match[1], {}).get(match[2]):
        pks = list(apps.get_model(match[1], match[2])._default_manager.values_list("pk", flat=True))
    return {"post": "yes", "action": "delete_selected", "_selected_action": pks, "index": 0}


@pytest.fixture
def every_model_row(authority, alice):
    """At least one row of every model the admin shows."""
    training_services.indicators_load(data=INDICATORS)
    module, _ = training_services.module_load_from_json(
        data=small_module(key="own"), authority=authority
    )
    attempt = attempt_with(alice, module.versions.get(), [0, 0], percent=100)
    training_services.certificate_issue(attempt=attempt)
    CaseFactory(author=alice)
    IdentityProviderFactory(authority=authority, domains=["northbridge.example"])
    Group.objects.create(name="Readers")
    portal_services.audit_record(action=AuditAction.SIGNED_IN, actor=alice)
    seen = {"user_agent": "test", "ip_address": "198.51.100.1", "username": "x@example.org"}
    AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=1)
    AccessFailureLog.objects.create(**seen)
    AccessLog.objects.create(**seen)


@pytest.fixture
def non_superusers(alice, bob, carol, dave, charlie, authority):
    staff = UserFactory(email="staff@northbridge.example", authority=authority, is_staff=True)
    return {
        "practitioner": alice,
        "supervisor": bob,
        "author": carol,
        "authority admin": dave,
        "practitioner elsewhere": charlie,
        "staff but not superuser": staff,
    }


def test_it_reaches_every_admin_url_pattern(every_model_row):
    names = {name for name, _ in admin_paths()}
    patterns = {
        name or route
        for route, name in _routes(_admin_resolver().url_patterns)
        if name not in NOT_ADMIN_PAGES
    }

    assert names == patterns
    assert "training_scenario_add" in names and "portal_user_change" in names


@pytest.mark.parametrize(
    "persona",
    [
        "practitioner",
        "supervisor",
        "author",
        "authority admin",
        "practitioner elsewhere",
        "staff but not superuser",
    ],
)
def test_it_refuses_every_admin_url_to_a_signed_in_non_superuser(
    every_model_row, non_superusers, persona
):
    client = signed_in_client(non_superusers[persona])
    before = _snapshot()

    for name, path in admin_paths():
        answered = client.get(path)
        assert answered.status_code == 403, f"{persona} GET {path} ({name})"
        answered = client.post(path, _destructive_post(path))
        assert answered.status_code == 403, f"{persona} POST {path} ({name})"

    assert _snapshot() == before


def test_it_sends_anonymous_people_to_sign_in_from_every_admin_url(every_model_row, client):
    before = _snapshot()

    for name, path in admin_paths():
        for answered in (
            client.get(path, follow=True),
            client.post(path, _destructive_post(path), follow=True),
        ):
            assert answered.redirect_chain, f"anonymous {path} ({name})"
            assert answered.request["PATH_INFO"] == reverse("portal:sign-in"), path

    assert _snapshot() == before


def test_it_deletes_through_the_same_request_for_a_platform_admin(
    every_model_row, platform_admin, team
):
    """The refused requests above are ones that would change things if let through."""
    client = signed_in_client(platform_admin)
    path = reverse("admin:portal_team_delete", args=[team.pk])

    answered = client.post(path, _destructive_post(path))

    assert answered.status_code == 302
    assert not Team.objects.filter(pk=team.pk).exists()


def test_it_keeps_an_author_from_adding_a_scenario_to_another_authoritys_module(
    every_model_row, carol, other_authority
):
    """The probe that found it: the scenario form offered every authority's modules."""
    module_of_b, _ = training_services.module_load_from_json(
        data=small_module(key="of-b"), authority=other_authority
    )
    client = signed_in_client(carol)

    answered = client.post(
        reverse("admin:training_scenario_add"),
        {"module": module_of_b.pk, "position": 9, "key": "planted", "title": "Planted"},
    )

    assert answered.status_code == 403
    assert not Scenario.objects.filter(key="planted").exists()


def test_it_keeps_an_author_from_moving_their_scenario_into_another_authoritys_module(
    every_model_row, carol, other_authority
):
    module_of_b, _ = training_services.module_load_from_json(
        data=small_module(key="of-b"), authority=other_authority
    )
    scenario = Scenario.objects.get(module__key="own", key="part-1")
    client = signed_in_client(carol)

    answered = client.post(
        reverse("admin:training_scenario_change", args=[scenario.pk]),
        {"module": module_of_b.pk, "position": 0, "key": "part-1", "title": "Moved"},
    )

    assert answered.status_code == 403
    scenario.refresh_from_db()
    assert scenario.module.key == "own"


def test_it_opens_the_admin_to_a_platform_admin(platform_admin):
    client = signed_in_client(platform_admin)

    assert client.get(reverse("admin:index")).status_code == 200


def test_it_asks_for_the_second_factor_before_the_admin_too(platform_admin, carol):
    """Not only the middleware: the admin itself lets in only a verified superuser."""
    request = RequestFactory().get(reverse("admin:index"))
    request.user = platform_admin
    request.user.is_verified = lambda: False

    assert not admin.site.has_permission(request)
    assert carol.role == Role.AUTHOR  # an author is no platform admin, verified or not
    request.user = carol
    request.user.is_verified = lambda: True
    assert not admin.site.has_permission(request)


def test_it_offers_no_admin_pages_for_second_factor_devices(platform_admin, alice):
    """StaticDevice keeps codes in plain text and TOTPDevice's pages show a person's secret:
    not even a platform admin may make, read or plant one through the admin."""
    TOTPDeviceFactory(user=alice)
    client = signed_in_client(platform_admin)

    assert StaticDevice not in admin.site._registry
    assert TOTPDevice not in admin.site._registry
    for path in (
        "/admin/otp_static/staticdevice/add/",
        "/admin/otp_totp/totpdevice/",
        f"/admin/otp_totp/totpdevice/{TOTPDevice.objects.get(user=alice).pk}/qrcode/",
    ):
        assert client.get(path).status_code == 404, path
    assert not any(
        (name or "").startswith(("otp_static_", "otp_totp_"))
        for _, name in _routes(_admin_resolver().url_patterns)
    )


def test_it_lets_a_platform_admin_reset_a_second_factor_on_the_product_page(platform_admin, dave):
    """Reached from the person's admin page; the authority's audit log records it."""
    TOTPDeviceFactory(user=dave)
    RecoveryCodeDevice.objects.create(user=dave, name="Recovery codes")
    client = signed_in_client(platform_admin)
    reset = reverse("portal:manage-user-second-factor-reset", args=[dave.pk])

    admin_page = client.get(reverse("admin:portal_user_change", args=[dave.pk]))
    confirm = client.get(reset)
    answered = client.post(reset)

    assert f'href="{reset}"' in admin_page.content.decode()
    assert confirm.status_code == 200
    assert answered.status_code == 302
    assert answered["Location"] == reverse("admin:portal_user_change", args=[dave.pk])
    assert not TOTPDevice.objects.filter(user=dave).exists()
    assert not RecoveryCodeDevice.objects.filter(user=dave).exists()
    event = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR_RESET)
    assert (event.actor, event.subject, event.authority_id) == (
        platform_admin,
        dave,
        dave.authority_id,
    )


NEW = "a-new-and-long-enough-password-9"


def test_it_changes_a_platform_admins_password_on_the_portals_audited_page(platform_admin):
    client = signed_in_client(platform_admin)

    answered = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )

    assert answered.status_code == 302
    assert answered["Location"] == reverse("portal:password-change")
    platform_admin.refresh_from_db()
    assert platform_admin.check_password(PASSWORD)
