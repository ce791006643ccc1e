from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # The Celery app configured from Django settings must be the current app in every
        # process (web included), or shared tasks queued from a request would use Celery's
        # defaults instead of CELERY_BROKER_URL.
        from config.celery import app
        from core import signals  # noqa: F401 - connects the job log and request-id signals
        from core.tasks import OUTBOX_FLUSH_INTERVAL_SECONDS, outbox_flush_task

        app.add_periodic_task(
            OUTBOX_FLUSH_INTERVAL_SECONDS, outbox_flush_task.s(), name="core.outbox_flush"
        )
