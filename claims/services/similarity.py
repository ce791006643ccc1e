"""Writes of the similarity index: embedding claims (one, in a job; all, for `reindex_claims`)
and telling every process's index that claims changed (claims.similarity.live)."""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connections, transaction
from django.db.models import F, Q

from claims.models import Claim, ClaimEmbedding, ClaimIndexVersion
from claims.similarity.embedder import EmbedderUnavailable, get_embedder, to_bytes
from core.tasks import TemporaryJobError, enqueue_on_commit

if TYPE_CHECKING:
    from claims.similarity.embedder import Vectors

logger = logging.getLogger(__name__)


def _index_changed() -> None:
    # the in-process index (numpy) is imported by what searches it, not by every writer
    from claims.similarity.live import index_changed

    index_changed()


EMBED_TASK = "claims.tasks.embed_claim"
REINDEX_BATCH = 256


def text_hash(*, quote: str, statement: str) -> str:
    return hashlib.sha256(f"{quote}\x00{statement}".encode()).hexdigest()


def _index_version_bump() -> int:
    """A new index version, in the caller's transaction (the UPDATE holds the row until it
    commits, so versions follow commit order)."""
    if not ClaimIndexVersion.objects.filter(pk=1).update(version=F("version") + 1):
        ClaimIndexVersion.objects.get_or_create(pk=1, defaults={"version": 1})
    return int(ClaimIndexVersion.objects.values_list("version", flat=True).get(pk=1))


def claims_index_touch(*, claim_ids: Collection[int] = (), article_id: int | None = None) -> None:
    """The status of these claims (or of every claim of an article) changed: every process's
    index picks up their new visibility on its next read."""
    embeddings = ClaimEmbedding.objects.filter(
        Q(claim_id__in=list(claim_ids)) | Q(claim__article_id=article_id)
    )
    with transaction.atomic():
        if not embeddings.exists():
            return
        version = _index_version_bump()
        embeddings.update(index_seq=version)
        transaction.on_commit(_index_changed)


def claims_embed_queue(*, claim_ids: Collection[int]) -> int:
    """Embed these claims in a job once the transaction commits (their text is new or
    changed). Returns how many were queued."""
    for claim_id in claim_ids:
        enqueue_on_commit(EMBED_TASK, claim_id)
    return len(claim_ids)


@dataclass
class EmbedResult:
    embedded: list[int]
    unchanged: int


@dataclass
class _Plan:
    """What a batch of claims needs embedded: the claims whose text (or model) changed, with
    their new hashes, and the texts to encode in order (quote, then statement when it has one
    that is not the quote)."""

    todo: list[tuple[Claim, str]]
    texts: list[str]
    unchanged: int


def _has_statement(claim: Claim) -> bool:
    # a statement that repeats the quote adds nothing: it is embedded once
    statement = claim.matching_statement()
    return bool(statement) and statement != claim.quote


def _plan(claims: Collection[Claim], *, force: bool, model_version: str) -> _Plan:
    stored = {
        e.claim_id: e
        for e in ClaimEmbedding.objects.filter(claim__in=[c.pk for c in claims]).only(
            "claim_id", "text_hash", "model_version"
        )
    }
    todo: list[tuple[Claim, str]] = []
    for claim in claims:
        digest = text_hash(quote=claim.quote, statement=claim.matching_statement())
        current = stored.get(claim.pk)
        if (
            force
            or current is None
            or current.text_hash != digest
            or current.model_version != model_version
        ):
            todo.append((claim, digest))
    texts: list[str] = []
    for claim, _digest in todo:
        texts.append(claim.quote)
        if _has_statement(claim):
            texts.append(claim.matching_statement())
    return _Plan(todo, texts, len(claims) - len(todo))


def _store(plan: _Plan, vectors: Vectors, model_version: str) -> list[int]:
    rows: list[ClaimEmbedding] = []
    at = 0
    for claim, digest in plan.todo:
        quote_vector = vectors[at]
        at += 1
        statement_vector = None
        if _has_statement(claim):
            statement_vector = to_bytes(vectors[at])
            at += 1
        rows.append(
            ClaimEmbedding(
                claim_id=claim.pk,
                model_version=model_version,
                text_hash=digest,
                quote_vector=to_bytes(quote_vector),
                statement_vector=statement_vector,
            )
        )
    with transaction.atomic():
        version = _index_version_bump()
        for row in rows:
            row.index_seq = version
        ClaimEmbedding.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["claim"],
            update_fields=[
                "model_version",
                "text_hash",
                "quote_vector",
                "statement_vector",
                "index_seq",
                "updated_at",
            ],
        )
        transaction.on_commit(_index_changed)
    return [claim.pk for claim, _digest in plan.todo]


def claims_embed(*, claims: Collection[Claim], force: bool = False) -> EmbedResult:
    """Embed the quote and statement of each claim whose text (or the model) changed since it
    was last embedded, in one call of the encoder, and stamp them for the index. Raises
    EmbedderUnavailable when the encoder cannot run (nothing is written then)."""
    embedder = get_embedder()
    plan = _plan(claims, force=force, model_version=embedder.version)
    if not plan.todo:
        return EmbedResult([], plan.unchanged)
    vectors = embedder.encode(plan.texts)
    return EmbedResult(_store(plan, vectors, embedder.version), plan.unchanged)


def claim_embed(*, claim_id: int) -> str:
    """The `embed_claim` job: embed one claim if its text changed, then suggest the claims it
    may be the same as. A failing encoder is a temporary error: the job is tried again, and the
    claim shows as "not indexed yet" meanwhile."""
    from claims.services.families import claim_links_suggest

    claim = Claim.objects.select_related("article").filter(pk=claim_id).first()
    if claim is None:
        return "gone"
    try:
        result = claims_embed(claims=[claim])
    except EmbedderUnavailable as exc:
        logger.warning("claim %s not embedded: %s", claim_id, exc)
        raise TemporaryJobError(str(exc)) from exc
    if claim.status != Claim.Status.REJECTED:
        claim_links_suggest(claim=claim)
    return "embedded" if result.embedded else "unchanged"


@dataclass
class ReindexReport:
    total: int
    embedded: int
    unchanged: int
    seconds: float
    suggested: int = 0


def _encode_in_worker(texts: list[str]) -> Vectors:
    return get_embedder().encode(texts)


def claims_reindex(
    *,
    force: bool = False,
    suggest: bool = False,
    batch_size: int = REINDEX_BATCH,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> ReindexReport:
    """(Re)build the stored vectors of every claim, batch by batch: those whose text or model
    changed (all of them with `force`). With `workers` > 1, that many processes encode while
    this one reads and writes (the encoder is loaded here first and shared with them on
    fork). With `suggest`, then look for same-claim links of every claim it embedded (one index
    search each). `progress(done, total)` after each batch."""
    from claims.services.families import claim_links_suggest

    started = time.perf_counter()
    embedder = get_embedder()
    ids = list(Claim.objects.order_by("pk").values_list("pk", flat=True))
    report = ReindexReport(total=len(ids), embedded=0, unchanged=0, seconds=0.0)
    changed: list[int] = []
    pool = None
    if workers > 1 and len(ids) > batch_size:
        embedder.encode(["load the model before forking"])
        if not transaction.get_connection().in_atomic_block:
            # the children never touch the database; they must not share its connections
            connections.close_all()
        pool = multiprocessing.get_context("fork").Pool(workers)
    pending: deque[tuple[_Plan, Any, int]] = deque()

    def write_oldest() -> None:
        plan, vectors, done = pending.popleft()
        result = vectors.get() if pool is not None else vectors
        changed.extend(_store(plan, result, embedder.version) if plan.todo else [])
        report.embedded += len(plan.todo)
        report.unchanged += plan.unchanged
        if progress is not None:
            progress(done, len(ids))

    try:
        for start in range(0, len(ids), batch_size):
            batch = list(
                Claim.objects.filter(pk__in=ids[start : start + batch_size])
                .only("pk", "quote", "statement")
                .order_by("pk")
            )
            plan = _plan(batch, force=force, model_version=embedder.version)
            done = min(start + batch_size, len(ids))
            if pool is None:
                vectors: Any = embedder.encode(plan.texts) if plan.texts else None
            else:
                vectors = pool.apply_async(_encode_in_worker, (plan.texts,))
            pending.append((plan, vectors, done))
            if len(pending) > max(workers, 1):
                write_oldest()
        while pending:
            write_oldest()
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    if suggest:
        for claim in (
            Claim.objects.filter(pk__in=changed)
            .exclude(status=Claim.Status.REJECTED)
            .select_related("article", "embedding")
        ):
            report.suggested += claim_links_suggest(claim=claim)
    report.seconds = time.perf_counter() - started
    return report
