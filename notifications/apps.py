from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Telling people what happened: in the site (a bell, a page, the API) and by e-mail
    (immediately or in a daily digest, per kind). Knows no domain app: the apps that make
    things happen call its services with the recipients, a target URL and the words' parts."""

    name = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from notifications import tasks  # noqa: F401 - registers the jobs in every process
