"""Writes on evidence: the sources that weigh a claim, and the job that checks their link."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Language
from claims.models import Claim, Evidence
from core.extraction import extract_page
from core.i18n import Texts, columns, default_language, languages, texts_set
from core.roles import require_can_write
from core.tasks import TemporaryJobError, enqueue_on_commit, rows_claim, rows_sweep
from integrations.events import event_emit

if TYPE_CHECKING:
    from core.outbound import FetchResult
    from core.roles import AnyUser


# A little under a week, so the weekly run catches links checked at the same time last week.
RECHECK_AFTER = dt.timedelta(days=6)
RECHECK_BATCH = 5000


class LinkTemporarilyUnavailable(TemporaryJobError):
    """The server did not answer, or answered with a temporary error; worth retrying."""


def _record_health(
    evidence_id: int, *, status: int | None, ok: bool, error: str, checked_at: dt.datetime
) -> None:
    Evidence.objects.filter(pk=evidence_id).update(
        last_checked_at=checked_at, http_status=status, ok=ok, check_error=error[:500]
    )


def _fill_from_page(evidence: Evidence, result: FetchResult, checked_at: dt.datetime) -> None:
    page = extract_page(result)
    if page is None:
        return
    # Conditional updates: never overwrite what an editor typed, never archive twice (a job
    # that runs twice, or a weekly recheck, keeps the first copy).
    if page.title:
        # the page's own title, as the page's language (else the default one) writes it
        code = evidence.language if evidence.language in languages() else default_language()
        untitled = Q()
        for column in columns("title"):
            # a language never written is NULL (modeltranslation's columns are nullable)
            untitled &= Q(**{column: ""}) | Q(**{f"{column}__isnull": True})
        Evidence.objects.filter(untitled, pk=evidence.pk).update(
            **{f"title_{code}": page.title[:500]}
        )
    if page.publisher:
        Evidence.objects.filter(pk=evidence.pk, publisher="").update(publisher=page.publisher[:200])
    Evidence.objects.filter(pk=evidence.pk, archived_at__isnull=True).update(
        archived_text=page.text,
        archived_sha256=hashlib.sha256(page.text.encode("utf-8")).hexdigest(),
        archived_at=checked_at,
    )


# A check still "running" after this long has no live run: the check task's hard time limit
# (150 s) is shorter, so the worker that took it died (see core.tasks.rows_claim).
CHECK_LEASE = dt.timedelta(seconds=300)


def evidence_link_check(*, evidence_id: int, task_id: str = "", final: bool = True) -> str:
    """Fetch an evidence link through the SSRF guard and record what happened: health, and on
    the first good fetch the title, publisher and an archived copy of the text.

    Returns a short outcome ("ok", "broken", "refused", "gone", or "taken" when another live
    run holds the check or it is already done). Network trouble and 5xx/429 answers are
    recorded, then raised as LinkTemporarilyUnavailable for the job to retry; `final` says
    no retry follows.
    """
    taken = rows_claim(
        Evidence,
        [evidence_id],
        task_id=task_id or uuid.uuid4().hex,
        lease=CHECK_LEASE,
        # "": evidence whose check was queued before checks had a state of their own
        queued=(Evidence.CheckStatus.QUEUED, ""),
        prefix="check_",
    )
    evidence = Evidence.objects.filter(pk=evidence_id).first()
    if evidence is None:
        return "gone"
    if not taken:
        return "taken"
    try:
        outcome = _check(evidence)
    except LinkTemporarilyUnavailable:
        Evidence.objects.filter(pk=evidence_id, check_status=Evidence.CheckStatus.RUNNING).update(
            check_status=Evidence.CheckStatus.DONE if final else Evidence.CheckStatus.QUEUED
        )
        raise
    Evidence.objects.filter(pk=evidence_id, check_status=Evidence.CheckStatus.RUNNING).update(
        check_status=Evidence.CheckStatus.DONE
    )
    return outcome


def evidence_checks_sweep(*, now: dt.datetime | None = None) -> int:
    """End the link checks no run will finish (their worker was lost and the message was not
    delivered again): failed with the reason, never running forever; the weekly recheck
    tries them again."""
    return rows_sweep(
        Evidence,
        lease=CHECK_LEASE,
        reason="the worker checking this link was lost and the job was not delivered again",
        now=now,
        prefix="check_",
        error_field="check_error",
        finished_field=None,
    )


def _check(evidence: Evidence) -> str:
    # the HTTP client (~13 MB with ssl) loads in the worker that checks links, not in every
    # web process that imports the services
    import httpx

    from core.outbound import TEMPORARY_HTTP_STATUSES, OutboundRefused, fetch

    evidence_id = evidence.pk
    checked_at = timezone.now()
    try:
        result = fetch(
            evidence.url,
            max_bytes=settings.OUTBOUND_MAX_BYTES,
            timeout=settings.OUTBOUND_TIMEOUT,
        )
    except OutboundRefused as exc:
        _record_health(
            evidence_id, status=None, ok=False, error=f"refused: {exc}", checked_at=checked_at
        )
        return "refused"
    except httpx.HTTPError as exc:
        message = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        _record_health(evidence_id, status=None, ok=False, error=message, checked_at=checked_at)
        if isinstance(exc, httpx.TooManyRedirects):
            return "broken"
        raise LinkTemporarilyUnavailable(message) from exc

    ok = 200 <= result.status < 300
    error = "" if ok else f"HTTP {result.status}"
    _record_health(evidence_id, status=result.status, ok=ok, error=error, checked_at=checked_at)
    if ok:
        _fill_from_page(evidence, result, checked_at)
        return "ok"
    if result.status in TEMPORARY_HTTP_STATUSES:
        raise LinkTemporarilyUnavailable(error)
    return "broken"


def evidence_links_due(*, limit: int = RECHECK_BATCH) -> list[int]:
    """The links not checked for a week, oldest first, at most `limit`."""
    due = timezone.now() - RECHECK_AFTER
    return list(
        Evidence.objects.filter(Q(last_checked_at__isnull=True) | Q(last_checked_at__lt=due))
        .order_by("last_checked_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def evidence_checks_queue(*, evidence_ids: Sequence[int]) -> int:
    """Queue a link check of each evidence once the transaction commits (a check a live run
    holds is left to it)."""
    Evidence.objects.filter(pk__in=list(evidence_ids)).exclude(
        check_status=Evidence.CheckStatus.RUNNING
    ).update(check_status=Evidence.CheckStatus.QUEUED)
    for evidence_id in evidence_ids:
        enqueue_on_commit("claims.evidence_tasks.check_evidence_link", evidence_id)
    return len(evidence_ids)


def _check_fields(*, url: str, stance: str, language: str, claim: Claim) -> None:
    errors: dict[str, str] = {}
    if urlsplit(url).scheme not in ("http", "https"):
        errors["url"] = _("Evidence links must be http or https URLs.")
    if stance not in Evidence.Stance.values:
        errors["stance"] = _("Unknown stance.")
    if language and language not in Language.values:
        errors["language"] = _("Unknown language.")
    if claim.status == Claim.Status.REJECTED:
        errors["claim"] = _("A rejected claim takes no evidence.")
    if errors:
        raise ValidationError(errors, code="invalid_evidence")


def evidence_add(
    *,
    claim: Claim,
    url: str,
    stance: str,
    title: Texts = "",
    publisher: str = "",
    excerpt: str = "",
    language: str = "",
    by: AnyUser | None = None,
) -> Evidence:
    """Weigh a claim with a source. A URL already cited on the claim, an unknown stance or a
    non-http(s) link is refused; subscribers hear of evidence on public claims. The title is
    a string in the default language or {language: text}."""
    require_can_write(by, "write:evidence")
    _check_fields(url=url, stance=stance, language=language, claim=claim)
    evidence = Evidence(
        claim=claim,
        url=url,
        stance=stance,
        publisher=publisher.strip(),
        excerpt=excerpt.strip(),
        language=language,
        added_by=by if by is not None and by.is_authenticated else None,
    )
    texts_set(evidence, "title", title)
    try:
        with transaction.atomic():
            evidence.save(force_insert=True)
            # The link check (health, title, archived copy) runs once the row is committed.
            # Broker down: the job waits in the outbox (core.tasks), the evidence is kept.
            evidence_checks_queue(evidence_ids=[evidence.pk])
            if Claim.objects.public().filter(pk=claim.pk).exists():
                event_emit(
                    "evidence.added",
                    {
                        "evidence": evidence.pk,
                        "claim": claim.pk,
                        "url": evidence.url,
                        "stance": evidence.stance,
                        "title": evidence.title,
                    },
                )
    except IntegrityError:
        raise ValidationError(
            {"url": _("This link is already evidence for the claim.")}, code="duplicate_url"
        ) from None
    return evidence


def evidence_update(
    *,
    evidence: Evidence,
    by: AnyUser | None,
    url: str | None = None,
    stance: str | None = None,
    title: Texts | None = None,
    publisher: str | None = None,
    excerpt: str | None = None,
    language: str | None = None,
) -> Evidence:
    """Correct an evidence link. A new URL is a new source: its link health and archived copy
    are cleared and the link is checked (and archived) again."""
    require_can_write(by, "write:evidence")
    new_url = evidence.url if url is None else url.strip()
    _check_fields(
        url=new_url,
        stance=evidence.stance if stance is None else stance,
        language=evidence.language if language is None else language,
        claim=evidence.claim,
    )
    fields: list[str] = []
    if title is not None:
        fields += texts_set(evidence, "title", title)
    for name, value in (
        ("stance", stance),
        ("publisher", publisher),
        ("excerpt", excerpt),
        ("language", language),
    ):
        if value is not None and value.strip() != getattr(evidence, name):
            setattr(evidence, name, value.strip())
            fields.append(name)
    url_changed = new_url != evidence.url
    if url_changed:
        evidence.url = new_url
        evidence.last_checked_at = evidence.archived_at = None
        evidence.http_status = evidence.ok = None
        evidence.check_error = evidence.archived_text = evidence.archived_sha256 = ""
        fields += [
            "url",
            "last_checked_at",
            "archived_at",
            "http_status",
            "ok",
            "check_error",
            "archived_text",
            "archived_sha256",
        ]
    if not fields:
        return evidence
    try:
        with transaction.atomic():
            evidence.save(update_fields=[*fields, "updated_at"])
            if url_changed:
                evidence_checks_queue(evidence_ids=[evidence.pk])
    except IntegrityError:
        raise ValidationError(
            {"url": _("This link is already evidence for the claim.")}, code="duplicate_url"
        ) from None
    return evidence


def evidence_delete(*, evidence: Evidence, by: AnyUser | None) -> None:
    """Take a source off a claim."""
    require_can_write(by, "write:evidence")
    with transaction.atomic():
        evidence.delete()
