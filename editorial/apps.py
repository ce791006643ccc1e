from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    """What editors do to articles: imports, claim suggestion, editing the text."""

    name = "editorial"
    verbose_name = _("Editorial")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # registers the jobs in every process (the outbox re-sends them by name)
        from editorial import checks, tasks  # noqa: F401
