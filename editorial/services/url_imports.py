"""Import an article from a URL: an editor asks, a job fetches the page through the outbound
guard, extracts its title, author, date and main text, stores a draft article and suggests
claims on it."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, ArticleImport, Language
from core.extraction import extract_page
from core.roles import require_can_write
from core.tasks import TemporaryJobError, enqueue_on_commit, rows_claim, rows_sweep
from editorial.importers import guess_language
from editorial.services.suggestion import article_suggest_claims

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class ImportTemporarilyFailed(TemporaryJobError):
    """The page could not be fetched for a reason that may pass (timeout, 5xx, 429)."""


def article_import_request(
    *, url: str, language: str = "", by: User | AnonymousUser | None = None
) -> ArticleImport:
    """Record an import request and queue the job once it is committed (the admin's form, the
    API)."""
    require_can_write(by, "write:articles")
    from core.outbound import OutboundRefused, check_scheme

    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
        check_scheme(url)
    except (ValidationError, OutboundRefused):
        raise ValidationError({"url": _("Enter an http or https URL.")}, code="url") from None
    if language and language not in Language.values:
        raise ValidationError({"language": _("Unknown language.")}, code="language")
    with transaction.atomic():
        request = ArticleImport.objects.create(
            url=url,
            language=language,
            requested_by=by if by is not None and by.is_authenticated else None,
        )
        article_import_enqueue(import_request=request)
    return request


def article_import_enqueue(*, import_request: ArticleImport) -> None:
    """Queue (or queue again, for a failed one) the job of a saved import request."""
    if import_request.status == ArticleImport.Status.DONE:
        return
    ArticleImport.objects.filter(pk=import_request.pk).update(
        status=ArticleImport.Status.QUEUED, error=""
    )
    # kept in the outbox (core.tasks) if the broker is down, instead of an error page
    enqueue_on_commit("articles.tasks.import_article_from_url", import_request.pk)


# A request still "running" after this long has no live run: the import task's hard time limit
# (150 s) is shorter, so the worker that took it died (see core.tasks.rows_claim).
URL_IMPORT_LEASE = dt.timedelta(seconds=300)


def _fail(request: ArticleImport, message: str) -> ArticleImport:
    request.status = ArticleImport.Status.FAILED
    request.error = message[:2000]
    request.finished_at = timezone.now()
    request.save(update_fields=["status", "error", "finished_at"])
    return request


def _fail_or_retry(request: ArticleImport, message: str, *, final: bool) -> None:
    """A temporary failure: failed with its reason when no retry follows; else back in the
    queue for the retry (which takes queued requests), the reason kept for whoever looks."""
    if final:
        _fail(request, message)
        return
    request.status = ArticleImport.Status.QUEUED
    request.error = (_("Will try again: %(why)s") % {"why": message})[:2000]
    request.save(update_fields=["status", "error"])


def _published_at(date: dt.date | None) -> dt.datetime | None:
    if date is None:
        return None
    return dt.datetime.combine(date, dt.time(12, 0), tzinfo=dt.UTC)


def article_import_run(
    *, import_id: int, task_id: str = "", final: bool = True
) -> ArticleImport | None:
    """Run one import request; safe to run twice (a done request is left as it is, and the
    same page never becomes two articles). Raises ImportTemporarilyFailed to be retried;
    `final` says no retry follows, so such a failure ends the request failed.

    Only the run that takes the request (core.tasks.rows_claim: queued, or left running by
    this very task whose worker died, or past its lease) works on it; another returns it as
    it is, so a message delivered twice never imports twice at once.
    """
    from editorial.services.articles import article_create

    taken = rows_claim(
        ArticleImport, [import_id], task_id=task_id or uuid.uuid4().hex, lease=URL_IMPORT_LEASE
    )
    request = ArticleImport.objects.select_related("requested_by").filter(pk=import_id).first()
    if request is None or not taken:
        return request
    # the HTTP client loads in the worker that fetches, not in every web process
    import httpx

    from core.outbound import TEMPORARY_HTTP_STATUSES, OutboundRefused, fetch

    ArticleImport.objects.filter(pk=request.pk).update(error="")
    try:
        result = fetch(request.url)
    except OutboundRefused as exc:
        return _fail(request, _("Refused: %(why)s") % {"why": exc})
    except httpx.HTTPError as exc:
        _fail_or_retry(
            request,
            _("Could not fetch the page: %(why)s") % {"why": str(exc) or type(exc).__name__},
            final=final,
        )
        raise ImportTemporarilyFailed(str(exc)) from exc
    if result.status in TEMPORARY_HTTP_STATUSES:
        _fail_or_retry(
            request,
            _("The site answered HTTP %(status)d.") % {"status": result.status},
            final=final,
        )
        raise ImportTemporarilyFailed(f"HTTP {result.status}")
    if not 200 <= result.status < 300:
        return _fail(request, _("The site answered HTTP %(status)d.") % {"status": result.status})
    page = extract_page(result)
    if page is None:
        return _fail(
            request,
            _("No article text found (content type %(type)s).")
            % {"type": result.content_type or "unknown"},
        )

    fingerprint = hashlib.sha256(result.content).hexdigest()
    with transaction.atomic():
        article = (
            Article.objects.filter(import_fingerprint=fingerprint).first()
            or Article.objects.filter(source_url=result.final_url).first()
        )
        if article is None:
            language = request.language or page.language[:2]
            if language not in Language.values:
                language = guess_language(page.text)
            try:
                article = article_create(
                    title=page.title[:300],
                    body=page.text,
                    language=language,
                    source_url=result.final_url[:2000],
                    source_name=page.publisher[:200],
                    original_author=page.author[:200],
                    published_at=_published_at(page.published),
                    status=Article.Status.DRAFT,
                    created_by=request.requested_by,
                    import_fingerprint=fingerprint,
                )
            except ValidationError as exc:
                return _fail(request, " ".join(exc.messages))
            article_suggest_claims(article=article, by=request.requested_by)
        request.article = article
        request.status = ArticleImport.Status.DONE
        request.error = ""
        request.finished_at = timezone.now()
        request.save(update_fields=["article", "status", "error", "finished_at"])
    return request


def article_imports_sweep(*, now: dt.datetime | None = None) -> int:
    """End the imports no run will finish (their worker was lost and the message not
    delivered again): failed with the reason, never running forever."""
    return rows_sweep(
        ArticleImport,
        lease=URL_IMPORT_LEASE,
        reason=_("The worker running this import was lost; use Fetch again to retry."),
        now=now,
    )
