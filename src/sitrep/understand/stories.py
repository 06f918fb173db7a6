"""Stories: documents grouped by the situation they cover, incrementally.

What it computes
----------------
A partition of the documents of a large mixed corpus (many unrelated
situations) into *stories*, from three things per document: a unit sentence
vector (:func:`story_vector`: the lead vector the provenance layer stores,
plus the title's vector), the identities it mentions with their counts, and
its date (ISO, or "" when undated).  Each story has a stable id, a short
human label, its key actors, its date range and its documents
(:class:`sitrep.model.Story`).

How
---
Single-pass clustering as in Topic Detection and Tracking (Allan, Carbonell,
Doddington, Yamron & Yang 1998, "Topic detection and tracking pilot study";
Yang, Pierce & Carbonell 1998, "A study of retrospective and on-line event
detection", SIGIR): documents arrive in order; each is compared with the
stories whose date range lies within ``window_days`` of its date (the
``candidates`` whose centroids are nearest), joins the best one if its score
clears ``join``, else starts a story.  The score adds three pieces, as
Miranda, Znotins, Cohen & Barzdins 2018 ("Multilingual clustering of
streaming news", EMNLP) combine similarities of several representations with
time:

* the mean cosine between the document's vector and the story's members
  (group average, not the nearest member);
* the cosine between the document's and the story's identity profiles,
  weighted by ``1 + ln(count)`` and an *incremental* inverse document
  frequency computed from the documents seen so far (Allan, Papka & Lavrenko
  1998, "On-line new event detection and tracking", SIGIR), so that an actor
  everybody mentions weighs little; centred on ``entity_prior`` so that a
  document without identities is judged on its vector alone;
* minus ``time_penalty`` per day between the document's date and the story's
  date range.

Both similarities weigh the story's members by their closeness in time to the
document (a triangular kernel over the window, after the time-decayed
similarity of Yang et al.), so a story is judged by what it was about around
that date: it can run for months, but cannot drift from one event to the next
because the two share a vocabulary.  Group averages rather than nearest
members keep a document that bridges two stories from chaining them together
(single-link drift).

After each :meth:`StoryIndex.add`, the stories it touched are re-checked, and
only those.  A story whose members fall into two groups that no longer look
alike is *split* (bisecting 2-means, Steinbach, Karypis & Kumar 2000, "A
comparison of document clustering techniques").  A story that scores at
least ``merge`` against a neighbour (group-average cosine, identity profiles,
day gap) is *merged* with it; a story of one document merges as that
document would join, by the join score, so that a document that arrived
before its story did ends up where date order would have put it.  Merging
asks for more than splitting tolerates, so the two do not undo each other.

Within one ``add`` dated documents are taken in date order and undated ones
last (they join stories rather than found them); ties keep input order, so
the same input gives the same output.  :func:`build_stories` is the batch
path (one ``add``); adding the same documents in several batches gives nearly
the same stories (the greedy placement sees them in another order, the
re-checks run at other moments); :func:`agreement` measures how near.

State is plain data: numpy arrays and lists/dicts of strings and numbers,
written by :meth:`StoryIndex.to_bytes` (``.npz`` with a JSON part, no pickle).
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from sitrep.model import Story
from sitrep.understand.phrasing import with_article

FORMAT = 1
UNDATED = -(2**31)  # bucket key of undated members


@dataclass(frozen=True)
class StoryParams:
    """Thresholds and weights; defaults tuned on the stories benchmark (bench/stories.py)."""

    window_days: float = 10.0  # a story is a candidate while the document lies within this of its dates
    join: float = 0.55  # score a document needs to join a story
    merge: float = 0.75  # score two stories need to merge
    split: float = 0.35  # two halves of a story scoring below this are split apart
    entity_weight: float = 1.0
    entity_prior: float = 0.05  # entity cosine that counts as "no evidence either way"
    time_penalty: float = 0.08  # score lost per day outside the story's date range
    candidates: int = 8  # stories scored in full (entities) per document, best vector cosines first
    min_part: int = 2  # a split leaves at least this many documents on each side
    recheck_growth: float = 0.1  # re-check a story for a split when it grew by this share


@dataclass(frozen=True)
class StoryDoc:
    """What clustering needs from one document."""

    id: str
    vector: np.ndarray  # unit length (zeros when the document has no usable text)
    entities: Mapping[str, int] = field(default_factory=dict)  # identity id -> mentions
    date: str = ""  # ISO 8601 (first 10 characters used), "" when undated
    title: str = ""


@dataclass
class Changes:
    """What an ``add`` did, so a store can update only what changed."""

    assigned: dict[str, str] = field(default_factory=dict)  # doc id -> story id, for new or moved documents
    created: list[str] = field(default_factory=list)
    joined: list[str] = field(default_factory=list)  # stories that existed before and gained documents
    merged: list[tuple[str, str]] = field(default_factory=list)  # (kept, absorbed)
    split: list[tuple[str, str]] = field(default_factory=list)  # (original, new part)
    removed: list[str] = field(default_factory=list)  # ids that no longer name a story
    touched: list[str] = field(default_factory=list)  # live stories whose membership changed


# -- inputs ---------------------------------------------------------------------


def story_vector(lead: np.ndarray, title: np.ndarray | None = None) -> np.ndarray:
    """A document's vector for clustering: its lead vector plus its title's, renormalised.

    ``lead`` is the provenance layer's lead vector (the normalised mean of the
    first four prose sentences, :func:`sitrep.provenance.semantic.document_vectors`),
    so only the title costs a model call.  The lead says what happened; the
    title what the story is about.  On the stories benchmark the sum separates
    events better than either alone (``bench/stories.py --vector``).
    """
    v = np.asarray(lead, dtype=np.float32).copy()
    if title is not None:
        v = v + np.asarray(title, dtype=np.float32)
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v


def lead_and_title_vectors(titles: Sequence[str], texts: Sequence[str], embed=None) -> tuple[np.ndarray, np.ndarray]:
    """Lead vectors (as the provenance layer computes them) and title vectors (zero rows for
    empty titles) of many documents, in one model call."""
    from sitrep.provenance.semantic import lead_sentences

    if embed is None:
        from sitrep.vectors import embed as default_embed

        embed = default_embed
    leads = [lead_sentences(t) for t in texts]
    named = [t for t in titles if t]
    flat = named + [s for lead in leads for s in lead]
    vecs = embed(flat) if flat else np.zeros((0, 384), np.float32)
    dim = vecs.shape[1]
    lead_out = np.zeros((len(texts), dim), np.float32)
    title_out = np.zeros((len(texts), dim), np.float32)
    pos, tpos = len(named), 0
    for i, (title, lead) in enumerate(zip(titles, leads)):
        if lead:
            mean = vecs[pos:pos + len(lead)].mean(axis=0)
            lead_out[i] = mean / max(float(np.linalg.norm(mean)), 1e-12)
            pos += len(lead)
        if title:
            title_out[i] = vecs[tpos]
            tpos += 1
    return lead_out, title_out


def document_vectors(titles: Sequence[str], texts: Sequence[str], embed=None) -> np.ndarray:
    """:func:`story_vector` of many documents (titles may be "")."""
    leads, heads = lead_and_title_vectors(titles, texts, embed)
    out = np.zeros_like(leads)
    for i, title in enumerate(titles):
        out[i] = story_vector(leads[i], heads[i] if title else None)
    return out


def day_number(iso: str) -> float:
    """Days since 1970-01-01 of an ISO date (first 10 characters); NaN when absent or invalid."""
    if not iso or len(iso) < 10:
        return math.nan
    try:
        return float(np.datetime64(iso[:10], "D").astype(np.int64))
    except ValueError:
        return math.nan


def _iso(day: float) -> str:
    return "" if math.isnan(day) else str(np.datetime64(int(day), "D"))


def _story_id(founder: str) -> str:
    # Named after the founding document, so the batch and incremental paths name a story alike.
    return "st-" + hashlib.sha1(founder.encode()).hexdigest()[:12]


# -- entity profiles --------------------------------------------------------------


def _tf(count: float) -> float:
    return 1.0 + math.log(count) if count > 0 else 0.0


class _Idf:
    """Inverse document frequency of identities over the documents seen so far.

    Read from a snapshot of the counts, retaken whenever the corpus has grown
    by 5% (at every document while it is small), so that story profiles can
    cache their norms between snapshots.  Snapshots depend only on the number
    of documents seen, not on how they were batched.  Smoothed so that it
    stays positive: an identity named in every document weighs almost nothing,
    never less.
    """

    GROWTH = 1.05
    SMALL = 50

    def __init__(self) -> None:
        self.df: dict[str, int] = {}
        self.ndocs = 0
        self.snap_n = 0
        self.version = 0
        self._snapshot()

    def count(self, entities: Iterable[str]) -> None:
        for e in entities:
            self.df[e] = self.df.get(e, 0) + 1
        self.ndocs += 1
        if self.ndocs < self.SMALL or self.ndocs >= self.snap_n * self.GROWTH:
            self.snap_n = self.ndocs
            self._snapshot()

    def _snapshot(self) -> None:
        top = math.log(self.snap_n + 1)
        self.snap_df = dict(self.df)
        self.values = {e: top - math.log(d + 0.5) for e, d in self.snap_df.items()}
        self.rare = top - math.log(0.5)  # an identity the snapshot has not seen
        self.version += 1

    def norm(self, profile: Mapping[str, float]) -> float:
        vals, rare = self.values, self.rare
        return math.sqrt(sum((v * vals.get(e, rare)) ** 2 for e, v in profile.items()))

    def cosine(self, a: Mapping[str, float], b: Mapping[str, float], norm_a: float, norm_b: float) -> float:
        """Cosine of two identity profiles weighted by IDF; NaN when either is empty."""
        if norm_a == 0 or norm_b == 0:
            return math.nan
        if len(a) > len(b):
            a, b = b, a
        vals, rare = self.values, self.rare
        dot = sum(v * b.get(e, 0.0) * vals.get(e, rare) ** 2 for e, v in a.items())
        return dot / (norm_a * norm_b)

    def state(self) -> dict:
        return {"df": self.df, "ndocs": self.ndocs, "snap_n": self.snap_n, "snap": self.snap_df}

    @classmethod
    def from_state(cls, st: dict) -> "_Idf":
        idf = cls()
        idf.snap_n = st["snap_n"]
        idf.df = dict(st["snap"])
        idf._snapshot()
        idf.df, idf.ndocs = dict(st["df"]), st["ndocs"]
        return idf


# -- title words (labels) ------------------------------------------------------------

# English function words, and headline filler that says nothing about which story it is.
_STOP = frozenset("""
a about above after again against all almost also although always am among an and another any anyone
anything are around as at back be became because become been before being below between both but by
can cannot could did do does doing done down during each either else enough even ever every few for
from further get gets got had has have having he her here hers herself him himself his how however i
if in into is it its itself just last least less like many may me might more most much must my myself
neither never no nor not now of off often on once one only onto or other others our ours ourselves out
over own per perhaps rather same several she should since so some still such than that the their theirs
them themselves then there these they this those though through thus to too toward towards under
until up upon us very via was we well were what whatever when where whether which while who whom whose
why will with within without would yet you your yours yourself yourselves
says said say saying tells told report reports reported latest news breaking new watch video live
update updates first amid next week day year years make makes made take takes want wants going goes
""".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")


def title_words(title: str) -> set[str]:
    """The content words of a title, lowercased, possessives dropped."""
    out = set()
    for w in _WORD.findall(title or ""):
        w = re.sub(r"['’]s$", "", w.lower())
        if len(w) >= 3 and w not in _STOP:
            out.add(w)
    return out


# -- the index -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Group:
    sum: np.ndarray
    count: int
    profile: Mapping[str, float]
    norm: float  # of the IDF-weighted profile
    start: float
    end: float


def _range_gap(a: _Group, b: _Group) -> float:
    if math.isnan(a.start) or math.isnan(b.start):
        return 0.0
    return max(0.0, b.start - a.end, a.start - b.end)


def _bisect(x: np.ndarray, iterations: int = 20) -> list[int] | None:
    """Two-means on unit vectors (spherical k-means, k=2), seeded deterministically with the member
    farthest from the centroid and the member farthest from that one.  None when it cannot split."""
    if len(x) < 2:
        return None
    centroid = x.sum(axis=0)
    a = int(np.argmin(x @ centroid))
    b = int(np.argmin(x @ x[a]))
    if a == b:
        return None
    seeds = np.stack([x[a], x[b]])
    side = None
    for _ in range(iterations):
        norms = np.linalg.norm(seeds, axis=1, keepdims=True)
        new = np.argmax(x @ (seeds / np.where(norms > 0, norms, 1.0)).T, axis=1)
        if side is not None and np.array_equal(new, side):
            break
        side = new
        if side.min() == side.max():
            return None
        seeds = np.stack([x[side == 0].sum(axis=0), x[side == 1].sum(axis=0)])
    return side.tolist()


def _top(score: Mapping[str, float], tie: Mapping[str, float] | None = None, share: float = 0.25) -> list[str]:
    """Keys by descending score (ties by descending ``tie``, then key), down to ``share`` of the best."""
    tie = tie or {}
    ranked = sorted(score, key=lambda k: (-score[k], -tie.get(k, 0.0), k))
    if not ranked or score[ranked[0]] <= 0:
        return []
    floor = share * score[ranked[0]]
    return [k for k in ranked if score[k] >= floor]


NOT_ACTORS = {"place", "norp"}  # identity id prefixes of places and nationalities (see identities.py)


def _distinct(names: list[str]) -> list[str]:
    """Names without one contained in another already kept ("Putin" after "Vladimir Putin")."""
    out, seen = [], []
    for n in names:
        words = title_words(n) or {n.lower()}
        if not any(words <= w or w <= words for w in seen):
            out.append(n)
            seen.append(words)
    return out


def _and(names: list[str]) -> str:
    return " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]


def _namer(names) -> Callable[[str], str]:
    if names is None:
        return lambda e: e
    if callable(names):
        return names
    return lambda e: names.get(e, e)


class _Grow:
    """A numpy array with amortised appends along its first axis."""

    @staticmethod
    def fit(arr: np.ndarray, n: int) -> np.ndarray:
        if n <= len(arr):
            return arr
        new = np.zeros((max(n, 2 * len(arr), 64),) + arr.shape[1:], dtype=arr.dtype)
        if arr.dtype.kind == "f" and arr.ndim == 1:
            new[:] = np.nan
        new[:len(arr)] = arr
        return new


class _Batch:
    """Bookkeeping of one ``add``: which stories it created, fed, merged, split; which documents moved."""

    def __init__(self, first_new_slot: int, alive_before: set[int]):
        self.first_new_slot = first_new_slot
        self.alive_before = alive_before
        self.new_docs: list[int] = []
        self.moved: list[int] = []
        self.affected: set[int] = set()
        self.fed: set[int] = set()
        self.merged: list[tuple[int, int]] = []
        self.split: list[tuple[int, int]] = []


class StoryIndex:
    """Stories of a growing corpus; see the module docstring for the method."""

    def __init__(self, params: StoryParams | None = None, dim: int | None = None):
        self.params = params or StoryParams()
        self.dim = dim
        self._idf = _Idf()
        self._tdf: dict[str, int] = {}
        # documents
        self._ids: list[str] = []
        self._pos: dict[str, int] = {}
        self._titles: list[str] = []
        self._ents: list[dict[str, int]] = []
        self._vec = np.zeros((0, dim or 1), np.float32)
        self._day = np.zeros(0, np.float64)
        self._dstory = np.zeros(0, np.int32)
        # stories, by slot (slots are never reused: slot order is creation order)
        self._sid: list[str] = []
        self._founder: list[int] = []  # the document a story is named after
        self._members: list[list[int]] = []
        self._buckets: list[dict[int, list]] = []  # day -> [count, vector sum, identity profile]
        self._profile: list[dict[str, float]] = []  # identity -> sum over members of 1 + ln(count)
        self._edocs: list[dict[str, int]] = []  # identity -> members mentioning it
        self._sum = np.zeros((0, dim or 1), np.float32)
        self._start = np.zeros(0, np.float64)
        self._end = np.zeros(0, np.float64)
        self._alive = np.zeros(0, bool)
        self._checked = np.zeros(0, np.int64)  # size at the last split check
        self._sversion: list[int] = []
        self._norm_cache: dict[int, tuple[int, int, float]] = {}

    # -- sizes and lookups

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def story_count(self) -> int:
        return int(self._alive[:len(self._sid)].sum())

    def story_of(self, doc_id: str) -> str:
        return self._sid[self._dstory[self._pos[doc_id]]]

    def assignments(self) -> dict[str, str]:
        """Document id -> story id, for every document."""
        return {d: self._sid[self._dstory[i]] for i, d in enumerate(self._ids)}

    # -- adding

    def add(self, docs: Iterable[StoryDoc]) -> Changes:
        """Place new documents (already indexed ids are skipped) and re-check the stories they touched."""
        batch = self._fresh(docs)
        nslots = len(self._sid)
        run = _Batch(nslots, set(np.flatnonzero(self._alive[:nslots]).tolist()))
        days = [day_number(d.date) for d in batch]
        undated = [math.isnan(d) for d in days]
        for i in sorted(range(len(batch)), key=lambda i: (undated[i], 0.0 if undated[i] else days[i], i)):
            self._place(batch[i], days[i], run)
        self._recheck(run)
        return self._changes(run)

    def _fresh(self, docs: Iterable[StoryDoc]) -> list[StoryDoc]:
        out, seen = [], set()
        for d in docs:
            if d.id in self._pos or d.id in seen:
                continue
            seen.add(d.id)
            out.append(d)
        return out

    def _place(self, doc: StoryDoc, day: float, run: _Batch) -> None:
        idx = self._append_doc(doc, day)
        run.new_docs.append(idx)
        slot = self._best_story(idx)
        if slot is None:
            slot = self._new_story(idx)
        else:
            self._join(slot, idx)
            run.fed.add(slot)
        run.affected.add(slot)
        # The document counts for the frequencies only once placed (on-line IDF, as in TDT).
        self._idf.count(self._ents[idx])
        for w in title_words(doc.title):
            self._tdf[w] = self._tdf.get(w, 0) + 1

    def _append_doc(self, doc: StoryDoc, day: float) -> int:
        vec = np.asarray(doc.vector, dtype=np.float32).ravel()
        if self.dim is None:
            self.dim = len(vec)
            self._vec = np.zeros((0, self.dim), np.float32)
            self._sum = np.zeros((0, self.dim), np.float32)
        if len(vec) != self.dim:
            raise ValueError(f"document {doc.id}: vector of {len(vec)} dimensions, index has {self.dim}")
        idx = len(self._ids)
        self._ids.append(doc.id)
        self._pos[doc.id] = idx
        self._titles.append(doc.title or "")
        self._ents.append({str(k): int(v) for k, v in doc.entities.items() if v > 0})
        self._vec = _Grow.fit(self._vec, idx + 1)
        self._day = _Grow.fit(self._day, idx + 1)
        self._dstory = _Grow.fit(self._dstory, idx + 1)
        self._vec[idx] = vec
        self._day[idx] = day
        return idx

    # -- scoring

    def _eligible(self, start: float, end: float, exclude: int = -1) -> tuple[np.ndarray, np.ndarray]:
        """Live story slots within the time window of [start, end] (NaN: undated), and their day gaps."""
        n = len(self._sid)
        slots = np.flatnonzero(self._alive[:n])
        if exclude >= 0:
            slots = slots[slots != exclude]
        if math.isnan(start) or len(slots) == 0:
            return slots, np.zeros(len(slots))
        s, e = self._start[slots], self._end[slots]
        with np.errstate(invalid="ignore"):
            gap = np.maximum(0.0, np.maximum(s - end, start - e))
        gap = np.where(np.isnan(gap), 0.0, gap)  # undated stories are never out of the window
        keep = gap <= self.params.window_days
        return slots[keep], gap[keep]

    def _mean_cos(self, slots: np.ndarray, vec: np.ndarray) -> np.ndarray:
        """Mean cosine of ``vec`` with the members of each story (group average, from the sums)."""
        counts = np.array([len(self._members[s]) for s in slots], dtype=np.float64)
        return (self._sum[slots] @ vec) / counts

    def _shortlist(self, slots: np.ndarray, pre: np.ndarray) -> list[tuple[int, float]]:
        order = np.argsort(-pre, kind="stable")[:self.params.candidates]
        return [(int(slots[k]), float(pre[k])) for k in order]

    def _with_entities(self, pre: float, ent: float) -> float:
        if math.isnan(ent):
            return pre
        return pre + self.params.entity_weight * (ent - self.params.entity_prior)

    def _story_norm(self, slot: int) -> float:
        """Norm of a story's IDF-weighted identity profile, cached per IDF snapshot and story version."""
        key = (self._idf.version, self._sversion[slot])
        hit = self._norm_cache.get(slot)
        if hit is not None and hit[:2] == key:
            return hit[2]
        norm = self._idf.norm(self._profile[slot])
        self._norm_cache[slot] = (*key, norm)
        return norm

    def _doc_profile(self, idx: int) -> tuple[dict[str, float], float]:
        prof = {e: _tf(c) for e, c in self._ents[idx].items()}
        return prof, self._idf.norm(prof)

    def _best_story(self, idx: int) -> int | None:
        day = self._day[idx]
        slots, gap = self._eligible(day, day)
        if len(slots) == 0:
            return None
        vec = self._vec[idx]
        sums = self._sum[slots]
        norms = np.linalg.norm(sums, axis=1)
        pre = (sums @ vec) / np.where(norms > 0, norms, 1.0) - self.params.time_penalty * gap
        gaps = dict(zip(slots.tolist(), gap.tolist()))
        profile = self._doc_profile(idx)
        best, best_score = None, -math.inf
        for slot, _ in self._shortlist(slots, pre):
            score = self._join_score(idx, slot, gaps[slot], profile)
            if score > best_score:
                best, best_score = slot, score
        return best if best_score >= self.params.join else None

    def _local_score(self, slot: int, day: float, vec: np.ndarray, prof: Mapping[str, float], norm: float) -> float:
        """Mean cosine to the story's members and identity cosine with their profile, members
        weighted by closeness in time to ``day`` (a triangular kernel over the window): a story is
        judged by what it was about around that date, so it cannot drift from event to event."""
        vsum, count, local = self._local(slot, day)
        sim = float(vsum @ vec) / count if count > 0 else 0.0
        return self._with_entities(sim, self._idf.cosine(prof, local, norm, self._idf.norm(local)))

    def _local(self, slot: int, day: float) -> tuple[np.ndarray, float, dict[str, float]]:
        """Members' vector sum, count and identity profile, weighted by the time kernel around ``day``
        (undated members count fully; an undated ``day`` sees the whole story)."""
        if math.isnan(day):
            return self._sum[slot], float(len(self._members[slot])), self._profile[slot]
        w = self.params.window_days
        vsum = np.zeros(self.dim, np.float32)
        count = 0.0
        prof: dict[str, float] = {}
        for key, (n, vec, bprof) in self._buckets[slot].items():
            k = 1.0 if key == UNDATED else 1.0 - abs(key - day) / (w + 1)
            if k <= 0:
                continue
            vsum += k * vec
            count += k * n
            for e, v in bprof.items():
                prof[e] = prof.get(e, 0.0) + k * v
        return vsum, count, prof

    def _group(self, slot: int) -> "_Group":
        return _Group(self._sum[slot], len(self._members[slot]), self._profile[slot], self._story_norm(slot),
                      self._start[slot], self._end[slot])

    def _group_score(self, a: "_Group", b: "_Group") -> float:
        """Score between two groups of documents (stories, or two halves of one): centroid cosine,
        identity-profile cosine and the day gap between their date ranges."""
        vec = float(a.sum @ b.sum) / (a.count * b.count)
        ent = self._idf.cosine(a.profile, b.profile, a.norm, b.norm)
        return self._with_entities(vec - self.params.time_penalty * _range_gap(a, b), ent)


    # -- story maintenance

    def _new_story(self, idx: int) -> int:
        slot = len(self._sid)
        self._sid.append(_story_id(self._ids[idx]))
        self._founder.append(idx)
        self._members.append([])
        self._buckets.append({})
        self._profile.append({})
        self._edocs.append({})
        self._sversion.append(0)
        self._sum = _Grow.fit(self._sum, slot + 1)
        self._start = _Grow.fit(self._start, slot + 1)
        self._end = _Grow.fit(self._end, slot + 1)
        self._alive = _Grow.fit(self._alive, slot + 1)
        self._checked = _Grow.fit(self._checked, slot + 1)
        self._sum[slot] = 0.0
        self._start[slot] = self._end[slot] = math.nan
        self._alive[slot] = True
        self._checked[slot] = 0
        self._join(slot, idx)
        return slot

    def _join(self, slot: int, idx: int) -> None:
        self._members[slot].append(idx)
        self._sum[slot] += self._vec[idx]
        day = self._day[idx]
        if not math.isnan(day):
            start = self._start[slot]
            self._start[slot] = day if math.isnan(start) else min(start, day)
            end = self._end[slot]
            self._end[slot] = day if math.isnan(end) else max(end, day)
        key = UNDATED if math.isnan(day) else int(day)
        bucket = self._buckets[slot].get(key)
        if bucket is None:
            bucket = self._buckets[slot][key] = [0, np.zeros(self.dim, np.float32), {}]
        bucket[0] += 1
        bucket[1] += self._vec[idx]
        prof, edocs, bprof = self._profile[slot], self._edocs[slot], bucket[2]
        for e, c in self._ents[idx].items():
            prof[e] = prof.get(e, 0.0) + _tf(c)
            edocs[e] = edocs.get(e, 0) + 1
            bprof[e] = bprof.get(e, 0.0) + _tf(c)
        self._dstory[idx] = slot
        self._sversion[slot] += 1

    def _rebuild(self, slot: int, members: list[int]) -> None:
        """Recompute a story's aggregates from its members, in their order (after a split; on load)."""
        self._members[slot] = []
        self._buckets[slot] = {}
        self._profile[slot], self._edocs[slot] = {}, {}
        self._sum[slot] = 0.0
        self._start[slot] = self._end[slot] = math.nan
        for idx in members:
            self._join(slot, idx)

    # -- re-check: splits, then merges, of the stories an add touched

    def _recheck(self, run: _Batch) -> None:
        for slot in sorted(run.affected):
            if self._alive[slot] and self._due(slot):
                new = self._try_split(slot)
                self._checked[slot] = len(self._members[slot])
                if new is not None:
                    self._checked[new] = len(self._members[new])
                    run.split.append((slot, new))
                    run.affected.add(new)
                    run.moved.extend(self._members[new])
        work = sorted(run.affected)
        while work:
            slot = work.pop(0)
            if not self._alive[slot]:
                continue
            other = self._merge_partner(slot)
            if other is None:
                continue
            kept, gone, moved = self._merge(slot, other)
            run.merged.append((kept, gone))
            run.moved.extend(moved)
            run.affected.add(kept)
            work.append(kept)

    def _due(self, slot: int) -> bool:
        n = len(self._members[slot])
        return n >= 2 * self.params.min_part and n >= self._checked[slot] * (1 + self.params.recheck_growth)

    def _merge_partner(self, slot: int) -> int | None:
        """The story ``slot`` should merge with, if any: the best margin over the merge threshold.

        A story of one document merges as that document would join: by the
        join score and threshold, so that a document that arrived before the
        story it belongs to ends up where it would have gone in date order.
        """
        slots, gaps = self._eligible(self._start[slot], self._end[slot], exclude=slot)
        if len(slots) == 0:
            return None
        mine = self._group(slot)
        pre = self._mean_cos(slots, mine.sum / mine.count)
        gap = dict(zip(slots.tolist(), gaps.tolist()))
        best, best_margin = None, 0.0
        for other, _ in self._shortlist(slots, pre):
            if len(self._members[slot]) == 1 or len(self._members[other]) == 1:
                lone, story = (slot, other) if len(self._members[slot]) == 1 else (other, slot)
                margin = self._join_score(self._members[lone][0], story, gap[other]) - self.params.join
            else:
                margin = self._group_score(mine, self._group(other)) - self.params.merge
            if margin >= best_margin:
                best, best_margin = other, margin
        return best

    def _join_score(self, idx: int, slot: int, gap: float, profile=None) -> float:
        prof, norm = profile or self._doc_profile(idx)
        return self._local_score(slot, self._day[idx], self._vec[idx], prof, norm) - self.params.time_penalty * gap

    def _merge(self, a: int, b: int) -> tuple[int, int, list[int]]:
        """Merge two stories: the larger (or older) keeps its id; returns (kept, absorbed, moved docs)."""
        na, nb = len(self._members[a]), len(self._members[b])
        kept, gone = (a, b) if (na, -a) >= (nb, -b) else (b, a)
        moved = list(self._members[gone])
        for idx in moved:
            self._join(kept, idx)
        self._alive[gone] = False
        self._members[gone] = []
        self._buckets[gone] = {}
        self._profile[gone], self._edocs[gone] = {}, {}
        self._norm_cache.pop(gone, None)
        return kept, gone, moved

    def _try_split(self, slot: int) -> int | None:
        """Bisect a story; split it when its two halves score below ``split``. Returns the new slot."""
        members = self._members[slot]
        side = _bisect(self._vec[members])
        if side is None:
            return None
        parts = [[m for m, s in zip(members, side) if s == k] for k in (0, 1)]
        if min(len(p) for p in parts) < self.params.min_part:
            return None
        groups = [self._members_group(p) for p in parts]
        if self._group_score(*groups) >= self.params.split:
            return None
        # The half holding the document the story is named after keeps the story and its id;
        # the other half is named after its oldest document.
        keep, move = (parts[0], parts[1]) if self._founder[slot] in parts[0] else (parts[1], parts[0])
        move = sorted(move)
        new = self._new_story(move[0])
        self._rebuild(new, move)
        self._rebuild(slot, keep)
        return new

    def _members_group(self, members: list[int]) -> _Group:
        prof: dict[str, float] = {}
        for idx in members:
            for e, c in self._ents[idx].items():
                prof[e] = prof.get(e, 0.0) + _tf(c)
        days = self._day[members]
        dated = days[~np.isnan(days)]
        start, end = (float(dated.min()), float(dated.max())) if len(dated) else (math.nan, math.nan)
        return _Group(self._vec[members].sum(axis=0), len(members), prof, self._idf.norm(prof), start, end)


    # -- what an add did

    def _changes(self, run: _Batch) -> Changes:
        n = len(self._sid)
        alive = set(np.flatnonzero(self._alive[:n]).tolist())
        moved = set(run.moved) | set(run.new_docs)
        ch = Changes()
        ch.assigned = {self._ids[i]: self._sid[self._dstory[i]] for i in sorted(moved)}
        split_new = {new for _, new in run.split}
        ch.created = [self._sid[s] for s in range(run.first_new_slot, n) if s in alive and s not in split_new]
        ch.joined = [self._sid[s] for s in sorted(run.fed) if s < run.first_new_slot and s in alive]
        ch.merged = [(self._sid[k], self._sid[g]) for k, g in run.merged]
        ch.split = [(self._sid[a], self._sid[b]) for a, b in run.split]
        live_ids = {self._sid[s] for s in alive}
        was = run.alive_before | set(range(run.first_new_slot, n))
        ch.removed = sorted({self._sid[s] for s in was if s not in alive} - live_ids)
        ch.touched = [self._sid[s] for s in sorted(run.affected) if s in alive]
        return ch

    # -- stories out

    def stories(self, names: Mapping[str, str] | Callable[[str], str] | None = None) -> list[Story]:
        """Live stories, oldest first; ``names`` maps identity ids to display names for labels."""
        name = _namer(names)
        out = []
        for slot in np.flatnonzero(self._alive[:len(self._sid)]):
            out.append(self._story(int(slot), name))
        return out

    def _story(self, slot: int, name: Callable[[str], str]) -> Story:
        return Story(
            id=self._sid[slot],
            label=self._label(slot, name),
            documents=[self._ids[i] for i in self._members[slot]],
            actors=self._actors(slot),
            start=_iso(self._start[slot]),
            end=_iso(self._end[slot]),
        )

    def _actors(self, slot: int, limit: int = 8) -> list[str]:
        """Identities by centrality in the story: the number of its documents naming them, then
        their mentions (1 + ln count per document).  In a story of three or more documents an
        actor must appear in two of them."""
        prof, edocs, need = self._profile[slot], self._edocs[slot], self._need(slot)
        ranked = sorted(edocs, key=lambda e: (-edocs[e], -prof[e], e))
        return [e for e in ranked if edocs[e] >= need][:limit]

    def _label(self, slot: int, name: Callable[[str], str]) -> str:
        """The story's main actors, then its main event and place: "A and B: summit in Alaska".

        A headline-style label from the cluster's own content, in the terms of
        Topic Detection and Tracking, where a story is a seminal event with its
        participants, place and time (Allan, Carbonell, Doddington, Yamron & Yang
        1998, "Topic detection and tracking pilot study: final report"): the actors are the two most central people or organisations
        (the most documents naming them, then mentions; a rare side figure does
        not name the story however distinctive); the event is the event noun
        most frequent in the member titles; the place is the place named in
        most member titles, else the most central place.  Without an event
        noun: the actors and the place ("A and B in New York"); without a place
        either, the most distinctive title words stand in (count times IDF over
        all titles)."""
        central = self._actors(slot, limit=50)
        prof = self._profile[slot]
        # the most mentioned across the story's documents (1 + ln count per document): a name each
        # document drops once in passing does not outrank the protagonists
        people = sorted((e for e in central if e.partition(":")[0] not in NOT_ACTORS), key=lambda e: (-prof[e], e))
        actors = people[:2]
        names = _distinct([name(e) for e in actors])
        event, place = self._title_event(slot), self._main_place(slot, central, name)
        place = with_article(place, place=True) if place else ""
        if names and event:
            return f"{_and(names)}: {event}" + (f" in {place}" if place else "")
        if names and place:  # "A and B in New York" says more than title words cut from names
            return f"{_and(names)} in {place}"
        taken = set().union(*(title_words(n) or {n.lower()} for n in names)) if names else set()
        terms = [w for w in self._title_terms(slot) if w not in taken][:3]
        if names or terms:
            return _and(names) + (": " if names and terms else "") + ", ".join(terms)
        first = self._titles[self._members[slot][0]] if self._members[slot] else ""
        return first[:80] or f"story of {len(self._members[slot])} documents"

    def _title_event(self, slot: int) -> str:
        """The event noun ("summit", "talks", "election") most member titles use; '' when none does."""
        from sitrep.understand.events import NOUN_CLASSES, PLURAL_ONLY, VERB_CLASSES

        # a verb in a headline ("X and Y to meet") counts for its class's first noun ("meeting")
        noun_of = {}
        for noun, cls in NOUN_CLASSES.items():
            noun_of.setdefault(cls, noun)
        counts: dict[str, int] = {}
        for idx in self._members[slot]:
            for w in title_words(self._titles[idx]):
                lemma = w[:-1] if w.endswith("s") and w[:-1] in PLURAL_ONLY else w
                if lemma in NOUN_CLASSES and (lemma not in PLURAL_ONLY or w != lemma):
                    counts[w] = counts.get(w, 0) + 1
                elif w in VERB_CLASSES and VERB_CLASSES[w] in noun_of:
                    counts[noun_of[VERB_CLASSES[w]]] = counts.get(noun_of[VERB_CLASSES[w]], 0) + 1
        return min(counts, key=lambda w: (-counts[w], -len(w), w)) if counts else ""

    def _main_place(self, slot: int, central: list[str], name: Callable[[str], str]) -> str:
        """The place most member titles name (ties: the more central), else the most central place."""
        people = {w for e in central if e.startswith("per:") for w in name(e).lower().split()}
        # "Rubio" tagged as a place is the candidate's name, not where the story happens
        places = [e for e in central if e.startswith("place:") and not set(name(e).lower().split()) <= people]
        if not places:
            return ""
        titles = [title_words(self._titles[i]) for i in self._members[slot]]
        def in_titles(e: str) -> int:
            words = title_words(name(e)) or {name(e).lower()}
            return sum(words <= t for t in titles)
        return name(min(places, key=lambda e: (-in_titles(e), places.index(e))))

    def _need(self, slot: int) -> int:
        return 2 if len(self._members[slot]) >= 3 else 1

    def _title_terms(self, slot: int) -> list[str]:
        counts: dict[str, int] = {}
        for idx in self._members[slot]:
            for w in title_words(self._titles[idx]):
                counts[w] = counts.get(w, 0) + 1
        need, top = self._need(slot), math.log(len(self._ids) + 1)
        return _top({w: c * (top - math.log(self._tdf.get(w, 0) + 0.5)) for w, c in counts.items() if c >= need})

    # -- state as plain data

    def to_bytes(self) -> bytes:
        """The state: an ``.npz`` of numpy arrays plus a JSON part (no pickle).

        Only what cannot be recomputed is written: the documents (vector, day,
        identities, title), each story's id, founder and members in order, and
        the frequency counts.  Story sums, profiles and date ranges are folds
        over the members in that order and are rebuilt on load, bit for bit.
        """
        n, s = len(self._ids), len(self._sid)
        meta = {
            "format": FORMAT,
            "params": asdict(self.params),
            "dim": self.dim,
            "ids": self._ids,
            "titles": self._titles,
            "entities": self._ents,
            "story_ids": self._sid,
            "founders": self._founder,
            "members": self._members,
            "title_df": self._tdf,
            "idf": self._idf.state(),
        }
        buf = io.BytesIO()
        np.savez_compressed(
            buf,
            meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), dtype=np.uint8),
            vectors=self._vec[:n], days=self._day[:n], alive=self._alive[:s], checked=self._checked[:s],
        )
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "StoryIndex":
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            meta = json.loads(z["meta"].tobytes().decode())
            if meta["format"] != FORMAT:
                raise ValueError(f"story index format {meta['format']}, this code reads {FORMAT}")
            index = cls(StoryParams(**meta["params"]), meta["dim"])
            vectors, days, alive, checked = z["vectors"], z["days"], z["alive"], z["checked"]
        index._restore_docs(meta, vectors, days)
        index._restore_stories(meta, alive, checked)
        return index

    def _restore_docs(self, meta: dict, vectors: np.ndarray, days: np.ndarray) -> None:
        self._ids, self._titles, self._ents = meta["ids"], meta["titles"], meta["entities"]
        self._pos = {d: i for i, d in enumerate(self._ids)}
        self._vec = vectors.reshape(len(self._ids), self.dim or 1).astype(np.float32)
        self._day = days.astype(np.float64)
        self._dstory = np.zeros(len(self._ids), np.int32)
        self._tdf = meta["title_df"]
        self._idf = _Idf.from_state(meta["idf"])

    def _restore_stories(self, meta: dict, alive: np.ndarray, checked: np.ndarray) -> None:
        n = len(meta["story_ids"])
        self._sid, self._founder = meta["story_ids"], meta["founders"]
        self._members = [[] for _ in range(n)]
        self._buckets = [{} for _ in range(n)]
        self._profile = [{} for _ in range(n)]
        self._edocs = [{} for _ in range(n)]
        self._sversion = [0] * n
        self._sum = np.zeros((n, self.dim or 1), np.float32)
        self._start = np.full(n, math.nan)
        self._end = np.full(n, math.nan)
        self._alive = alive.astype(bool)
        self._checked = checked.astype(np.int64)
        for slot, members in enumerate(meta["members"]):
            self._rebuild(slot, members)


# -- batch path and measures -----------------------------------------------------------


def build_stories(docs: Iterable[StoryDoc], params: StoryParams | None = None) -> StoryIndex:
    """All documents in one batch: a full rebuild, or the benchmark's reference clustering."""
    index = StoryIndex(params)
    index.add(docs)
    return index


def _contingency(pred: Mapping[str, str], gold: Mapping[str, str]):
    items = [d for d in gold if d in pred]
    cells: dict[tuple[str, str], int] = {}
    psize: dict[str, int] = {}
    gsize: dict[str, int] = {}
    for d in items:
        p, g = pred[d], gold[d]
        cells[p, g] = cells.get((p, g), 0) + 1
        psize[p] = psize.get(p, 0) + 1
        gsize[g] = gsize.get(g, 0) + 1
    return len(items), cells, psize, gsize


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def bcubed(pred: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1 of a clustering (item -> cluster) against gold (Bagga & Baldwin 1998).

    Per item: the share of its predicted cluster that shares its gold cluster
    (precision) and the share of its gold cluster found in its predicted one
    (recall), averaged over the items both mappings know.
    """
    n, cells, psize, gsize = _contingency(pred, gold)
    if n == 0:
        return 0.0, 0.0, 0.0
    p = sum(c * c / psize[pk] for (pk, _), c in cells.items()) / n
    r = sum(c * c / gsize[gk] for (_, gk), c in cells.items()) / n
    return p, r, _f1(p, r)


def pair_scores(pred: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """Pairwise precision, recall, F1: over unordered item pairs put together (1.0 when there are none)."""
    _, cells, psize, gsize = _contingency(pred, gold)

    def pairs(k: int) -> int:
        return k * (k - 1) // 2

    both = sum(pairs(c) for c in cells.values())
    npred, ngold = sum(pairs(c) for c in psize.values()), sum(pairs(c) for c in gsize.values())
    p = both / npred if npred else 1.0
    r = both / ngold if ngold else 1.0
    return p, r, _f1(p, r)


def agreement(a: Mapping[str, str], b: Mapping[str, str]) -> dict[str, float]:
    """How alike two clusterings of the same documents are: B-cubed and pairwise F1 of one against
    the other (symmetric), and the share of documents whose story holds exactly the same documents."""
    _, _, bf = bcubed(a, b)
    _, _, pf = pair_scores(a, b)
    groups_a: dict[str, set[str]] = {}
    groups_b: dict[str, set[str]] = {}
    for d, s in a.items():
        groups_a.setdefault(s, set()).add(d)
    for d, s in b.items():
        groups_b.setdefault(s, set()).add(d)
    same = sum(1 for d in a if d in b and groups_a[a[d]] == groups_b[b[d]])
    return {"bcubed_f1": bf, "pairwise_f1": pf, "same_story": same / len(a) if a else 1.0}
