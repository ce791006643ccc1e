from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # The Celery app configured from Django settings (config.celery, created when the
        # settings package is imported) is the current app in every process, web included.
        from celery import current_app as app

        from core import signals  # noqa: F401 - connects the job log and request-id signals
        from core.tasks import OUTBOX_FLUSH_INTERVAL_SECONDS, outbox_flush_task

        app.add_periodic_task(
            OUTBOX_FLUSH_INTERVAL_SECONDS, outbox_flush_task.s(), name="core.outbox_flush"
        )
