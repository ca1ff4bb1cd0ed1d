"""Modules in the Django admin, a platform admins' tool (portal/tests/test_admin_access.py
keeps everyone else out): the pages open."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.tests.factories import UserFactory
from training.models import Step


@pytest.fixture
def platform_admin(db):
    return UserFactory(
        email="platform@threshold.example", authority=None, is_staff=True, is_superuser=True
    )


@pytest.fixture
def admin_client(verified_client, platform_admin):
    return verified_client(platform_admin)


def test_it_lists_modules_for_a_platform_admin(admin_client, module):
    response = admin_client.get(reverse("admin:training_module_changelist"))

    assert response.status_code == 200
    assert "Jo&#x27;s bedroom door" in response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "row"),
    [
        ("admin:training_module_change", lambda module: module),
        ("admin:training_scenario_change", lambda module: module.scenarios.get(key="part-1")),
        ("admin:training_step_change", lambda module: Step.objects.get(key="d1")),
        ("admin:training_step_change", lambda module: Step.objects.get(key="intro")),
    ],
    ids=["module", "scenario", "decision step", "narrative step"],
)
def test_it_opens_the_change_page_for_a_platform_admin(admin_client, module, url_name, row):
    response = admin_client.get(reverse(url_name, args=[row(module).pk]))

    assert response.status_code == 200


@pytest.mark.parametrize("model", ["module", "scenario", "step", "moduleversion"])
def test_it_opens_each_training_list_for_a_platform_admin(admin_client, module, model):
    assert admin_client.get(reverse(f"admin:training_{model}_changelist")).status_code == 200


def test_it_marks_a_published_module_edited_when_a_platform_admin_changes_a_step(
    admin_client, module
):
    step = Step.objects.get(scenario__module=module, key="intro")
    url = reverse("admin:training_step_change", args=[step.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "scenario": step.scenario_id,
            "title": "Meet Jo again",
            "indicators": [i.pk for i in step.indicators.all()],
            "choices-TOTAL_FORMS": 0,
            "choices-INITIAL_FORMS": 0,
        }
    )
    data["next_step"] = step.next_step_id

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    module.refresh_from_db()
    assert module.has_unpublished_changes
    assert module.versions.get().snapshot["scenarios"][0]["steps"][0]["title"] == "Meet Jo"
