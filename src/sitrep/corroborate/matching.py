"""Claim matching: which claims of different documents state the same thing.

Two steps, the retrieve-then-verify scheme of claim matching for fact-checking
(Shaar et al. 2020, "That is a known lie: detecting previously fact-checked
claims", ACL; Kazemi et al. 2021, "Claim matching beyond English", ACL):

1. **Retrieve.**  Each claim has two sentence vectors (all-MiniLM-L6-v2,
   :mod:`sitrep.vectors`): one of its own text and one of the whole sentence
   it comes from (a claim cut out of its sentence loses the context that says
   which poll or which speech it is about; whole sentences find paraphrases
   that claim spans miss).  Candidates are the ``k`` nearest claims of *other*
   documents by the mean of the two cosines (one dot product over the two
   vectors side by side), at least ``Settings.retrieve``, found by exact
   blocked dot products (numpy), optionally only inside blocks (same story,
   same entity) so that the cost grows with the block sizes, not with the
   square of the corpus.
2. **Verify.**  :func:`compare` checks a candidate pair on what vectors blur:
   polarity, numbers (same unit, different value), dates (neither contains the
   other), places, the entities both name, the speakers they are attributed
   to.  A learned verifier (:mod:`sitrep.corroborate.verifier`, a logistic
   regression over these checks, both cosines and word overlap, trained on
   labelled PolNeAR sentence pairs) turns them into a probability; a pair
   *matches* when it reaches the verifier's threshold and no value conflicts
   (a conflict is not a match).  A pair that agrees on subject and predicate
   (or is very similar) but conflicts on a value becomes a :class:`Conflict`:
   the raw material of the contradiction stage, kept separate from matching.

Groups grow by union-find over the matches, most probable first, with two guards
against chaining: two groups merge only when the mean cosine over all their
member pairs reaches ``Settings.group_link`` (average linkage; Sokal &
Michener 1958), and never when a recorded conflict links them.  :class:`ClaimMatcher` is
incremental: ``add`` compares only the new claims (with each other and with
the old ones) and extends the groups.

Entity keys are compared through ``identity`` (a mapping from (document id,
mention key) to a corpus identity, from the identity stage) when given, and
otherwise by their normalised words: "trump" names the same as "donald trump",
"u.s." the same as "united states".
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from sitrep.corroborate.claims import Claim, Quantity
from sitrep.corroborate.verifier import Verifier, default_verifier, pair_features
from sitrep.provenance.semantic import top_neighbours
from sitrep.understand.timeline import value_days

EmbedFn = Callable[[Sequence[str]], np.ndarray]
BlockFn = Callable[[Claim], Iterable[str]]


@dataclass(frozen=True)
class Settings:
    retrieve: float = 0.55  # floor of the mean of claim and sentence cosine for candidates
    k: int = 20  # neighbours per claim
    # Defaults chosen on the dev split of bench/claims.py (python bench/claims.py --grid).
    verify: float | None = None  # verifier probability that matches (None: the threshold stored with the verifier)
    accept: float = 0.80  # similarity from which a value conflict is recorded whatever the frame
    conflict: float = 0.65  # similarity from which a value conflict between same subject+predicate is recorded
    group_link: float = 0.50  # mean cosine (claims and sentences) two groups need between their members to merge (no chaining)
    rel_tolerance: float = 0.10  # relative difference allowed between approximate numbers
    group_probability: float = 0.30  # mean verifier probability two groups need between their members to merge
    link_pairs: int = 64  # member pairs sampled for that mean


@dataclass(frozen=True)
class Check:
    """How two claims compare, field by field: the evidence of a match or a conflict."""

    similarity: float
    shared_entities: tuple[str, ...]
    subject: str  # same | different | unknown
    predicate: str  # same | different
    numbers: str  # agree | conflict | one-sided | none
    dates: str
    places: str
    polarity: str  # agree | conflict
    speakers: str  # same | different | unknown
    sentence_similarity: float | None = None  # cosine of the two claims' sentences (None: not known)
    probability: float | None = None  # the verifier's probability that the claims state the same thing

    @property
    def conflicts(self) -> tuple[str, ...]:
        return tuple(k for k in ("polarity", "numbers", "dates", "places")
                     if getattr(self, k) == "conflict")


@dataclass(frozen=True)
class Match:
    a: str  # claim ids, a < b
    b: str
    check: Check


@dataclass(frozen=True)
class Conflict:
    """Same subject and predicate, different value: one side each."""

    a: str
    b: str
    kind: str  # number | date | place | polarity
    value_a: str
    value_b: str
    similarity: float


def group_id(first_claim: str) -> str:
    """The id of the claim group whose first claim is ``first_claim``."""
    return "g:" + first_claim


@dataclass
class Grouping:
    group_of: dict[str, str] = field(default_factory=dict)  # claim id -> group id
    matches: list[Match] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    def groups(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for cid, gid in self.group_of.items():
            out.setdefault(gid, []).append(cid)
        return out


# -- entity and value agreement -----------------------------------------------------

_STOP = frozenset({"the", "a", "an", "of", "mr", "mrs", "ms", "dr"})


@lru_cache(maxsize=1 << 16)
def entity_words(key: str) -> tuple[str, ...]:
    """Normalised words of an entity key: case and punctuation folded, articles and titles dropped."""
    s = key.casefold().replace("’", "'")
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"(?<=\b\w)\.(?=\w\.)|(?<=\b\w\.\w)\.", "", s)  # u.s. -> us
    return tuple(w for w in re.findall(r"\w+", s) if w not in _STOP)


def same_entity(a: str, b: str) -> bool:
    """Whether two entity keys name the same thing, by words: equal, one inside the other, or an acronym."""
    wa, wb = entity_words(a), entity_words(b)
    if not wa or not wb:
        return False
    if wa == wb:
        return True
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if len(short) < len(long_) and set(short) <= set(long_) and short[-1] == long_[-1]:
        return True  # "trump" / "donald trump"; not "new york" / "new york times" (last words differ)
    if len(short) == 1 and len(long_) > 1 and short[0] == "".join(w[0] for w in long_):
        return True  # "us" / "united states"
    return False


def _entities_of(claim: Claim, identity: Mapping | None) -> list[str]:
    if identity is None:
        return list(claim.entities)
    return [identity.get((claim.document_id, k), k) for k in claim.entities]


def _same_key(a: str, b: str, doc_a: str, doc_b: str, identity: Mapping | None) -> bool:
    if identity is not None:
        ia, ib = identity.get((doc_a, a)), identity.get((doc_b, b))
        if ia is not None and ib is not None:
            return ia == ib
    return same_entity(a, b)


def shared_entities(a: Claim, b: Claim, identity: Mapping | None = None) -> tuple[str, ...]:
    out = []
    for ka in a.entities:
        if any(_same_key(ka, kb, a.document_id, b.document_id, identity) for kb in b.entities):
            out.append(ka)
    return tuple(out)


def numbers_agree(xs: Sequence[Quantity], ys: Sequence[Quantity], tol: float = 0.10) -> str:
    """agree | conflict | one-sided | none, comparing numbers of the same unit only."""
    if not xs and not ys:
        return "none"
    units = {q.unit for q in xs} & {q.unit for q in ys}
    if not units:
        return "one-sided"
    verdicts = []
    for u in units:
        xa = [q for q in xs if q.unit == u]
        ya = [q for q in ys if q.unit == u]
        verdicts.append(any(_same_value(p, q, tol) for p in xa for q in ya))
    return "agree" if any(verdicts) else "conflict"


def _same_value(p: Quantity, q: Quantity, tol: float) -> bool:
    if p.qualifier == "min" and q.value >= p.value or q.qualifier == "min" and p.value >= q.value:
        return True
    if p.qualifier == "max" and q.value <= p.value or q.qualifier == "max" and p.value <= q.value:
        return True
    scale = max(abs(p.value), abs(q.value), 1e-9)
    allowed = tol if (p.qualifier or q.qualifier) else 1e-9
    return abs(p.value - q.value) / scale <= allowed


def dates_agree(xs: Sequence[str], ys: Sequence[str]) -> str:
    """ISO values agree when one contains the other ("2025-08" and "2025-08-15")."""
    if not xs and not ys:
        return "none"
    if not xs or not ys:
        return "one-sided"
    return "agree" if any(_date_overlap(x, y) for x in xs for y in ys) else "conflict"


def _date_overlap(x: str, y: str) -> bool:
    # As day ranges, so a week ("2025-W33") or an interval holds the days inside it; a value
    # that is no calendar range (a time of day alone, a relative code) falls back to prefixes.
    dx, dy = value_days(x), value_days(y)
    if dx and dy:
        return dx[0] <= dy[1] and dy[0] <= dx[1]
    x0, y0 = x.split("/")[0], y.split("/")[0]
    return x0.startswith(y0) or y0.startswith(x0)


def places_agree(a: Claim, b: Claim, identity: Mapping | None = None) -> str:
    if not a.places and not b.places:
        return "none"
    if not a.places or not b.places:
        return "one-sided"
    if any(_same_key(x, y, a.document_id, b.document_id, identity) for x in a.places for y in b.places):
        return "agree"
    # A place one claim names may be inside the other's (a city in a state): a conflict only
    # when each claim's places are all absent from the other claim's entities.
    if any(_same_key(x, y, a.document_id, b.document_id, identity) for x in a.places for y in b.entities) or \
            any(_same_key(x, y, a.document_id, b.document_id, identity) for x in b.places for y in a.entities):
        return "agree"
    return "conflict"


def _subject_agrees(a: Claim, b: Claim, identity: Mapping | None) -> str:
    if a.subject_key and b.subject_key:
        return "same" if _same_key(a.subject_key, b.subject_key, a.document_id, b.document_id, identity) else "different"
    if not a.subject or not b.subject:
        return "unknown"
    wa, wb = entity_words(a.subject), entity_words(b.subject)
    if wa and wa == wb:
        return "same"
    return "unknown"


def _speakers(a: Claim, b: Claim, identity: Mapping | None) -> str:
    """same | different when both speakers are resolved mentions; unknown otherwise (an unresolved
    "the Republican candidate" may well be the other's "Trump")."""
    if not a.speaker_key or not b.speaker_key:
        return "unknown"
    return "same" if _same_key(a.speaker_key, b.speaker_key, a.document_id, b.document_id, identity) else "different"


# Predicates one subject can do in several places at once or in turn (a candidate wins several states on
# one night, campaigns in several): another place is another claim, not a contradiction.
ROVING_PREDICATES = frozenset({"win", "lose", "carry", "sweep", "campaign", "visit", "rally", "speak", "travel",
                               "appear", "tour", "stump", "vote", "stop"})


def _predicate_head(p: str) -> str:
    return p.split()[0] if not p.startswith("be ") else p


def compare(a: Claim, b: Claim, similarity: float, identity: Mapping | None = None,
            settings: Settings = Settings(), sentence_similarity: float | None = None,
            verifier: Verifier | None = None) -> Check:
    """The field-by-field comparison of two claims with cosine ``similarity`` (and their sentences' cosine
    ``sentence_similarity``, the claims' own when not given), scored by ``verifier`` (the shipped one by default)."""
    check = compare_fields(a, b, similarity, identity, settings)
    sent = float(similarity if sentence_similarity is None else sentence_similarity)
    verifier = verifier or default_verifier()
    prob = float(verifier.probability(pair_features(a, b, check, sent)))
    return dataclasses.replace(check, sentence_similarity=round(sent, 4), probability=round(prob, 4))


def compare_fields(a: Claim, b: Claim, similarity: float, identity: Mapping | None = None,
                   settings: Settings = Settings()) -> Check:
    """The field-by-field comparison alone (no sentence cosine, no verifier probability)."""
    predicate = "same" if _predicate_head(a.predicate) == _predicate_head(b.predicate) else "different"
    return Check(
        similarity=round(float(similarity), 4),
        shared_entities=shared_entities(a, b, identity),
        subject=_subject_agrees(a, b, identity),
        predicate=predicate,
        numbers=numbers_agree(a.numbers, b.numbers, settings.rel_tolerance),
        dates=dates_agree(a.dates, b.dates),
        places=places_agree(a, b, identity),
        # Polarity belongs to a predicate: "the problem is that presidents can't say anything" is
        # affirmed, "presidents can't say anything" negated, and they say the same thing.
        polarity="conflict" if a.polarity != b.polarity and predicate == "same" else "agree",
        speakers=_speakers(a, b, identity),
    )


def is_match(a: Claim, b: Claim, check: Check, settings: Settings = Settings(),
             verifier: Verifier | None = None) -> bool:
    """The matching rule: the verifier's probability reaches the threshold and no value conflicts."""
    if check.conflicts:
        return False  # two values of one quantity are a contradiction, never a match
    verifier = verifier or default_verifier()
    prob = check.probability
    if prob is None:
        prob = float(verifier.probability(pair_features(a, b, check, check.similarity)))
    return prob >= (verifier.threshold if settings.verify is None else settings.verify)


def conflicts_of(a: Claim, b: Claim, check: Check, settings: Settings = Settings()) -> list[Conflict]:
    """Value conflicts between two claims about the same subject and predicate (or nearly the same claim)."""
    if not check.conflicts or check.similarity < settings.conflict:
        return []
    same_frame = check.subject == "same" and check.predicate == "same"
    if not same_frame and check.similarity < settings.accept:
        return []
    out = []
    for kind in check.conflicts:
        if kind == "places" and _predicate_head(a.predicate) in ROVING_PREDICATES:
            continue  # "won Missouri" and "won Ohio" on one night: two claims, both true
        va, vb = _values(a, kind), _values(b, kind)
        out.append(Conflict(a.id, b.id, kind.rstrip("s"), va, vb, check.similarity))
    return out


def _values(c: Claim, kind: str) -> str:
    if kind == "numbers":
        return "; ".join(q.text for q in c.numbers)
    if kind == "dates":
        return "; ".join(c.dates)
    if kind == "places":
        return "; ".join(c.places)
    return "affirmed" if c.polarity > 0 else "negated"


# -- retrieval --------------------------------------------------------------------------


def claim_text(c: Claim) -> str:
    """The text embedded for a claim: its own span (attribution frames are outside it)."""
    return c.text


def paired_vectors(vectors: np.ndarray, sentence_vectors: np.ndarray | None) -> np.ndarray:
    """Claim and sentence vectors side by side, scaled so that a dot product is the mean of the two cosines."""
    v = np.asarray(vectors, dtype=np.float32)
    s = v if sentence_vectors is None else np.asarray(sentence_vectors, dtype=np.float32)
    if s.shape != v.shape:
        raise ValueError(f"sentence vectors {s.shape} do not pair with claim vectors {v.shape}")
    return np.hstack([v, s]) * np.float32(1 / np.sqrt(2))


def candidate_pairs(claims: Sequence[Claim], vectors: np.ndarray, new_from: int = 0,
                    blocks: BlockFn | None = None, settings: Settings = Settings()) -> list[tuple[int, int, float]]:
    """(i, j, cosine) with i < j, j >= ``new_from``, different documents, j among i's neighbours or i among j's.

    ``vectors`` are unit rows, or :func:`paired_vectors` (the cosine is then the mean of claim and sentence cosine)."""
    out: dict[tuple[int, int], float] = {}
    for members in _blocks(claims, blocks):
        new = [j for j in members if j >= new_from]
        if not new:
            continue
        base = np.asarray(members)
        for qi, bi, s in top_neighbours(vectors[new], vectors[base], k=settings.k + 1, threshold=settings.retrieve):
            i, j = int(base[bi]), new[qi]
            if i == j or claims[i].document_id == claims[j].document_id:
                continue
            key = (min(i, j), max(i, j))
            out[key] = max(out.get(key, -1.0), s)
    return [(i, j, s) for (i, j), s in sorted(out.items())]


def _blocks(claims: Sequence[Claim], blocks: BlockFn | None) -> list[list[int]]:
    if blocks is None:
        return [list(range(len(claims)))]
    by_key: dict[str, list[int]] = {}
    for i, c in enumerate(claims):
        for key in set(blocks(c)):
            by_key.setdefault(key, []).append(i)
    return [by_key[k] for k in sorted(by_key)]


def by_entity(c: Claim) -> list[str]:
    """A blocking function: one block per entity word set the claim names (claims without entities share one)."""
    return [" ".join(entity_words(k)[-1:]) for k in c.entities] or ["-"]


# -- groups -------------------------------------------------------------------------------


class ClaimMatcher:
    """Claim groups that grow as claims arrive (see the module docstring).

    ``embed`` computes sentence vectors (default :func:`sitrep.vectors.embed`);
    ``blocks`` restricts comparisons to claims sharing a block key; ``identity``
    maps (document id, mention key) to corpus identities; ``verifier`` scores
    candidate pairs (default: the shipped :func:`~sitrep.corroborate.verifier.default_verifier`).
    """

    def __init__(self, embed: EmbedFn | None = None, blocks: BlockFn | None = None,
                 identity: Mapping | None = None, settings: Settings = Settings(),
                 verifier: Verifier | None = None):
        self.embed = embed
        self.blocks = blocks
        self.identity = identity
        self.settings = settings
        self.verifier = verifier or default_verifier()
        self.claims: list[Claim] = []
        self._vectors = np.zeros((0, 0), dtype=np.float32)  # claim vectors | sentence vectors, see paired_vectors
        self._parent: list[int] = []
        self._index: dict[str, int] = {}
        self.matches: list[Match] = []
        self.conflicts: list[Conflict] = []
        self._partners: dict[int, set[int]] = {}  # group root -> claims that conflict with a member
        self._sum: dict[int, np.ndarray] = {}  # group root -> sum of its members' vectors (average link)
        self._size: dict[int, int] = {}
        self._groups: dict[int, list[int]] = {}  # group root -> member claims (roots of singletons absent)

    def add(self, claims: Sequence[Claim], vectors: np.ndarray | None = None,
            sentence_vectors: np.ndarray | None = None) -> Grouping:
        """Add claims (ids must be new); returns the matches and conflicts they brought, and all groups.

        ``vectors`` are the claims' own text vectors (computed with ``embed`` when not given);
        ``sentence_vectors`` those of the sentences they come from, row for row (when not given, the
        claim vectors stand in, and matching loses the sentence context the verifier was trained with).
        """
        fresh = [k for k, c in enumerate(claims) if c.id not in self._index]
        if not fresh:
            return Grouping(self.group_of(), [], [])
        if len(fresh) < len(claims):
            vectors = None if vectors is None else np.asarray(vectors)[fresh]
            sentence_vectors = None if sentence_vectors is None else np.asarray(sentence_vectors)[fresh]
        claims = [claims[k] for k in fresh]
        if vectors is None:
            vectors = self._embed([claim_text(c) for c in claims])
        vectors = paired_vectors(vectors, sentence_vectors)
        start = len(self.claims)
        for c in claims:
            self._index[c.id] = len(self.claims)
            self.claims.append(c)
            self._parent.append(len(self._parent))
        self._vectors = vectors if start == 0 else np.vstack([self._vectors, vectors])
        new_matches, new_conflicts = self._verify(candidate_pairs(self.claims, self._vectors, start, self.blocks, self.settings))
        self.matches.extend(new_matches)
        self.conflicts.extend(new_conflicts)
        return Grouping(self.group_of(), new_matches, new_conflicts)

    def _embed(self, texts: list[str]) -> np.ndarray:
        if self.embed is None:
            from sitrep.vectors import embed

            self.embed = embed
        return np.asarray(self.embed(texts), dtype=np.float32)

    def _verify(self, pairs) -> tuple[list[Match], list[Conflict]]:
        matched, conflicts = [], []
        checks = []
        half = self._vectors.shape[1] // 2
        for i, j, _ in pairs:
            a, b = self.claims[i], self.claims[j]
            vi, vj = self._vectors[i], self._vectors[j]
            # paired rows are scaled by 1/sqrt(2): each half's dot product is half a cosine
            check = compare(a, b, 2 * float(vi[:half] @ vj[:half]), self.identity, self.settings,
                            2 * float(vi[half:] @ vj[half:]), self.verifier)
            found = conflicts_of(a, b, check, self.settings)
            if found:
                conflicts.extend(found)
                self._note_conflict(i, j)
            checks.append((i, j, check))
        # Most probable matches first, so that a conflict veto keeps the better-supported grouping.
        for i, j, check in sorted(checks, key=lambda x: (-x[2].probability, x[0], x[1])):
            a, b = self.claims[i], self.claims[j]
            if is_match(a, b, check, self.settings, self.verifier) and self._union(i, j):
                x, y = sorted((a.id, b.id))
                matched.append(Match(x, y, check))
        return matched, conflicts

    def _find(self, i: int) -> int:
        while self._parent[i] != i:
            self._parent[i] = self._parent[self._parent[i]]
            i = self._parent[i]
        return i

    def _union(self, i: int, j: int) -> bool:
        ri, rj = self._find(i), self._find(j)
        if ri == rj:
            return True
        if any(self._find(x) == rj for x in self._partners.get(ri, ())):
            return False
        if self._mean_link(ri, rj) < self.settings.group_link:
            return False
        if self.settings.group_probability and self._probability_link(ri, rj) < self.settings.group_probability:
            return False
        # The earlier claim's root stays root: group ids do not change as claims arrive.
        ri, rj = min(ri, rj), max(ri, rj)
        self._parent[rj] = ri
        if rj in self._partners:
            self._partners.setdefault(ri, set()).update(self._partners.pop(rj))
        self._groups[ri] = self._members(ri) + self._groups.pop(rj, [rj])
        self._sum[ri] = self._group_sum(ri) + self._group_sum(rj)
        self._size[ri] = self._size.get(ri, 1) + self._size.pop(rj, 1)
        self._sum.pop(rj, None)
        return True

    def _group_sum(self, root: int) -> np.ndarray:
        s = self._sum.get(root)
        return s if s is not None else self._vectors[root].astype(np.float64)

    def _mean_link(self, ri: int, rj: int) -> float:
        """Mean cosine (of claims and sentences) over all member pairs of two groups (average linkage): one
        good pair cannot chain two groups that otherwise say different things."""
        n = self._size.get(ri, 1) * self._size.get(rj, 1)
        return float(self._group_sum(ri) @ self._group_sum(rj)) / n

    def _members(self, root: int) -> list[int]:
        return self._groups.get(root, [root])

    def _probability_link(self, ri: int, rj: int) -> float:
        """Mean verifier probability over the member pairs of two groups (at most ``link_pairs`` of them)."""
        a, b = self._members(ri), self._members(rj)
        pairs = [(i, j) for i in a for j in b if self.claims[i].document_id != self.claims[j].document_id]
        if not pairs:
            return 1.0
        if len(pairs) > self.settings.link_pairs:
            step = len(pairs) / self.settings.link_pairs
            pairs = [pairs[int(k * step)] for k in range(self.settings.link_pairs)]
        half = self._vectors.shape[1] // 2
        total = 0.0
        for i, j in pairs:
            vi, vj = self._vectors[i], self._vectors[j]
            check = compare(self.claims[i], self.claims[j], 2 * float(vi[:half] @ vj[:half]), self.identity,
                            self.settings, 2 * float(vi[half:] @ vj[half:]), self.verifier)
            total += check.probability
        return total / len(pairs)

    def _note_conflict(self, i: int, j: int) -> None:
        """Remember that the groups of claims i and j must stay apart."""
        self._partners.setdefault(self._find(i), set()).add(j)
        self._partners.setdefault(self._find(j), set()).add(i)

    def group_of(self) -> dict[str, str]:
        """Claim id -> group id (:func:`group_id` of the group's first claim)."""
        return {c.id: group_id(self.claims[self._find(i)].id) for i, c in enumerate(self.claims)}


def match_claims(claims: Sequence[Claim], vectors: np.ndarray | None = None, embed: EmbedFn | None = None,
                 blocks: BlockFn | None = None, identity: Mapping | None = None,
                 settings: Settings = Settings(), sentence_vectors: np.ndarray | None = None,
                 verifier: Verifier | None = None) -> Grouping:
    """Groups, matches and conflicts of ``claims`` in one go (a fresh :class:`ClaimMatcher`)."""
    matcher = ClaimMatcher(embed=embed, blocks=blocks, identity=identity, settings=settings, verifier=verifier)
    result = matcher.add(claims, vectors, sentence_vectors)
    return Grouping(result.group_of, matcher.matches, matcher.conflicts)
