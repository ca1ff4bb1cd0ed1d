"""Authoring in the Django admin: the pages open, and "publish" reports every problem."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.tests.factories import UserFactory
from training import services
from training.models import Choice, Module, ModuleVersion, Scenario, Step
from training.tests.factories import small_module


@pytest.fixture
def platform_admin(db):
    return UserFactory(
        email="platform@threshold.example", authority=None, is_staff=True, is_superuser=True
    )


@pytest.fixture
def admin_client(verified_client, platform_admin):
    return verified_client(platform_admin)


def _messages(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in response.context["messages"]]


def _publish(admin_client, module):
    return admin_client.post(
        reverse("admin:training_module_changelist"),
        {"action": "publish", "_selected_action": [module.pk]},
        follow=True,
    )


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


def test_it_keeps_a_practitioner_out_of_module_authoring(verified_client, alice, module):
    response = verified_client(alice).get(reverse("admin:training_module_changelist"))

    assert response.status_code == 302


def test_it_shows_each_problem_when_publishing_an_invalid_module(admin_client, module):
    Choice.objects.filter(step__key="d1", position=0).update(feedback="")
    Choice.objects.filter(step__key="d2", position=0).update(next_step=None)

    response = _publish(admin_client, module)

    assert response.status_code == 200
    assert _messages(response) == [
        ("error", "Jo's bedroom door was not published. Fix these 2 problems:"),
        (
            "error",
            'Scenario "Part 1": step "d1" (First worry), choice 1 ("Nothing") has no feedback.',
        ),
        (
            "error",
            'Scenario "Part 1": step "d2" (Second worry), choice 1 ("Monitor") leads nowhere, '
            "so its path never ends.",
        ),
    ]


def test_it_creates_no_version_when_an_invalid_module_is_published(admin_client, module):
    Choice.objects.filter(step__key="d1", position=0).update(feedback="")

    _publish(admin_client, module)

    assert list(ModuleVersion.objects.values_list("number", flat=True)) == [1]


def test_it_publishes_a_valid_module_as_the_next_version(admin_client, platform_admin, module):
    Scenario.objects.filter(key="part-2").update(title="Part 2: later")

    response = _publish(admin_client, module)

    assert _messages(response) == [("success", "Published Jo's bedroom door as version 2.")]
    latest = module.versions.latest()
    assert (latest.number, latest.published_by) == (2, platform_admin)
    assert latest.snapshot["scenarios"][1]["title"] == "Part 2: later"


# --- Authors ------------------------------------------------------------------------------


@pytest.fixture
def own_module(carol, indicators):
    module, _ = services.module_load_from_json(
        data=small_module(key="northbridge-own"), authority=carol.authority
    )
    return module


def test_it_lets_an_author_list_only_their_authoritys_modules(
    verified_client, carol, module, own_module
):
    client = verified_client(carol)

    page = client.get(reverse("admin:training_module_changelist")).content.decode()

    assert reverse("admin:training_module_change", args=[own_module.pk]) in page
    assert reverse("admin:training_module_change", args=[module.pk]) not in page


def test_it_hides_the_national_library_from_an_author(verified_client, carol, module):
    client = verified_client(carol)

    response = client.get(reverse("admin:training_module_change", args=[module.pk]))

    assert response.status_code == 302  # the admin's "doesn't exist" redirect to the index


def test_it_keeps_people_and_authorities_out_of_an_authors_admin(verified_client, carol):
    client = verified_client(carol)

    assert client.get(reverse("admin:portal_user_changelist")).status_code == 403
    assert client.get(reverse("admin:portal_authority_changelist")).status_code == 403


def test_it_files_an_authors_new_module_under_their_authority(verified_client, carol):
    client = verified_client(carol)

    client.post(
        reverse("admin:training_module_add"),
        {
            "key": "carols-module",
            "title": "Carol's module",
            "summary": "A draft.",
            "visibility": "authority",
            "minutes": 20,
            "pass_mark": 70,
            "refresher_months": 12,
            "confidence_topic": "a new concern",
            "learning_outcomes": "One",
            "scenarios-TOTAL_FORMS": 0,
            "scenarios-INITIAL_FORMS": 0,
        },
    )

    module = Module.objects.get(key="carols-module")
    assert module.authority == carol.authority
    assert module.created_by == carol
    assert module.has_unpublished_changes


def test_it_marks_a_published_module_edited_when_an_author_changes_a_step(
    verified_client, carol, own_module
):
    client = verified_client(carol)
    step = Step.objects.get(scenario__module=own_module, key="intro")
    url = reverse("admin:training_step_change", args=[step.pk])
    form = client.get(url).context["adminform"].form
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

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    own_module.refresh_from_db()
    assert own_module.has_unpublished_changes
    assert own_module.versions.get().snapshot["scenarios"][0]["steps"][0]["title"] == "Meet Jo"
