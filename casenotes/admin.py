"""Cases in the Django admin (platform admins only, like the whole admin): read-only but for
hiding. Text is changed only through the services (which redact it), so no text field is
editable but the reason for hiding, which is redacted with the case's names like a
moderator's and audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters

from casenotes.models import Case
from casenotes.services import names
from portal import services as portal_services
from portal.models import AuditAction


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["title", "authority", "visibility", "sharing", "status", "is_hidden"]
    list_filter = ["visibility", "sharing", "status", "is_hidden", "authority"]
    list_select_related = ["authority"]
    search_fields = ["title"]
    date_hierarchy = "created_at"
    fields = [
        "title",
        "authority",
        "author",
        "team",
        "age_band",
        "setting",
        "ideology",
        "indicators",
        "response_safeguarding",
        "response_prevent",
        "response_actions",
        "question",
        "account",
        "visibility",
        "sharing",
        "sharing_decided_by",
        "sharing_decided_at",
        "status",
        "outcome",
        "outcome_safeguarding",
        "outcome_prevent",
        "outcome_actions",
        "created_at",
        "delete_after",
        "is_hidden",
        "hidden_reason",
    ]
    readonly_fields = [name for name in fields if name not in ("is_hidden", "hidden_reason")]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @method_decorator(sensitive_post_parameters("hidden_reason"))
    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return super().changeform_view(request, *args, **kwargs)

    def save_model(self, request: HttpRequest, obj: Case, form: Any, change: bool) -> None:
        """Hiding here is a moderation like any other: the reason as typed is raw text, so it
        is redacted under the case's labels before it is saved, and the decision is audited.
        The admin's change view runs this inside its transaction."""
        if not {"is_hidden", "hidden_reason"} & set(form.changed_data):
            super().save_model(request, obj, form, change)
            return
        (redacted,) = names.redact_on_case(obj, [obj.hidden_reason if obj.is_hidden else ""])
        max_length = Case._meta.get_field("hidden_reason").max_length
        obj.hidden_reason = redacted.text.strip()[:max_length]
        super().save_model(request, obj, form, change)
        portal_services.audit_record(
            action=AuditAction.CASE_MODERATED,
            actor=request.user,
            subject=obj.author,
            authority_id=obj.authority_id,
            request=request,
            detail={
                "what": "case",
                "which": obj.pk,
                "case": obj.pk,
                "action": "hide" if obj.is_hidden else "restore",
                "reason": obj.hidden_reason,
            },
        )
