"""Banded LSH over MinHash signatures: near-duplicate candidate pairs, compact and incremental.

What it computes: each signature of ``bands * rows`` MinHash values is cut into
``bands`` bands of ``rows`` values; two documents are a candidate pair when
all values of at least one band agree. For Jaccard index J that happens with
probability 1 - (1 - J**rows)**bands, an S-curve whose steepness grows with the
signature length (Indyk & Motwani 1998, "Approximate nearest neighbors: towards
removing the curse of dimensionality"; Leskovec, Rajaraman & Ullman, *Mining
of Massive Datasets*, ch. 3.4). :func:`choose_bands` picks the most selective
banding that still finds pairs at a target Jaccard with a target probability.
Candidates are then kept only if their Jaccard index estimated from the full
signatures reaches ``min_jaccard``, or the estimated share of the smaller
document's shingles found in the other (its *containment*, from the Jaccard
estimate and the set sizes estimated by :func:`minhash.cardinality`) reaches
``min_containment``: a copy trimmed to a third of its origin has J = 0.33 but
containment 1, while two unrelated pages sharing a site's chrome have both low.

How it is stored: per band, a 64-bit hash of the band's values (the *band
key*) for every document, sorted, with the documents' row numbers in that
order: ``bands`` uint64 and uint32 arrays of length n, plus the ``n x
num_perm`` uint32 signatures, the estimated set sizes and the ids. A
bucket is a run of equal keys, found by comparing neighbours; new documents
are looked up by binary search and merged in by insertion, so adding a batch
costs O(n) per band instead of recomputing all pairs. Within a bucket rows stay
in insertion order, so its first row is its oldest document.

Huge buckets: documents that share a band with thousands of others do so
through shared boilerplate, or are one text copied thousands of times. A
bucket larger than ``bucket_cap`` yields only the pairs (oldest member,
member) instead of all pairs inside it, and is reported in
:attr:`Candidates.oversized`, so the pair count stays linear in its size.
Batch and incremental results are equal as long as no bucket grows past the
cap; past it, the incremental route may have emitted pairs of the bucket while
it was still small.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .minhash import EMPTY, NUM_PERM, cardinality, jaccard
from .shingles import mix64

THRESHOLD = 0.4  # a trimmed copy keeping 40% of its origin has J = 0.4
RECALL = 0.99  # wanted probability of becoming a candidate at THRESHOLD
MIN_JACCARD = 0.25  # a candidate is returned if its estimated Jaccard reaches this
MIN_CONTAINMENT = 0.7  # ... or the smaller document's share found in the other does
BUCKET_CAP = 100

_K = np.uint64(0x9E3779B97F4A7C15)
_S32 = np.uint64(32)
_LOW = np.uint64(0xFFFFFFFF)
_DEDUP_EVERY = 1 << 24  # pair codes gathered before duplicates are dropped


def collision_probability(jaccard: float | np.ndarray, bands: int, rows: int) -> float | np.ndarray:
    """Probability that two documents of this Jaccard index share at least one band."""
    return 1.0 - (1.0 - np.asarray(jaccard, dtype=float) ** rows) ** bands


def choose_bands(threshold: float = THRESHOLD, num_perm: int = NUM_PERM,
                 recall: float = RECALL) -> tuple[int, int]:
    """``(bands, rows)`` with the most rows per band (the fewest chance
    collisions) such that pairs at Jaccard ``threshold`` still collide with
    probability >= ``recall``; ``(num_perm, 1)`` when even that falls short."""
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be within (0, 1), got {threshold}")
    best = (num_perm, 1)
    for rows in range(2, num_perm + 1):
        bands = num_perm // rows
        if collision_probability(threshold, bands, rows) < recall:
            break
        best = (bands, rows)
    return best


def band_keys(sigs: np.ndarray, band: int, rows: int) -> np.ndarray:
    """uint64 key of one band for every signature: a hash of its ``rows`` values."""
    cols = sigs[:, band * rows:(band + 1) * rows]
    key = cols[:, 0].astype(np.uint64)
    for c in range(1, rows):
        key *= _K
        key += cols[:, c]
        mix64(key)
    return mix64(key) if rows == 1 else key


@dataclass
class Candidates:
    """Candidate pairs ``(a[i], b[i])`` with estimated Jaccard ``jaccard[i]``.

    From :meth:`LSHIndex.pairs` and :meth:`LSHIndex.update`, ``a`` and ``b`` are
    ids, ``a`` the earlier added; from :meth:`LSHIndex.query`, ``a`` is the
    query's row number and ``b`` an indexed id.
    """

    a: np.ndarray
    b: np.ndarray
    jaccard: np.ndarray
    containment: np.ndarray  # estimated share of the smaller document's shingles in the other
    collisions: int = 0  # distinct colliding pairs before the Jaccard filter
    oversized: list[tuple[int, int, object]] = field(default_factory=list)  # (band, size, oldest id)

    def __len__(self) -> int:
        return len(self.a)

    def as_dict(self) -> dict[tuple, float]:
        """``{(a, b): jaccard}``, for small results and tests."""
        return {(x.item(), y.item()): float(j) for x, y, j in zip(self.a, self.b, self.jaccard)}


def _live(sigs: np.ndarray) -> np.ndarray:
    """Rows of signatures of non-empty sets."""
    maybe = np.flatnonzero(sigs[:, 0] == EMPTY)  # first column first: no n x k temporary
    empty = maybe[np.all(sigs[maybe] == EMPTY, axis=1)]
    return np.setdiff1d(np.arange(len(sigs)), empty, assume_unique=True)


class _Bands:
    """Per band, the sorted band keys and the row numbers in that order.

    A list of 1-D arrays rather than one 2-D array, so that merging a batch in
    copies one band at a time (peak memory: one band, not the whole index).
    """

    def __init__(self, keys: list[np.ndarray], rows: list[np.ndarray]):
        self.keys, self.rows = keys, rows

    @classmethod
    def empty(cls, bands: int) -> "_Bands":
        return cls([np.empty(0, np.uint64)] * bands, [np.empty(0, np.uint32)] * bands)

    @classmethod
    def build(cls, sigs: np.ndarray, first_row: int, bands: int, rows: int) -> "_Bands":
        live = _live(sigs)  # no shingles: nothing to match
        sub = sigs if len(live) == len(sigs) else sigs[live]  # no copy when all have shingles
        out = cls([], [])
        for j in range(bands):
            k = band_keys(sub, j, rows)
            order = np.argsort(k, kind="stable")  # stable: equal keys keep row order
            out.keys.append(k[order])
            out.rows.append((live[order] + first_row).astype(np.uint32))
        return out

    def merge(self, new: "_Bands") -> None:
        """Merge ``new`` in, in place; its rows must all be larger than ours."""
        for j in range(len(self.keys)):
            # side="right": new rows go after older equal keys, keeping buckets in row order
            pos = np.searchsorted(self.keys[j], new.keys[j], side="right")
            self.keys[j] = np.insert(self.keys[j], pos, new.keys[j])
            self.rows[j] = np.insert(self.rows[j], pos, new.rows[j])


def _bucket_pairs(keys: np.ndarray, rows: np.ndarray, cap: int, band: int,
                  oversized: list) -> np.ndarray:
    """Pair codes (lo << 32 | hi) of every bucket of one sorted band."""
    n = len(keys)
    if n < 2:
        return np.empty(0, np.uint64)
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    lens = np.diff(starts, append=n)
    starts, lens = starts[lens >= 2], lens[lens >= 2]
    out = []
    small = lens <= cap
    for size in np.unique(lens[small]):
        s = starts[small & (lens == size)]
        iu, ju = np.triu_indices(int(size), 1)
        lo, hi = rows[s[:, None] + iu].ravel(), rows[s[:, None] + ju].ravel()
        out.append(_codes(lo, hi))
    for s, size in zip(starts[~small], lens[~small]):
        oversized.append((band, int(size), int(rows[s])))
        out.append(_codes(np.full(size - 1, rows[s]), rows[s + 1:s + size]))
    return np.concatenate(out) if out else np.empty(0, np.uint64)


def _codes(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return (lo.astype(np.uint64) << _S32) | hi.astype(np.uint64)


def _uncode(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return (codes >> _S32).astype(np.int64), (codes & _LOW).astype(np.int64)


def _sizes(sigs: np.ndarray, chunk: int = 1 << 14) -> np.ndarray:
    """Estimated shingle-set size of every signature: float32."""
    out = np.empty(len(sigs), dtype=np.float32)
    for s in range(0, len(sigs), chunk):
        out[s:s + chunk] = cardinality(sigs[s:s + chunk])
    return out


def _containment(jac: np.ndarray, size_a: np.ndarray, size_b: np.ndarray) -> np.ndarray:
    """|A & B| / min(|A|, |B|) from J = |A & B| / |A | B| and the two sizes, clipped to [0, 1]."""
    inter = jac * (size_a + size_b) / (1.0 + jac)
    small = np.maximum(np.minimum(size_a, size_b), 1.0)
    return np.clip(inter / small, 0.0, 1.0).astype(np.float32)


class _CodeSet:
    """Distinct pair codes, deduplicated as they arrive so memory tracks the distinct count."""

    def __init__(self) -> None:
        self.parts: list[np.ndarray] = []
        self.pending = 0

    def add(self, codes: np.ndarray) -> None:
        self.parts.append(codes)
        self.pending += len(codes)
        if self.pending > _DEDUP_EVERY:
            self.parts = [np.unique(np.concatenate(self.parts))]
            self.pending = len(self.parts[0])

    def result(self) -> np.ndarray:
        return np.unique(np.concatenate(self.parts)) if self.parts else np.empty(0, np.uint64)


class LSHIndex:
    """A banded LSH index of MinHash signatures; see the module docstring.

    ``bands``/``rows`` default to :func:`choose_bands(threshold, num_perm, recall)`.
    """

    def __init__(self, num_perm: int = NUM_PERM, threshold: float = THRESHOLD,
                 recall: float = RECALL, min_jaccard: float = MIN_JACCARD,
                 min_containment: float = MIN_CONTAINMENT, bucket_cap: int = BUCKET_CAP,
                 bands: int | None = None, rows: int | None = None):
        if (bands is None) != (rows is None):
            raise ValueError("give both bands and rows, or neither")
        if bands is None:
            bands, rows = choose_bands(threshold, num_perm, recall)
        if bands < 1 or rows < 1 or bands * rows > num_perm:
            raise ValueError(f"{bands} bands x {rows} rows do not fit num_perm={num_perm}")
        if bucket_cap < 2:
            raise ValueError("bucket_cap must be at least 2")
        self.num_perm, self.bands, self.rows = num_perm, bands, rows
        self.min_jaccard, self.min_containment = float(min_jaccard), float(min_containment)
        self.bucket_cap = int(bucket_cap)
        self._ids = np.empty(0, dtype=np.int64)
        self._sizes = np.empty(0, dtype=np.float32)
        # Signatures as appended batches, merged like a binary counter (see _append),
        # so adding never copies the whole index.
        self._parts: list[np.ndarray] = []
        self._starts: list[int] = []
        self._n = 0
        self._bands = _Bands.empty(bands)

    def _like(self) -> "LSHIndex":
        return LSHIndex(self.num_perm, min_jaccard=self.min_jaccard, min_containment=self.min_containment,
                        bucket_cap=self.bucket_cap, bands=self.bands, rows=self.rows)

    # -- contents ------------------------------------------------------------

    def __len__(self) -> int:
        return self._n

    @property
    def ids(self) -> np.ndarray:
        return self._ids

    @property
    def signatures(self) -> np.ndarray:
        """All indexed signatures, ``[len(self), num_perm]`` in insertion order."""
        if len(self._parts) != 1:
            self._parts = [np.concatenate(self._parts or [np.empty((0, self.num_perm), np.uint32)])]
            self._starts = [0]
        return self._parts[0]

    def _gather(self, rows: np.ndarray) -> np.ndarray:
        """Signatures of the given rows."""
        if len(self._parts) == 1:
            return self._parts[0][rows]
        out = np.empty((len(rows), self.num_perm), dtype=np.uint32)
        part = np.searchsorted(self._starts, rows, side="right") - 1
        for p in np.unique(part):
            sel = part == p
            out[sel] = self._parts[p][rows[sel] - self._starts[p]]
        return out

    def _check(self, ids: Sequence | np.ndarray | None, sigs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        sigs = np.ascontiguousarray(sigs, dtype=np.uint32)
        if sigs.ndim != 2 or sigs.shape[1] != self.num_perm:
            raise ValueError(f"signatures must be [n, {self.num_perm}], got {sigs.shape}")
        if ids is None:
            return np.empty(0), sigs
        ids = np.asarray(ids)
        if ids.shape != (len(sigs),):
            raise ValueError(f"{len(ids)} ids for {len(sigs)} signatures")
        return ids, sigs

    def add(self, ids: Sequence | np.ndarray, sigs: np.ndarray) -> None:
        """Index documents (ids: ints or strings, one per signature row).

        The signature array is kept, not copied: do not modify it afterwards.
        """
        ids, sigs = self._check(ids, sigs)
        self._append(ids, sigs, _sizes(sigs), _Bands.build(sigs, self._n, self.bands, self.rows))

    def _append(self, ids: np.ndarray, sigs: np.ndarray, sizes: np.ndarray, built: _Bands) -> None:
        if self._n + len(sigs) >= 1 << 32:
            raise OverflowError("an LSHIndex holds at most 2**32 - 1 documents")
        if self._n == 0:
            self._ids, self._sizes, self._bands = ids, sizes, built
        else:
            self._ids = np.concatenate([self._ids, ids])
            self._sizes = np.concatenate([self._sizes, sizes])
            self._bands.merge(built)
        self._parts.append(sigs)
        self._starts.append(self._n)
        self._n += len(sigs)
        # Merge trailing parts while the last is at least half the one before:
        # O(log n) parts, and each row is copied O(log n) times in all.
        while len(self._parts) > 1 and 2 * len(self._parts[-1]) >= len(self._parts[-2]):
            last = self._parts.pop()
            self._starts.pop()
            self._parts[-1] = np.concatenate([self._parts[-1], last])

    # -- candidates ------------------------------------------------------------

    def pairs(self) -> Candidates:
        """Every candidate pair among the indexed documents."""
        codes, oversized = _CodeSet(), []
        for j in range(self.bands):
            codes.add(_bucket_pairs(self._bands.keys[j], self._bands.rows[j], self.bucket_cap, j, oversized))
        lo, hi = _uncode(codes.result())
        jac = self._jaccard(self._gather, lo, self._gather, hi)
        con = _containment(jac, self._sizes[lo], self._sizes[hi])
        keep = (jac >= self.min_jaccard) | (con >= self.min_containment)
        oversized = [(band, size, self._ids[row].item()) for band, size, row in oversized]
        return Candidates(self._ids[lo[keep]], self._ids[hi[keep]], jac[keep], con[keep], len(lo), oversized)

    @staticmethod
    def _jaccard(get_a, rows_a: np.ndarray, get_b, rows_b: np.ndarray, chunk: int = 1 << 16) -> np.ndarray:
        out = np.empty(len(rows_a), dtype=np.float32)
        for s in range(0, len(rows_a), chunk):
            out[s:s + chunk] = jaccard(get_a(rows_a[s:s + chunk]), get_b(rows_b[s:s + chunk]))
        return out

    def query(self, sigs: np.ndarray) -> Candidates:
        """Candidate pairs between new documents and the indexed ones (not among
        the new ones): ``a`` is the row of ``sigs``, ``b`` the indexed id."""
        _, sigs = self._check(None, sigs)
        live = _live(sigs)
        sub = sigs[live]
        codes, oversized = _CodeSet(), []
        for j in range(self.bands):
            codes.add(self._probe(band_keys(sub, j, self.rows), live, j, oversized))
        q, row = _uncode(codes.result())
        jac = self._jaccard(sigs.__getitem__, q, self._gather, row)
        con = _containment(jac, _sizes(sigs[q]), self._sizes[row])
        keep = (jac >= self.min_jaccard) | (con >= self.min_containment)
        oversized = [(band, size, self._ids[r].item()) for band, size, r in oversized]
        return Candidates(q[keep], self._ids[row[keep]], jac[keep], con[keep], len(q), oversized)

    def _probe(self, qkeys: np.ndarray, qrows: np.ndarray, band: int, oversized: list) -> np.ndarray:
        keys, rows = self._bands.keys[band], self._bands.rows[band]
        left = np.searchsorted(keys, qkeys, side="left")
        count = np.searchsorted(keys, qkeys, side="right") - left
        small = (count > 0) & (count <= self.bucket_cap)
        n = count[small]
        pos = np.repeat(left[small] - np.cumsum(n) + n, n) + np.arange(n.sum())
        out = [_codes(np.repeat(qrows[small], n), rows[pos])]
        big = np.flatnonzero(count > self.bucket_cap)
        for i in big:
            oversized.append((band, int(count[i]), int(rows[left[i]])))
        out.append(_codes(qrows[big], rows[left[big]]))  # the bucket's oldest document only
        return np.concatenate(out)

    def update(self, ids: Sequence | np.ndarray, sigs: np.ndarray) -> Candidates:
        """Add documents and return the candidate pairs they bring: with indexed
        documents and among themselves (``a`` the older id, ``b`` the newer)."""
        ids, sigs = self._check(ids, sigs)
        old = self.query(sigs)
        sizes = _sizes(sigs)
        built = _Bands.build(sigs, 0, self.bands, self.rows)
        batch = self._like()
        batch._append(ids, sigs, sizes, built)
        among = batch.pairs()
        for j in range(self.bands):  # the batch's sorted bands, renumbered, merge into ours
            built.rows[j] = built.rows[j] + np.uint32(self._n)
        self._append(ids, sigs, sizes, built)
        return Candidates(
            np.concatenate([old.b, among.a]) if len(old) else among.a,
            np.concatenate([ids[old.a], among.b]) if len(old) else among.b,
            np.concatenate([old.jaccard, among.jaccard]),
            np.concatenate([old.containment, among.containment]),
            old.collisions + among.collisions,
            old.oversized + among.oversized,
        )

    # -- persistence -----------------------------------------------------------

    def arrays(self) -> dict[str, np.ndarray]:
        """The index as named numpy arrays (``meta`` is JSON in uint8), e.g. to
        store each as a blob; :meth:`from_arrays` reads them back."""
        meta = {"format": 1, "num_perm": self.num_perm, "bands": self.bands, "rows": self.rows,
                "min_jaccard": self.min_jaccard, "min_containment": self.min_containment,
                "bucket_cap": self.bucket_cap}
        out = {"meta": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
               "ids": self._ids, "sigs": self.signatures, "sizes": self._sizes}
        for j in range(self.bands):
            out[f"keys{j}"], out[f"rows{j}"] = self._bands.keys[j], self._bands.rows[j]
        return out

    @classmethod
    def from_arrays(cls, arrays) -> "LSHIndex":
        meta = json.loads(np.asarray(arrays["meta"]).tobytes())
        if meta.get("format") != 1:
            raise ValueError(f"unknown LSHIndex format {meta.get('format')!r}")
        index = cls(num_perm=meta["num_perm"], min_jaccard=meta["min_jaccard"],
                    min_containment=meta["min_containment"], bucket_cap=meta["bucket_cap"],
                    bands=meta["bands"], rows=meta["rows"])
        index._ids = np.asarray(arrays["ids"])
        index._sizes = np.asarray(arrays["sizes"], dtype=np.float32)
        sigs = np.asarray(arrays["sigs"], dtype=np.uint32)
        index._parts, index._starts, index._n = [sigs], [0], len(sigs)
        index._bands = _Bands([np.asarray(arrays[f"keys{j}"]) for j in range(index.bands)],
                              [np.asarray(arrays[f"rows{j}"]) for j in range(index.bands)])
        return index

    def to_bytes(self) -> bytes:
        """The whole index as bytes (numpy .npz of :meth:`arrays`, no pickles)."""
        buf = io.BytesIO()
        np.savez(buf, **self.arrays())
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "LSHIndex":
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            return cls.from_arrays({k: z[k] for k in z.files})
