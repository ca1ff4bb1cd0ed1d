import re

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import services
from portal.models import AuditAction, AuditEvent, RecoveryCodeDevice, Role, User
from portal.tests.factories import PASSWORD, TeamFactory, TOTPDeviceFactory, UserFactory

NEW_PASSWORD = "plum-orchard-lantern-42"

PAGES = [
    "portal:manage-user-list",
    "portal:manage-user-create",
    "portal:manage-user-import",
    "portal:manage-team-list",
    "portal:manage-team-create",
    "portal:manage-audit-log",
]
USER_PAGES = [
    "portal:manage-user-edit",
    "portal:manage-user-deactivate",
    "portal:manage-user-reactivate",
]
TEAM_PAGES = ["portal:manage-team-edit", "portal:manage-team-delete"]


def new_person(**overrides):
    return {
        "email": "erin@northbridge.example",
        "full_name": "Erin Walsh",
        "role": Role.PRACTITIONER,
        "team": "",
        **overrides,
    }


def edit_data(person, **overrides):
    return {
        "full_name": person.full_name,
        "role": person.role,
        "team": person.team_id or "",
        **overrides,
    }


def all_manage_urls(person, team):
    return [
        *[reverse(name) for name in PAGES],
        *[reverse(name, args=[person.pk]) for name in USER_PAGES],
        *[reverse(name, args=[team.pk]) for name in TEAM_PAGES],
    ]


# --- Who may use these pages --------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "bob", "carol"])
def test_it_forbids_every_manage_page_to_anyone_but_an_authority_admin(
    persona, request, verified_client, alice, team
):
    client = verified_client(request.getfixturevalue(persona))
    statuses = {url: client.get(url).status_code for url in all_manage_urls(alice, team)}
    assert set(statuses.values()) == {403}, statuses


def test_it_shows_the_403_page_to_a_practitioner(verified_client, alice):
    response = verified_client(alice).get(reverse("portal:manage-user-list"))
    assert "You cannot see this page" in response.content.decode()


def test_it_ignores_a_deactivation_posted_by_a_supervisor(verified_client, bob, alice):
    response = verified_client(bob).post(reverse("portal:manage-user-deactivate", args=[alice.pk]))
    alice.refresh_from_db()
    assert response.status_code == 403
    assert alice.is_active


@pytest.mark.parametrize("name", USER_PAGES)
def test_it_answers_404_for_a_person_of_another_authority(name, verified_client, dave, charlie):
    response = verified_client(dave).get(reverse(name, args=[charlie.pk]))
    assert response.status_code == 404


def test_it_changes_nothing_when_an_admin_posts_to_another_authoritys_person(
    verified_client, dave, charlie
):
    client = verified_client(dave)
    client.post(
        reverse("portal:manage-user-edit", args=[charlie.pk]), edit_data(charlie, role="author")
    )
    response = client.post(reverse("portal:manage-user-deactivate", args=[charlie.pk]))
    charlie.refresh_from_db()
    assert response.status_code == 404
    assert (charlie.role, charlie.is_active) == (Role.PRACTITIONER, True)


# --- Users list ---------------------------------------------------------------------------


def test_it_lists_the_people_of_the_admins_authority_only(verified_client, dave, alice, charlie):
    page = verified_client(dave).get(reverse("portal:manage-user-list")).content.decode()
    assert alice.email in page
    assert charlie.email not in page


def test_it_links_each_person_to_their_edit_page(verified_client, dave, alice):
    page = verified_client(dave).get(reverse("portal:manage-user-list")).content.decode()
    assert reverse("portal:manage-user-edit", args=[alice.pk]) in page


def test_it_finds_people_by_part_of_their_name_or_email(verified_client, dave, alice, bob):
    client = verified_client(dave)
    by_name = client.get(reverse("portal:manage-user-list"), {"q": "okaf"}).content.decode()
    by_email = client.get(reverse("portal:manage-user-list"), {"q": "bob@"}).content.decode()
    assert alice.email in by_name and bob.email not in by_name
    assert bob.email in by_email and alice.email not in by_email


def test_it_shows_a_deactivated_persons_status(verified_client, dave, authority):
    UserFactory(authority=authority, is_active=False)
    page = verified_client(dave).get(reverse("portal:manage-user-list")).content.decode()
    assert "Deactivated" in page


# --- Creating a person --------------------------------------------------------------------


def test_it_creates_a_person_in_the_admins_authority_without_a_password(
    verified_client, dave, team
):
    response = verified_client(dave).post(
        reverse("portal:manage-user-create"), new_person(role=Role.SUPERVISOR, team=team.pk)
    )
    erin = User.objects.get(email="erin@northbridge.example")
    assert response.status_code == 302
    assert (erin.authority, erin.team, erin.role) == (dave.authority, team, Role.SUPERVISOR)
    assert not erin.has_usable_password()


def test_it_stores_the_email_address_in_lower_case(verified_client, dave):
    verified_client(dave).post(
        reverse("portal:manage-user-create"), new_person(email="Erin@Northbridge.Example")
    )
    assert User.objects.filter(email="erin@northbridge.example").exists()


def test_it_emails_the_new_person_a_link_that_lets_them_choose_a_password(
    verified_client, dave, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        verified_client(dave).post(reverse("portal:manage-user-create"), new_person())
    assert [message.to for message in mail.outbox] == [["erin@northbridge.example"]]
    path = re.search(r"http://testserver(/account/set-password/\S+/)", mail.outbox[0].body)[1]
    erin_client = Client()
    form_page = erin_client.get(path, follow=True)
    erin_client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    signed_in = Client().post(
        reverse("portal:sign-in"),
        {"username": "erin@northbridge.example", "password": NEW_PASSWORD},
    )
    assert signed_in.status_code == 302
    assert User.objects.get(email="erin@northbridge.example").check_password(NEW_PASSWORD)


def test_it_sends_no_email_when_the_creation_is_rolled_back(
    dave, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            services.user_create(
                actor=dave,
                email="erin@northbridge.example",
                full_name="Erin",
                role="author",
                team=None,
            )
            raise RuntimeError("something later in the same transaction failed")
    assert mail.outbox == []
    assert not User.objects.filter(email="erin@northbridge.example").exists()


def test_it_says_when_the_email_address_already_has_an_account(verified_client, dave, charlie):
    response = verified_client(dave).post(
        reverse("portal:manage-user-create"), new_person(email="CHARLIE@wealdshire.example")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "charlie@wealdshire.example already has an account" in page
    assert "<title>Error: Add a person" in page
    assert User.objects.filter(email__iexact="charlie@wealdshire.example").count() == 1


def test_it_offers_only_the_admins_own_teams(verified_client, dave, team, other_team):
    page = verified_client(dave).get(reverse("portal:manage-user-create")).content.decode()
    assert team.name in page
    assert other_team.name not in page


def test_it_refuses_a_team_of_another_authority(verified_client, dave, other_team):
    response = verified_client(dave).post(
        reverse("portal:manage-user-create"), new_person(team=other_team.pk)
    )
    assert "Choose one of your authority’s teams" in response.content.decode()
    assert not User.objects.filter(email="erin@northbridge.example").exists()


def test_it_asks_for_the_missing_fields(verified_client, dave):
    response = verified_client(dave).post(reverse("portal:manage-user-create"), {})
    page = response.content.decode()
    assert "Enter their email address" in page
    assert "Enter the person’s full name" in page


def test_it_records_the_creation_in_the_audit_log(verified_client, dave):
    verified_client(dave).post(reverse("portal:manage-user-create"), new_person())
    event = AuditEvent.objects.get(action=AuditAction.USER_CREATED)
    assert (event.actor, event.subject.email) == (dave, "erin@northbridge.example")
    assert event.authority == dave.authority


# --- Editing a person ---------------------------------------------------------------------


def test_it_changes_a_persons_name_role_and_team(verified_client, dave, alice, authority):
    other = TeamFactory(authority=authority, name="Youth Justice")
    response = verified_client(dave).post(
        reverse("portal:manage-user-edit", args=[alice.pk]),
        edit_data(alice, full_name="Alice Okafor-Reid", role=Role.SUPERVISOR, team=other.pk),
    )
    alice.refresh_from_db()
    assert response.status_code == 302
    assert (alice.full_name, alice.role, alice.team) == ("Alice Okafor-Reid", "supervisor", other)


def test_it_can_take_a_person_out_of_their_team(verified_client, dave, alice):
    verified_client(dave).post(
        reverse("portal:manage-user-edit", args=[alice.pk]), edit_data(alice, team="")
    )
    alice.refresh_from_db()
    assert alice.team is None


def test_it_records_each_changed_field_old_and_new(verified_client, dave, alice, team):
    verified_client(dave).post(
        reverse("portal:manage-user-edit", args=[alice.pk]),
        edit_data(alice, role=Role.AUTHOR, team=""),
    )
    event = AuditEvent.objects.get(action=AuditAction.USER_UPDATED)
    assert event.subject == alice
    assert event.detail == {"role": ["practitioner", "author"], "team": [team.name, None]}


def test_it_records_nothing_when_nothing_changed(verified_client, dave, alice):
    verified_client(dave).post(
        reverse("portal:manage-user-edit", args=[alice.pk]), edit_data(alice)
    )
    assert not AuditEvent.objects.filter(action=AuditAction.USER_UPDATED).exists()


def test_it_refuses_an_admin_taking_away_their_own_admin_role(verified_client, dave):
    response = verified_client(dave).post(
        reverse("portal:manage-user-edit", args=[dave.pk]), edit_data(dave, role=Role.AUTHOR)
    )
    dave.refresh_from_db()
    assert "You cannot take away your own admin role" in response.content.decode()
    assert dave.role == Role.AUTHORITY_ADMIN


def test_it_shows_the_persons_current_details_in_the_form(verified_client, dave, alice):
    page = verified_client(dave).get(reverse("portal:manage-user-edit", args=[alice.pk]))
    assert page.context["form"]["full_name"].value() == "Alice Okafor"


# --- Deactivating and reactivating --------------------------------------------------------


def test_it_asks_before_deactivating(verified_client, dave, alice):
    response = verified_client(dave).get(reverse("portal:manage-user-deactivate", args=[alice.pk]))
    alice.refresh_from_db()
    assert "Deactivate Alice Okafor?" in response.content.decode()
    assert alice.is_active


def test_it_deactivates_a_person_and_keeps_their_account(verified_client, dave, alice):
    response = verified_client(dave).post(reverse("portal:manage-user-deactivate", args=[alice.pk]))
    alice.refresh_from_db()
    assert response.status_code == 302
    assert alice.is_active is False
    assert alice.email == "alice@northbridge.example"


def test_it_stops_a_deactivated_person_signing_in(verified_client, dave, alice):
    verified_client(dave).post(reverse("portal:manage-user-deactivate", args=[alice.pk]))
    attempt = Client()
    response = attempt.post(
        reverse("portal:sign-in"), {"username": alice.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in attempt.session


def test_it_ends_a_deactivated_persons_open_session(dave, alice, verified_client):
    alice_client = verified_client(alice)
    services.user_deactivate(actor=dave, user=alice)
    response = alice_client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:sign-in"))


def test_it_refuses_an_admin_deactivating_themselves(verified_client, dave):
    response = verified_client(dave).post(reverse("portal:manage-user-deactivate", args=[dave.pk]))
    dave.refresh_from_db()
    assert "You cannot deactivate your own account" in response.content.decode()
    assert dave.is_active


def test_it_records_the_deactivation(verified_client, dave, alice):
    verified_client(dave).post(reverse("portal:manage-user-deactivate", args=[alice.pk]))
    event = AuditEvent.objects.get(action=AuditAction.USER_DEACTIVATED)
    assert (event.actor, event.subject, event.authority) == (dave, alice, dave.authority)


def test_it_reactivates_a_person(verified_client, dave, authority):
    person = UserFactory(authority=authority, is_active=False)
    response = verified_client(dave).post(
        reverse("portal:manage-user-reactivate", args=[person.pk])
    )
    person.refresh_from_db()
    assert response.status_code == 302
    assert person.is_active


def test_it_records_the_reactivation(verified_client, dave, authority):
    person = UserFactory(authority=authority, is_active=False)
    verified_client(dave).post(reverse("portal:manage-user-reactivate", args=[person.pk]))
    event = AuditEvent.objects.get(action=AuditAction.USER_REACTIVATED)
    assert (event.actor, event.subject) == (dave, person)


# --- In a browser -------------------------------------------------------------------------


@pytest.mark.browser
def test_it_has_no_serious_accessibility_failures_on_the_manage_pages(
    browser_page, browser_sign_in, axe_violations, browser_console_errors, dave, alice, team
):
    browser_sign_in(dave)
    paths = [*all_manage_urls(alice, team), f"{reverse('portal:manage-audit-log')}?person=x"]
    report = {}
    for path in paths:
        browser_page.goto(path)
        report[path] = axe_violations(browser_page)
    browser_page.goto(reverse("portal:manage-user-create"))
    browser_page.get_by_role("button", name="Create account").click()
    report["create with errors"] = axe_violations(browser_page)
    failures = {path: violations for path, violations in report.items() if violations}
    assert not failures, failures
    assert not browser_console_errors, browser_console_errors


def test_it_lets_an_admin_reset_a_lost_authenticator(verified_client, dave, alice):
    from portal.models import AuditAction, AuditEvent

    TOTPDeviceFactory(user=alice)
    services.recovery_codes_replace(user=alice)
    client = verified_client(dave)
    response = client.post(reverse("portal:manage-user-second-factor-reset", args=[alice.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not RecoveryCodeDevice.objects.filter(user=alice).exists()
    assert AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR_RESET, subject=alice).exists()


def test_it_sends_a_reset_person_to_set_up_a_new_authenticator(client, dave, alice):
    TOTPDeviceFactory(user=alice)
    services.user_second_factor_reset(actor=dave, user=alice)
    client.post(reverse("portal:sign-in"), {"username": alice.email, "password": PASSWORD})
    response = client.get("/")
    assert response["Location"].startswith(reverse("portal:second-factor-setup"))


def test_it_refuses_to_reset_the_admins_own_authenticator(verified_client, dave):
    client = verified_client(dave)
    response = client.post(reverse("portal:manage-user-second-factor-reset", args=[dave.pk]))
    assert response.status_code == 200
    assert "cannot reset your own second factor" in response.content.decode()
    assert TOTPDevice.objects.filter(user=dave).exists()


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("portal:manage-user-edit", {"full_name": "Demoted", "role": "practitioner", "team": ""}),
        ("portal:manage-user-deactivate", {}),
        ("portal:manage-user-second-factor-reset", {}),
    ],
)
def test_it_refuses_an_authority_admin_changing_a_platform_admin_of_their_authority(
    verified_client, dave, authority, url_name, data
):
    """A platform admin may belong to an authority; its admins still cannot touch them."""
    boss = UserFactory(
        email="boss@northbridge.example",
        authority=authority,
        role=Role.AUTHORITY_ADMIN,
        is_staff=True,
        is_superuser=True,
    )
    TOTPDeviceFactory(user=boss)

    response = verified_client(dave).post(reverse(url_name, args=[boss.pk]), data)

    assert response.status_code == 200
    assert "Only a platform admin can change a platform admin’s account" in (
        response.content.decode()
    )
    boss.refresh_from_db()
    assert boss.full_name != "Demoted"
    assert boss.role == Role.AUTHORITY_ADMIN and boss.is_active
    assert TOTPDevice.objects.filter(user=boss).exists()
