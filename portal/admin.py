from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import services
from portal.forms import IdentityProviderFields
from portal.models import AuditEvent, Authority, AuthorityPathway, IdentityProvider, Team, User

# django-otp's own admins are not ours to offer: StaticDevice keeps codes in plain text (ours
# are RecoveryCodeDevice, kept as digests, made only by the person), and TOTPDevice's shows a
# person's authenticator secret and would let an admin plant one. A lost second factor is
# reset on the product's page (`portal:manage-user-second-factor-reset`), which is audited.
admin.site.unregister(StaticDevice)
admin.site.unregister(TOTPDevice)


class TeamInline(admin.TabularInline):
    model = Team
    extra = 1


class AuthorityPathwayInline(admin.StackedInline):
    """Who to contact: the authority's admin keeps it up to date in the product's own page
    (/contacts/); it is shown here so platform admins can see it beside the authority."""

    model = AuthorityPathway
    exclude = ["updated_at", "updated_by"]


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "is_prevent_priority_area"]
    list_filter = ["region", "is_prevent_priority_area"]
    search_fields = ["name", "region"]
    inlines = [AuthorityPathwayInline, TeamInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "authority"]
    list_filter = ["authority"]
    search_fields = ["name", "authority__name"]
    list_select_related = ["authority"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "authority", "team", "is_active"]
    list_filter = ["role", "authority", "is_active", "is_superuser"]
    list_select_related = ["authority", "team"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "role", "authority", "team"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "fields": [
                    "email",
                    "full_name",
                    "role",
                    "authority",
                    "team",
                    "password1",
                    "password2",
                ]
            },
        )
    ]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "authority", "actor", "subject", "ip_address"]
    list_filter = ["action", "authority"]
    list_select_related = ["authority", "actor", "subject"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class IdentityProviderAdminForm(IdentityProviderFields, forms.ModelForm):
    """The authority admin's fields, plus which authority; the secret stays write-only."""

    class Meta:
        model = IdentityProvider
        fields = [
            "authority",
            "name",
            "issuer",
            "client_id",
            "accepted_acr_values",
            "allow_account_creation",
            "require_sso",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["authority", *IdentityProviderFields.base_fields])
        if self.instance.pk:
            self.initial.update(IdentityProviderFields.initial_for(self.instance))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.instance.pk and not cleaned.get("client_secret"):
            self.add_error("client_secret", "Enter the client secret")
        if cleaned.get("authority") and cleaned.get("domains"):
            checked = IdentityProvider(pk=self.instance.pk, authority=cleaned["authority"])
            try:
                services.identity_provider_domains_check(
                    provider=checked, domains=cleaned["domains"]
                )
            except services.ChangeRefused as error:
                self.add_error("domains", str(error))
        return cleaned


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    """Platform admins set up any authority's provider; saving and removing go through the
    services, so they are audited and the secret is stored only encrypted."""

    form = IdentityProviderAdminForm
    list_display = ["name", "authority", "issuer", "require_sso", "allow_account_creation"]
    list_filter = ["authority", "require_sso"]
    list_select_related = ["authority"]
    search_fields = ["name", "issuer", "domains__domain"]

    def save_model(self, request, obj, form, change):
        provider = IdentityProvider.objects.get(pk=obj.pk) if change else obj
        fields = {name: form.cleaned_data[name] for name in IdentityProviderFields.base_fields}
        saved = services.identity_provider_save(
            actor=request.user, provider=provider, request=request, **fields
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.identity_provider_delete(actor=request.user, provider=obj, request=request)

    def delete_queryset(self, request, queryset):
        for provider in queryset:
            services.identity_provider_delete(
                actor=request.user, provider=provider, request=request
            )
