"""The authoring studio's editing pages: modules, scenarios, steps and choices, the problems
shown as the author edits, who may change what, and queries per page."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains

from portal.models import AuthorityPathway
from training import services
from training.models import Choice, Indicator, Module, Scenario, Step
from training.tests.factories import small_module
from training.tests.studio_data import (
    MODULE_FIELDS,
    chain_module,
    module_details,
    saved_choice_rows,
    saved_choices,
    step_details,
    step_post,
    studio_draft,
    text_of,
)

# Queries per page, whatever the module's size: sign-in checks and the session (6), the module
# and its draft in fixed queries (10), and each page's own few (the map: the authority's
# contacts, which its labels name).
MAX_QUERIES = {"module": 18, "scenario": 18, "step": 22, "step with a new choice row": 23}


@pytest.fixture
def draft(indicators, carol):
    return studio_draft(by=carol)


@pytest.fixture
def author(verified_client, carol):
    return verified_client(carol)


def _step_url(step: Step) -> str:
    return reverse("training:studio-step", args=[step.pk])


def _choice_fieldsets(response) -> list[str]:
    """The HTML of each choice's fieldset on the step page, in order."""
    page = response.content.decode()
    return re.findall(r'<fieldset class="govuk-fieldset threshold-choice.*?</fieldset>', page, re.S)


# --- The module list ------------------------------------------------------------------------


def test_it_lists_the_authoritys_draft_published_and_shared_modules(
    author, draft, carol, other_authority
):
    services.module_load_from_json(data=small_module(key="ours"), authority=carol.authority)
    services.module_load_from_json(
        data=small_module(key="ours-shared", title="Shared by us", visibility="shared"),
        authority=carol.authority,
    )
    services.module_load_from_json(data=small_module(key="national", title="National one"))
    services.module_load_from_json(
        data=small_module(key="theirs", title="Theirs"), authority=other_authority
    )

    page = text_of(author.get(reverse("training:studio")))

    assert "Sam's new friends Draft" in page
    assert "Jo's bedroom door Published v1" in page
    assert "Shared by us Shared v1" in page
    assert "National one" not in page
    assert "Theirs" not in page


def test_it_says_when_a_published_module_has_unpublished_changes(author, draft, carol):
    services.version_publish(module=draft.module, by=carol, change_note="First version.")
    services.scenario_update(
        by=draft.author, scenario=draft.scenario, title="Evenings and weekends"
    )

    page = text_of(author.get(reverse("training:studio")))

    assert "Published v1 Unpublished changes" in page


# --- Module details -------------------------------------------------------------------------


def test_it_creates_a_draft_module_in_the_authors_authority(author, carol, indicators):
    response = author.post(reverse("training:studio-module-create"), MODULE_FIELDS)

    module = Module.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("training:studio-module", args=[module.pk])
    assert module.title == "Sam's new friends"
    assert module.authority == carol.authority
    assert module.created_by == carol
    assert module.visibility == Module.Visibility.AUTHORITY
    assert not module.versions.exists()


def test_it_shows_what_is_missing_when_creating_a_module(author, indicators):
    response = author.post(
        reverse("training:studio-module-create"), {**MODULE_FIELDS, "title": "", "pass_mark": 0}
    )

    page = text_of(response)
    assert "There is a problem" in page
    assert "Enter a title" in page
    assert "Enter a pass mark from 1 to 100" in page
    assert not Module.objects.exists()


def test_it_saves_edited_module_details(author, draft, carol):
    services.version_publish(module=draft.module, by=carol, change_note="First version.")

    response = author.post(
        reverse("training:studio-module-edit", args=[draft.module.pk]),
        {**MODULE_FIELDS, "title": "Sam online", "pass_mark": 80},
    )

    draft.module.refresh_from_db()
    assert response.status_code == 302
    assert draft.module.title == "Sam online"
    assert draft.module.pass_mark == 80
    assert draft.module.has_unpublished_changes


def test_it_lets_the_authority_admin_edit_the_authoritys_modules(verified_client, dave, draft):
    admin = verified_client(dave)

    response = admin.post(
        reverse("training:studio-module-edit", args=[draft.module.pk]),
        {**MODULE_FIELDS, "title": "Edited by the admin"},
    )

    draft.module.refresh_from_db()
    assert response.status_code == 302
    assert draft.module.title == "Edited by the admin"


# --- Scenarios ------------------------------------------------------------------------------


def test_it_adds_a_scenario_after_the_last(author, draft):
    response = author.post(
        reverse("training:studio-scenario-create", args=[draft.module.pk]), {"title": "A year on"}
    )

    scenario = Scenario.objects.get(title="A year on")
    assert response.status_code == 302
    assert response["Location"] == reverse("training:studio-scenario", args=[scenario.pk])
    assert list(draft.module.scenarios.values_list("title", flat=True)) == [
        "Evenings online",
        "A year on",
    ]


def test_it_renames_a_scenario(author, draft):
    response = author.post(
        reverse("training:studio-scenario", args=[draft.scenario.pk]), {"title": "Weekends"}
    )

    draft.scenario.refresh_from_db()
    assert response.status_code == 302
    assert draft.scenario.title == "Weekends"


def test_it_puts_the_map_in_a_frame_that_keyboard_users_can_scroll(author, draft):
    response = author.get(reverse("training:studio-scenario", args=[draft.scenario.pk]))

    assert response.status_code == 200
    assertContains(
        response,
        '<div class="threshold-studio-map" tabindex="0" role="region"'
        f' aria-label="Map of {draft.scenario.title}, scrolls sideways"><svg',
    )


def test_it_deletes_a_scenario_with_its_steps(author, draft):
    response = author.post(reverse("training:studio-scenario-delete", args=[draft.scenario.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("training:studio-module", args=[draft.module.pk])
    assert not Scenario.objects.exists()
    assert not Step.objects.exists()


# --- Steps ----------------------------------------------------------------------------------


def test_it_adds_a_step_with_its_indicators(author, draft):
    grievance = Indicator.objects.get(key="grievance")

    response = author.post(
        reverse("training:studio-step-create", args=[draft.scenario.pk]),
        {
            "kind": "narrative",
            "title": "A new friend",
            "body": "Sam meets Lee.",
            "indicators": [grievance.pk],
        },
    )

    step = Step.objects.get(title="A new friend")
    assert response.status_code == 302
    assert response["Location"] == _step_url(step)
    assert step.key == "a-new-friend"
    assert step.scenario == draft.scenario
    assert list(step.indicators.all()) == [grievance]
    assert step.position > draft.end.position


def test_it_refuses_a_step_key_another_step_of_the_module_uses(author, draft):
    response = author.post(
        reverse("training:studio-step-create", args=[draft.scenario.pk]),
        {"kind": "end", "title": "Another end", "key": draft.end.key},
    )

    assert response.status_code == 400
    assert "Another step of this module already uses that key" in text_of(response)
    assert draft.scenario.steps.count() == 3


def test_it_saves_a_step_with_its_indicators_and_choices_together(author, draft):
    step = draft.decision
    grievance = Indicator.objects.get(key="grievance")
    rows = [
        {
            "text": "Ask the DSL",
            "safeguarding": "universal",
            "prevent": "advice",
            "actions": ["consult_dsl", "record_decision"],
            "feedback": "Good start.",
            "next_step": draft.end.pk,
        },
        {
            "text": "Email the police",
            "safeguarding": "emergency_protection",
            "prevent": "emergency",
            "error": "wrong_channel",
            "feedback": "Too slow.",
            "next_step": draft.intro.pk,
        },
    ]

    response = author.post(
        _step_url(step),
        step_post(
            step,
            choices=rows,
            title="Sam's worrying post",
            safeguarding_band_low="universal",
            safeguarding_band_high="family_help",
            prevent_band_low="advice",
            prevent_band_high="referral",
            safety_critical="on",
            indicators=[grievance.pk],
        ),
    )

    step.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == _step_url(step)
    assert step.title == "Sam's worrying post"
    assert (step.safeguarding_band_low, step.safeguarding_band_high) == ("universal", "family_help")
    assert (step.prevent_band_low, step.prevent_band_high) == ("advice", "referral")
    assert step.safety_critical is True
    assert list(step.indicators.all()) == [grievance]
    assert [
        (c.text, c.safeguarding, c.prevent, c.actions, c.error, c.feedback, c.next_step)
        for c in step.choices.all()
    ] == [
        ("Ask the DSL", "universal", "advice", ["consult_dsl", "record_decision"], "",
         "Good start.", draft.end),
        ("Email the police", "emergency_protection", "emergency", [], "wrong_channel",
         "Too slow.", draft.intro),
    ]  # fmt: skip


def test_it_offers_both_bands_actions_and_no_practice_error_on_the_step_page(author, draft):
    page = author.get(_step_url(draft.decision)).content.decode()

    for name in ("safeguarding_band_low", "prevent_band_high", "safety_critical"):
        assert f'name="{name}"' in page
    assert 'name="choices-0-safeguarding"' in page and 'name="choices-0-prevent"' in page
    assert re.search(r'type="checkbox"\s+name="choices-0-actions"[^>]*value="consult_dsl"', page)
    assert '<option value="" selected>No practice error</option>' in page


def test_it_refuses_a_band_whose_highest_response_is_below_its_lowest(author, draft):
    response = author.post(
        _step_url(draft.decision),
        step_post(
            draft.decision,
            safeguarding_band_low="child_protection",
            safeguarding_band_high="record",
        ),
    )

    assert response.status_code == 400
    assert "Choose a highest response at or above the lowest one" in text_of(response)
    draft.decision.refresh_from_db()
    assert draft.decision.safeguarding_band_low == "family_help"


def test_it_shows_a_safety_critical_decision_with_no_safe_choice_beside_the_step(author, draft):
    rows = saved_choice_rows(draft.decision)
    rows[1]["error"] = "consent_misused"  # the one choice inside both bands now has an error

    response = author.post(
        _step_url(draft.decision), step_post(draft.decision, choices=rows, safety_critical="on")
    )

    assert response.status_code == 302
    page = author.get(response["Location"]).content.decode()
    panel = re.search(r'id="step-problems".*?</div>', page, re.S).group()
    assert (
        "A safety-critical decision needs a choice inside both bands with no practice error"
    ) in panel


def test_it_edits_and_removes_existing_choices_in_place(author, draft):
    step = draft.decision
    rows = saved_choice_rows(step)
    kept, removed, last = (row["id"] for row in rows)
    rows[0]["text"] = "Wait and see"
    rows[1]["DELETE"] = True

    response = author.post(_step_url(step), step_post(step, choices=rows))

    assert response.status_code == 302
    assert [(c.pk, c.text) for c in step.choices.all()] == [
        (kept, "Wait and see"),
        (last, "Refer to Prevent"),
    ]
    assert not Choice.objects.filter(pk=removed).exists()


def test_it_ignores_an_empty_new_choice_row(author, draft):
    step = draft.decision
    rows = [*saved_choice_rows(step), {"text": "", "safeguarding": "", "feedback": ""}]

    response = author.post(_step_url(step), step_post(step, choices=rows))

    assert response.status_code == 302
    assert step.choices.count() == 3


def test_it_asks_for_the_text_of_a_choice_with_other_fields_filled(author, draft):
    step = draft.decision
    rows = [*saved_choice_rows(step), {"text": "", "safeguarding": "family_help"}]

    response = author.post(_step_url(step), step_post(step, choices=rows))

    assert response.status_code == 400
    assert "Choice 4: Enter the choice text, or tick Remove" in text_of(response)
    assert step.choices.count() == 3


def test_it_adds_a_blank_choice_row_without_saving_or_losing_what_was_typed(author, draft):
    step = draft.decision
    rows = saved_choice_rows(step)
    rows[0]["text"] = "Typed but not saved"
    data = step_post(step, choices=rows, title="A title typed but not saved")
    data["add_choice"] = "1"

    response = author.post(_step_url(step), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="choices-TOTAL_FORMS" value="4"' in page
    assert 'value="A title typed but not saved"' in page
    assert 'value="Typed but not saved"' in page
    assert len(_choice_fieldsets(response)) == 4
    step.refresh_from_db()
    assert step.title == "What do you do?"
    assert step.choices.first().text == "Do nothing"


def test_it_saves_a_step_posted_by_htmx_and_redirects_as_without_it(author, draft):
    step = draft.end

    response = author.post(
        _step_url(step),
        step_post(step, choices=[], title="How it ended"),
        headers={"HX-Request": "true"},
    )

    step.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == _step_url(step)
    assert step.title == "How it ended"


def test_it_refuses_a_choice_leading_to_a_step_outside_the_scenario(author, draft, wendy):
    theirs = studio_draft(by=wendy, title="Theirs")
    rows = saved_choice_rows(draft.decision)
    rows[0]["next_step"] = theirs.end.pk

    response = author.post(_step_url(draft.decision), step_post(draft.decision, choices=rows))

    assert response.status_code == 400
    assert "Choice 1: Select a valid choice." in text_of(response)
    assert draft.decision.choices.first().next_step == draft.end


def test_it_refuses_a_step_key_in_use_when_saving_a_step(author, draft):
    response = author.post(
        _step_url(draft.end), step_post(draft.end, choices=[], key=draft.intro.key)
    )

    draft.end.refresh_from_db()
    assert response.status_code == 400
    assert "Another step of this module already uses that key" in text_of(response)
    assert draft.end.key == "what-happened"


def test_it_deletes_a_step_and_clears_links_into_it(author, draft):
    response = author.post(reverse("training:studio-step-delete", args=[draft.decision.pk]))

    draft.intro.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("training:studio-scenario", args=[draft.scenario.pk])
    assert not Step.objects.filter(pk=draft.decision.pk).exists()
    assert draft.intro.next_step is None


def test_it_moves_a_step_up(author, draft):
    response = author.post(
        reverse("training:studio-step-move", args=[draft.decision.pk]), {"direction": "up"}
    )

    assert response.status_code == 302
    assert list(draft.scenario.steps.values_list("key", flat=True)) == [
        draft.decision.key,
        draft.intro.key,
        draft.end.key,
    ]


# --- Problems shown as the author edits -----------------------------------------------------


def _drop_explanation(draft) -> None:
    services.step_update(
        by=draft.author,
        step=draft.decision,
        **step_details(draft.decision, explanation=""),
        choices=saved_choices(draft.decision),
    )


def test_it_shows_a_step_problem_on_the_step_page(author, draft):
    _drop_explanation(draft)

    response = author.get(_step_url(draft.decision))

    panel = re.search(r'id="step-problems".*?</div>', response.content.decode(), re.S).group()
    assert "Explain why the bands are right" in panel


def test_it_shows_a_choice_problem_beside_that_choice(author, draft):
    rows = saved_choices(draft.decision)
    rows[1]["feedback"] = ""
    services.step_update(
        by=draft.author, step=draft.decision, **step_details(draft.decision), choices=rows
    )

    response = author.get(_step_url(draft.decision))

    first, second, third = _choice_fieldsets(response)
    assert "The choice has no feedback" in second
    assert "The choice has no feedback" not in first + third
    assert "threshold-choice--problem" in second


def test_it_lists_every_problem_on_the_module_page_with_a_link_to_fix_it(author, draft):
    _drop_explanation(draft)

    response = author.get(reverse("training:studio-module", args=[draft.module.pk]))

    link = re.search(
        r'<ul class="govuk-list govuk-list--bullet threshold-problem-list">.*?</ul>',
        response.content.decode(),
        re.S,
    ).group()
    assert "1 problem stops this draft being published." in text_of(response)
    assert f'href="{_step_url(draft.decision)}"' in link
    assert "does not explain why its bands are right" in link


def test_it_updates_the_problems_as_the_author_fixes_them(author, draft):
    _drop_explanation(draft)
    module_url = reverse("training:studio-module", args=[draft.module.pk])
    assert "does not explain why" in text_of(author.get(module_url))

    response = author.post(
        _step_url(draft.decision),
        step_post(draft.decision, explanation="Early help fits isolation."),
    )

    assert response.status_code == 302
    page = text_of(author.get(module_url))
    assert "does not explain why" not in page
    assert "None: the draft can be previewed and published." in page


def test_it_shows_the_problem_a_save_made_on_the_step_page_it_returns_to(author, draft):
    rows = saved_choice_rows(draft.decision)
    rows[0]["prevent"] = ""

    response = author.post(_step_url(draft.decision), step_post(draft.decision, choices=rows))

    assert response.status_code == 302
    first, *_ = _choice_fieldsets(author.get(response["Location"]))
    assert "The choice has no Prevent route" in first


def test_it_says_a_saved_step_has_no_problems(author, draft):
    response = author.get(_step_url(draft.decision))

    assert "No problems with this step as saved." in text_of(response)


# --- Who may change what --------------------------------------------------------------------


def _posts(draft) -> dict[str, tuple[str, dict]]:
    """Each studio POST an editor can make to the draft, with data that would change it."""
    module, scenario, step = draft.module, draft.scenario, draft.decision
    return {
        "module-edit": (
            reverse("training:studio-module-edit", args=[module.pk]),
            {**MODULE_FIELDS, "title": "Taken over"},
        ),
        "publish": (
            reverse("training:studio-publish", args=[module.pk]),
            {"change_note": "Taken over"},
        ),
        "share": (reverse("training:studio-share", args=[module.pk]), {"action": "share"}),
        "scenario-create": (
            reverse("training:studio-scenario-create", args=[module.pk]),
            {"title": "Taken over"},
        ),
        "scenario": (
            reverse("training:studio-scenario", args=[scenario.pk]),
            {"title": "Taken over"},
        ),
        "scenario-delete": (reverse("training:studio-scenario-delete", args=[scenario.pk]), {}),
        "step-create": (
            reverse("training:studio-step-create", args=[scenario.pk]),
            {"kind": "end", "title": "Taken over"},
        ),
        "step": (_step_url(step), step_post(step, title="Taken over")),
        "step-delete": (reverse("training:studio-step-delete", args=[step.pk]), {}),
        "step-move": (reverse("training:studio-step-move", args=[step.pk]), {"direction": "up"}),
    }


POSTS = [
    "module-edit",
    "publish",
    "share",
    "scenario-create",
    "scenario",
    "scenario-delete",
    "step-create",
    "step",
    "step-delete",
    "step-move",
]


def _state(module: Module) -> tuple:
    """Everything a POST above could change."""
    module.refresh_from_db()
    return (
        module.title,
        module.visibility,
        module.versions.count(),
        list(module.scenarios.values_list("pk", "title")),
        list(Step.objects.filter(scenario__module=module).values_list("pk", "title", "position")),
        list(Choice.objects.filter(step__scenario__module=module).values_list("pk", "text")),
    )


def test_it_answers_404_to_an_author_opening_a_national_library_module(author, indicators):
    library, _ = services.module_load_from_json(data=small_module())

    response = author.post(
        reverse("training:studio-module-edit", args=[library.pk]),
        {**MODULE_FIELDS, "title": "Taken over"},
    )

    library.refresh_from_db()
    assert response.status_code == 404
    assert library.title == "Jo's bedroom door"


@pytest.mark.parametrize("name", POSTS)
def test_it_answers_404_to_another_authoritys_admin_and_changes_nothing(
    name, verified_client, wendy, draft
):
    url, data = _posts(draft)[name]
    before = _state(draft.module)
    client = verified_client(wendy)

    response = client.post(url, data)

    assert response.status_code == 404
    assert _state(draft.module) == before


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie"])
@pytest.mark.parametrize("name", POSTS)
def test_it_forbids_practitioners_and_supervisors_and_changes_nothing(
    name, persona, request, verified_client, draft
):
    url, data = _posts(draft)[name]
    before = _state(draft.module)
    client = verified_client(request.getfixturevalue(persona))

    response = client.post(url, data)

    assert response.status_code == 403
    assert _state(draft.module) == before


def test_it_never_edits_another_modules_choice_whose_id_is_posted(author, draft, wendy):
    """A choice row naming another module's choice creates a new choice of this step."""
    theirs = studio_draft(by=wendy, title="Theirs")
    their_choice = theirs.decision.choices.first()
    rows = [{**saved_choice_rows(draft.decision)[0], "id": their_choice.pk}]

    response = author.post(_step_url(draft.decision), step_post(draft.decision, choices=rows))

    their_choice.refresh_from_db()
    assert response.status_code == 302
    assert their_choice.step == theirs.decision
    assert their_choice.text == "Do nothing"
    assert draft.decision.choices.count() == 1


# --- Queries per page, whatever the module's size -------------------------------------------


@pytest.fixture
def small_and_large(indicators, carol):
    """Two published modules of carol's authority: 2 scenarios of 5 steps, and ten times the
    steps (5 scenarios of 20) with twice the choices per decision."""
    small, _ = services.module_load_from_json(
        data=chain_module(key="small", scenarios=2, steps=5, choices=3),
        authority=carol.authority,
    )
    large, _ = services.module_load_from_json(
        data=chain_module(key="large", scenarios=5, steps=20, choices=6),
        authority=carol.authority,
    )
    assert Step.objects.filter(scenario__module=large).count() == 10 * (
        Step.objects.filter(scenario__module=small).count()
    )
    return small, large


def _page_url(page: str, module: Module) -> str:
    scenario = module.scenarios.last()
    if page == "module":
        return reverse("training:studio-module", args=[module.pk])
    if page == "scenario":
        return reverse("training:studio-scenario", args=[scenario.pk])
    return _step_url(scenario.steps.filter(kind="decision").last())


@pytest.mark.parametrize("page", ["module", "scenario", "step"])
def test_it_shows_an_editing_page_in_the_same_queries_for_a_module_ten_times_larger(
    page, author, carol, small_and_large, django_assert_num_queries, django_assert_max_num_queries
):
    small, large = small_and_large
    services.version_publish(module=large, by=carol, change_note="Second version.")
    small_url, large_url = _page_url(page, small), _page_url(page, large)
    author.get(small_url)  # the first request after sign-in also updates the session

    with django_assert_max_num_queries(MAX_QUERIES[page]) as small_queries:
        small_response = author.get(small_url)
    with django_assert_num_queries(len(small_queries.captured_queries)):
        large_response = author.get(large_url)

    assert small_response.status_code == large_response.status_code == 200


def test_it_adds_a_choice_row_in_the_same_queries_for_a_module_ten_times_larger(
    author, small_and_large, django_assert_num_queries, django_assert_max_num_queries
):
    small, large = small_and_large
    posts = []
    for module in (small, large):
        step = module.scenarios.last().steps.filter(kind="decision").last()
        posts.append((_step_url(step), {**step_post(step), "add_choice": "1"}))
    author.get(posts[0][0])

    with django_assert_max_num_queries(MAX_QUERIES["step with a new choice row"]) as queries:
        small_response = author.post(*posts[0])
    with django_assert_num_queries(len(queries.captured_queries)):
        large_response = author.post(*posts[1])

    assert small_response.status_code == large_response.status_code == 200


# --- The drafting services refuse on their own (whoever calls them) ------------------------


def test_it_refuses_to_create_a_module_for_a_practitioner(alice):
    with pytest.raises(PermissionDenied):
        services.module_create(by=alice, **MODULE_FIELDS)

    assert not Module.objects.exists()


def test_it_refuses_to_create_a_module_with_a_pass_mark_off_the_scale(carol):
    with pytest.raises(ValidationError) as refused:
        services.module_create(by=carol, **{**MODULE_FIELDS, "pass_mark": 0})

    assert refused.value.message_dict == {"pass_mark": ["Enter a pass mark from 1 to 100"]}
    assert not Module.objects.exists()


def test_it_refuses_to_create_a_module_without_a_title(carol):
    with pytest.raises(ValidationError) as refused:
        services.module_create(by=carol, **{**MODULE_FIELDS, "title": ""})

    assert list(refused.value.message_dict) == ["title"]


def test_it_refuses_to_change_another_authoritys_module(draft, charlie):
    details = module_details(draft.module)

    with pytest.raises(PermissionDenied):
        services.module_update(by=charlie, module=draft.module, **{**details, "title": "Mine"})

    draft.module.refresh_from_db()
    assert draft.module.title == MODULE_FIELDS["title"]


def test_it_refuses_a_module_change_that_breaks_a_limit(draft, carol):
    details = module_details(draft.module)

    with pytest.raises(ValidationError):
        services.module_update(by=carol, module=draft.module, **{**details, "minutes": 601})

    draft.module.refresh_from_db()
    assert draft.module.minutes == MODULE_FIELDS["minutes"]


def test_it_refuses_a_practitioner_editing_a_scenario_or_step(draft, alice):
    with pytest.raises(PermissionDenied):
        services.scenario_create(by=alice, module=draft.module, title="Mine")
    with pytest.raises(PermissionDenied):
        services.step_update(
            by=alice, step=draft.intro, **step_details(draft.intro, title="Mine"), choices=[]
        )
    with pytest.raises(PermissionDenied):
        services.step_delete(by=alice, step=draft.end)

    assert Scenario.objects.count() == 1
    assert Step.objects.get(pk=draft.intro.pk).title == "Meet Sam"


def test_it_refuses_a_scenario_without_a_title(draft, carol):
    with pytest.raises(services.StudioRefused):
        services.scenario_create(by=carol, module=draft.module, title="  ")

    assert Scenario.objects.count() == 1


def test_it_refuses_to_publish_or_share_for_someone_outside_the_module(draft, alice, charlie):
    with pytest.raises(PermissionDenied):
        services.version_publish(module=draft.module, by=alice, change_note="Mine.")
    with pytest.raises(PermissionDenied):
        services.module_share(module=draft.module, by=charlie)

    assert not draft.module.versions.exists()


def test_it_refuses_a_step_leading_into_another_scenario(draft, carol):
    other = services.scenario_create(by=carol, module=draft.module, title="Later")
    elsewhere = services.step_create(by=carol, scenario=other, kind="end", title="Elsewhere")

    with pytest.raises(services.StudioRefused) as refused:
        services.step_update(
            by=carol, step=draft.intro, **step_details(draft.intro, next_step=elsewhere), choices=[]
        )

    assert refused.value.field == "next_step"
    assert Step.objects.get(pk=draft.intro.pk).next_step == draft.decision


def test_it_refuses_a_choice_leading_into_another_scenario(draft, carol):
    other = services.scenario_create(by=carol, module=draft.module, title="Later")
    elsewhere = services.step_create(by=carol, scenario=other, kind="end", title="Elsewhere")
    rows = saved_choices(draft.decision)
    rows[0]["next_step"] = elsewhere

    with pytest.raises(services.StudioRefused):
        services.step_update(
            by=carol, step=draft.decision, **step_details(draft.decision), choices=rows
        )

    assert {choice.next_step for choice in draft.decision.choices.all()} == {draft.end}


def test_it_refuses_a_choice_without_text(draft, carol):
    rows = saved_choices(draft.decision)
    rows[1]["text"] = "  "

    with pytest.raises(services.StudioRefused):
        services.step_update(
            by=carol, step=draft.decision, **step_details(draft.decision), choices=rows
        )

    assert all(choice.text.strip() for choice in draft.decision.choices.all())


def test_it_refuses_a_step_of_an_unknown_kind_or_without_a_title(draft, carol):
    with pytest.raises(services.StudioRefused):
        services.step_create(by=carol, scenario=draft.scenario, kind="quiz", title="Odd")
    with pytest.raises(services.StudioRefused):
        services.step_create(by=carol, scenario=draft.scenario, kind="end", title=" ")

    assert draft.scenario.steps.count() == 3


# --- Guidance cited and the review date -----------------------------------------------------


def test_it_saves_the_guidance_a_decision_follows_keeping_sections_already_cited(author, draft):
    step = draft.decision
    Step.objects.filter(pk=step.pk).update(
        sources=[{"key": "working-together-2023", "section": "Chapter 3: early help"}]
    )
    step.refresh_from_db()

    response = author.post(
        _step_url(step), step_post(step, sources=["working-together-2023", "prevent-duty-2023"])
    )

    assert response.status_code == 302
    step.refresh_from_db()
    assert step.sources == [
        {"key": "working-together-2023", "section": "Chapter 3: early help"},
        {"key": "prevent-duty-2023"},
    ]


def test_it_shows_the_guidance_cited_as_ticked(author, draft):
    Step.objects.filter(pk=draft.decision.pk).update(sources=[{"key": "kcsie-2025"}])

    page = author.get(_step_url(draft.decision)).content.decode()

    assert re.search(r'name="sources"[^>]*value="kcsie-2025"[^>]*checked', page)
    assert not re.search(r'name="sources"[^>]*value="prevent-duty-2023"[^>]*checked', page)
    assert 'value="kcsie-2024"' not in page  # superseded, and not cited here


def test_it_lets_an_author_untick_superseded_guidance_but_not_choose_it(author, draft, carol):
    step = draft.decision
    Step.objects.filter(pk=step.pk).update(sources=[{"key": "kcsie-2024"}])
    step.refresh_from_db()

    page = author.get(_step_url(step)).content.decode()
    assert "superseded by" in page

    assert author.post(_step_url(step), step_post(step, sources=["kcsie-2025"])).status_code == 302
    step.refresh_from_db()
    assert step.sources == [{"key": "kcsie-2025"}]
    with pytest.raises(services.StudioRefused, match="superseded"):
        services.step_update(by=carol, step=step, **step_details(step, sources=["kcsie-2024"]),
                             choices=saved_choices(step))  # fmt: skip


def test_it_refuses_guidance_that_is_not_on_the_list(author, draft):
    response = author.post(_step_url(draft.decision), step_post(draft.decision, sources=["blog"]))

    assert response.status_code == 400
    assert "Choose guidance from the list" in text_of(response)


def test_it_keeps_a_steps_citations_when_a_service_caller_leaves_them_out(draft, carol):
    step = draft.decision
    Step.objects.filter(pk=step.pk).update(sources=[{"key": "kcsie-2025", "section": "Part one"}])
    step.refresh_from_db()
    details = step_details(step)
    del details["sources"]

    services.step_update(by=carol, step=step, **details, choices=saved_choices(step))

    step.refresh_from_db()
    assert step.sources == [{"key": "kcsie-2025", "section": "Part one"}]


def test_it_saves_and_shows_when_the_module_was_last_checked_against_its_guidance(author, draft):
    url = reverse("training:studio-module-edit", args=[draft.module.pk])
    response = author.post(
        url, {**MODULE_FIELDS, "reviewed_on_0": "3", "reviewed_on_1": "11", "reviewed_on_2": "2026"}
    )

    assert response.status_code == 302
    draft.module.refresh_from_db()
    assert str(draft.module.reviewed_on) == "2026-11-03"
    page = text_of(author.get(reverse("training:studio-module", args=[draft.module.pk])))
    assert "Last checked against its guidance 3 November 2026" in page


def test_it_refuses_a_review_date_in_the_future(author, draft):
    url = reverse("training:studio-module-edit", args=[draft.module.pk])
    response = author.post(
        url, {**MODULE_FIELDS, "reviewed_on_0": "1", "reviewed_on_1": "1", "reviewed_on_2": "2999"}
    )

    assert response.status_code == 400
    assert "The date the content was last checked must be today or earlier" in text_of(response)
    draft.module.refresh_from_db()
    assert draft.module.reviewed_on is None


def test_it_draws_contacts_on_the_map_as_the_authors_authority_names_them(author, draft, carol):
    AuthorityPathway.objects.create(authority=carol.authority, lado="Jo Bell, LADO")
    Choice.objects.filter(step=draft.decision, position=0).update(text="Phone {pathway.lado}")
    Step.objects.filter(pk=draft.decision.pk).update(title="Before {pathway.front_door}")

    page = author.get(reverse("training:studio-scenario", args=[draft.scenario.pk]))

    assert "Phone Jo Bell, LADO" in text_of(page)
    assert "Before children's social care's front door (the MASH)" in text_of(page)
    assert "{pathway." not in page.content.decode()
