from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Threshold portal"

    def ready(self) -> None:
        # Sign-in, sign-out and lockout come to us as Django's and axes' signals.
        from portal import auth  # noqa: F401
