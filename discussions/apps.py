from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "discussions"
    default_auto_field = "django.db.models.BigAutoField"
    # what readers see: a change moves the content version (core.content_triggers); likes
    # are counted on the comment row
    content_models = ("Comment", "CommentEvidence")
