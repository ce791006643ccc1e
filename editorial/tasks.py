"""Editorial jobs: thin callers of editorial.services. The task keeps the name it had in the
articles app, so messages already queued still run."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task

from core.tasks import AssayTask
from editorial.services.url_imports import article_import_run, article_imports_sweep


@shared_task(
    name="articles.tasks.import_article_from_url",
    base=AssayTask,
    bind=True,
    retry_backoff=60,
    retry_backoff_max=900,
    max_retries=3,
    soft_time_limit=120,
    time_limit=150,
)
def import_article_from_url(self: Task[Any, Any], import_id: int) -> str:
    """Fetch the page of an ArticleImport, store it as a draft article and suggest claims.
    Returns the request's final status ("gone" when the request was deleted)."""
    request = article_import_run(
        import_id=import_id,
        task_id=self.request.id or "",
        final=self.request.retries >= (self.max_retries or 0),
    )
    return request.status if request is not None else "gone"


@shared_task(name="editorial.sweep_url_imports", soft_time_limit=60, time_limit=90)
def sweep_url_imports() -> int:
    """Beat: end the URL imports whose worker was lost and whose message never came back."""
    return article_imports_sweep()
