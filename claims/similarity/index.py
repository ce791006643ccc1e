"""The in-process vector index: one int8 row per claim, scanned whole for each query.

Why this layout (measured on 100,000 × 512, see docs/benchmarks.md): a float32 matrix is exact
and fast but takes 205 MB; float16 halves that but numpy widens it too slowly (~150 ms a
query); a PCA projection is cheapest in time but its recall depends on the corpus and it must be
refitted as the corpus changes. int8 codes take 51 MB, scan in ~20 ms on one core with
`einsum`, need no training, and adding a claim is writing one row. Their scores are within
about 0.01 of the exact cosine, so the index returns more candidates than asked for and the
caller re-ranks them exactly with the float vectors it reads from the database.

A claim has two vectors (its quote, and the editor's statement when there is one). The row
holds their normalised sum: for a query q, max(q·quote, q·statement) = q·mean + |q·half-diff|,
so claims close to either text rank high on the mean, and the exact re-rank takes the better of
the two.

Each row also carries the claim's visibility: hidden (rejected: never matched), seen by
editors only (not yet public), public. A query asks for a minimum, so readers' searches fill
their top k with public claims only.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

HIDDEN, EDITORS, PUBLIC = 0, 1, 2
# A large index is scanned in slices on this many threads (numpy's einsum lets go of the GIL):
# on two cores it halves the wait when a core is free, and costs nothing when none is.
SCAN_THREADS = min(4, os.cpu_count() or 1)
PARALLEL_FROM_ROWS = 20_000
_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(SCAN_THREADS, thread_name_prefix="similarity-scan")
        return _executor


# USE components stay within ±0.13; the codes span ±0.16 (a larger one is clipped)
CLIP = 0.16
SCALE = CLIP / 127.0


@dataclass(frozen=True)
class IndexRow:
    claim_id: int
    vector: npt.NDArray[np.float32]  # unit length (or zero)
    visibility: int


def quantise(vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.int8]:
    codes = np.rint(np.asarray(vectors, dtype=np.float32) / SCALE)
    quantised: npt.NDArray[np.int8] = np.clip(codes, -127, 127).astype(np.int8)
    return quantised


def combine(
    quote: npt.NDArray[np.float32], statement: npt.NDArray[np.float32] | None
) -> npt.NDArray[np.float32]:
    """The direction between a claim's two vectors (its quote's alone without a statement)."""
    vector = quote if statement is None else quote + statement
    norm = float(np.linalg.norm(vector))
    if norm == 0.0:
        return np.zeros_like(quote, dtype=np.float32)
    return (vector / norm).astype(np.float32)


class VectorIndex:
    """Rows of int8 codes with their claim ids and visibility; grows by doubling."""

    def __init__(self, dimensions: int, capacity: int = 1024) -> None:
        self.dimensions = dimensions
        self._codes = np.zeros((capacity, dimensions), dtype=np.int8)
        self._ids = np.zeros(capacity, dtype=np.int64)
        self._visibility = np.zeros(capacity, dtype=np.int8)
        self._rows: dict[int, int] = {}
        self.size = 0

    def __len__(self) -> int:
        return self.size

    @property
    def nbytes(self) -> int:
        """Bytes of the arrays in use and reserved (the id → row map aside)."""
        return self._codes.nbytes + self._ids.nbytes + self._visibility.nbytes

    def _grow(self, needed: int) -> None:
        capacity = len(self._ids)
        if needed <= capacity:
            return
        while capacity < needed:
            capacity *= 2
        for name in ("_codes", "_ids", "_visibility"):
            old = getattr(self, name)
            new = np.zeros((capacity, *old.shape[1:]), dtype=old.dtype)
            new[: self.size] = old[: self.size]
            setattr(self, name, new)

    def upsert(self, rows: Iterable[IndexRow]) -> None:
        """Add claims, or replace their vector and visibility (in place: no rebuild)."""
        rows = list(rows)
        if not rows:
            return
        self._grow(self.size + len(rows))
        positions = np.empty(len(rows), dtype=np.int64)
        for i, row in enumerate(rows):
            position = self._rows.get(row.claim_id)
            if position is None:
                position = self._rows[row.claim_id] = self.size
                self._ids[position] = row.claim_id
                self.size += 1
            positions[i] = position
        self._codes[positions] = quantise(np.stack([row.vector for row in rows]))
        self._visibility[positions] = [row.visibility for row in rows]

    def set_visibility(self, claim_id: int, visibility: int) -> None:
        position = self._rows.get(claim_id)
        if position is not None:
            self._visibility[position] = visibility

    def visibility(self, claim_id: int) -> int | None:
        position = self._rows.get(claim_id)
        return None if position is None else int(self._visibility[position])

    def _scan(self, weights: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        codes = self._codes[: self.size]
        if SCAN_THREADS == 1 or self.size < PARALLEL_FROM_ROWS:
            scores: npt.NDArray[np.float32] = np.einsum("ij,j->i", codes, weights)
            return scores
        slices = np.array_split(np.arange(self.size), SCAN_THREADS)
        parts = _pool().map(
            lambda rows: np.einsum("ij,j->i", codes[rows[0] : rows[-1] + 1], weights),
            [rows for rows in slices if len(rows)],
        )
        return np.concatenate(list(parts)).astype(np.float32)

    def search(
        self,
        query: npt.NDArray[np.float32],
        *,
        candidates: int,
        min_visibility: int = EDITORS,
        exclude: Iterable[int] = (),
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """The `candidates` best claims for a unit-length query, best first, with their
        approximate cosine: (claim ids, scores)."""
        if self.size == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        weights = np.asarray(query, dtype=np.float32) * np.float32(SCALE)
        scores = self._scan(weights)
        scores[self._visibility[: self.size] < min_visibility] = -np.inf
        for claim_id in exclude:
            position = self._rows.get(claim_id)
            if position is not None:
                scores[position] = -np.inf
        count = min(candidates, self.size)
        top = np.argpartition(scores, -count)[-count:]
        top = top[np.argsort(-scores[top])]
        top = top[np.isfinite(scores[top])]
        return self._ids[top].copy(), scores[top].astype(np.float32)
