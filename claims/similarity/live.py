"""The process's similarity index, kept in step with the database.

Loaded on the first read that needs it (a web worker that never shows similar claims never
holds it). Every change the index must see bumps `ClaimIndexVersion` and stamps the changed
claims' `ClaimEmbedding.index_seq` with the new version, in the change's own transaction. A
process compares its version with the database's at most every SIMILARITY_INDEX_CHECK_SECONDS
(and at once after a change it made itself) and then reads only the rows stamped after its
version: a refresh costs what changed, not a rebuild.

The index may hold a claim a moment longer than it should (deleted, rejected): callers read
the candidates back from the database with the reader's visibility rules, so a stale row can
cost a result, never leak one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from articles.models import Article
from claims.models import Claim, ClaimEmbedding, ClaimIndexVersion
from claims.similarity.embedder import DIMENSIONS, from_bytes, get_embedder
from claims.similarity.index import EDITORS, HIDDEN, PUBLIC, IndexRow, VectorIndex, combine

logger = logging.getLogger(__name__)

LOAD_CHUNK = 2000


def visibility_of(status: str, article_status: str) -> int:
    if status == Claim.Status.REJECTED:
        return HIDDEN
    if status == Claim.Status.PUBLISHED and article_status == Article.Status.PUBLISHED:
        return PUBLIC
    return EDITORS


@dataclass
class _Live:
    index: VectorIndex | None = None
    version: int = -1
    model_version: str = ""
    checked_at: float = 0.0


_live = _Live()
_lock = threading.Lock()


def database_version() -> int:
    version = ClaimIndexVersion.objects.values_list("version", flat=True).first()
    return int(version or 0)


def _rows(embeddings: QuerySet[ClaimEmbedding]) -> Iterator[IndexRow]:
    fields = ("claim_id", "quote_vector", "statement_vector", "claim__status")
    for claim_id, quote, statement, status, article_status in embeddings.values_list(
        *fields, "claim__article__status"
    ).iterator(chunk_size=LOAD_CHUNK):
        quote_vector = from_bytes(quote)
        if quote_vector is None:
            continue
        yield IndexRow(
            claim_id=claim_id,
            vector=combine(quote_vector, from_bytes(statement)),
            visibility=visibility_of(status, article_status),
        )


def _load(embeddings: QuerySet[ClaimEmbedding], index: VectorIndex) -> int:
    count = 0
    batch: list[IndexRow] = []
    for row in _rows(embeddings):
        batch.append(row)
        if len(batch) >= LOAD_CHUNK:
            index.upsert(batch)
            count += len(batch)
            batch = []
    index.upsert(batch)
    return count + len(batch)


def current_index() -> VectorIndex:
    """The index, loaded or brought up to date first if the database moved on."""
    now = time.monotonic()
    with _lock:
        model_version = get_embedder().version
        stale = _live.index is None or _live.model_version != model_version
        if not stale and now - _live.checked_at < settings.SIMILARITY_INDEX_CHECK_SECONDS:
            assert _live.index is not None
            return _live.index
        # read the version before the rows: a change committed meanwhile is read again later
        version = database_version()
        embeddings = ClaimEmbedding.objects.filter(model_version=model_version)
        if stale:
            index = VectorIndex(DIMENSIONS)
            started = time.perf_counter()
            loaded = _load(embeddings, index)
            logger.info(
                "similarity index loaded",
                extra={"claims": loaded, "ms": round((time.perf_counter() - started) * 1000)},
            )
            _live.index, _live.model_version = index, model_version
        elif version != _live.version:
            assert _live.index is not None
            _load(embeddings.filter(index_seq__gt=_live.version), _live.index)
        _live.version, _live.checked_at = version, now
        assert _live.index is not None
        return _live.index


def index_changed() -> None:
    """This process changed what the index holds: look at the database on the next read."""
    _live.checked_at = 0.0


def index_forget() -> None:
    """Drop the process's index (tests, and after a full reindex with another model)."""
    with _lock:
        _live.index, _live.version, _live.model_version, _live.checked_at = None, -1, "", 0.0
