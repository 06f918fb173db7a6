"""Semantic candidate pairs: documents that may be rewrites of each other.

Shingle-based candidates (MinHash LSH, Broder 1997) miss rewrites that keep
the meaning but change most words: a content farm's paraphrase, a
thesaurus-heavy rewrite.  This route finds them by meaning instead.

Each document gets a *lead vector*: the normalised mean of the sentence
vectors (all-MiniLM-L6-v2, :mod:`sitrep.vectors`) of its first
``max_sentences`` sentences of at least ``min_tokens`` words.  The lead is
what rewriters keep and what defines a news story (inverted-pyramid style);
bounding it keeps the model cost per document constant.  Pairs of documents
whose lead vectors have cosine similarity at or above ``threshold`` and that
are among each other's ``k`` nearest neighbours (either way) become
candidates, scored by that cosine.  The nearest-neighbour search is exact:
blocked dense products in numpy, memory bounded by ``block_bytes`` however
many documents there are (exact search is the right tool up to some 10^5
documents; past that an approximate index would replace :func:`neighbours`).

Candidates are only candidates: :mod:`sitrep.provenance.align` decides whether
a pair really shares text or meaning sentence by sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from sitrep.extract.boilerplate import is_prose
from sitrep.provenance.align import sentences, tokens

EmbedFn = Callable[[Sequence[str]], np.ndarray]

MAX_SENTENCES = 4
MIN_TOKENS = 5
THRESHOLD = 0.8
K = 10
BLOCK_BYTES = 64 << 20


def lead_sentences(text: str, max_sentences: int = MAX_SENTENCES, min_tokens: int = MIN_TOKENS) -> list[str]:
    """The first ``max_sentences`` prose sentences of ``text`` with at least ``min_tokens`` words.

    Prose only (:func:`sitrep.extract.boilerplate.is_prose`): site chrome left in
    a text ("Share on Facebook", a breadcrumb) says nothing about its story.
    """
    out = []
    for s, e in sentences(text):
        if len(tokens(text[s:e])) >= min_tokens and is_prose(text[s:e]):
            out.append(text[s:e])
            if len(out) == max_sentences:
                break
    return out


def document_vectors(
    texts: Sequence[str],
    embed: EmbedFn | None = None,
    max_sentences: int = MAX_SENTENCES,
    min_tokens: int = MIN_TOKENS,
) -> np.ndarray:
    """Lead vectors of ``texts``, shape (n, dim), unit length (zero rows for texts without sentences)."""
    if embed is None:
        from sitrep.vectors import embed as default_embed

        embed = default_embed
    leads = [lead_sentences(t, max_sentences, min_tokens) for t in texts]
    flat = [s for lead in leads for s in lead]
    vecs = embed(flat)
    dim = vecs.shape[1] if vecs.ndim == 2 and vecs.shape[0] else _dim(embed)
    out = np.zeros((len(texts), dim), dtype=np.float32)
    pos = 0
    for i, lead in enumerate(leads):
        if lead:
            out[i] = vecs[pos:pos + len(lead)].mean(axis=0)
            pos += len(lead)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out


def _dim(embed: EmbedFn) -> int:
    return int(embed(["dimension probe"]).shape[1])


def top_neighbours(
    queries: np.ndarray,
    base: np.ndarray,
    k: int = K,
    threshold: float = THRESHOLD,
    block_bytes: int = BLOCK_BYTES,
    exclude_self: bool = False,
) -> list[tuple[int, int, float]]:
    """``(query row, base row, cosine)`` for each query's ``k`` best base rows at or above ``threshold``.

    Rows must be unit vectors.  ``exclude_self`` drops ``(i, i)`` (queries == base).
    Works in row blocks so that a block's score matrix stays under ``block_bytes``.
    """
    n, m = queries.shape[0], base.shape[0]
    if n == 0 or m == 0:
        return []
    rows = max(1, block_bytes // (4 * m))
    out: list[tuple[int, int, float]] = []
    kk = min(k + (1 if exclude_self else 0), m)
    for lo in range(0, n, rows):
        scores = queries[lo:lo + rows] @ base.T
        if exclude_self:
            idx = np.arange(lo, min(lo + rows, n))
            scores[idx - lo, idx] = -np.inf
        top = np.argpartition(-scores, kk - 1, axis=1)[:, :kk] if kk < m else np.tile(np.arange(m), (len(scores), 1))
        for r, cols in enumerate(top):
            for c in cols:
                s = float(scores[r, c])
                if s >= threshold:
                    out.append((lo + r, int(c), s))
    return out


def neighbours(
    vectors: np.ndarray, k: int = K, threshold: float = THRESHOLD, block_bytes: int = BLOCK_BYTES
) -> list[tuple[int, int, float]]:
    """Unordered pairs ``(i, j, cosine)`` with i < j: one of them among the other's ``k`` nearest."""
    best: dict[tuple[int, int], float] = {}
    for i, j, s in top_neighbours(vectors, vectors, k, threshold, block_bytes, exclude_self=True):
        key = (i, j) if i < j else (j, i)
        best[key] = max(s, best.get(key, -1.0))
    return sorted((i, j, s) for (i, j), s in best.items())


def semantic_candidates(
    ids: Sequence[str], vectors: np.ndarray, k: int = K, threshold: float = THRESHOLD
) -> list[tuple[str, str, float]]:
    """Candidate pairs ``(id_a, id_b, cosine)`` of documents whose leads mean nearly the same."""
    if len(ids) != vectors.shape[0]:
        raise ValueError(f"{len(ids)} ids for {vectors.shape[0]} vectors")
    return [(ids[i], ids[j], round(s, 4)) for i, j, s in neighbours(vectors, k, threshold)]
