"""Celery tasks for articles: thin callers of the import service."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task

from articles.models import ArticleImport
from articles.url_import import ImportTemporarilyFailed, article_import_run


@shared_task(
    bind=True,
    autoretry_for=(ImportTemporarilyFailed,),
    retry_backoff=60,
    retry_backoff_max=900,
    retry_jitter=True,
    max_retries=3,
    soft_time_limit=120,
    time_limit=150,
)
def import_article_from_url(self: Task[Any, Any], import_id: int) -> str:
    """Fetch the page of an ArticleImport, store it as a draft article and suggest claims.
    Returns the request's final status ("gone" when the request was deleted)."""
    try:
        request = article_import_run(import_id=import_id)
    except ImportTemporarilyFailed:
        if not self.request.is_eager:
            raise
        # Without a broker this runs inside the editor's request: a retry would run at once
        # and hold the page. The request stays failed with its reason; "Fetch again" retries.
        return ArticleImport.Status.FAILED
    return request.status if request is not None else "gone"
