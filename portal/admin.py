from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import AuditEvent, Authority, Team, User

# django-otp's own admins are not ours to offer: StaticDevice keeps codes in plain text (ours
# are RecoveryCodeDevice, kept as digests, made only by the person), and TOTPDevice's shows a
# person's authenticator secret and would let an admin plant one. A lost second factor is
# reset on the product's page (`portal:manage-user-second-factor-reset`), which is audited.
admin.site.unregister(StaticDevice)
admin.site.unregister(TOTPDevice)


class TeamInline(admin.TabularInline):
    model = Team
    extra = 1


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "is_prevent_priority_area"]
    list_filter = ["region", "is_prevent_priority_area"]
    search_fields = ["name", "region"]
    inlines = [TeamInline]


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
