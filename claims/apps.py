from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    default_auto_field = "django.db.models.BigAutoField"
    # what readers see: a change moves the content version (core.content_triggers)
    content_models = (
        "Topic",
        "Claim",
        "Evidence",
        "ClaimSeries",
        "AssertionResultChange",
        # the claim graph: families, same-claim links, the vectors that find related claims
        "ClaimFamily",
        "ClaimLink",
        "ClaimEmbedding",
    )

    def ready(self) -> None:
        from claims import (
            signals,  # noqa: F401 - listens to the energy app's "data changed"
            tasks,  # noqa: F401 - registers the jobs in every process, not only in workers
        )
