from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training"

    def ready(self) -> None:
        # The portal's outbox sends the reminder kinds; training knows how to write them.
        from training import reminders_render

        reminders_render.register()
