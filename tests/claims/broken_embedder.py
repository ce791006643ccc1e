"""An embedder that cannot run, as with a corrupt install or no memory left."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from claims.similarity.embedder import EmbedderUnavailable


class BrokenEmbedder:
    version = "broken-1"
    dimensions = 512

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        raise EmbedderUnavailable("OSError: weights.npz is not a zip file")
