"""MinHash signatures of shingle sets, and the Jaccard estimate they give.

What it computes: for ``num_perm`` hash functions h_1..h_k drawn from a
universal family, the signature of a set S is ``(min h_1(S), ..., min h_k(S))``.
For two sets, P[min h_i(A) = min h_i(B)] = |A ∩ B| / |A ∪ B| (the Jaccard
index), so the share of equal positions estimates it, with standard error
sqrt(J(1-J)/k) (Broder 1997, "On the resemblance and containment of
documents"; Broder, Charikar, Frieze & Mitzenmacher 2000, "Min-wise independent
permutations").

The hash functions are multiply-add-shift, h(x) = ((a*x + b) mod 2**64) >> 32
for 32-bit x: a strongly universal family needing no prime modulus
(Dietzfelbinger 1996, "Universal hashing and k-wise independent random
variables via integer arithmetic without primes"), so numpy's wrapping uint64
arithmetic computes it exactly. (a is drawn odd; for x != y that fixes only
the lowest set bit of a*(x - y), which lies below the 32 bits kept.) The shift
is monotone, so the minimum is taken on the 64-bit values and shifted once per
signature.

The a and b come from BLAKE2b of (seed, index), not from a random generator,
so signatures are the same in every process, run and numpy version.
Signatures are computed for many texts at once: per chunk of documents, one
(num_perm x shingles) product and a segmented minimum (``np.minimum.reduceat``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

from .shingles import NGRAM, shingle_batch

NUM_PERM = 256
SEED = 1
EMPTY = np.uint32(0xFFFFFFFF)  # every position of the signature of an empty set

_S32 = np.uint64(32)
_CHUNK_SHINGLES = 8192  # shingles per chunk (whole documents; one huge document is one chunk)
_PERM_BLOCK = 16  # hash functions per pass: a block of 16 x 8192 uint64 is 1 MB


@lru_cache(maxsize=8)
def permutations(num_perm: int = NUM_PERM, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """The ``(a, b)`` uint64 parameters of the ``num_perm`` hash functions."""
    if num_perm < 1:
        raise ValueError(f"num_perm must be positive, got {num_perm}")
    a = np.empty(num_perm, dtype=np.uint64)
    b = np.empty(num_perm, dtype=np.uint64)
    for i in range(num_perm):
        d = hashlib.blake2b(f"sitrep-minhash:{seed}:{i}".encode(), digest_size=16).digest()
        a[i] = int.from_bytes(d[:8], "little") | 1
        b[i] = int.from_bytes(d[8:], "little")
    a.flags.writeable = b.flags.writeable = False
    return a, b


def signatures_from_shingles(
    values: np.ndarray, offsets: np.ndarray, num_perm: int = NUM_PERM, seed: int = SEED
) -> np.ndarray:
    """Signatures of the sets ``values[offsets[i]:offsets[i + 1]]``: uint32 ``[n, num_perm]``.

    A set with no shingles gets a signature of all ``EMPTY``.
    """
    a, b = permutations(num_perm, seed)
    offsets = np.asarray(offsets, dtype=np.int64)
    out = np.full((len(offsets) - 1, num_perm), EMPTY, dtype=np.uint32)
    x = np.asarray(values).astype(np.uint64)
    nonempty = np.flatnonzero(offsets[1:] > offsets[:-1])
    ends = offsets[nonempty + 1]
    i = 0
    while i < len(nonempty):
        # Whole documents per chunk, so the segmented minimum never splits one.
        start = offsets[nonempty[i]]
        j = max(int(np.searchsorted(ends, start + _CHUNK_SHINGLES, side="right")), i + 1)
        docs = nonempty[i:j]
        out[docs] = _minhash_chunk(x[start:ends[j - 1]], offsets[docs] - start, a, b)
        i = j
    return out


def _minhash_chunk(x: np.ndarray, starts: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    # Hash functions in blocks of _PERM_BLOCK rows of a (perm x shingle) matrix:
    # the block stays in cache, and the minimum runs along contiguous memory
    # (reduceat across rows of a C array is several times slower).
    mins = np.empty((len(a), len(starts)), dtype=np.uint64)
    block = np.empty((_PERM_BLOCK, len(x)), dtype=np.uint64)
    for p in range(0, len(a), _PERM_BLOCK):
        h = block[:min(_PERM_BLOCK, len(a) - p)]
        np.multiply(a[p:p + len(h), None], x[None, :], out=h)  # wraps mod 2**64, as the family wants
        h += b[p:p + len(h), None]
        np.minimum.reduceat(h, starts, axis=1, out=mins[p:p + len(h)])
    return (mins.T >> _S32).astype(np.uint32)


def signatures(
    texts: Iterable[str], num_perm: int = NUM_PERM, seed: int = SEED, ngram: int = NGRAM
) -> np.ndarray:
    """MinHash signatures of the texts' shingle sets: uint32 ``[len(texts), num_perm]``."""
    values, offsets = shingle_batch(texts, ngram)
    return signatures_from_shingles(values, offsets, num_perm, seed)


def signature(text: str, num_perm: int = NUM_PERM, seed: int = SEED, ngram: int = NGRAM) -> np.ndarray:
    """MinHash signature of one text: uint32 ``[num_perm]``."""
    return signatures([text], num_perm, seed, ngram)[0]


def is_empty(sigs: np.ndarray) -> np.ndarray | bool:
    """True for signatures of empty sets (texts without a single shingle)."""
    return np.all(np.asarray(sigs) == EMPTY, axis=-1)


def jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> np.ndarray | float:
    """Estimated Jaccard index: the share of equal positions.

    Works row-wise on ``[n, num_perm]`` arrays. Two empty signatures estimate
    0.0: texts without shingles give no evidence of copying.
    """
    a, b = np.asarray(sig_a), np.asarray(sig_b)
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(f"signatures differ in length: {a.shape[-1]} vs {b.shape[-1]}")
    est = np.mean(a == b, axis=-1)
    est = np.where(is_empty(a) & is_empty(b), 0.0, est)
    return float(est) if est.ndim == 0 else est


def jaccard_rows(sigs: np.ndarray, rows_a: Sequence[int], rows_b: Sequence[int],
                 other: np.ndarray | None = None, chunk: int = 65536) -> np.ndarray:
    """Estimated Jaccard of ``sigs[rows_a[i]]`` and ``other[rows_b[i]]`` (``other``
    defaults to ``sigs``) for every i: float32, 0.0 for two empty signatures."""
    other = sigs if other is None else other
    ra, rb = np.asarray(rows_a, dtype=np.int64), np.asarray(rows_b, dtype=np.int64)
    out = np.empty(len(ra), dtype=np.float32)
    for s in range(0, len(ra), chunk):
        sa, sb = sigs[ra[s:s + chunk]], other[rb[s:s + chunk]]
        est = np.count_nonzero(sa == sb, axis=1) / sigs.shape[1]
        est[np.all(sa == EMPTY, axis=1) & np.all(sb == EMPTY, axis=1)] = 0.0
        out[s:s + chunk] = est
    return out


def cardinality(sigs: np.ndarray) -> np.ndarray | float:
    """Estimated number of distinct shingles behind each signature.

    Each position is the minimum of |S| uniform hash values, so with u_i the
    minima scaled to (0, 1), sum(-ln(1 - u_i)) is Gamma(k, |S|) distributed and
    (k - 1) / sum(-ln(1 - u_i)) estimates |S| without bias, relative error
    about 1/sqrt(k - 2) (Cohen 1997, "Size-estimation framework with
    applications to transitive closure and reachability"). 0.0 for empty sets.
    """
    s = np.asarray(sigs)
    u = (s.astype(np.float64) + 0.5) / 2.0**32
    k = s.shape[-1]
    est = (k - 1) / np.sum(-np.log1p(-u), axis=-1)
    est = np.where(is_empty(s), 0.0, est)
    return float(est) if est.ndim == 0 else est
