"""The similarity index on 100,000 synthetic claims: latency, memory and recall against an
exact float32 search (devtools: not the product; `python manage.py bench_similar`).

The claims are built from real embeddings, as the index will see them: the labelled set's
sentences and variants of them with other figures, years and places (near-duplicates, the hard
case for a quantised index), mixed pairwise with a little noise up to the count asked for.
Each claim has a quote vector; most also have a statement vector close to it (an editor's
rewording or translation, cosine about 0.8). Queries are held-out real sentences.
"""

from __future__ import annotations

import random
import re
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from claims.selectors import CANDIDATES
from claims.similarity.embedder import STORED_DTYPE, Embedder
from claims.similarity.index import PUBLIC, IndexRow, VectorIndex, combine

Matrix = npt.NDArray[np.float32]

PLACES = ("France", "Ireland", "China", "Germany", "Texas", "Japan", "Spain", "Norway")
K = 10


def _normalise(x: Matrix) -> Matrix:
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    norms[norms == 0] = 1
    normalised: Matrix = (x / norms).astype(np.float32)
    return normalised


def variants(sentences: Sequence[str], count: int, seed: int) -> list[str]:
    """The sentences with other figures, years and places."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    out = []
    for i in range(count):
        text = sentences[i % len(sentences)]
        text = re.sub(r"\b(19|20)\d\d\b", lambda m: str(rng.randint(1990, 2035)), text)
        text = re.sub(
            r"\d+(?:[.,]\d+)?", lambda m: str(round(rng.uniform(1, 900), rng.choice((0, 1)))), text
        )
        for place in PLACES:
            if place in text:
                text = text.replace(place, rng.choice(PLACES))
        out.append(text)
    return out


@dataclass
class Corpus:
    quotes: Matrix  # (n, d)
    statements: Matrix  # (n, d); zero rows where a claim has no statement
    has_statement: npt.NDArray[np.bool_]
    queries: Matrix


def build_corpus(
    embedder: Embedder, sentences: Sequence[str], *, claims: int, queries: int, seed: int = 0
) -> Corpus:
    rng = np.random.default_rng(seed)
    base_texts = list(dict.fromkeys([*sentences, *variants(sentences, 3 * len(sentences), seed)]))
    query_texts = variants(sentences, queries, seed + 1)
    real = embedder.encode(base_texts)
    query_vectors = embedder.encode(query_texts)
    real = real[:claims]
    n_real = len(real)
    mixed = claims - n_real
    i = rng.integers(0, n_real, mixed)
    j = rng.integers(0, n_real, mixed)
    weight = rng.uniform(0.2, 0.6, mixed).astype(np.float32)[:, None]
    noise = rng.standard_normal((mixed, real.shape[1]), dtype=np.float32) * np.float32(
        0.25 / np.sqrt(real.shape[1])
    )
    quotes = np.concatenate([real, _normalise(real[i] + weight * real[j] + noise)])
    quotes = quotes[rng.permutation(claims)]
    # a statement: the same claim reworded (cosine ~0.8 with its quote); 60 % of claims have one
    drift = _normalise(rng.standard_normal(quotes.shape, dtype=np.float32))
    statements = _normalise(quotes + np.float32(0.75) * drift)
    has_statement = rng.random(claims) < 0.6
    statements[~has_statement] = 0
    return Corpus(quotes, statements, has_statement, query_vectors)


def exact_top(corpus: Corpus, query: Matrix, k: int = K) -> npt.NDArray[np.int64]:
    """The true top k: max(q·quote, q·statement) over every claim, in float32."""
    scores = np.maximum(corpus.quotes @ query, corpus.statements @ query)
    top = np.argpartition(scores, -k)[-k:]
    result: npt.NDArray[np.int64] = top[np.argsort(-scores[top])]
    return result


@dataclass
class Measure:
    name: str
    memory_mb: float
    recall: float
    p50_ms: float
    p95_ms: float


def _timed(
    fn: Callable[[Matrix], npt.NDArray[np.int64]], queries: Matrix, rounds: int
) -> tuple[list[float], list[npt.NDArray[np.int64]]]:
    for query in queries[:5]:
        fn(query)
    times, results = [], []
    for _round in range(rounds):
        for query in queries:
            started = time.perf_counter()
            found = fn(query)
            times.append((time.perf_counter() - started) * 1000)
            if _round == 0:
                results.append(found)
    return times, results


def _measure(
    name: str,
    memory: float,
    fn: Callable[[Matrix], npt.NDArray[np.int64]],
    corpus: Corpus,
    truth: list[set[int]],
    rounds: int,
) -> Measure:
    times, results = _timed(fn, corpus.queries, rounds)
    recall = float(
        np.mean([len(set(r.tolist()) & t) / K for r, t in zip(results, truth, strict=True)])
    )
    return Measure(
        name,
        round(memory / 1e6, 1),
        round(recall, 4),
        round(float(np.percentile(times, 50)), 2),
        round(float(np.percentile(times, 95)), 2),
    )


def run(corpus: Corpus, *, rounds: int = 3) -> list[Measure]:
    n = len(corpus.quotes)
    truth = [set(exact_top(corpus, q).tolist()) for q in corpus.queries]

    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    index = VectorIndex(corpus.quotes.shape[1], capacity=n)
    batch = 5000
    for start in range(0, n, batch):
        index.upsert(
            IndexRow(
                claim_id=k,
                vector=combine(
                    corpus.quotes[k], corpus.statements[k] if corpus.has_statement[k] else None
                ),
                visibility=PUBLIC,
            )
            for k in range(start, min(start + batch, n))
        )
    index_memory = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()

    # what the database hands back for the candidates: their float16 vectors
    stored_quotes = corpus.quotes.astype(STORED_DTYPE)
    stored_statements = corpus.statements.astype(STORED_DTYPE)

    def int8_rerank(query: Matrix) -> npt.NDArray[np.int64]:
        ids, _approx = index.search(query, candidates=CANDIDATES, min_visibility=PUBLIC)
        quotes = stored_quotes[ids].astype(np.float32) @ query
        statements = stored_statements[ids].astype(np.float32) @ query
        exact = np.maximum(quotes, statements)
        result: npt.NDArray[np.int64] = ids[np.argsort(-exact)[:K]]
        return result

    def int8_only(query: Matrix) -> npt.NDArray[np.int64]:
        ids, _approx = index.search(query, candidates=K, min_visibility=PUBLIC)
        return ids

    combined = np.ascontiguousarray(_normalise(corpus.quotes + corpus.statements), dtype=np.float32)

    def float32_combined(query: Matrix) -> npt.NDArray[np.int64]:
        scores = combined @ query
        top = np.argpartition(scores, -CANDIDATES)[-CANDIDATES:]
        exact = np.maximum(corpus.quotes[top] @ query, corpus.statements[top] @ query)
        result: npt.NDArray[np.int64] = top[np.argsort(-exact)[:K]]
        return result

    def float32_exact(query: Matrix) -> npt.NDArray[np.int64]:
        return exact_top(corpus, query)

    return [
        _measure(
            f"int8 scan + exact re-rank of {CANDIDATES} (Assay)",
            index_memory,
            int8_rerank,
            corpus,
            truth,
            rounds,
        ),
        _measure("int8 scan alone", index_memory, int8_only, corpus, truth, rounds),
        _measure(
            f"float32 mean vector + re-rank of {CANDIDATES}",
            combined.nbytes,
            float32_combined,
            corpus,
            truth,
            rounds,
        ),
        _measure(
            "float32 exact, quote and statement",
            corpus.quotes.nbytes + corpus.statements.nbytes,
            float32_exact,
            corpus,
            truth,
            1,
        ),
    ]
