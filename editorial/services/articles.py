"""Writes on articles: creating them, importing post page dumps, editing their text (which
re-anchors their claims)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from articles.models import Article, Language
from claims.anchoring import ReanchorReport
from claims.models import Claim
from claims.services.anchoring import claims_reanchor
from claims.services.similarity import claims_index_touch
from core.roles import require_can_write
from discussions.services import ExternalComment, comments_import_external
from editorial.importers import ImportPlan, dump_fingerprint, plan_post_import, title_from_body

if TYPE_CHECKING:
    from core.roles import AnyUser


def _unique_slug(base: str) -> str:
    root = (slugify(base)[:80].strip("-")) or "article"
    slug, n = root, 2
    while Article.objects.filter(slug=slug).exists():
        slug = f"{root}-{n}"
        n += 1
    return slug


def article_create(
    *,
    title: str,
    body: str,
    language: str,
    source_url: str = "",
    source_name: str = "",
    original_author: str = "",
    published_at: dt.datetime | None = None,
    status: str = Article.Status.DRAFT,
    tags: list[str] | None = None,
    created_by: AnyUser | None = None,
    import_fingerprint: str | None = None,
    slug: str = "",
) -> Article:
    """A new article (the admin's add form, the API, the imports)."""
    require_can_write(created_by, "write:articles")
    body = body.strip()
    if not body:
        raise ValidationError({"body": "An article needs a body."})
    if language not in Language.values:
        raise ValidationError({"language": f"Unknown language {language!r}."})
    article = Article(
        title=title.strip() or title_from_body(body),
        slug=slug or _unique_slug(title or title_from_body(body)),
        body=body,
        language=language,
        source_url=source_url,
        source_name=source_name,
        original_author=original_author,
        published_at=published_at,
        status=status,
        created_by=created_by if created_by is not None and created_by.is_authenticated else None,
        import_fingerprint=import_fingerprint,
    )
    article.full_clean(exclude=["created_by"])
    with transaction.atomic():
        article.save()
        if tags:
            article.tags.add(*tags)
    return article


@dataclass(frozen=True)
class PostImport:
    article: Article
    created: bool
    comments_created: int
    plan: ImportPlan | None  # None when the file was imported before


@dataclass(frozen=True)
class PostImportPreview:
    """What `article_import_post` would do with the same arguments: store `plan`, or nothing
    when the same file was imported before as `existing`."""

    plan: ImportPlan | None
    existing: Article | None


def article_import_post_preview(
    *,
    raw: bytes,
    language: str | None = None,
    source_url: str = "",
    source_name: str = "",
    original_author: str = "",
    title: str = "",
    captured_at: dt.datetime | None = None,
    timezone: str | None = None,
    layout: str | None = None,
    as_plain_text: bool = False,
) -> PostImportPreview:
    """The dry run of `article_import_post`: the same parsing and choices, nothing written.

    Raises DumpError exactly where the import would.
    """
    existing = Article.objects.filter(import_fingerprint=dump_fingerprint(raw)).first()
    if existing is not None:
        return PostImportPreview(plan=None, existing=existing)
    plan = plan_post_import(
        raw,
        language=language,
        source_url=source_url,
        source_name=source_name,
        original_author=original_author,
        title=title,
        captured_at=captured_at,
        timezone=timezone,
        layout=layout,
        as_plain_text=as_plain_text,
        languages=tuple(Language.values),
    )
    return PostImportPreview(plan=plan, existing=None)


def article_import_post(
    *,
    raw: bytes,
    language: str | None = None,
    source_url: str = "",
    source_name: str = "",
    original_author: str = "",
    title: str = "",
    status: str = Article.Status.DRAFT,
    captured_at: dt.datetime | None = None,
    timezone: str | None = None,
    layout: str | None = None,
    as_plain_text: bool = False,
    created_by: AnyUser | None = None,
) -> PostImport:
    """Import a post page dump (or a plain text file) as an article with external comments.

    Idempotent: the file's sha256 is the article's import fingerprint, so importing the same
    bytes again returns the existing article and writes nothing. Raises DumpError with a
    readable reason when the file cannot be imported, before writing anything. What it stores
    is exactly `article_import_post_preview`'s plan.
    """
    preview = article_import_post_preview(
        raw=raw,
        language=language,
        source_url=source_url,
        source_name=source_name,
        original_author=original_author,
        title=title,
        captured_at=captured_at,
        timezone=timezone,
        layout=layout,
        as_plain_text=as_plain_text,
    )
    if preview.existing is not None:
        return PostImport(article=preview.existing, created=False, comments_created=0, plan=None)
    plan = preview.plan
    assert plan is not None
    with transaction.atomic():
        article = article_create(
            title=plan.title,
            body=plan.body,
            language=plan.language,
            source_url=plan.source_url,
            source_name=plan.source_name,
            original_author=plan.original_author,
            published_at=plan.published_at,
            status=status,
            created_by=created_by,
            import_fingerprint=plan.fingerprint,
        )
        comments_import_external(
            article=article,
            comments=[
                ExternalComment(
                    author=comment.author,
                    body=comment.body,
                    posted_raw=comment.posted_raw,
                    posted_at=comment.posted_at,
                    like_count=comment.like_count,
                    import_key=hashlib.sha256(
                        f"{plan.fingerprint}:{index}:{comment.author}:{comment.posted_raw}".encode()
                    ).hexdigest(),
                )
                for index, comment in enumerate(plan.comments_in_storage_order())
            ],
        )
    return PostImport(article=article, created=True, comments_created=len(plan.comments), plan=plan)


def article_update_body(
    *,
    article: Article,
    body: str,
    by: AnyUser | None = None,
) -> ReanchorReport:
    """Replace an article's text and re-anchor its claims, in one transaction (the text's part
    of article_update)."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": "An article needs a body."}, code="empty")
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        old_body = locked.body
        if old_body == body:
            return ReanchorReport(unchanged=Claim.objects.filter(article=article).count())
        article.body = body
        article.save(update_fields=["body", "updated_at"])
        return claims_reanchor(article=article, old_body=old_body, by=by)


ARTICLE_FIELDS = (
    "title",
    "slug",
    "status",
    "language",
    "source_url",
    "source_name",
    "original_author",
    "published_at",
)


def article_update(
    *,
    article: Article,
    by: AnyUser | None,
    body: str | None = None,
    tags: list[str] | None = None,
    **fields: Any,
) -> ReanchorReport | None:
    """Change an article (the admin's change form, the API): its fields and tags, and its text,
    which re-anchors its claims in the same transaction. Returns the re-anchoring report when
    the text changed."""
    require_can_write(by, "write:articles")
    unknown = set(fields) - set(ARTICLE_FIELDS)
    if unknown:
        raise ValueError(f"not article fields: {sorted(unknown)}")
    if "language" in fields and fields["language"] not in Language.values:
        raise ValidationError({"language": _("Unknown language.")}, code="language")
    if "status" in fields and fields["status"] not in Article.Status.values:
        raise ValidationError({"status": _("Unknown status.")}, code="status")
    changed = [name for name, value in fields.items() if getattr(article, name) != value]
    for name in changed:
        setattr(article, name, fields[name])
    if changed:
        article.full_clean(exclude=["created_by", "body"], validate_unique=True)
    report = None
    with transaction.atomic():
        if changed:
            article.save(update_fields=[*changed, "updated_at"])
        if "status" in changed:
            # its claims' place in similar-claim searches follows the article's status
            claims_index_touch(article_id=article.pk)
        if tags is not None:
            article.tags.set(tags)
        if body is not None:
            report = article_update_body(article=article, body=body, by=by)
    return report
