"""Assignment pages (supervisors and admins) and the learner's home: who sees what, forms,
and the learner's assignments by urgency in a fixed number of queries."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditAction, AuditEvent
from portal.tests.factories import TeamFactory, UserFactory
from training import services
from training.models import Assignment, AssignmentRule, Attempt
from training.tests.factories import small_module
from training.tests.test_assignments import walk

LONDON = ZoneInfo("Europe/London")
MAX_HOME_QUERIES = 8


@pytest.fixture(autouse=True)
def _on_a_summer_day():
    with time_machine.travel(datetime(2026, 6, 10, 9, 0, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def team_rule(bob, module, alice):
    return services.rule_create(
        actor=bob, module=module, target=AssignmentRule.Target.TEAM, target_team=bob.team,
        due_on=date(2026, 7, 1),
    )  # fmt: skip


@pytest.fixture
def authority_rule(dave, module, alice):
    return services.rule_create(
        actor=dave, module=module, target=AssignmentRule.Target.AUTHORITY, due_in_days=30
    )


@pytest.fixture
def other_rule(wendy, module, charlie):
    return services.rule_create(
        actor=wendy, module=module, target=AssignmentRule.Target.PERSON, target_user=charlie,
        due_in_days=30,
    )  # fmt: skip


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def create_data(**changes) -> dict[str, str]:
    data = {
        "module": "",
        "target": "team",
        "target_user": "",
        "target_team": "",
        "target_role": "",
        "due_kind": "date",
        "due_on_0": "1",
        "due_on_1": "7",
        "due_on_2": "2026",
        "due_in_days": "",
        "refresher_months": "",
    }
    return {**data, **changes}


# --- Who may use the assignment pages -----------------------------------------------------


@pytest.mark.parametrize("url_name", ["training:assignment-list", "training:assignment-create"])
def test_it_refuses_a_practitioner_the_assignment_pages(verified_client, alice, url_name):
    assert verified_client(alice).get(reverse(url_name)).status_code == 403


def test_it_refuses_a_practitioner_their_own_rules_page(verified_client, alice, team_rule):
    url = reverse("training:assignment-detail", args=[team_rule.pk])
    assert verified_client(alice).get(url).status_code == 403


def test_it_refuses_an_author_the_assignment_pages(verified_client, carol):
    assert verified_client(carol).get(reverse("training:assignment-list")).status_code == 403


def test_it_hides_an_authority_admins_rules_from_the_other_authoritys_admin(
    verified_client, wendy, authority_rule
):
    client = verified_client(wendy)
    for name in ["training:assignment-detail", "training:assignment-cancel"]:
        assert client.get(reverse(name, args=[authority_rule.pk])).status_code == 404


def test_it_hides_an_authority_wide_rule_from_a_supervisor(verified_client, bob, authority_rule):
    url = reverse("training:assignment-detail", args=[authority_rule.pk])
    assert verified_client(bob).get(url).status_code == 404


def test_it_hides_another_authoritys_assignment_from_a_supervisor(verified_client, bob, other_rule):
    url = reverse("training:assignment-extend", args=[other_rule.assignments.get().pk])
    assert verified_client(bob).get(url).status_code == 404


def test_it_hides_another_teams_assignment_from_a_supervisor(
    verified_client, bob, dave, module, authority
):
    outsider = UserFactory(authority=authority, team=TeamFactory(authority=authority))
    rule = services.rule_create(
        actor=dave, module=module, target=AssignmentRule.Target.PERSON, target_user=outsider,
        due_in_days=30,
    )  # fmt: skip
    url = reverse("training:assignment-extend", args=[rule.assignments.get().pk])
    assert verified_client(bob).get(url).status_code == 404


def test_it_offers_the_assignments_link_to_supervisors_and_not_practitioners(
    verified_client, client, alice, bob
):
    assert 'href="/training/assignments/"' in text(verified_client(bob).get("/"))
    client.logout()
    assert 'href="/training/assignments/"' not in text(verified_client(alice).get("/"))


def test_it_marks_assignments_not_my_training_as_the_current_section(verified_client, bob):
    page = text(verified_client(bob).get(reverse("training:assignment-list")))
    assert re.findall(r'href="([^"]+)" aria-current="page"', page) == ["/training/assignments/"]


# --- Listing rules ------------------------------------------------------------------------


def test_it_lists_a_supervisors_rules_with_how_many_are_done(
    verified_client, bob, alice, version, team_rule, authority_rule
):
    walk(alice, version)
    page = text(verified_client(bob).get(reverse("training:assignment-list")))
    assert "Team: Early Help North" in page
    assert "1 July 2026" in page
    assert "1 of 2" in page  # alice done, bob not
    assert "Everyone in the authority" not in page


def test_it_lists_an_admins_rules_across_the_authority_with_cancelled_ones(
    verified_client, bob, dave, team_rule, authority_rule
):
    services.rule_cancel(actor=bob, rule=team_rule)
    page = text(verified_client(dave).get(reverse("training:assignment-list")))
    assert "Everyone in the authority" in page
    assert "30 days after assignment" in page
    assert page.index("Everyone in the authority") < page.index("Team: Early Help North")
    assert "Cancelled" in page


@pytest.fixture
def sixty_rules(bob, alice, module) -> list[AssignmentRule]:
    """Sixty rules for alice (bob's team), the last twenty cancelled, newest first."""
    rules = AssignmentRule.objects.bulk_create(
        AssignmentRule(
            authority=bob.authority, module=module, target=AssignmentRule.Target.PERSON,
            target_user=alice, due_in_days=30, created_by=bob,
        )
        for _ in range(60)
    )  # fmt: skip
    AssignmentRule.objects.filter(pk__in=[rule.pk for rule in rules[:20]]).update(
        cancelled_at=timezone.now(), cancelled_by=bob
    )
    return rules[20:][::-1] + rules[:20][::-1]  # active first, then newest first (-id)


def test_it_pages_the_rules_fifty_at_a_time_active_first(verified_client, bob, sixty_rules):
    client = verified_client(bob)
    first = client.get(reverse("training:assignment-list"))
    second = client.get(reverse("training:assignment-list"), {"page": 2})
    assert [rule.pk for rule in first.context["page"]] == [r.pk for r in sixty_rules[:50]]
    assert [rule.pk for rule in second.context["page"]] == [r.pk for r in sixty_rules[50:]]
    assert "Assignments for Early Help North: 1 to 50 of 60" in text(first)
    assert "51 to 60 of 60" in text(second)
    assert 'href="?page=2"' in text(first)


@pytest.mark.parametrize(("asked", "shown"), [("999", 2), ("x", 1)])
def test_it_shows_the_nearest_real_page_of_rules(verified_client, bob, sixty_rules, asked, shown):
    response = verified_client(bob).get(reverse("training:assignment-list"), {"page": asked})
    assert response.status_code == 200
    assert response.context["page"].number == shown


# --- Assigning ----------------------------------------------------------------------------


def test_it_lets_a_supervisor_assign_a_module_to_their_team(
    verified_client, bob, alice, module, team
):
    response = verified_client(bob).post(
        reverse("training:assignment-create"),
        create_data(module=module.pk, target="team", target_team=team.pk),
    )
    rule = AssignmentRule.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("training:assignment-detail", args=[rule.pk])
    assert rule.assignments.get(user=alice).due_on == date(2026, 7, 1)


def test_it_lets_a_supervisor_assign_a_module_to_someone_in_their_team_by_days(
    verified_client, bob, alice, module
):
    verified_client(bob).post(
        reverse("training:assignment-create"),
        create_data(
            module=module.pk, target="person", target_user=alice.pk, due_kind="days",
            due_in_days="14", refresher_months="6",
        ),
    )  # fmt: skip
    rule = AssignmentRule.objects.get()
    assert (rule.due_in_days, rule.refresher_months) == (14, 6)
    assert rule.assignments.get().due_on == date(2026, 6, 24)


def test_it_offers_a_supervisor_only_a_person_or_their_team(verified_client, bob, module):
    page = text(verified_client(bob).get(reverse("training:assignment-create")))
    assert "My team (Early Help North)" in page
    assert "Everyone in the authority" not in page
    assert 'name="target_role"' not in page


def test_it_offers_a_supervisor_only_the_people_in_their_team(
    verified_client, bob, alice, charlie, dave, module
):
    page = text(verified_client(bob).get(reverse("training:assignment-create")))
    assert "Alice Okafor" in page
    assert "Charlie Adeyemi" not in page
    assert "Dave Morgan" not in page


def test_it_refuses_a_supervisor_assigning_to_someone_outside_their_team(
    verified_client, bob, charlie, module
):
    response = verified_client(bob).post(
        reverse("training:assignment-create"),
        create_data(module=module.pk, target="person", target_user=charlie.pk),
    )
    assert response.status_code == 200
    assert "Choose a person you can assign to" in text(response)
    assert not AssignmentRule.objects.exists()


def test_it_refuses_a_supervisor_assigning_to_the_whole_authority(verified_client, bob, module):
    response = verified_client(bob).post(
        reverse("training:assignment-create"), create_data(module=module.pk, target="authority")
    )
    assert "Choose who the module is for" in text(response)
    assert not AssignmentRule.objects.exists()


def test_it_lets_an_admin_assign_a_module_to_a_role(verified_client, dave, alice, module):
    verified_client(dave).post(
        reverse("training:assignment-create"),
        create_data(module=module.pk, target="role", target_role="practitioner"),
    )
    rule = AssignmentRule.objects.get()
    assert list(rule.assignments.values_list("user", flat=True)) == [alice.pk]


def test_it_lets_an_admin_assign_a_module_to_the_whole_authority(
    verified_client, dave, alice, bob, charlie, module
):
    verified_client(dave).post(
        reverse("training:assignment-create"), create_data(module=module.pk, target="authority")
    )
    assigned = set(AssignmentRule.objects.get().assignments.values_list("user", flat=True))
    assert assigned == {alice.pk, bob.pk, dave.pk}


def test_it_says_what_is_missing_from_an_empty_form(verified_client, bob, module):
    response = verified_client(bob).post(reverse("training:assignment-create"), {})
    page = text(response)
    assert "<title>Error: Assign a module" in page
    assert 'class="govuk-error-summary"' in page
    for message in ["Choose a module", "Choose who the module is for", "Choose when it is due"]:
        assert message in page


@pytest.mark.parametrize(
    ("day", "month", "year"), [("31", "2", "2027"), ("1", "13", "2027"), ("x", "7", "2026")]
)
def test_it_asks_for_a_real_due_date(verified_client, bob, alice, module, day, month, year):
    response = verified_client(bob).post(
        reverse("training:assignment-create"),
        create_data(
            module=module.pk, target="person", target_user=alice.pk, due_on_0=day,
            due_on_1=month, due_on_2=year,
        ),
    )  # fmt: skip
    assert "Enter a real date" in text(response)
    assert not AssignmentRule.objects.exists()


def test_it_asks_for_a_due_date_when_by_a_date_is_chosen(verified_client, bob, alice, module):
    response = verified_client(bob).post(
        reverse("training:assignment-create"),
        create_data(
            module=module.pk, target="person", target_user=alice.pk, due_on_0="", due_on_1="",
            due_on_2="",
        ),
    )  # fmt: skip
    assert "Enter the due date" in text(response)


def test_it_shows_the_services_refusal_of_a_past_due_date_on_the_date(
    verified_client, bob, alice, module
):
    response = verified_client(bob).post(
        reverse("training:assignment-create"),
        create_data(module=module.pk, target="person", target_user=alice.pk, due_on_0="9",
                    due_on_1="6", due_on_2="2026"),
    )  # fmt: skip
    page = text(response)
    assert '<a href="#id_due_on">The due date must be today or later</a>' in page
    assert 'id="id_due_on_1_error"' in page


def test_it_asks_for_the_number_of_days_when_by_days_is_chosen(verified_client, bob, alice, module):
    response = verified_client(bob).post(
        reverse("training:assignment-create"),
        create_data(module=module.pk, target="person", target_user=alice.pk, due_kind="days"),
    )
    assert "Enter the number of days" in text(response)


def test_it_ignores_what_was_left_under_the_options_not_chosen(
    verified_client, bob, alice, charlie, module
):
    """Without JavaScript every follow-up field shows: what is left in those of the options
    not chosen (a person from elsewhere, half a date) is neither checked nor used."""
    response = verified_client(bob).post(
        reverse("training:assignment-create"),
        create_data(
            module=module.pk, target="team", target_user=charlie.pk, due_kind="days",
            due_in_days="14", due_on_0="31", due_on_1="2", due_on_2="x",
        ),
    )  # fmt: skip
    assert response.status_code == 302
    rule = AssignmentRule.objects.get()
    assert (rule.target, rule.target_user, rule.due_on, rule.due_in_days) == (
        AssignmentRule.Target.TEAM, None, None, 14,
    )  # fmt: skip


def test_it_ignores_a_role_left_chosen_when_assigning_to_the_whole_authority(
    verified_client, dave, module
):
    verified_client(dave).post(
        reverse("training:assignment-create"),
        create_data(module=module.pk, target="authority", target_role="supervisor",
                    target_team="99999999"),
    )  # fmt: skip
    rule = AssignmentRule.objects.get()
    assert (rule.target, rule.target_role, rule.target_team) == ("authority", "", None)


def test_it_still_checks_the_field_under_the_option_chosen(verified_client, bob, charlie, module):
    response = verified_client(bob).post(
        reverse("training:assignment-create"),
        create_data(module=module.pk, target="person", target_user=charlie.pk, due_kind="days",
                    due_in_days="0"),
    )  # fmt: skip
    page = text(response)
    assert "Choose a person you can assign to" in page
    assert "The number of days must be 1 or more" in page
    assert "Enter a real date" not in page


def test_it_draws_each_follow_up_field_under_its_option_for_the_script_to_reveal(
    verified_client, dave, module
):
    """GOV.UK's conditional reveal markup, open without JavaScript; aria-controls is left to
    static/js/reveals.js (it names a reveal only once the script can show it) and nothing
    sets aria-expanded on a radio, which ARIA does not allow."""
    page = text(verified_client(dave).get(reverse("training:assignment-create")))
    # Each reveal runs from its opening tag to the next option or the end of its radios.
    reveals = {
        name: re.split(r'class="govuk-radios__item"|</fieldset>', page.split(f'id="{name}"')[1])[0]
        for name in re.findall(r'data-aria-controls="([\w-]+)"', page)
    }
    assert set(reveals) == {
        "conditional-target-1", "conditional-target-2", "conditional-target-3",
        "conditional-due_kind-1", "conditional-due_kind-2",
    }  # fmt: skip
    assert 'name="target_user"' in reveals["conditional-target-1"]
    assert 'name="target_team"' in reveals["conditional-target-2"]
    assert 'name="target_role"' in reveals["conditional-target-3"]
    assert 'name="due_on_0"' in reveals["conditional-due_kind-1"]
    assert 'name="due_in_days"' in reveals["conditional-due_kind-2"]
    assert "govuk-radios__conditional--hidden" not in page
    assert "aria-expanded" not in page
    assert " aria-controls=" not in page.split('id="main-content"')[1]


def test_it_offers_only_modules_the_authority_may_take(
    verified_client, dave, module, other_authority
):
    services.module_load_from_json(
        data=small_module(key="private-b", title="Wealdshire only"), authority=other_authority
    )
    page = text(verified_client(dave).get(reverse("training:assignment-create")))
    assert module.title.replace("'", "&#x27;") in page
    assert "Wealdshire only" not in page


# --- One rule's people, cancelling --------------------------------------------------------


def test_it_shows_a_rules_people_with_their_status_and_due_dates(
    verified_client, bob, alice, version, team_rule
):
    walk(alice, version)
    response = verified_client(bob).get(reverse("training:assignment-detail", args=[team_rule.pk]))
    page = text(response)
    assert re.search(r"Alice Okafor.*?Completed.*?1 Jul 2026.*?10 Jun 2026", page)
    assert re.search(r"Bob Hughes.*?Not started.*?1 Jul 2026", page)


def test_it_offers_an_extension_only_for_open_assignments_of_people_they_supervise(
    verified_client, bob, alice, team_rule
):
    page = text(
        verified_client(bob).get(reverse("training:assignment-detail", args=[team_rule.pk]))
    )
    alices = Assignment.objects.get(user=alice)
    bobs = Assignment.objects.get(user=bob)
    assert reverse("training:assignment-extend", args=[alices.pk]) in page
    assert reverse("training:assignment-extend", args=[bobs.pk]) not in page


@pytest.fixture
def big_team_rule(bob, alice, module, authority, team) -> AssignmentRule:
    """A rule for bob's team of 57: alice, bob and Person 00 to Person 54."""
    for n in range(55):
        UserFactory(authority=authority, team=team, full_name=f"Person {n:02d}")
    return services.rule_create(
        actor=bob, module=module, target=AssignmentRule.Target.TEAM, target_team=team,
        due_in_days=30,
    )  # fmt: skip


def test_it_pages_a_rules_people_fifty_at_a_time_by_name(verified_client, bob, big_team_rule):
    client = verified_client(bob)
    url = reverse("training:assignment-detail", args=[big_team_rule.pk])
    first, second = client.get(url), client.get(url, {"page": 2})
    first_names = [row.assignment.user.full_name for row in first.context["page"]]
    second_names = [row.assignment.user.full_name for row in second.context["page"]]
    assert first_names == ["Alice Okafor", "Bob Hughes"] + [f"Person {n:02d}" for n in range(48)]
    assert second_names == [f"Person {n:02d}" for n in range(48, 55)]
    assert "People: 1 to 50 of 57" in text(first)
    assert "People: 51 to 57 of 57" in text(second)
    # Who bob may give more time to is worked out for each page's people (not himself).
    assert text(first).count(">Extend<") == 49
    assert text(second).count(">Extend<") == 7


@pytest.mark.parametrize(("asked", "shown"), [("999", 2), ("x", 1)])
def test_it_shows_the_nearest_real_page_of_a_rules_people(
    verified_client, bob, big_team_rule, asked, shown
):
    url = reverse("training:assignment-detail", args=[big_team_rule.pk])
    response = verified_client(bob).get(url, {"page": asked})
    assert response.status_code == 200
    assert response.context["page"].number == shown


def test_it_asks_before_cancelling_a_rule(verified_client, bob, team_rule):
    response = verified_client(bob).get(reverse("training:assignment-cancel", args=[team_rule.pk]))
    team_rule.refresh_from_db()
    assert "Cancel the assignment of" in text(response)
    assert team_rule.cancelled_at is None


def test_it_cancels_a_rule_and_keeps_its_people_as_history(verified_client, bob, alice, team_rule):
    client = verified_client(bob)
    response = client.post(reverse("training:assignment-cancel", args=[team_rule.pk]))
    assert response["Location"] == reverse("training:assignment-detail", args=[team_rule.pk])
    page = text(client.get(response["Location"]))
    assert re.search(r"Alice Okafor.*?Cancelled", page)
    assert "Cancel this assignment" not in page
    assert Assignment.objects.get(user=alice).cancelled_at is not None


# --- Extending one person's due date ------------------------------------------------------


@pytest.fixture
def alices(team_rule, alice) -> Assignment:
    return team_rule.assignments.get(user=alice)


def test_it_extends_a_due_date_with_a_reason_and_audits_it(verified_client, bob, alices):
    response = verified_client(bob).post(
        reverse("training:assignment-extend", args=[alices.pk]),
        {"due_on_0": "1", "due_on_1": "8", "due_on_2": "2026", "reason": "Back from leave"},
    )
    alices.refresh_from_db()
    assert response.status_code == 302
    assert (alices.due_on, alices.effective_due_on) == (date(2026, 7, 1), date(2026, 8, 1))
    event = AuditEvent.objects.get(action=AuditAction.DUE_DATE_EXTENDED)
    assert event.detail["reason"] == "Back from leave"


def test_it_shows_an_extended_due_date_with_the_original_and_reason(verified_client, bob, alices):
    services.assignment_extend(
        actor=bob, assignment=alices, due_on=date(2026, 8, 1), reason="Back from leave"
    )
    page = text(
        verified_client(bob).get(reverse("training:assignment-detail", args=[alices.rule_id]))
    )
    assert "1 Aug 2026" in page
    assert "Extended from 1 Jul 2026: Back from leave" in page


def test_it_asks_for_a_reason_for_an_extension(verified_client, bob, alices):
    response = verified_client(bob).post(
        reverse("training:assignment-extend", args=[alices.pk]),
        {"due_on_0": "1", "due_on_1": "8", "due_on_2": "2026", "reason": "  "},
    )
    page = text(response)
    assert "<title>Error: " in page
    assert "Enter the reason for the extension" in page
    alices.refresh_from_db()
    assert alices.extended_due_on is None


def test_it_shows_the_services_refusal_of_an_earlier_date_on_the_date(verified_client, bob, alices):
    response = verified_client(bob).post(
        reverse("training:assignment-extend", args=[alices.pk]),
        {"due_on_0": "20", "due_on_1": "6", "due_on_2": "2026", "reason": "Less time"},
    )
    page = text(response)
    assert (
        '<a href="#id_due_on">The new due date must be later than the current one and not in '
        "the past</a>"
    ) in page
    alices.refresh_from_db()
    assert alices.extended_due_on is None


def test_it_says_a_completed_assignment_has_no_due_date_to_extend(
    verified_client, bob, alice, version, alices
):
    walk(alice, version)
    response = verified_client(bob).get(reverse("training:assignment-extend", args=[alices.pk]))
    assert "no due date to extend" in text(response)


# --- The learner's home -------------------------------------------------------------------


def _assign(actor, module, user, **due) -> Assignment:
    rule = services.rule_create(
        actor=actor, module=module, target=AssignmentRule.Target.PERSON, target_user=user, **due
    )
    return rule.assignments.get()


@pytest.fixture
def modules(indicators):
    """Six published modules, titled by the status they will have for alice."""
    titles = ["Overdue one", "Due soon one", "In progress one", "Not started one",
              "Completed one", "Expiring one"]  # fmt: skip
    loaded = {}
    for title in titles:
        module, _ = services.module_load_from_json(
            data=small_module(key=title.lower().replace(" ", "-"), title=title)
        )
        loaded[title] = module
    return loaded


@pytest.fixture
def urgent_mix(bob, alice, modules):
    """Alice's assignments, one in each state, made in an order unlike the urgency."""
    for title in ["Completed one", "Expiring one"]:
        _assign(bob, modules[title], alice, due_in_days=60)
    with time_machine.travel(datetime(2025, 7, 1, 9, 0, tzinfo=LONDON), tick=False):
        walk(alice, modules["Expiring one"].versions.get())  # certificate to 1 July 2026
    walk(alice, modules["Completed one"].versions.get())
    _assign(bob, modules["Not started one"], alice, due_in_days=60)
    progressing = _assign(bob, modules["In progress one"], alice, due_in_days=60)
    services.attempt_start(user=alice, version=progressing.module.versions.get())
    _assign(bob, modules["Due soon one"], alice, due_in_days=3)
    with time_machine.travel(datetime(2026, 5, 1, 9, 0, tzinfo=LONDON), tick=False):
        _assign(bob, modules["Overdue one"], alice, due_on=date(2026, 6, 1))


def test_it_lists_a_learners_assignments_most_urgent_first(verified_client, alice, urgent_mix):
    page = text(verified_client(alice).get("/"))
    rows = re.findall(r'<th scope="row" class="govuk-table__header"><a [^>]*>([^<]+)</a>', page)
    assert rows == [
        "Overdue one",
        "Due soon one",
        "In progress one",
        "Not started one",
        "Completed one",
        "Expiring one",
    ]


def test_it_shows_each_assignments_status_and_dates(verified_client, alice, urgent_mix):
    page = text(verified_client(alice).get("/"))
    assert re.search(r"Overdue one.*?Overdue.*?Due 1 June 2026", page)
    assert re.search(r"Due soon one.*?Due soon.*?Due 13 June 2026", page)
    assert re.search(r"Completed one.*?Completed.*?Completed 10 June 2026", page)
    assert re.search(r"Expiring one.*?Certificate expiring.*?expires 1 July 2026", page)


def test_it_offers_start_or_resume_on_each_open_assignment(verified_client, alice, urgent_mix):
    page = text(verified_client(alice).get("/"))
    start = reverse("training:attempt-start", args=["not-started-one"])
    resume = reverse("training:attempt-start", args=["in-progress-one"])
    assert re.search(rf'action="{start}".*?>Start<span class="govuk-visually-hidden"> Not', page)
    assert re.search(rf'action="{resume}".*?>Resume<span class="govuk-visually-hidden"> In', page)
    assert reverse("training:attempt-start", args=["completed-one"]) not in page


def test_it_resumes_the_attempt_already_started_from_the_home_page(
    verified_client, alice, urgent_mix
):
    started = Attempt.objects.get(version__module__key="in-progress-one")
    response = verified_client(alice).post(
        reverse("training:attempt-start", args=["in-progress-one"])
    )
    assert response["Location"] == reverse("training:attempt-play", args=[started.pk])


def test_it_shows_one_row_a_module_when_two_rules_assign_it(
    verified_client, bob, dave, alice, module
):
    _assign(bob, module, alice, due_in_days=60)
    _assign(dave, module, alice, due_in_days=20)
    page = text(verified_client(alice).get("/"))
    assert page.count(reverse("training:attempt-start", args=[module.key])) == 1
    assert "Due 30 June 2026" in page


def test_it_links_the_certificate_of_a_completed_assignment(verified_client, alice, urgent_mix):
    certificate = Attempt.objects.get(version__module__key="completed-one").certificate
    page = text(verified_client(alice).get("/"))
    href = reverse("training:certificate-detail", args=[certificate.code])
    assert (
        f'<a class="govuk-link" href="{href}">Certificate'
        '<span class="govuk-visually-hidden"> for Completed one</span></a>'
    ) in page


def test_it_says_when_a_certificate_has_expired(verified_client, alice, urgent_mix):
    with time_machine.travel(datetime(2026, 7, 2, 9, 0, tzinfo=LONDON), tick=False):
        page = text(verified_client(alice).get("/"))
    assert "Certificate expired 1 July 2026" in page


def test_it_escapes_what_authors_typed_in_the_learners_rows(
    verified_client, bob, alice, indicators
):
    module, _ = services.module_load_from_json(
        data=small_module(key="odd-title", title='Odd <img src=x onerror="a()"> & title')
    )
    _assign(bob, module, alice, due_in_days=10)
    page = verified_client(alice).get("/").content.decode()
    assert "Odd &lt;img src=x onerror=&quot;a()&quot;&gt; &amp; title</a>" in page
    assert "<img src=x" not in page


def test_it_says_when_nothing_is_assigned(verified_client, alice, module):
    assert "No modules have been assigned to you" in text(verified_client(alice).get("/"))


def test_it_shows_a_supervisor_the_links_to_assign_and_to_team_progress(verified_client, bob):
    page = text(verified_client(bob).get("/"))
    assert f'href="{reverse("training:assignment-create")}">Assign a module' in page
    assert f'href="{reverse("training:team-progress")}">Team progress' in page


@pytest.fixture
def busy_learner(bob, alice, indicators):
    """Alice with 30 assignments (10 completed) and 40 attempts."""
    for number in range(30):
        module, _ = services.module_load_from_json(
            data=small_module(key=f"module-{number}", title=f"Module {number:02d}")
        )
        _assign(bob, module, alice, due_in_days=number + 1)
        version = module.versions.get()
        if number < 10:
            walk(alice, version)
            services.attempt_start(user=alice, version=version)
        elif number < 30:
            services.attempt_start(user=alice, version=version)
    assert Attempt.objects.filter(user=alice).count() == 40
    assert Assignment.objects.filter(user=alice).count() == 30


def test_it_shows_the_learners_home_in_at_most_8_queries(
    verified_client, alice, busy_learner, django_assert_max_num_queries
):
    client = verified_client(alice)
    with django_assert_max_num_queries(MAX_HOME_QUERIES):
        response = client.get("/")
    page = text(response)
    assert page.count(">Resume<") == 20
    assert page.count(">Completed<") == 10
    assert "Early Help North" in page


def test_it_shows_a_supervisors_home_in_at_most_13_queries(
    verified_client, bob, team_rule, django_assert_max_num_queries
):
    client = verified_client(bob)
    # and a page of their team's members, counted, and a COUNT per to-do queue (3)
    with django_assert_max_num_queries(MAX_HOME_QUERIES + 2 + 3):
        response = client.get("/")
    assert "Alice Okafor" in text(response)


def test_it_pages_a_large_team_on_the_supervisors_home(verified_client, bob, authority, team):
    for number in range(60):
        UserFactory(authority=authority, team=team, full_name=f"Person {number:03d}")
    client = verified_client(bob)
    first = text(client.get("/"))
    assert "Person 000" in first and "Person 049" in first and "Person 050" not in first
    assert "People in Early Help North: 1 to 50 of 60" in first
    assert 'aria-label="Team member pages"' in client.get("/").content.decode()
    second = client.get("/", {"page": 2}).content.decode()
    assert "Person 050" in second and "Person 059" in second and "Person 000" not in second
    assert 'href="?page=1#team"' in second


def test_it_shows_a_rule_of_30_people_in_a_fixed_number_of_queries(
    verified_client, bob, module, authority, team, django_assert_max_num_queries
):
    for _ in range(30):
        UserFactory(authority=authority, team=team)
    rule = services.rule_create(
        actor=bob, module=module, target=AssignmentRule.Target.TEAM, target_team=team,
        due_in_days=30,
    )  # fmt: skip
    client = verified_client(bob)
    # Signed-in session (6), the rule, how many people (for the pages), rows, who to extend.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("training:assignment-detail", args=[rule.pk]))
    assert text(response).count(">Extend<") == 30
