"""Module editing in the Django admin, for platform admins only (authors have the studio)."""

from __future__ import annotations

from django.contrib import admin

from training import services
from training.models import (
    Attempt,
    Certificate,
    Choice,
    Indicator,
    Module,
    ModuleVersion,
    Scenario,
    Step,
)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "key"]
    list_filter = ["category"]
    search_fields = ["name", "description"]


class ScenarioInline(admin.TabularInline):
    model = Scenario
    extra = 1
    fields = ["position", "key", "title"]
    show_change_link = True


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["title", "authority", "visibility", "has_unpublished_changes", "updated_at"]
    list_filter = ["visibility", "has_unpublished_changes"]
    search_fields = ["title", "key"]
    prepopulated_fields = {"key": ["title"]}
    inlines = [ScenarioInline]
    list_select_related = ["authority"]
    fields = [
        "key",
        "title",
        "summary",
        "audience",
        "authority",
        "visibility",
        "minutes",
        "pass_mark",
        "refresher_months",
        "confidence_topic",
        "learning_outcomes",
        "has_unpublished_changes",
        "library_version",
    ]
    readonly_fields = ["has_unpublished_changes", "library_version"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.has_unpublished_changes = True
        super().save_model(request, obj, form, change)


class StepInline(admin.TabularInline):
    model = Step
    extra = 1
    fields = ["position", "key", "kind", "title"]
    show_change_link = True


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ["title", "module", "position"]
    list_select_related = ["module"]
    inlines = [StepInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.module_mark_edited(module=form.instance.module)


class ChoiceInline(admin.StackedInline):
    model = Choice
    extra = 3
    fk_name = "step"
    fields = [
        "position", "text", "safeguarding", "prevent", "actions", "error", "feedback", "next_step",
    ]  # fmt: skip

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "next_step" and request.resolver_match.kwargs.get("object_id"):
            step = Step.objects.filter(pk=request.resolver_match.kwargs["object_id"]).first()
            if step is not None:
                kwargs["queryset"] = Step.objects.filter(scenario=step.scenario_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Step)
class StepAdmin(admin.ModelAdmin):
    list_display = ["key", "title", "kind", "scenario"]
    list_filter = ["kind"]
    search_fields = ["key", "title", "body"]
    filter_horizontal = ["indicators"]
    inlines = [ChoiceInline]
    fieldsets = [
        (None, {"fields": ["scenario", "position", "key", "kind", "title", "body"]}),
        ("Narrative steps", {"fields": ["next_step"]}),
        (
            "Decision steps",
            {
                "fields": [
                    ("safeguarding_band_low", "safeguarding_band_high"),
                    ("prevent_band_low", "prevent_band_high"),
                    "safety_critical",
                    "explanation",
                    "indicators",
                ]
            },
        ),
    ]
    list_select_related = ["scenario__module"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Scenarios named with their module; next steps only from this step's scenario."""
        if db_field.name == "scenario":
            kwargs["queryset"] = Scenario.objects.select_related("module")
        if db_field.name == "next_step":
            step_id = request.resolver_match.kwargs.get("object_id")
            step = Step.objects.filter(pk=step_id).first() if step_id else None
            kwargs["queryset"] = (
                Step.objects.filter(scenario=step.scenario_id) if step else Step.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.module_mark_edited(module=form.instance.scenario.module)


@admin.register(ModuleVersion)
class ModuleVersionAdmin(admin.ModelAdmin):
    """Read-only: published versions never change."""

    list_display = ["module", "number", "published_at", "published_by"]
    list_select_related = ["module", "published_by"]
    readonly_fields = ["module", "number", "snapshot", "published_at", "published_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["user", "version", "started_at", "completed_at", "percent", "passed"]
    list_select_related = ["user", "version__module"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["code", "user", "version", "issued_at", "expires_at"]
    list_select_related = ["user", "version__module"]

    def has_change_permission(self, request, obj=None):
        return False
