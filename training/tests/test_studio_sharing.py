"""Sharing a published module to the national library, and adopting it in another authority:
a draft copy the adopter owns, adapts and publishes for their own staff."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from conftest import signed_in_client
from portal.models import AuditAction, AuditEvent
from training import services
from training.models import Module
from training.tests.factories import small_module
from training.tests.studio_data import MODULE_FIELDS, module_details, studio_draft, text_of


@pytest.fixture
def draft(indicators, carol):
    return studio_draft(by=carol)


@pytest.fixture
def shared(draft, carol):
    """Carol's module, published and shared to the national library."""
    services.version_publish(module=draft.module, by=carol, change_note="First version.")
    services.module_share(module=draft.module, by=carol)
    return draft.module


@pytest.fixture
def author(carol):
    return signed_in_client(carol)


@pytest.fixture
def adopter(wendy):
    """Wendy, authority admin of the other authority, in the studio."""
    return signed_in_client(wendy)


def _share_url(module: Module) -> str:
    return reverse("training:studio-share", args=[module.pk])


def _adopt_url(module: Module) -> str:
    return reverse("training:studio-adopt", args=[module.pk])


def _adopt(adopter, source: Module) -> Module:
    response = adopter.post(_adopt_url(source))
    assert response.status_code == 302
    return Module.objects.get(adopted_from=source)


# --- Sharing --------------------------------------------------------------------------------


def test_it_refuses_to_share_a_module_never_published(author, draft):
    response = author.post(_share_url(draft.module), {"action": "share"})

    draft.module.refresh_from_db()
    assert response.status_code == 400
    assert "Publish the module before you share it." in text_of(response)
    assert draft.module.visibility == Module.Visibility.AUTHORITY
    assert draft.module.shared_at is None


def test_it_shares_a_published_module_to_the_national_library(author, draft, carol):
    services.version_publish(module=draft.module, by=carol, change_note="First version.")

    response = author.post(_share_url(draft.module), {"action": "share"})

    draft.module.refresh_from_db()
    assert response.status_code == 302
    assert draft.module.visibility == Module.Visibility.SHARED
    assert draft.module.shared_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.MODULE_SHARED, actor=carol).exists()


def test_it_offers_a_shared_module_to_authors_in_other_authorities(adopter, shared):
    page = text_of(adopter.get(reverse("training:studio-library")))

    assert "Sam's new friends" in page
    assert "Northbridge City Council" in page


def test_it_does_not_offer_a_module_its_authority_has_not_shared(adopter, draft, carol):
    services.version_publish(module=draft.module, by=carol, change_note="First version.")

    assert "Sam's new friends" not in text_of(adopter.get(reverse("training:studio-library")))
    assert adopter.post(_adopt_url(draft.module)).status_code == 404
    assert not Module.objects.filter(adopted_from=draft.module).exists()


def test_it_refuses_to_adopt_an_unshared_module_whoever_calls(draft, carol, wendy):
    services.version_publish(module=draft.module, by=carol, change_note="First version.")

    with pytest.raises(PermissionDenied):
        services.module_adopt(source=draft.module, by=wendy)

    assert not Module.objects.filter(adopted_from=draft.module).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.MODULE_ADOPTED).exists()


def test_it_withdraws_a_module_from_the_national_library(author, adopter, shared):
    response = author.post(_share_url(shared), {"action": "withdraw"})

    shared.refresh_from_db()
    assert response.status_code == 302
    assert shared.visibility == Module.Visibility.AUTHORITY
    assert adopter.post(_adopt_url(shared)).status_code == 404


# --- Adopting -------------------------------------------------------------------------------


def test_it_adopts_a_draft_copy_into_the_adopters_authority(adopter, shared, wendy):
    response = adopter.post(_adopt_url(shared))

    copy = Module.objects.get(adopted_from=shared)
    assert response.status_code == 302
    assert response["Location"] == reverse("training:studio-module", args=[copy.pk])
    assert copy.authority == wendy.authority
    assert copy.visibility == Module.Visibility.AUTHORITY
    assert copy.created_by == wendy
    assert copy.title == shared.title
    assert not copy.versions.exists()
    assert [step.key for scenario in copy.scenarios.all() for step in scenario.steps.all()] == [
        step.key for scenario in shared.scenarios.all() for step in scenario.steps.all()
    ]


def test_it_credits_the_source_authority_on_the_copy(adopter, shared):
    copy = _adopt(adopter, shared)

    page = text_of(adopter.get(reverse("training:studio-module", args=[copy.pk])))
    assert copy.adopted_from_authority == "Northbridge City Council"
    assert copy.adopted_from_version == 1
    assert "Adapted from a module by Northbridge City Council (version 1)." in page
    assert "Adapted from Northbridge City Council" in text_of(
        adopter.get(reverse("training:studio"))
    )


def test_it_credits_the_national_library_for_a_library_module(adopter, indicators):
    library, _ = services.module_load_from_json(data=small_module())

    copy = _adopt(adopter, library)

    assert copy.adopted_from_authority == "the national library"


def test_it_copies_the_latest_published_version_not_the_sources_draft(adopter, shared, carol):
    services.module_update(
        by=carol, module=shared, **{**module_details(shared), "title": "Unpublished retitle"}
    )

    copy = _adopt(adopter, shared)

    assert copy.title == "Sam's new friends"


def test_it_lets_the_adopter_adapt_and_publish_the_copy_for_their_practitioners(
    adopter, shared, charlie
):
    copy = _adopt(adopter, shared)
    edit = adopter.post(
        reverse("training:studio-module-edit", args=[copy.pk]),
        {**MODULE_FIELDS, "title": "Sam's new friends in Wealdshire"},
    )
    publish = adopter.post(
        reverse("training:studio-publish", args=[copy.pk]), {"change_note": "Local contacts."}
    )

    page = text_of(signed_in_client(charlie).get(reverse("training:catalogue")))

    assert edit.status_code == publish.status_code == 302
    assert copy.versions.get().snapshot["title"] == "Sam's new friends in Wealdshire"
    assert "Sam's new friends in Wealdshire" in page


def test_it_leaves_the_source_untouched_when_the_copy_is_adapted(adopter, shared):
    copy = _adopt(adopter, shared)

    adopter.post(
        reverse("training:studio-module-edit", args=[copy.pk]),
        {**MODULE_FIELDS, "title": "Adapted"},
    )

    shared.refresh_from_db()
    assert shared.title == "Sam's new friends"
    assert not shared.has_unpublished_changes


def test_it_keeps_the_copy_out_of_the_source_authors_studio(author, adopter, shared):
    copy = _adopt(adopter, shared)

    assert author.get(reverse("training:studio-module", args=[copy.pk])).status_code == 404
    response = author.post(
        reverse("training:studio-module-edit", args=[copy.pk]),
        {**MODULE_FIELDS, "title": "Taken back"},
    )
    copy.refresh_from_db()
    assert response.status_code == 404
    assert copy.title == "Sam's new friends"


def test_it_keeps_the_copy_when_the_source_is_withdrawn(author, adopter, shared, wendy):
    copy = _adopt(adopter, shared)

    author.post(_share_url(shared), {"action": "withdraw"})

    copy.refresh_from_db()
    assert copy.authority == wendy.authority
    assert adopter.get(reverse("training:studio-module", args=[copy.pk])).status_code == 200


def test_it_refuses_to_adopt_an_authoritys_own_module(author, shared):
    assert author.post(_adopt_url(shared)).status_code == 404
    assert not Module.objects.filter(adopted_from=shared).exists()


@pytest.mark.parametrize("persona", ["charlie", "bob"])
def test_it_forbids_practitioners_and_supervisors_to_adopt(
    persona, request, verified_client, shared
):
    client = verified_client(request.getfixturevalue(persona))

    assert client.post(_adopt_url(shared)).status_code == 403
    assert not Module.objects.filter(adopted_from=shared).exists()


def test_it_answers_404_to_another_authoritys_admin_sharing_a_module(adopter, draft, carol):
    services.version_publish(module=draft.module, by=carol, change_note="First version.")

    response = adopter.post(_share_url(draft.module), {"action": "share"})

    draft.module.refresh_from_db()
    assert response.status_code == 404
    assert draft.module.visibility == Module.Visibility.AUTHORITY


def test_it_records_the_adoption_in_the_adopters_audit_log(adopter, shared, wendy):
    _adopt(adopter, shared)

    event = AuditEvent.objects.get(action=AuditAction.MODULE_ADOPTED)
    assert event.actor == wendy
    assert event.authority == wendy.authority
    assert event.detail["from"] == "Northbridge City Council"
