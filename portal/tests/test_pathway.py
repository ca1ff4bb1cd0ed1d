"""Who to contact: each authority's pathway page, its editing, and the migration of the old
free-text contacts (issue #18)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from portal.models import AuditAction, AuditEvent, AuthorityPathway

EDIT = "portal:manage-pathway-edit"
FILLED = {
    "prevent_lead": "the Northbridge Prevent team (0161 496 0000)",
    "referral_route": "the National Prevent Referral Form",
    "referral_url": "https://northbridge.example/prevent",
    "ct_policing": "",
    "front_door": "the Northbridge Front Door (0161 496 0001)",
    "lado": "",
    "out_of_hours": "",
    "threshold_document": "",
    "threshold_document_url": "",
    "other_contacts": "Early help hub: 0161 496 0004",
}


def test_it_shows_every_practitioner_the_page_with_national_wording_where_empty(
    alice, verified_client
):
    response = verified_client(alice).get(reverse("portal:pathway"))
    assert response.status_code == 200
    assert "your local authority&#x27;s Prevent lead" in response.text
    assert "Not set locally" in response.text
    assert "Change who to contact" not in response.text


def test_it_puts_who_to_contact_in_every_practitioners_navigation(alice, verified_client):
    response = verified_client(alice).get(reverse("portal:home"))
    assert f'href="{reverse("portal:pathway")}"' in response.text


def test_it_links_the_case_form_to_who_to_contact(alice, verified_client):
    response = verified_client(alice).get(reverse("casenotes:case-create"))
    assert "see who to contact" in response.text
    assert f'href="{reverse("portal:pathway")}"' in response.text


def test_it_lets_the_authority_admin_change_it_and_audits_which_fields_changed(
    dave, alice, verified_client
):
    client = verified_client(dave)
    response = client.post(reverse(EDIT, args=[dave.authority_id]), FILLED)
    assert response.status_code == 302
    pathway = AuthorityPathway.objects.get(authority=dave.authority)
    assert pathway.front_door == FILLED["front_door"]
    assert pathway.updated_by == dave
    event = AuditEvent.objects.get(action=AuditAction.PATHWAY_UPDATED)
    assert event.authority_id == dave.authority_id
    assert "Prevent lead" in event.detail["changed"]
    assert "0161" not in str(event.detail)  # names the fields, not people's numbers

    page = verified_client(alice).get(reverse("portal:pathway"))
    assert "the Northbridge Front Door (0161 496 0001)" in page.text
    assert 'href="https://northbridge.example/prevent"' in page.text
    assert "Early help hub: 0161 496 0004" in page.text


def test_it_writes_no_audit_event_when_nothing_changed(dave, verified_client):
    client = verified_client(dave)
    client.post(reverse(EDIT, args=[dave.authority_id]), FILLED)
    client.post(reverse(EDIT, args=[dave.authority_id]), FILLED)
    assert AuditEvent.objects.filter(action=AuditAction.PATHWAY_UPDATED).count() == 1


def test_it_says_what_is_wrong_with_a_bad_link_on_the_form(dave, verified_client):
    response = verified_client(dave).post(
        reverse(EDIT, args=[dave.authority_id]), {**FILLED, "referral_url": "not a link"}
    )
    assert response.status_code == 400
    assert "Enter a full web address" in response.text
    assert not AuthorityPathway.objects.exists()


@pytest.mark.parametrize("person", ["alice", "carol", "charlie"])
def test_it_answers_404_to_anyone_but_the_authoritys_own_admin(
    person, dave, verified_client, request
):
    client = verified_client(request.getfixturevalue(person))
    url = reverse(EDIT, args=[dave.authority_id])
    assert client.get(url).status_code == 404
    assert client.post(url, FILLED).status_code == 404
    assert not AuthorityPathway.objects.exists()


def test_it_keeps_each_authoritys_contacts_to_its_own_staff(dave, charlie, verified_client):
    verified_client(dave).post(reverse(EDIT, args=[dave.authority_id]), FILLED)
    response = verified_client(charlie).get(reverse("portal:pathway"))
    assert "Northbridge Front Door" not in response.text


@pytest.mark.django_db(transaction=True)
def test_it_moves_the_old_free_text_contacts_onto_the_page_whole():
    before = [("portal", "0010_outbox_welcome_emails")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_authority = executor.loader.project_state(before).apps.get_model("portal", "Authority")
    text = "Prevent team: 0161 496 0000\nChildren's front door (MASH): 0161 496 0001"
    kept = old_authority.objects.create(name="Kept", region="North West", referral_contacts=text)
    old_authority.objects.create(name="Empty", region="South East", referral_contacts="")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert AuthorityPathway.objects.get(authority_id=kept.pk).other_contacts == text
    assert AuthorityPathway.objects.count() == 1
