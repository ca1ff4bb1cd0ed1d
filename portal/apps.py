from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PortalConfig(AppConfig):
    default = True
    name = "portal"
    verbose_name = "Threshold portal"

    def ready(self) -> None:
        # Sign-in, sign-out and lockout come to us as Django's and axes' signals.
        from django.urls import converters, register_converter

        from portal import auth, emails_render  # noqa: F401
        from portal.ids import IdConverter, IndexConverter

        emails_render.register()

        # Before any URLconf loads: project URLs take numbers as `<id:...>` or `<index:...>`.
        # Once per process: ready() runs again when a test changes INSTALLED_APPS.
        for name, converter in (("id", IdConverter), ("index", IndexConverter)):
            if name not in converters.REGISTERED_CONVERTERS:
                register_converter(converter, name)


class ThresholdAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "portal.admin_site.ThresholdAdminSite"
