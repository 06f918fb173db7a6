"""The derivation graph: who copied whom, how, and which documents share one origin.

For a candidate pair of documents this computes a directed edge origin → copy
(:class:`~sitrep.model.Derivation`) or nothing, and from the edges the
*origin groups* that corroboration counts instead of documents (DESIGN
principle 3, "independence, not volume").

**Is the pair related?**  :func:`sitrep.provenance.align.align` matches the
sentences.  Evidence is the larger of the two prose coverages (coverage over
sentences of running text: prose, not Title Case, so that shared headlines,
related-link lists and sign-offs weigh nothing); a pair needs ``min_evidence`` of it, at
least two shared prose sentences and ``MIN_SHARED_CHARS`` shared characters.
Sharing a quoted statement or a background paragraph is not derivation, and
falls below the bar.

**Relation** (of the oriented alignment):

``duplicate``   every sentence verbatim, both ways, same order;
``syndicated``  both carry the same news agency's story (:mod:`.wire`);
``spun``        in-place substitutions that swap common words for rare
                "tortured" synonyms (or a per-document spin score says so);
``rewrite``     most shared sentences are paraphrased or heavily edited;
``reordered``   the copy keeps under 80% of the origin's sentence order;
``trimmed``     the copy leaves out part of the origin and adds little;
``copy``        anything else: a reprint with light edits or added text.

**Direction.**  Each signal votes for one side with a weight; the sum decides
if it reaches 1, else the edge says ``direction == ["undetermined"]`` and its
confidence drops.  ``Derivation.direction`` lists the deciding signals, then
disagreeing ones prefixed ``against:``.

=============  ======  ==================================================================
signal         weight  rule
=============  ======  ==================================================================
wire           2 / 3   a wire-credited text is the origin of an uncredited one sharing it;
                       the agency's own publication (3) is the origin of its reprints
credit         3 / .75 "originally published by X": X's document is the origin (3); a
                       credit to someone else marks the crediting text as a copy (.75)
dates          2       the earlier publication date is the origin
spin           2       the text whose in-place substitutions put rare words for common
                       ones is the spun copy (wordfreq Zipf frequencies; Cabanac et al.
                       2021); per-document spin scores (1.5) likewise
containment    1.5     one text inside the other: if the larger one's extra text is prose
                       in its middle or end, the smaller is a trimmed copy; if it is
                       chrome (non-prose lines, boilerplate rules) around the text, the
                       larger is the copy; prose only before it: an added intro (.75)
boilerplate    .5      per-document counts of removed chrome lines: the page with more is
                       the copy (weak: every site has chrome; never decides alone)
=============  ======  ==================================================================

**Origin groups** (:func:`origin_groups`) are the connected components of the
edges with ``confidence >= min_confidence``.  A group's id is its root
origin's document id: the member no decided edge points into (earliest date,
then smallest id, on ties).  Roles: ``origin`` (the root), ``copy``
(duplicate, copy, trimmed, reordered), ``spun_copy``, ``rewrite``,
``syndicated``.  When a group holds reprints of a news agency's story but not
the agency's own publication, the origin is *virtual*: the agency's story
itself, with group id ``wire:<agency key>:<id of the earliest reprint>``; the
reprints are ``syndicated`` and nobody is ``origin``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone

import numpy as np
from wordfreq import zipf_frequency

from sitrep.extract.boilerplate import clean_text, is_prose
from sitrep.model import Derivation, Document
from sitrep.provenance.align import PARAPHRASE, SPUN, VERBATIM, Alignment, align
from sitrep.provenance.semantic import document_vectors
from sitrep.provenance.wire import AGENCY_SITE, WireCredit, names_outlet, origin_credits, wire_credit

EmbedFn = Callable[[Sequence[str]], np.ndarray]

MIN_EVIDENCE = 0.5
MIN_SHARED_CHARS = 200
MIN_CONFIDENCE = 0.5
DECIDE = 1.0  # votes must sum to this to set a direction
UNDETERMINED = "undetermined"
# Closed-class English words: a spinner's thesaurus has entries for many of them
# ("in" → "successful", "he" → "helium", "as" → "arsenic"); a writer never swaps
# them for content words.
FUNCTION_WORDS = frozenset(
    """a an the this that these those some any all each every no none both either neither
    i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
    who whom whose which what where when why how
    in on at as by for from of to with without within into onto upon about above below under over
    after before since until till during through throughout across along among around between
    beyond near off out up down against toward towards via per than like
    and or but nor so yet if then though although because while whether unless
    be am is are was were been being have has had having do does did doing done
    will would shall should can could may might must
    not very too also just still even only more most less least much many few first last
    here there now again once ever never always often soon already""".split()
)
LEAD_GATE = 0.6  # lead-vector cosine below which a pair gets no meaning-level alignment

ROLE_OF = {"spun": "spun_copy", "rewrite": "rewrite", "syndicated": "syndicated"}


@dataclass(frozen=True)
class Vote:
    weight: float  # > 0: the first document is the origin; < 0: the second is
    label: str


# -- relatedness ----------------------------------------------------------------------------


_SMALL = frozenset("a an the and or but of in on at to for by with from as is vs".split())


def headline_like(sentence: str) -> bool:
    """Title Case ("Rand Paul Scores Direct Hit On Trump."): a headline or a related-link line."""
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", sentence) if w.lower() not in _SMALL]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def body_sentence(sentence: str) -> bool:
    """A sentence of running text: prose, and not a headline-like line."""
    return is_prose(sentence) and not headline_like(sentence)


def _prose_coverage(text: str, spans, covered) -> tuple[float, int]:
    total = hit = n = 0
    for (s, e), c in zip(spans, covered):
        if body_sentence(text[s:e]):
            total += e - s
            if c:
                hit += e - s
                n += 1
    return (hit / total if total else 0.0), n


def evidence(al: Alignment, origin_text: str, copy_text: str) -> tuple[float, int]:
    """(larger prose coverage, shared prose sentences of the copy)."""
    po, _ = _prose_coverage(origin_text, al.origin_sentences, al.origin_covered)
    pc, n = _prose_coverage(copy_text, al.copy_sentences, al.copy_covered)
    return max(po, pc), n


def lead_similarity(a_text: str, b_text: str, embed: EmbedFn) -> float:
    """Cosine of the two texts' lead vectors (see :mod:`sitrep.provenance.semantic`)."""
    va, vb = document_vectors([a_text, b_text], embed)
    return float(va @ vb)


# -- direction signals ------------------------------------------------------------------------


def _parse_date(value: str | None) -> tuple[date, datetime | None] | None:
    if not value:
        return None
    try:
        if len(value) <= 10:
            return date.fromisoformat(value[:10]), None
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return dt.date(), (dt.astimezone(timezone.utc) if dt.tzinfo else None)
    except ValueError:
        try:
            return date.fromisoformat(value[:10]), None
        except ValueError:
            return None


def date_vote(a: Document, b: Document) -> Vote | None:
    da, db = _parse_date(a.published), _parse_date(b.published)
    if not da or not db:
        return None
    # Compare instants when both have a time zone, else calendar dates.
    ka, kb = (da[1], db[1]) if da[1] and db[1] else (da[0], db[0])
    if ka == kb:
        return None
    first, second = (a, b) if ka < kb else (b, a)
    return Vote(2.0 if ka < kb else -2.0, f"dates: {first.id} {first.published} before {second.id} {second.published}")


def tortured(subs: Iterable[tuple[str, str]]) -> tuple[int, int, list[tuple[str, str]]]:
    """Count in-place substitutions that put an odd word for a common one, per side.

    Returns (first side odd, second side odd, examples of the second side's).
    A spinner replaces even function words ("in" → "successful", "he" →
    "helium") and picks obscure synonyms ("week" → "hebdomad"); editors and
    rewriters keep function words and do not reach for rarities.
    """
    rare_a = rare_b = 0
    examples = []
    for x, y in subs:
        zx, zy = zipf_frequency(x, "en"), zipf_frequency(y, "en")
        # Only a function word swapped for a much rarer content word counts ("in" →
        # "successful"): editors and rewriters never do that, while replacing a rare
        # content word by a common one is ordinary simplification, in either direction.
        if "'" in x or "'" in y:
            continue  # contractions split differently on the two sides
        if _odd_swap(x, y, zx, zy):
            rare_b += 1
            examples.append((x, y))
        elif _odd_swap(y, x, zy, zx):
            rare_a += 1
    return rare_a, rare_b, examples


def _odd_swap(common: str, rare: str, zc: float, zr: float) -> bool:
    """A function word for a content word ("in" → "successful"), or a common word for an obscure one
    ("week" → "hebdomad")."""
    if common in FUNCTION_WORDS:
        return rare not in FUNCTION_WORDS and zc - zr >= 1.5
    return zr <= 3.0 and zc - zr >= 2.0


def spin_votes(al: Alignment, a: Document, b: Document, spin_scores: Mapping[str, float] | None) -> list[Vote]:
    votes = []
    rare_a, rare_b, ex = tortured(al.substitutions)
    # A spinner's swaps are tortured by the dozen (about 40% of its substitutions
    # in news text); a rewriter's "also" → "additionally" is an occasional one.
    floor = max(3, 0.15 * len(al.substitutions))
    if rare_b >= floor and rare_b >= 3 * rare_a:
        shown = ", ".join(f"{x}→{y}" for x, y in ex[:4])
        votes.append(Vote(2.0, f"spin: {b.id} swaps {rare_b} common words for rare synonyms ({shown})"))
    elif rare_a >= floor and rare_a >= 3 * rare_b:
        votes.append(Vote(-2.0, f"spin: {a.id} swaps {rare_a} common words for rare synonyms"))
    if spin_scores:
        sa, sb = spin_scores.get(a.id), spin_scores.get(b.id)
        if sa is not None and sb is not None and abs(sa - sb) >= 0.1:
            spun, other = (b, a) if sb > sa else (a, b)
            votes.append(Vote(1.5 if sb > sa else -1.5,
                              f"spin: {spun.id} spin score {max(sa, sb):.2f} vs {other.id} {min(sa, sb):.2f}"))
    return votes


def _chrome_lines(text: str) -> set[int]:
    """Start offsets of the lines the boilerplate rules would remove."""
    _, removed = clean_text(text)
    if not removed:
        return set()
    starts, pos = [], 0
    for line in text.split("\n"):
        starts.append(pos)
        pos += len(line) + 1
    return {starts[r.line_no] for r in removed if r.line_no < len(starts)}


def _extra_profile(text: str, spans, covered) -> tuple[int, int, int, int]:
    """(prose chars in middle or end, prose chars before, chrome lines, total chars) of uncovered sentences."""
    idx = [i for i, c in enumerate(covered) if c]
    if not idx:
        return 0, 0, 0, 1
    first, last = idx[0], idx[-1]
    chrome_starts = _chrome_lines(text)
    line_start = lambda s: text.rfind("\n", 0, s) + 1  # noqa: E731
    mid_end = head = chrome = 0
    for i, ((s, e), c) in enumerate(zip(spans, covered)):
        if c:
            continue
        seg = text[s:e]
        if not is_prose(seg) or line_start(s) in chrome_starts:
            chrome += 1
        elif i < first:
            head += e - s
        else:
            mid_end += e - s
    total = sum(e - s for s, e in spans) or 1
    return mid_end, head, chrome, total


def _contained(spans, covered) -> bool:
    """Nearly all of the text is found in the other one (one stray sentence at most)."""
    missing = [e - s for (s, e), c in zip(spans, covered) if not c]
    return len(missing) <= 1 and sum(missing) <= 0.03 * (sum(e - s for s, e in spans) or 1)


def _has_extra(spans, covered) -> bool:
    missing = [e - s for (s, e), c in zip(spans, covered) if not c]
    return len(missing) >= 2 or sum(missing) >= 0.05 * (sum(e - s for s, e in spans) or 1)


def containment_vote(al: Alignment, a: Document, b: Document) -> Vote | None:
    a_in, b_in = _contained(al.origin_sentences, al.origin_covered), _contained(al.copy_sentences, al.copy_covered)
    if b_in and not a_in and _has_extra(al.origin_sentences, al.origin_covered):
        big, small, spans, covered, sign = a, b, al.origin_sentences, al.origin_covered, 1.0
    elif a_in and not b_in and _has_extra(al.copy_sentences, al.copy_covered):
        big, small, spans, covered, sign = b, a, al.copy_sentences, al.copy_covered, -1.0
    else:
        return None
    mid_end, head, chrome, total = _extra_profile(big.text, spans, covered)
    absent = sum(1 for c in covered if not c)
    if mid_end >= max(150, 0.1 * total):
        return Vote(1.5 * sign, f"containment: {small.id} is {big.id} without {absent} of its sentences (trimmed)")
    if chrome >= 2 and mid_end < 0.05 * total:
        return Vote(-1.5 * sign, f"containment: {big.id} is {small.id}'s text inside {chrome} chrome lines")
    if head >= 40 and mid_end < 0.05 * total:
        return Vote(-0.75 * sign, f"containment: {big.id} adds an intro to {small.id}'s text")
    return None


def credit_votes(a: Document, b: Document) -> list[Vote]:
    votes = []
    for doc, other, sign in ((b, a, 1.0), (a, b, -1.0)):
        credits = origin_credits(doc.text)
        if not credits:
            continue
        named = [c for c in credits if names_outlet(c.name, other)]
        if named:
            votes.append(Vote(3.0 * sign, f"credit: {doc.id} says it was originally published by {named[0].name}"))
        else:
            votes.append(Vote(0.75 * sign, f"credit: {doc.id} credits {credits[0].name} as first publisher"))
    return votes


def wire_votes(a: Document, b: Document, wa: WireCredit | None, wb: WireCredit | None) -> list[Vote]:
    votes = []
    for doc, other, w, ow, sign in ((a, b, wa, wb, 1.0), (b, a, wb, wa, -1.0)):
        if not w:
            continue
        if w.kind == AGENCY_SITE:
            if not (ow and ow.key == w.key and ow.kind == AGENCY_SITE):
                votes.append(Vote(3.0 * sign, f"wire: {doc.id} is {w.agency}'s own publication"))
        elif ow is None:
            votes.append(Vote(2.0 * sign,
                              f"wire: {doc.id} carries the {w.agency} credit ({w.kind}), {other.id} does not"))
    return votes


def boilerplate_vote(a: Document, b: Document, counts: Mapping[str, int] | None) -> Vote | None:
    if not counts or a.id not in counts or b.id not in counts:
        return None
    na, nb = counts[a.id], counts[b.id]
    if abs(na - nb) < 3:
        return None
    more, fewer = (b, a) if nb > na else (a, b)
    return Vote(0.5 if nb > na else -0.5,
                f"boilerplate: {more.id} had {max(na, nb)} chrome lines removed, {fewer.id} {min(na, nb)}")


def decide(votes: list[Vote]) -> tuple[int, list[str], float]:
    """(+1 first is origin | -1 second is | 0 undetermined, direction labels, margin)."""
    total = sum(v.weight for v in votes)
    if abs(total) < DECIDE:
        return 0, [UNDETERMINED] + [f"weak: {v.label}" for v in votes], abs(total)
    sign = 1 if total > 0 else -1
    agree = [v.label for v in votes if v.weight * sign > 0]
    against = [f"against: {v.label}" for v in votes if v.weight * sign < 0]
    return sign, agree + against, abs(total)


# -- relation ------------------------------------------------------------------------------


def relation_of(al: Alignment, spun: bool) -> str:
    if (all(al.origin_covered) and all(al.copy_covered) and al.order == 1.0
            and all(m.kind == VERBATIM for m in al.matches)):
        return "duplicate"
    if spun and al.kinds.get(SPUN, 0.0) >= 0.2:
        return "spun"
    if _rewritten_share(al) >= 0.5:
        return "rewrite"
    if al.order < 0.8:
        return "reordered"
    if al.coverage_origin < 0.85 and al.coverage_copy >= 0.8:
        return "trimmed"
    return "copy"


def _rewritten_share(al: Alignment) -> float:
    """Share of the matched copy characters that are paraphrased or heavily changed."""
    tot = rew = 0
    for m in al.matches:
        s, e = al.copy_sentences[m.copy_index]
        tot += e - s
        if m.kind == PARAPHRASE or (m.kind != VERBATIM and m.similarity < 0.8):
            rew += e - s
    return rew / tot if tot else 0.0


# -- one pair --------------------------------------------------------------------------------


def _order_key(doc: Document) -> tuple[str, str]:
    d = _parse_date(doc.published)
    return (d[0].isoformat() if d else "9999-99-99", doc.id)


def derive_pair(
    a: Document,
    b: Document,
    embed: EmbedFn | None = None,
    spin_scores: Mapping[str, float] | None = None,
    boilerplate_lines: Mapping[str, int] | None = None,
    min_evidence: float = MIN_EVIDENCE,
    wire: Mapping[str, WireCredit | None] | None = None,
) -> Derivation | None:
    """The derivation edge between ``a`` and ``b``, or None when they are not related.

    ``embed`` (e.g. :func:`sitrep.vectors.embed`) enables paraphrase matching;
    ``spin_scores`` maps document ids to spin scores (0..1); ``boilerplate_lines``
    to counts of chrome lines extraction removed; ``wire`` may hold precomputed
    :func:`~sitrep.provenance.wire.wire_credit` results.
    """
    if _order_key(b) < _order_key(a):
        a, b = b, a  # provisional orientation: earlier (then smaller id) first
    related = _related(a, b, embed, min_evidence)
    if related is None:
        return None
    al, ev, use_embed = related
    wa = wire[a.id] if wire is not None and a.id in wire else wire_credit(a)
    wb = wire[b.id] if wire is not None and b.id in wire else wire_credit(b)
    rel_conf = min(1.0, max(0.0, (ev - 0.3) / 0.5))
    if _rewritten_share(al) >= 0.5:
        rel_conf *= 0.9  # meaning matches are less certain than word matches

    if wa and wb and wa.key == wb.key and AGENCY_SITE not in (wa.kind, wb.kind):
        # Both reprint one agency story: a shared origin, not one copying the other.
        return _edge(a, b, al, "syndicated", rel_conf, [f"syndicated:{wa.key}:{wa.agency}"])

    votes = direction_votes(al, a, b, wa, wb, spin_scores, boilerplate_lines)
    sign, labels, margin = decide(votes)
    if sign < 0:
        a, b = b, a
        al = align(a.text, b.text, embed=embed if use_embed else None)
    spun = any(v.label.startswith("spin:") and v.weight * (sign or 1) > 0 for v in votes)
    return _edge(a, b, al, relation_of(al, spun), rel_conf * _direction_factor(sign, labels, margin), labels)


def _related(a: Document, b: Document, embed: EmbedFn | None, min_evidence: float):
    """(alignment of b to a, evidence, whether vectors were used), or None when unrelated."""
    al = align(a.text, b.text)
    ev, shared = evidence(al, a.text, b.text)
    use_embed = embed is not None and (ev < min_evidence or min(al.coverage_origin, al.coverage_copy) < 0.9)
    if use_embed and ev < min_evidence:
        # Sentence-level meaning matching only for pairs whose leads mean the same.
        use_embed = lead_similarity(a.text, b.text, embed) >= LEAD_GATE
    if use_embed:
        al = align(a.text, b.text, embed=embed)
        ev, shared = evidence(al, a.text, b.text)
    if ev < min_evidence or shared < 2 or al.shared_chars < MIN_SHARED_CHARS:
        return None
    return al, ev, use_embed


def direction_votes(al, a, b, wa, wb, spin_scores=None, boilerplate_lines=None) -> list[Vote]:
    """Every direction signal's vote on the pair (``a`` provisional origin, ``al`` = align(a, b))."""
    votes: list[Vote] = wire_votes(a, b, wa, wb) + credit_votes(a, b)
    for v in (date_vote(a, b), *spin_votes(al, a, b, spin_scores), containment_vote(al, a, b),
              boilerplate_vote(a, b, boilerplate_lines)):
        if v:
            votes.append(v)
    return votes


def _direction_factor(sign: int, labels: list[str], margin: float) -> float:
    """Confidence multiplier: 1 for a clear direction, less for a contested or undetermined one."""
    if sign == 0:
        return 0.7
    if margin >= 2 and not any(label.startswith("against:") for label in labels):
        return 1.0
    return 0.85


def _edge(a: Document, b: Document, al: Alignment, relation: str, confidence: float,
          direction: list[str]) -> Derivation:
    return Derivation(
        origin_id=a.id,
        copy_id=b.id,
        relation=relation,
        coverage_origin=round(al.coverage_origin, 4),
        coverage_copy=round(al.coverage_copy, 4),
        confidence=round(confidence, 4),
        direction=direction,
        passages=al.passages,
    )


def derive(
    pairs: Iterable[Sequence],
    documents: Mapping[str, Document] | Iterable[Document],
    embed: EmbedFn | None = None,
    spin_scores: Mapping[str, float] | None = None,
    boilerplate_lines: Mapping[str, int] | None = None,
    min_evidence: float = MIN_EVIDENCE,
) -> list[Derivation]:
    """Edges for candidate ``pairs`` (``(id_a, id_b)`` or ``(id_a, id_b, score)``), in pair order.

    Each unordered pair is examined once; pairs naming unknown ids are skipped.
    """
    docs = documents if isinstance(documents, Mapping) else {d.id: d for d in documents}
    wire: dict[str, WireCredit | None] = {}
    seen: set[tuple[str, str]] = set()
    out = []
    for pair in pairs:
        x, y = pair[0], pair[1]
        key = (x, y) if x < y else (y, x)
        if x == y or key in seen or x not in docs or y not in docs:
            continue
        seen.add(key)
        for d in (x, y):
            if d not in wire:
                wire[d] = wire_credit(docs[d])
        edge = derive_pair(docs[x], docs[y], embed, spin_scores, boilerplate_lines, min_evidence, wire)
        if edge:
            out.append(edge)
    return out


# -- origin groups -----------------------------------------------------------------------------


class _Union:
    def __init__(self, items):
        self.parent = {i: i for i in items}

    def find(self, x):
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


_SYND = re.compile(r"^syndicated:([^:]+):")


def origin_groups(
    doc_ids: Iterable[str],
    derivations: Iterable[Derivation],
    documents: Mapping[str, Document] | None = None,
    min_confidence: float = MIN_CONFIDENCE,
    wire: Mapping[str, WireCredit | None] | None = None,
) -> dict[str, tuple[str, str]]:
    """``doc_id -> (group_id, role)`` for every id in ``doc_ids``; see the module docstring.

    ``documents`` (optional) supplies publication dates for choosing roots, and wire
    credits unless ``wire`` (precomputed :func:`~sitrep.provenance.wire.wire_credit`
    per id) is given; without either, wire reprints are known from their
    ``syndicated`` edges only.
    """
    ids = list(dict.fromkeys(doc_ids))
    idset = set(ids)
    edges = [d for d in derivations
             if d.confidence >= min_confidence and d.origin_id in idset and d.copy_id in idset]
    uf = _Union(ids)
    for d in edges:
        uf.union(d.origin_id, d.copy_id)
    members: dict[str, list[str]] = {}
    for i in ids:
        members.setdefault(uf.find(i), []).append(i)

    credited: dict[str, tuple[str, bool]] = {}  # id -> (agency key, is the agency itself)
    if wire is None and documents:
        wire = {i: wire_credit(documents[i]) for i in ids if i in documents}
    for i, w in (wire or {}).items():
        if w and i in idset:
            credited[i] = (w.key, w.kind == AGENCY_SITE)
    for d in edges:
        m = _SYND.match(d.direction[0]) if d.direction else None
        if m:
            for i in (d.origin_id, d.copy_id):
                credited.setdefault(i, (m.group(1), False))

    by_group: dict[str, list[Derivation]] = {}
    for d in edges:
        by_group.setdefault(uf.find(d.origin_id), []).append(d)
    out: dict[str, tuple[str, str]] = {}
    for root, group in members.items():
        out.update(_assign(group, by_group.get(root, []), credited, documents))
    return out


def _assign(group, edges, credited, documents) -> dict[str, tuple[str, str]]:
    def date_key(i):
        doc = documents.get(i) if documents else None
        d = _parse_date(doc.published) if doc else None
        return d[0].isoformat() if d else "9999-99-99"

    decided = [d for d in edges if d.direction and d.direction[0] != UNDETERMINED and d.relation != "syndicated"]
    incoming: dict[str, Derivation] = {}
    for d in sorted(edges, key=lambda d: (d in decided, d.confidence)):
        incoming[d.copy_id] = d  # decided, most confident edges win
    has_parent = {d.copy_id for d in decided}
    outdeg = {i: sum(1 for d in decided if d.origin_id == i) for i in group}

    wired = [i for i in group if i in credited]
    if wired and not any(credited[i][1] for i in wired):
        keys: dict[str, int] = {}
        for i in wired:
            keys[credited[i][0]] = keys.get(credited[i][0], 0) + 1
        key = max(sorted(keys), key=keys.get)
        first = min((i for i in wired if credited[i][0] == key), key=lambda i: (date_key(i), i))
        gid = f"wire:{key}:{first}"
        return {i: (gid, "syndicated" if i in credited else _role(incoming.get(i))) for i in group}

    roots = [i for i in group if i not in has_parent]
    root = min(roots or group, key=lambda i: (outdeg[i] == 0, date_key(i), i))
    return {i: (root, "origin" if i == root else _role(incoming.get(i))) for i in group}


def _role(edge: Derivation | None) -> str:
    return ROLE_OF.get(edge.relation, "copy") if edge else "copy"
