"""Contradictions: points on which the documents of a story cannot all be right.

A contradiction is two *sides*, each a set of cited spans, that cannot both
hold at the same time.  Three families are found:

* **Value conflicts** (number, date, place, polarity).  Claim matching
  (:mod:`sitrep.corroborate.matching`) already records each pair of claims
  with the same subject and predicate but conflicting values
  (:class:`~sitrep.corroborate.matching.Conflict`).  Here the pairs are merged
  into one contradiction per (kind, subject, topic, pair of values): a side
  gathers every claim that states its value, together with every claim of the
  same claim group (the groups are sets of claims that state the same thing),
  so that "three hours" cites all the reports of three hours, not one.  Two
  dates that differ only as their documents' dates do ("today" in a copy
  published a day later) are no conflict.
* **Former versus current role.**  The same identity given an office as held
  now by some documents and as ``former`` by others, where the documents'
  dates overlap (an undated document overlaps every date).  A "former" title
  dated apart from the "current" one is no contradiction: offices change hands
  and the two documents may both be right at their own dates.
* **Two holders of one office.**  Two identities each given, as current, the
  same singular office of the same jurisdiction ("president (france)") at
  overlapping dates.  Offices come from the understanding layer's office
  lexicon (``data/understand/offices.tsv``, class ``leader``).

Each side carries its independent-source count (distinct origin groups, so
copies, wire reprints and rewrites of one origin count once — the
"independence, not volume" rule of the design) and a farm-only flag (every
document on the side is a content-farm page).  Ids are hashes of the content
(kind, subject, topic, values), so they are stable across runs and
independent of input order.

The method is the contradiction typology of de Marneffe, Rafferty & Manning
2008 ("Finding contradictions in text", ACL): numeric, date, location,
negation/antonymy (polarity) and, for roles, the world-knowledge class with
the temporal condition they stress — two statements contradict only if they
are about the same event or time.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from sitrep.corroborate.matching import Conflict, dates_agree, entity_words, numbers_agree
from sitrep.model import Citation, Claim, Contradiction, Quantity, Role

# Offices of class "leader" that are generic words rather than one seat each.
_GENERIC_LEADERS = frozenset({"leader", "chief", "monarch"})


@dataclass(frozen=True)
class _Side:
    value: str
    claims: frozenset[str]


# -- shared helpers ----------------------------------------------------------------------


def contradiction_id(story_id: str, kind: str, subject: str, topic: str, value_a: str, value_b: str) -> str:
    """A stable id: the hash of what the contradiction is about (not of its citations, which grow)."""
    raw = "\x1f".join((story_id, kind, subject, topic, value_a, value_b))
    return "ct:" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def side_summary(documents: Iterable[str], source_of: Mapping[str, str], farm: Iterable[str]) -> tuple[int, bool]:
    """(independent sources, farm only) of the documents on one side."""
    docs = set(documents)
    farm = set(farm)
    sources = {source_of.get(d, d) for d in docs}
    return len(sources), bool(docs) and docs <= farm


def _citations(spans: Iterable[tuple[str, int, int]]) -> list[Citation]:
    return [Citation(d, s, e) for d, s, e in sorted(set(spans))]


def _make(story_id, kind, subject, topic, value_a, value_b, spans_a, spans_b, source_of, farm) -> Contradiction:
    # Sides in a fixed order so that the id and the record do not depend on which claim came first.
    if (value_b, sorted(spans_b)) < (value_a, sorted(spans_a)):
        value_a, value_b, spans_a, spans_b = value_b, value_a, spans_b, spans_a
    side_a, side_b = _citations(spans_a), _citations(spans_b)
    sources_a, farm_a = side_summary((c.document_id for c in side_a), source_of, farm)
    sources_b, farm_b = side_summary((c.document_id for c in side_b), source_of, farm)
    return Contradiction(
        id=contradiction_id(story_id, kind, subject, topic, value_a, value_b),
        story_id=story_id, kind=kind, subject=subject, topic=topic, value_a=value_a, value_b=value_b,
        side_a=side_a, side_b=side_b, sources_a=sources_a, sources_b=sources_b, farm_a=farm_a, farm_b=farm_b,
    )


# -- value conflicts from claim matching ------------------------------------------------------


def subject_of(claim: Claim, identity_of: Mapping[tuple[str, str], str]) -> str:
    """The claim's subject as an identity id when it resolves, else its normalised words."""
    if claim.subject_key:
        ident = identity_of.get((claim.document_id, claim.subject_key))
        if ident:
            return ident
    return " ".join(entity_words(claim.subject_key or claim.subject))


def value_of(claim: Claim, kind: str, identity_of: Mapping[tuple[str, str], str]) -> str:
    """The claim's value for a conflict kind, normalised so that equal values compare equal."""
    if kind == "number":
        return "; ".join(sorted({_number_text(q.value, q.unit) for q in claim.numbers}))
    if kind == "date":
        return "; ".join(sorted(set(claim.dates)))
    if kind == "place":
        return "; ".join(sorted({identity_of.get((claim.document_id, p), " ".join(entity_words(p)))
                                 for p in claim.places}))
    return "affirmed" if claim.polarity > 0 else "negated"


def _same_value_text(a: str, b: str) -> bool:
    """Equal once identity kinds are set aside: "org:kyiv" and "place:kyiv" are one name."""
    def names(v: str) -> list[str]:
        return sorted(x.strip().split(":", 1)[-1] for x in v.split(";"))
    return names(a) == names(b)


_NEGATION = re.compile(r"\b(?:not|no|never|neither|nor|none|nobody|nothing|without|refus\w*|declin\w*|"
                       r"den(?:y|ied|ies)|fail\w*)\b|n't\b", re.IGNORECASE)


def negations_differ(a: str, b: str) -> bool:
    """Whether two texts differ in how many negation cues they carry: a polarity conflict between
    texts that negate alike ("neither answered" / "neither took") is an artefact of extraction."""
    return len(_NEGATION.findall(a)) != len(_NEGATION.findall(b))


def _number_text(value: float, unit: str) -> str:
    num = f"{value:g}"
    return f"{num} {unit}".strip()


def _frame(a: Claim, b: Claim, identity_of) -> tuple[str, str]:
    """(subject, topic) of a conflicting pair: the subject one side resolves to an identity, else the
    alphabetically first; the shared predicate, or both joined when the pair was matched on similarity."""
    subjects = sorted({subject_of(a, identity_of), subject_of(b, identity_of)} - {""})
    resolved = [s for s in subjects if ":" in s]
    subject = (resolved or subjects or [""])[0]
    preds = sorted({a.predicate, b.predicate})
    return subject, " | ".join(preds)


def value_contradictions(story_id: str, claims: Sequence[Claim], conflicts: Iterable[Conflict],
                         group_of: Mapping[str, str], identity_of: Mapping[tuple[str, str], str],
                         source_of: Mapping[str, str], farm: Iterable[str],
                         dates: Mapping[str, str] | None = None) -> list[Contradiction]:
    """Number, date, place and polarity contradictions: the matching conflicts merged by
    (kind, subject, topic, value pair), each side extended to its claims' whole groups.  ``dates``
    (document id -> ISO publication date) lets a date conflict that is only each document's own
    "today" or "yesterday" go (:func:`read_from_own_dates`)."""
    dates = dates or {}
    by_id = {c.id: c for c in claims}
    members: dict[str, list[str]] = defaultdict(list)
    for cid, gid in group_of.items():
        if cid in by_id:
            members[gid].append(cid)
    merged: dict[tuple, tuple[set[str], set[str]]] = {}
    for cf in conflicts:
        a, b = by_id.get(cf.a), by_id.get(cf.b)
        if a is None or b is None:
            continue
        subject, topic = _frame(a, b, identity_of)
        va, vb = value_of(a, cf.kind, identity_of), value_of(b, cf.kind, identity_of)
        if _same_value_text(va, vb) or (cf.kind == "polarity" and not negations_differ(a.text, b.text)):
            continue  # written differently, or a polarity the extraction read differently from the words
        if cf.kind == "date" and read_from_own_dates(a, b, dates):
            continue
        if vb < va:
            a, b, va, vb = b, a, vb, va
        key = (cf.kind, subject, topic, va, vb)
        side_a, side_b = merged.setdefault(key, (set(), set()))
        side_a.update(_group_claims(a, group_of, members))
        side_b.update(_group_claims(b, group_of, members))
    out = []
    for (kind, subject, topic, va, vb), (ids_a, ids_b) in merged.items():
        spans_a = [(by_id[i].document_id, by_id[i].start, by_id[i].end) for i in ids_a - ids_b]
        spans_b = [(by_id[i].document_id, by_id[i].start, by_id[i].end) for i in ids_b - ids_a]
        if spans_a and spans_b:
            out.append(_make(story_id, kind, subject, topic, va, vb, spans_a, spans_b, source_of, farm))
    return out


DEICTIC_DAYS = 7  # how far from its document's date a date read from "today", "Tuesday", "last week" falls


def read_from_own_dates(a: Claim, b: Claim, dates: Mapping[str, str]) -> bool:
    """Whether two claims' dates differ only as their documents' dates do: the same words ("today",
    "yesterday") read against a copy published a day later give a date a day later.  True when
    some date of each lies the same number of days (at most :data:`DEICTIC_DAYS`) from its own
    document's date, and the documents' dates differ."""
    pa, pb = _day(dates.get(a.document_id, "")), _day(dates.get(b.document_id, ""))
    if pa is None or pb is None or pa == pb:
        return False
    return bool(_offsets(a, pa) & _offsets(b, pb))


def _offsets(c: Claim, published: int) -> set[int]:
    """Days from its document's date to each of a claim's dates, within :data:`DEICTIC_DAYS`."""
    return {d - published for d in map(_day, c.dates) if d is not None and abs(d - published) <= DEICTIC_DAYS}


def _day(value: str) -> int | None:
    return datetime.date.fromisoformat(value).toordinal() if re.fullmatch(r"\d{4}-\d\d-\d\d", value) else None


def _group_claims(claim: Claim, group_of: Mapping[str, str], members: Mapping[str, list[str]]) -> set[str]:
    gid = group_of.get(claim.id)
    return {claim.id, *members.get(gid, ())} if gid else {claim.id}


# -- event durations stated in claims -------------------------------------------------------

_TIME_UNITS = frozenset({"second", "minute", "hour", "day", "week", "month", "year"})


def _duration_facts(claim: Claim, identity_of) -> list[tuple[Quantity, frozenset[str], frozenset[str]]]:
    """(quantity, identities named, words just after the quantity) for each time-unit quantity."""
    idents = frozenset(identity_of.get((claim.document_id, k), "") for k in claim.entities) - {""}
    out = []
    low = claim.text.casefold()
    for q in claim.numbers:
        if q.unit not in _TIME_UNITS:
            continue
        at = low.find(q.text.casefold())
        after = low[at + len(q.text):] if at >= 0 else ""
        words = frozenset(w for w in re.findall(r"[a-z][a-z-]+", after)[:4] if len(w) > 3)
        out.append((q, idents, words))
    return out


def duration_contradictions(story_id: str, claims: Sequence[Claim], identity_of: Mapping[tuple[str, str], str],
                            source_of: Mapping[str, str], farm: Iterable[str], tolerance: float = 0.10,
                            min_shared: int = 2) -> list[Contradiction]:
    """How long something lasted, told differently: two claims of different documents that name at
    least ``min_shared`` of the same identities, count the same time unit of the same thing (a word
    right after the number is shared: "three hours of talks" / "five hours of closed-door talks")
    and give values that disagree.  Claim matching misses these when the sentences are framed
    differently ("wrapped up three hours of talks" / "five hours of talks ended").  Each side then
    takes every claim that gives its value for the same unit and names the same identities."""
    facts = [(c, f) for c in claims for f in _duration_facts(c, identity_of)]
    points: dict[tuple[str, float, float], tuple[str, str, frozenset[str]]] = {}
    for i, (ca, (qa, ia, wa)) in enumerate(facts):
        for cb, (qb, ib, wb) in facts[i + 1:]:
            shared = ia & ib
            if (ca.document_id == cb.document_id or qa.unit != qb.unit or not wa & wb or len(shared) < min_shared
                    or dates_clash(ca.dates, cb.dates) or numbers_agree([qa], [qb], tolerance) != "conflict"):
                continue
            lo, hi = sorted((qa.value, qb.value))
            subject = next(identity_of[(ca.document_id, k)] for k in ca.entities
                           if identity_of.get((ca.document_id, k)) in shared)
            known = points.get((qa.unit, lo, hi))
            points[(qa.unit, lo, hi)] = (subject, min(wa & wb), shared if known is None else known[2] & shared)
    out = []
    for (unit, lo, hi), (subject, word, shared) in sorted(points.items()):
        sides = [[(c.document_id, c.start, c.end) for c, (q, ids, _) in facts
                  if q.unit == unit and len(ids & shared) >= min(min_shared, len(shared))
                  and numbers_agree([q], [Quantity(v, unit, "", 0, 0)], tolerance) == "agree"] for v in (lo, hi)]
        out.append(_make(story_id, "number", subject, f"duration of {word}", _number_text(lo, unit),
                         _number_text(hi, unit), sides[0], sides[1], source_of, farm))
    return out


def dates_clash(xs: Sequence[str], ys: Sequence[str]) -> bool:
    """Both claims dated and no date of one overlaps a date of the other: two different occasions."""
    return bool(xs) and bool(ys) and dates_agree(xs, ys) == "conflict"


# -- roles ------------------------------------------------------------------------------------


def office(role: str) -> tuple[str, str]:
    """("president", "france") from a normalised role "president (france)"; jurisdiction '' when none."""
    m = re.fullmatch(r"\s*(.*?)\s*(?:\((.*)\))?\s*", role.casefold())
    return (m.group(1), (m.group(2) or "").strip()) if m else (role.casefold(), "")


def same_office(a: str, b: str) -> bool:
    """Same office, the jurisdictions agreeing or one left unsaid ("president" / "president (us)")."""
    (oa, ja), (ob, jb) = office(a), office(b)
    return oa == ob and (not ja or not jb or ja == jb)


def dates_overlap(a: str, b: str) -> bool:
    """Whether two document dates can be the same moment: undated overlaps all, else equal at the
    coarser grain ("2025-08" overlaps "2025-08-15")."""
    if not a or not b:
        return True
    a, b = a[:10], b[:10]
    return a.startswith(b) or b.startswith(a)


def _span(r: Role) -> tuple[str, int, int]:
    return (r.document_id, r.start, r.end)


def former_current_contradictions(story_id: str, roles: Sequence[Role], source_of: Mapping[str, str],
                                  farm: Iterable[str]) -> list[Contradiction]:
    """One contradiction per (identity, office) that some documents give as current and others, at
    overlapping dates, as former."""
    by_identity: dict[str, list[Role]] = defaultdict(list)
    for r in roles:
        by_identity[r.identity].append(r)
    out = []
    for ident, rs in sorted(by_identity.items()):
        formers = [r for r in rs if r.qualifier == "former"]
        currents = [r for r in rs if r.qualifier == ""]
        for title in sorted({office(r.role)[0] for r in formers}):
            cur = [c for c in currents if office(c.role)[0] == title]
            fmr = [f for f in formers if office(f.role)[0] == title]
            pairs = [(c, f) for c in cur for f in fmr
                     if c.document_id != f.document_id and same_office(c.role, f.role) and dates_overlap(c.date, f.date)]
            if not pairs:
                continue
            spans_cur = [_span(c) for c, _ in pairs]
            spans_fmr = [_span(f) for _, f in pairs]
            out.append(_make(story_id, "role", ident, title, title, "former " + title,
                             spans_cur, spans_fmr, source_of, farm))
    return out


@lru_cache(maxsize=1)
def singular_offices() -> frozenset[str]:
    """Offices one person holds at a time in one jurisdiction (class "leader" of the office lexicon)."""
    text = resources.files("sitrep").joinpath("data", "understand", "offices.tsv").read_text("utf-8")
    out = set()
    for line in text.splitlines():
        cells = line.split("\t")
        if line.startswith("#") or len(cells) < 3:
            continue
        if cells[2].strip() == "leader" and cells[0].strip() not in _GENERIC_LEADERS:
            out.add(cells[0].strip())
    return frozenset(out)


def two_holder_contradictions(story_id: str, roles: Sequence[Role], source_of: Mapping[str, str],
                              farm: Iterable[str]) -> list[Contradiction]:
    """One contradiction per pair of identities each given, as current, one singular office of one
    named jurisdiction at overlapping dates."""
    seats: dict[tuple[str, str], dict[str, list[Role]]] = defaultdict(lambda: defaultdict(list))
    for r in roles:
        title, where = office(r.role)
        if r.qualifier == "" and where and title in singular_offices():
            seats[(title, where)][r.identity].append(r)
    out = []
    for (title, where), holders in sorted(seats.items()):
        idents = sorted(holders)
        for i, x in enumerate(idents):
            for y in idents[i + 1:]:
                pairs = [(p, q) for p in holders[x] for q in holders[y] if dates_overlap(p.date, q.date)]
                if not pairs:
                    continue
                seat = f"{title} ({where})"
                out.append(_make(story_id, "role", seat, seat, x, y, [_span(p) for p, _ in pairs],
                                 [_span(q) for _, q in pairs], source_of, farm))
    return out


# -- everything -------------------------------------------------------------------------------


def find_contradictions(story_id: str, claims: Sequence[Claim], conflicts: Iterable[Conflict],
                        group_of: Mapping[str, str], roles: Sequence[Role],
                        identity_of: Mapping[tuple[str, str], str], source_of: Mapping[str, str],
                        farm: Iterable[str], dates: Mapping[str, str] | None = None) -> list[Contradiction]:
    """Every contradiction of one story, sorted by kind then id.

    ``roles`` whose ``date`` is empty take the document's date from ``dates`` (document id -> ISO
    date, '' when undated) when it has one; ``identity_of`` maps (document id, mention key) to
    identity ids; ``source_of`` maps document ids to origin groups (a document missing from it is
    its own source); ``farm`` holds the content-farm document ids.
    """
    farm = frozenset(farm)
    dates = dates or {}
    roles = [r if r.date or not dates.get(r.document_id) else _redate(r, dates[r.document_id]) for r in roles]
    out = value_contradictions(story_id, claims, conflicts, group_of, identity_of, source_of, farm, dates)
    out += _new_points(out, duration_contradictions(story_id, claims, identity_of, source_of, farm))
    out += former_current_contradictions(story_id, roles, source_of, farm)
    out += two_holder_contradictions(story_id, roles, source_of, farm)
    return sorted(out, key=lambda c: (c.kind, c.id))


def _new_points(found: list[Contradiction], more: list[Contradiction]) -> list[Contradiction]:
    """``more`` without the points ``found`` already cites (the same spans on both sides)."""
    seen = {(frozenset(c.side_a), frozenset(c.side_b)) for c in found}
    seen |= {(b, a) for a, b in seen}
    return [c for c in more if not any(frozenset(c.side_a) & a and frozenset(c.side_b) & b for a, b in seen)]


def _redate(r: Role, date: str) -> Role:
    return Role(r.identity, r.role, r.qualifier, r.document_id, r.start, r.end, date)
