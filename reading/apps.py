from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadingConfig(AppConfig):
    """What readers read: the pages, search and the export."""

    name = "reading"
    verbose_name = _("Reading")
    default_auto_field = "django.db.models.BigAutoField"
