from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"
    # what readers see: a change moves the content version (core.content_triggers); tags are
    # taggit's, their labels ours
    content_models = ("TagLabel", "taggit.Tag", "taggit.TaggedItem")

    def ready(self) -> None:
        # every app's models are loaded before any ready() runs
        from core.labels import labels_translate

        labels_translate()
        post_migrate.connect(_content_triggers, sender=self, dispatch_uid="core.content_triggers")
        # The Celery app configured from Django settings (config.celery, created when the
        # settings package is imported) is the current app in every process, web included.
        from celery import current_app as app

        from core import signals  # noqa: F401 - connects the job log and request-id signals
        from core.tasks import OUTBOX_FLUSH_INTERVAL_SECONDS, outbox_flush_task

        app.add_periodic_task(
            OUTBOX_FLUSH_INTERVAL_SECONDS, outbox_flush_task.s(), name="core.outbox_flush"
        )


def _content_triggers(using: str = "default", **kwargs: Any) -> None:
    # after every migrate: a table an app declared since, or one a migration rebuilt (SQLite
    # rebuilds a table to alter it, and its triggers go with the old one), gets its triggers
    from core.content_triggers import install

    install(connections[using])
