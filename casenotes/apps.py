from django.apps import AppConfig


class CasenotesConfig(AppConfig):
    name = "casenotes"
    verbose_name = "Case discussion"

    def ready(self) -> None:
        # The portal's outbox sends the comment emails; casenotes knows how to write them.
        from casenotes import emails_render

        emails_render.register()
