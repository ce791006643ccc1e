from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from integrations import (
            schema,  # noqa: F401 - registers the bearer scheme with drf-spectacular
            tasks,  # noqa: F401 - registers the jobs in every process, not only in workers
        )
