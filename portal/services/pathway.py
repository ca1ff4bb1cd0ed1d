"""The authority's "Who to contact" page: the one write, by its own admin, audited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from portal import access
from portal.models import AuditAction, AuthorityPathway, User
from portal.services.accounts import audit_record

# The fields an admin edits, in the page's order.
PATHWAY_FIELDS = (
    "prevent_lead",
    "referral_route",
    "referral_url",
    "ct_policing",
    "front_door",
    "lado",
    "out_of_hours",
    "threshold_document",
    "threshold_document_url",
    "other_contacts",
)


@transaction.atomic
def pathway_update(
    *,
    actor: User,
    authority_id: int,
    values: Mapping[str, Any],
    request: HttpRequest | None = None,
) -> AuthorityPathway:
    """Save the authority's contacts; the audit event names the fields that changed (not
    their values, which are people's names and numbers)."""
    if not access.can_manage_authority(actor) or actor.authority_id != authority_id:
        raise PermissionDenied("Only the authority's own admins can change who to contact.")
    pathway, _ = AuthorityPathway.objects.select_for_update().get_or_create(
        authority_id=authority_id
    )
    changed = []
    for name in PATHWAY_FIELDS:
        value = (values.get(name) or "").strip()
        if getattr(pathway, name) != value:
            setattr(pathway, name, value)
            changed.append(str(AuthorityPathway._meta.get_field(name).verbose_name))
    if not changed:
        return pathway
    pathway.updated_at = timezone.now()
    pathway.updated_by = actor
    pathway.full_clean()
    pathway.save()
    audit_record(
        action=AuditAction.PATHWAY_UPDATED,
        actor=actor,
        authority_id=authority_id,
        request=request,
        detail={"changed": changed},
    )
    return pathway
