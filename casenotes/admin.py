"""Cases in the Django admin (platform admins only, like the whole admin): read-only but for
hiding. Text is changed only through the services (which redact it), so no text field is
editable.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from casenotes.models import Case


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
        "response_taken",
        "question",
        "account",
        "visibility",
        "sharing",
        "sharing_decided_by",
        "sharing_decided_at",
        "status",
        "outcome",
        "outcome_level",
        "created_at",
        "delete_after",
        "is_hidden",
        "hidden_reason",
    ]
    readonly_fields = [name for name in fields if name not in ("is_hidden", "hidden_reason")]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
