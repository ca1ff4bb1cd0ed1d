import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from portal import services
from portal.models import AuditAction, AuditEvent, Team
from portal.tests.factories import TeamFactory, UserFactory


def test_it_lists_the_admins_teams_with_their_member_counts(
    verified_client, dave, team, alice, bob, authority
):
    UserFactory(authority=authority, team=team, is_active=False)
    response = verified_client(dave).get(reverse("portal:manage-team-list"))
    listed = {
        t.name: (t.member_count, t.deactivated_member_count) for t in response.context["teams"]
    }
    assert listed == {"Early Help North": (2, 1)}


def test_it_does_not_list_another_authoritys_teams(verified_client, dave, team, other_team):
    page = verified_client(dave).get(reverse("portal:manage-team-list")).content.decode()
    assert other_team.name not in page


def test_it_creates_a_team_in_the_admins_authority(verified_client, dave):
    response = verified_client(dave).post(
        reverse("portal:manage-team-create"), {"name": "  Youth   Justice "}
    )
    assert response.status_code == 302
    assert Team.objects.get(name="Youth Justice").authority == dave.authority


def test_it_records_the_new_team(verified_client, dave):
    verified_client(dave).post(reverse("portal:manage-team-create"), {"name": "Youth Justice"})
    event = AuditEvent.objects.get(action=AuditAction.TEAM_CREATED)
    assert (event.actor, event.authority, event.detail) == (
        dave,
        dave.authority,
        {"team": "Youth Justice"},
    )


@pytest.mark.parametrize("name", ["Early Help North", "early help NORTH"])
def test_it_refuses_a_team_name_already_used_in_the_authority(verified_client, dave, team, name):
    response = verified_client(dave).post(reverse("portal:manage-team-create"), {"name": name})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"There is already a team called {name}" in page
    assert "<title>Error: Add a team" in page
    assert Team.objects.filter(authority=dave.authority).count() == 1


def test_it_allows_a_name_another_authority_uses(verified_client, dave, other_team):
    verified_client(dave).post(reverse("portal:manage-team-create"), {"name": other_team.name})
    assert Team.objects.filter(name=other_team.name).count() == 2


def test_it_asks_for_a_team_name(verified_client, dave):
    response = verified_client(dave).post(reverse("portal:manage-team-create"), {"name": " "})
    assert "Enter the team’s name" in response.content.decode()


def test_it_renames_a_team(verified_client, dave, team):
    response = verified_client(dave).post(
        reverse("portal:manage-team-edit", args=[team.pk]), {"name": "Early Help Central"}
    )
    team.refresh_from_db()
    assert response.status_code == 302
    assert team.name == "Early Help Central"


def test_it_records_the_old_and_new_team_name(verified_client, dave, team):
    verified_client(dave).post(
        reverse("portal:manage-team-edit", args=[team.pk]), {"name": "Early Help Central"}
    )
    event = AuditEvent.objects.get(action=AuditAction.TEAM_UPDATED)
    assert event.detail == {"name": ["Early Help North", "Early Help Central"]}


def test_it_lets_a_rename_change_only_the_case(verified_client, dave, team):
    verified_client(dave).post(
        reverse("portal:manage-team-edit", args=[team.pk]), {"name": "EARLY HELP NORTH"}
    )
    team.refresh_from_db()
    assert team.name == "EARLY HELP NORTH"


def test_it_refuses_renaming_a_team_to_another_teams_name(verified_client, dave, team, authority):
    TeamFactory(authority=authority, name="Youth Justice")
    response = verified_client(dave).post(
        reverse("portal:manage-team-edit", args=[team.pk]), {"name": "youth justice"}
    )
    page = response.content.decode()
    team.refresh_from_db()
    assert "There is already a team called youth justice" in page
    assert '<h1 class="govuk-heading-l">Rename Early Help North</h1>' in page
    assert team.name == "Early Help North"


def test_it_deletes_a_team_without_members(verified_client, dave, authority):
    empty = TeamFactory(authority=authority, name="Closed team")
    response = verified_client(dave).post(reverse("portal:manage-team-delete", args=[empty.pk]))
    assert response.status_code == 302
    assert not Team.objects.filter(pk=empty.pk).exists()


def test_it_asks_before_deleting_a_team(verified_client, dave, authority):
    empty = TeamFactory(authority=authority, name="Closed team")
    response = verified_client(dave).get(reverse("portal:manage-team-delete", args=[empty.pk]))
    assert "Delete Closed team?" in response.content.decode()
    assert Team.objects.filter(pk=empty.pk).exists()


def test_it_records_the_deleted_team(verified_client, dave, authority):
    empty = TeamFactory(authority=authority, name="Closed team")
    verified_client(dave).post(reverse("portal:manage-team-delete", args=[empty.pk]))
    event = AuditEvent.objects.get(action=AuditAction.TEAM_DELETED)
    assert (event.actor, event.detail) == (dave, {"team": "Closed team"})


def test_it_refuses_to_delete_a_team_with_members(verified_client, dave, team, alice):
    response = verified_client(dave).post(reverse("portal:manage-team-delete", args=[team.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Early Help North still has 1 member" in page
    assert Team.objects.filter(pk=team.pk).exists()


def test_it_counts_deactivated_members_when_refusing_to_delete(dave, authority):
    team = TeamFactory(authority=authority, name="Closed team")
    UserFactory(authority=authority, team=team, is_active=False)
    with pytest.raises(services.ChangeRefused, match="still has 1 member"):
        services.team_delete(actor=dave, team=team)


@pytest.mark.parametrize("name", ["portal:manage-team-edit", "portal:manage-team-delete"])
def test_it_answers_404_for_another_authoritys_team(name, verified_client, dave, other_team):
    response = verified_client(dave).get(reverse(name, args=[other_team.pk]))
    assert response.status_code == 404


def test_it_does_not_delete_another_authoritys_team(verified_client, dave, other_team):
    response = verified_client(dave).post(
        reverse("portal:manage-team-delete", args=[other_team.pk])
    )
    assert response.status_code == 404
    assert Team.objects.filter(pk=other_team.pk).exists()


def test_it_does_not_rename_another_authoritys_team(verified_client, dave, other_team):
    verified_client(dave).post(
        reverse("portal:manage-team-edit", args=[other_team.pk]), {"name": "Taken over"}
    )
    other_team.refresh_from_db()
    assert other_team.name == "Family Support Weald"


def test_it_refuses_a_service_call_for_another_authoritys_team(dave, other_team):
    with pytest.raises(PermissionDenied):
        services.team_rename(actor=dave, team=other_team, name="Taken over")
