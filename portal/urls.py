from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from portal.views import auth, emails, home, manage, pathway, sso
from training import urls as training_urls

account_patterns = [
    path("sign-in/", auth.SignInView.as_view(), name="sign-in"),
    path("sign-out/", auth.SignOutView.as_view(), name="sign-out"),
    path("sso/start/", sso.SsoStartView.as_view(), name="sso-start"),
    path("sso/callback/", sso.SsoCallbackView.as_view(), name="sso-callback"),
    path("password-reset/", auth.password_reset_request, name="password-reset"),
    path("password-reset/sent/", auth.password_reset_sent, name="password-reset-sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        auth.PasswordSetView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "set-password/<uidb64>/<token>/",
        auth.WelcomePasswordSetView.as_view(),
        name="set-password",
    ),
    path("password-set/", auth.password_set_complete, name="password-set-complete"),
    path("password-change/", auth.PasswordChangeView.as_view(), name="password-change"),
    path("second-factor/set-up/", auth.second_factor_setup, name="second-factor-setup"),
    path("second-factor/verify/", auth.second_factor_verify, name="second-factor-verify"),
    path("recovery-codes/", auth.recovery_codes_renew, name="recovery-codes-renew"),
    path("emails/", emails.email_preferences, name="email-preferences"),
    path("", auth.account, name="account"),
]

manage_patterns = [
    path("users/", manage.user_list, name="manage-user-list"),
    path("users/new/", manage.user_create, name="manage-user-create"),
    path("users/import/", manage.user_import, name="manage-user-import"),
    path("users/<id:pk>/", manage.user_edit, name="manage-user-edit"),
    path("users/<id:pk>/deactivate/", manage.user_deactivate, name="manage-user-deactivate"),
    path("users/<id:pk>/reactivate/", manage.user_reactivate, name="manage-user-reactivate"),
    path(
        "users/<id:pk>/second-factor-reset/",
        manage.user_second_factor_reset,
        name="manage-user-second-factor-reset",
    ),
    path("teams/", manage.team_list, name="manage-team-list"),
    path("teams/new/", manage.team_create, name="manage-team-create"),
    path("teams/<id:pk>/", manage.team_edit, name="manage-team-edit"),
    path("teams/<id:pk>/delete/", manage.team_delete, name="manage-team-delete"),
    path("audit/", manage.audit_log, name="manage-audit-log"),
    path("sign-in-providers/", manage.provider_list, name="manage-provider-list"),
    path("sign-in-providers/new/", manage.provider_create, name="manage-provider-create"),
    path("sign-in-providers/<id:pk>/", manage.provider_edit, name="manage-provider-edit"),
    path(
        "sign-in-providers/<id:pk>/delete/",
        manage.provider_delete,
        name="manage-provider-delete",
    ),
    path("outbox/", emails.outbox, name="manage-outbox"),
    path("contacts/<id:pk>/", pathway.pathway_edit, name="manage-pathway-edit"),
]

portal_patterns = [
    path("", home.home, name="home"),
    path("healthz", home.healthz, name="healthz"),
    path("contacts/", pathway.pathway_page, name="pathway"),
    path("account/", include(account_patterns)),
    path("email/unsubscribe/<str:token>/", emails.email_unsubscribe, name="email-unsubscribe"),
    path("manage/", include(manage_patterns)),
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    path("training/", include(training_urls)),
    path("cases/", include("casenotes.urls")),
    path("", include((training_urls.public_urlpatterns, "certificates"))),
    # The admin signs in through the portal, so its second factor and lockout apply there too.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="portal:sign-in", query_string=True),
        name="admin-sign-in",
    ),
    path("admin/", admin.site.urls),
]
