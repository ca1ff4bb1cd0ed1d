"""Every write that matters in the portal. Callers use `services.<name>` from here."""

from portal.services.accounts import (
    RateLimited,
    audit_record,
    password_changed_record,
    password_link_build,
    password_reset_request,
    recovery_codes_replace,
    totp_device_confirm,
    totp_device_start,
    welcome_email_send,
)
from portal.services.administration import (
    ChangeRefused,
    StaffImportRejected,
    staff_import,
    team_create,
    team_delete,
    team_rename,
    user_create,
    user_deactivate,
    user_reactivate,
    user_second_factor_reset,
    user_update,
)

__all__ = [
    "ChangeRefused",
    "RateLimited",
    "StaffImportRejected",
    "audit_record",
    "password_changed_record",
    "password_link_build",
    "password_reset_request",
    "recovery_codes_replace",
    "staff_import",
    "team_create",
    "team_delete",
    "team_rename",
    "totp_device_confirm",
    "totp_device_start",
    "user_create",
    "user_deactivate",
    "user_reactivate",
    "user_second_factor_reset",
    "user_update",
    "welcome_email_send",
]
