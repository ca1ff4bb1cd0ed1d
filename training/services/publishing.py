"""The authoring studio's publishing, sharing and adopting: the audited writes that change
what learners and other authorities see (README, "The authoring studio")."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from portal import services as portal_services
from portal.models import AuditAction, User
from training import access, version_diff
from training.models import Assignment, AssignmentRule, Certificate, Module, ModuleVersion
from training.services import library
from training.services.module_progress import progress_refresh
from training.services.studio import StudioRefused, module_key_unused, require_editor

# --- Publishing -----------------------------------------------------------------------------


@transaction.atomic
def version_publish(
    *,
    module: Module,
    by: User,
    change_note: str,
    is_major: bool = False,
    refresh_due_on: date | None = None,
    request: HttpRequest | None = None,
) -> ModuleVersion:
    """Publish the draft as the next immutable version, with what changed since the last.

    A major revision (guidance changed) marks every current certificate on an earlier version
    as needing refresh and gives each active holder a refresher due on `refresh_due_on`.
    """
    require_editor(by, module)
    if not change_note.strip():
        raise StudioRefused("Say what changed in this version.", field="change_note")
    if is_major and (refresh_due_on is None or refresh_due_on < timezone.localdate()):
        raise StudioRefused(
            "Give the date holders must refresh by, today or later.", field="refresh_due_on"
        )
    previous = module.versions.order_by("-number").first()
    try:
        version = library.module_publish(module=module, by=by)
    except library.PublishError as error:  # someone edited the draft since the page loaded
        raise StudioRefused(
            f"The draft has {len(error.problems)} problems to fix first; the module page "
            "lists them."
        ) from error
    changes = version_diff.version_changes(
        previous.snapshot if previous else None, version.snapshot
    )
    version.change_note = change_note.strip()
    version.changes = changes.as_dict()
    version.is_major = is_major
    version.refresh_due_on = refresh_due_on if is_major else None
    version.save(update_fields=["change_note", "changes", "is_major", "refresh_due_on"])
    refreshed = _certificates_supersede(version=version, by=by) if is_major else 0
    portal_services.audit_record(
        action=AuditAction.MODULE_PUBLISHED,
        actor=by,
        authority_id=module.authority_id,
        request=request,
        detail={
            "module": module.title,
            "version": version.number,
            "major": is_major,
            "refreshers": refreshed,
        },
    )
    return version


def _certificates_supersede(*, version: ModuleVersion, by: User) -> int:
    """Flag current certificates on earlier versions; one refresher rule per active holder."""
    now = timezone.now()
    certificates = list(
        Certificate.objects.filter(
            version__module_id=version.module_id,
            version__number__lt=version.number,
            expires_at__gt=now,
            refresh_needed_for__isnull=True,
        ).select_related("user")
    )
    Certificate.objects.filter(pk__in=[c.pk for c in certificates]).update(
        refresh_needed_for=version
    )
    holders = {c.user_id: c.user for c in certificates if c.user.is_active and c.user.authority_id}
    module = version.module
    reason = f"Guidance changed in version {version.number}"
    for holder in holders.values():
        rule = AssignmentRule.objects.create(
            authority_id=holder.authority_id,
            module=module,
            target=AssignmentRule.Target.PERSON,
            target_user=holder,
            due_on=version.refresh_due_on,
            refresher_months=module.refresher_months,
            reason=reason,
            created_by=by,
        )
        Assignment.objects.create(
            rule=rule,
            user=holder,
            module=module,
            assigned_on=timezone.localdate(),
            due_on=version.refresh_due_on,
        )
    progress_refresh(user_ids=holders, module_ids=[module.pk])
    return len(holders)


# --- Sharing and adopting -------------------------------------------------------------------


@transaction.atomic
def module_share(*, module: Module, by: User, request: HttpRequest | None = None) -> Module:
    """Offer a published module to every authority through the national library."""
    require_editor(by, module)
    if not module.versions.exists():
        raise StudioRefused("Publish the module before you share it.")
    if module.authority_id is None:
        raise StudioRefused("National library modules are already shared.")
    module.visibility = Module.Visibility.SHARED
    module.shared_at = timezone.now()
    module.save(update_fields=["visibility", "shared_at", "updated_at"])
    portal_services.audit_record(
        action=AuditAction.MODULE_SHARED,
        actor=by,
        authority_id=module.authority_id,
        request=request,
        detail={"module": module.title},
    )
    return module


@transaction.atomic
def module_unshare(*, module: Module, by: User, request: HttpRequest | None = None) -> Module:
    """Withdraw from the library; copies already adopted stay with their adopters."""
    require_editor(by, module)
    module.visibility = Module.Visibility.AUTHORITY
    module.shared_at = None
    module.save(update_fields=["visibility", "shared_at", "updated_at"])
    portal_services.audit_record(
        action=AuditAction.MODULE_UNSHARED,
        actor=by,
        authority_id=module.authority_id,
        request=request,
        detail={"module": module.title},
    )
    return module


@transaction.atomic
def module_adopt(*, source: Module, by: User, request: HttpRequest | None = None) -> Module:
    """Copy a shared module's latest published version into the adopter's authority as a
    draft they own and may adapt; the copy credits the source authority."""
    if not access.can_use_studio(by) or by.authority_id is None:
        raise StudioRefused("Only authors and authority admins can adopt modules.")
    if not access.scope_adoptable_modules(Module.objects.filter(pk=source.pk), by).exists():
        raise PermissionDenied("Only modules shared by another authority can be adopted.")
    version = source.versions.order_by("-number").first()
    if version is None:
        raise StudioRefused("This module has no published version to adopt.")
    document = version.document
    credit = source.authority.name if source.authority_id else "the national library"
    module = Module.objects.create(
        key=module_key_unused(f"{source.key}-{slugify(by.authority.name)}"),
        authority_id=by.authority_id,
        visibility=Module.Visibility.AUTHORITY,
        title=document.title,
        summary=document.summary,
        audience=document.audience,
        minutes=document.minutes,
        pass_mark=document.pass_mark,
        refresher_months=document.refresher_months,
        confidence_topic=document.confidence_topic,
        learning_outcomes="\n".join(document.learning_outcomes),
        min_decisions=document.min_decisions,
        reviewed_on=library.review_date(version.snapshot),
        adopted_from=source,
        adopted_from_authority=credit,
        adopted_from_version=version.number,
        created_by=by,
    )
    library._draft_write(module=module, data=version.snapshot)
    portal_services.audit_record(
        action=AuditAction.MODULE_ADOPTED,
        actor=by,
        authority_id=by.authority_id,
        request=request,
        detail={"module": module.title, "from": credit, "version": version.number},
    )
    return module
