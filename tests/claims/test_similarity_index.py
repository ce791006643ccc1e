"""The in-process index: int8 rows, visibility, in-place updates, and its refresh from the
database by version."""

from __future__ import annotations

import numpy as np
import pytest

from claims.models import ClaimEmbedding, ClaimIndexVersion
from claims.services import claims_index_touch
from claims.similarity.index import EDITORS, HIDDEN, PUBLIC, IndexRow, VectorIndex, quantise
from claims.similarity.live import current_index
from tests.claims.similarity_helpers import claim_on_article


def _unit(seed: int, dim: int = 512) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal(dim).astype(np.float32)
    return v / np.linalg.norm(v)


def test_search_finds_the_nearest_and_respects_visibility() -> None:
    index = VectorIndex(512, capacity=2)
    index.upsert(IndexRow(i, _unit(i), PUBLIC) for i in range(1, 50))
    assert len(index) == 49
    ids, scores = index.search(_unit(7), candidates=3)
    assert ids[0] == 7
    assert scores[0] == pytest.approx(1.0, abs=0.02)
    index.set_visibility(7, EDITORS)
    ids, _ = index.search(_unit(7), candidates=3, min_visibility=PUBLIC)
    assert 7 not in ids
    ids, _ = index.search(_unit(7), candidates=3, min_visibility=EDITORS)
    assert ids[0] == 7
    index.set_visibility(7, HIDDEN)
    ids, _ = index.search(_unit(7), candidates=3, min_visibility=EDITORS)
    assert 7 not in ids


def test_upsert_replaces_a_row_in_place() -> None:
    index = VectorIndex(512)
    index.upsert([IndexRow(1, _unit(1), PUBLIC), IndexRow(2, _unit(2), PUBLIC)])
    index.upsert([IndexRow(1, _unit(99), PUBLIC)])
    assert len(index) == 2
    ids, _ = index.search(_unit(99), candidates=1)
    assert ids.tolist() == [1]


def test_exclude_and_an_empty_index() -> None:
    assert VectorIndex(8).search(np.ones(8, dtype=np.float32), candidates=5)[0].size == 0
    index = VectorIndex(512)
    index.upsert([IndexRow(1, _unit(1), PUBLIC), IndexRow(2, _unit(2), PUBLIC)])
    ids, _ = index.search(_unit(1), candidates=5, exclude=[1])
    assert ids.tolist() == [2]


def test_quantised_scores_stay_close_to_the_cosine() -> None:
    a, b = _unit(1, 512) * 0.9, _unit(2, 512)
    exact = float(a @ b)
    approx = float(quantise(a[None, :])[0].astype(np.float32) @ (b * (0.16 / 127)))
    assert approx == pytest.approx(exact, abs=0.02)


@pytest.mark.django_db
def test_the_live_index_reads_only_what_changed_since_its_version(settings) -> None:
    settings.SIMILARITY_INDEX_CHECK_SECONDS = 0
    first = claim_on_article("Nuclear power supplied 65% of French electricity in 2023.")
    index = current_index()
    assert index.visibility(first.pk) == PUBLIC
    version = ClaimIndexVersion.objects.get().version
    second = claim_on_article(
        "Data centres used about 415 TWh in 2024.", status="accepted", article_status="draft"
    )
    assert ClaimEmbedding.objects.get(claim=second).index_seq > version
    assert current_index() is index  # refreshed in place
    assert index.visibility(second.pk) == EDITORS
    # a status change another process made: stamped, then picked up
    type(first).objects.filter(pk=first.pk).update(status="rejected")
    claims_index_touch(claim_ids=[first.pk])
    assert current_index().visibility(first.pk) == HIDDEN


def test_a_large_index_is_scanned_in_slices_with_the_same_result(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from claims.similarity import index as module

    rows = np.random.default_rng(0).standard_normal((25_000, 512)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    index = VectorIndex(512)
    index.upsert(IndexRow(i + 1, rows[i], PUBLIC) for i in range(len(rows)))
    monkeypatch.setattr(module, "SCAN_THREADS", 2)
    sliced = index.search(rows[123], candidates=10)
    monkeypatch.setattr(module, "SCAN_THREADS", 1)
    whole = index.search(rows[123], candidates=10)
    assert sliced[0].tolist() == whole[0].tolist() and sliced[0][0] == 124
    np.testing.assert_allclose(sliced[1], whole[1], rtol=1e-5)
