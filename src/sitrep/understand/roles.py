"""Roles and titles the document gives its persons, read from lexico-syntactic
patterns over tokens.

What it computes
----------------
:func:`find_roles` reads, for every person mention of a cluster, the role
phrases attached to it by patterns in the manner of Hearst 1992, "Automatic
acquisition of hyponyms from large text corpora", COLING:

* a title before the name ("former U.S. President Donald Trump"), or an
  honorific ("Gen. Mark Milley" -> general; "Mr" / "Mrs" give gender only);
* an apposition after or before it ("Alexander Darchiev, Russia's ambassador
  to the US" / "Russia's ambassador to the US, Alexander Darchiev");
* a copula ("X is the US special envoy", "X, who was previously ...").

One noun-phrase reader, :func:`parse_np`, serves all patterns (and the
definite descriptions of :mod:`sitrep.understand.descriptions`): determiner,
qualifiers, country or organisation (possessive or adjectival), up to three
modifiers, an office from the lexicon (:mod:`sitrep.understand.offices`), a
-elect / -designate suffix, then "of X" / "for X" / "to X" / "at X"
complements.  Roles are returned in the normal form of
:func:`sitrep.understand.offices.role_text`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import RoleMention
from . import names as N
from ._tokens import DETS, POSS, Cand, Ctx
from .offices import office_at, qualifier_at, qualifiers, role_text

_END = frozenset({",", ".", ";", ":", ")", "—", "–", "!", "?", "”", '"', "(", "-"})
_COPULAS = [
    ("is",), ("was",), ("has", "been"), ("had", "been"), ("have", "been"),
    ("became",), ("becomes",), ("remains",), ("remained",), ("serves", "as"),
    ("served", "as"), ("was", "named"), ("was", "appointed"), ("is", "now"),
]
_ADVERBS = {"also": "", "now": "", "still": "", "currently": "",
            "previously": "former", "formerly": "former", "once": "former"}
_MAX_BACK = 10  # tokens a title before a name may span


@dataclass
class NP:
    """A noun phrase read as a role: "the former U.S. President"."""

    s: int
    e: int
    office: str
    cls: str
    gender: str
    office_toks: tuple[int, int]
    det: str = ""
    org: str = ""
    target: str = ""
    qualifier: str = ""
    org_from_poss: bool = False

    @property
    def role(self) -> str:
        return role_text(self.office, self.org, self.target)


def org_of(c: Cand) -> str:
    if c.label == "NORP":
        return N.country_of(c.key) or c.key
    if c.label == "PERSON" and c.group is not None:
        return c.group.key
    return c.key


def entity_at(ctx: Ctx, j: int, labels: frozenset) -> Cand | None:
    c = ctx.starts_at(j)
    return c if c is not None and c.label in labels else None


_ORG_LABELS = frozenset({"GPE", "NORP", "SEAT", "ORG"})
_HOLDER_LABELS = _ORG_LABELS | {"PERSON"}
_TARGET_LABELS = frozenset({"GPE", "ORG", "SEAT"})
_COMPLEMENT_LABELS = _TARGET_LABELS | {"NORP"}
# Offices sent *to* a country: "ambassador to the US" keeps its "to".
_TO_OFFICES = ("ambassador", "envoy", "representative", "emissary", "delegate", "consul")


def _modifier(ctx: Ctx, j: int) -> bool:
    if ctx.pos[j] not in ("ADJ", "NOUN", "PROPN") or not ctx.w[j].isalpha():
        return False
    c = ctx.owner[j]
    return c is None and ctx.low[j] not in qualifiers() and ctx.low[j] not in DETS


def parse_np(ctx: Ctx, i: int, end: int) -> NP | None:
    """Read a role noun phrase starting at token i, not past ``end``."""
    j, det, quals, org, from_poss = i, "", [], "", False
    if j < end and ctx.low[j] in DETS:
        det, j = ctx.low[j], j + 1
    for _ in range(4):
        if j >= end:
            return None
        q = qualifier_at(ctx, j)
        if q is not None:
            quals.append(q[0])
            j = q[1]
            continue
        c = None if org or office_at(ctx, j, end) else entity_at(ctx, j, _HOLDER_LABELS)
        words = None if org or c is not None else _country_words(ctx, j, end)
        if c is not None and (c.label != "PERSON" or c.poss) and c.e <= end:
            org, j = org_of(c), c.e
        elif words is not None:
            org, j = words  # "Ukrainian" the tagger left inside a name span
        else:
            break
        if j < end and ctx.low[j] in POSS:
            j, from_poss = j + 1, True
    head = _office_after_modifiers(ctx, j, end)
    if head is None:
        return None
    off, k0, j = head
    mods = [ctx.low[k] for k in range(k0[0], k0[1]) if ctx.w[k] != "-"]
    office = " ".join(mods + [off.name]) if mods else off.name
    np = NP(i if not det else i + 1, j, office, off.cls, off.gender, (k0[0], j), det, org,
            qualifier=quals[0] if quals else "", org_from_poss=from_poss)
    _suffix_and_complements(ctx, np, end)
    return np


def _country_words(ctx: Ctx, j: int, end: int) -> tuple[str, int] | None:
    """A country name or demonym of up to three words at j that no mention covers."""
    if j >= end or ctx.owner[j] is not None or not ctx.cap(j):
        return None
    for n in range(min(3, end - j), 0, -1):
        if any(ctx.owner[k] is not None for k in range(j, j + n)):
            continue
        country = N.country_of(" ".join(ctx.low[j : j + n]))
        if country:
            return country, j + n
    return None


def _office_after_modifiers(ctx: Ctx, j: int, end: int):
    """(office, (first modifier, office start), office end) with up to three
    modifiers before the office, or None."""
    for k in range(j, min(j + 4, end)):
        hit = office_at(ctx, k, end)
        if hit is not None:
            return hit[0], (j, k), hit[1]
        if not _modifier(ctx, k):
            return None
    return None


def _suffix_and_complements(ctx: Ctx, np: NP, end: int) -> None:
    j = np.e
    if j + 1 < end and ctx.w[j] == "-" and ctx.low[j + 1] in ("elect", "designate"):
        np.qualifier, j = qualifiers()[ctx.low[j + 1]], j + 2
    elif j < end and ctx.low[j] in ("elect", "designate"):
        np.qualifier, j = qualifiers()[ctx.low[j]], j + 1
    for _ in range(2):
        if j >= end:
            break
        prep = ctx.low[j]
        k = j + 1
        if k < end and ctx.low[k] in DETS:
            k += 1
        c = entity_at(ctx, k, _COMPLEMENT_LABELS) if prep in ("of", "for", "to", "at", "with", "from") else None
        if c is None or c.e > end:
            break
        if prep == "to" and np.office.endswith(_TO_OFFICES):
            np.target = org_of(c)
        elif prep != "to" and not np.org:
            np.org = org_of(c)
        else:
            break
        j = c.e
    np.e = j


def _np_ending_at(ctx: Ctx, stop: int, lo: int) -> NP | None:
    """The longest role noun phrase that ends exactly at token ``stop``."""
    for k in range(max(lo, stop - _MAX_BACK), stop):
        np = parse_np(ctx, k, stop)
        if np is not None and np.e == stop:
            return np
    return None


def _roles_of(ctx: Ctx, c: Cand) -> list[NP]:
    """Role phrases attached to one person mention, by the three patterns."""
    lo, hi = ctx.lo[c.s], ctx.hi[c.s]
    out = []
    title = _honorific(ctx, c)
    if title:
        out.append(title)
    else:
        np = _np_ending_at(ctx, c.s, lo)
        if np is not None and not np.det == "a":
            out.append(np)
    if c.s - 1 > lo and ctx.low[c.s - 1] == ",":
        np = _np_ending_at(ctx, c.s - 1, lo)
        if np is not None and (np.det or np.org) and _closes(ctx, c.e, hi):
            out.append(np)
    if not c.poss:
        np = _apposition_after(ctx, c.e, hi) or _copula_after(ctx, c.e, hi)
        if np is not None:
            out.append(np)
    return out


def _honorific(ctx: Ctx, c: Cand) -> NP | None:
    """"Gen. Mark Milley" -> general; "Mr Putin" gives gender only."""
    k = c.s - 1
    if k >= 0 and ctx.w[k] == ".":
        k -= 1
    if k < 0:
        return None
    t = N.titles()
    w = ctx.low[k]
    if w not in t.office or not ctx.cap(k):
        return None
    if c.group is not None and w in t.gender:
        c.group.gender = c.group.gender or t.gender[w]
    office = t.office[w]
    if not office:
        return None
    return NP(k, c.s, office, "office", t.gender.get(w, ""), (k, c.s))


def _closes(ctx: Ctx, j: int, hi: int) -> bool:
    return j >= hi or ctx.w[j] in _END or ctx.low[j] in ("who", "and")


def _apposition_after(ctx: Ctx, e: int, hi: int) -> NP | None:
    if e >= hi or ctx.low[e] != ",":
        return None
    np = parse_np(ctx, e + 1, hi)
    if np is None or not _closes(ctx, np.e, hi) or (np.e < hi and ctx.low[np.e] in POSS):
        return None
    return np


def _copula_after(ctx: Ctx, e: int, hi: int) -> NP | None:
    j = e
    if j + 1 < hi and ctx.low[j] == "," and ctx.low[j + 1] == "who":
        j += 2
    for cop in _COPULAS:
        if tuple(ctx.low[j : j + len(cop)]) == cop:
            j += len(cop)
            break
    else:
        return None
    qual = ""
    if j < hi and ctx.low[j] in _ADVERBS:
        qual, j = _ADVERBS[ctx.low[j]], j + 1
    np = parse_np(ctx, j, hi)
    if np is None or (np.e < hi and ctx.low[np.e] in POSS | {"of"}):
        return None
    np.qualifier = np.qualifier or qual
    return np


def find_roles(ctx: Ctx, cands: list[Cand]):
    """RoleMentions, their token spans, the token ranges of office words, and
    per-key role facts."""
    roles: dict[tuple, RoleMention] = {}
    role_spans: list[tuple[int, int]] = []
    office_toks: list[tuple[int, int]] = []
    facts: dict[str, set[tuple[str, str, str, str]]] = {}
    for c in cands:
        if c.label != "PERSON" or c.group is None:
            continue
        for np in _roles_of(ctx, c):
            a, b = ctx.span(np.s, np.e)
            rm = RoleMention(c.group.key, np.role, a, b, np.qualifier)
            roles[(rm.key, rm.role, a, b)] = rm
            office_toks.append(np.office_toks)
            role_spans.append((np.s, np.e))
            facts.setdefault(c.group.key, set()).add((np.office, np.cls, np.org, np.qualifier))
            if np.gender and not c.group.gender:
                c.group.gender = np.gender
    return sorted(roles.values(), key=lambda r: (r.start, r.end)), role_spans, office_toks, facts


