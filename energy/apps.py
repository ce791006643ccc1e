from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnergyConfig(AppConfig):
    name = "energy"
    verbose_name = _("Energy data")
    default_auto_field = "django.db.models.BigAutoField"
    # what readers see: a change moves the content version (core.content_triggers)
    content_models = ("Series", "Observation")

    def ready(self) -> None:
        # registers the jobs in every process (the outbox re-sends them by name)
        from energy import tasks  # noqa: F401
