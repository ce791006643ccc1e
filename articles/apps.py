from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    default_auto_field = "django.db.models.BigAutoField"
    # what readers see: a change moves the content version (core.content_triggers)
    content_models = ("Article",)
