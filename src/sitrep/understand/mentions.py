"""Mentions of actors, places and organisations in one document, and the
roles the document gives them: the ``find_mentions`` component.

What it computes
----------------
``find_mentions(sdoc, ann, doc)`` fills ``ann.mentions`` (:class:`Mention`)
and ``ann.roles`` (:class:`RoleMention`) from one parsed spaCy ``Doc``:

1. **Names.**  spaCy's entity spans, repaired by cheap rules that generalise:
   spans cut at line breaks and possessives ("Putin's Gamble" -> "Putin"),
   determiners and stray lower-case words trimmed, titles moved out of person
   spans, entities inside headings dropped (title-case headings make the small
   model tag "Strategic Patience" a person), "Trump-Putin" split, country names,
   demonyms and capitals relabelled from a gazetteer.
2. **One referent per name and document** (Gale, Church & Yarowsky 1992, "One
   sense per discourse", DARPA Speech and Natural Language Workshop): short
   forms join the one full name whose surname they match, whatever label the
   tagger gave them ("Trump" tagged ORG, "Zelenskyy" tagged GPE), and the
   document's own name forms are matched again over the text to recover what
   the tagger missed, including a transliteration variant of a surname used
   in the same document -- a document-level gazetteer as in Mikheev, Moens &
   Grover 1999, "Named entity recognition without gazetteers", EACL.  The
   cluster key is the fullest form the document uses, normalised
   (:func:`sitrep.understand.names.name_key`).
3. **Roles** from lexico-syntactic patterns over tokens (in the manner of
   Hearst 1992, "Automatic acquisition of hyponyms", COLING): a title before
   the name ("former U.S. President Donald Trump"), an apposition after or
   before it ("Alexander Darchiev, Russia's ambassador to the US" / "Russia's
   ambassador to the US, Alexander Darchiev"), a copula ("X is the US special
   envoy").  One noun-phrase reader serves all patterns: determiner,
   qualifiers, country or organisation (possessive or adjectival), modifiers,
   an office from the lexicon, then "of X" / "to X" / "at X" complements.
4. **Metonyms** (Markert & Nissim 2007, "SemEval-2007 Task 08: Metonymy
   resolution at SemEval-2007"): a seat of government or a capital that is a
   subject, possessor, agent or the object of with/between/against is an actor
   (label ORG, kind ``metonym``, key of the seat itself); after a locative
   preposition it is a place.
5. **Definite descriptions** ("the Russian leader", "the US president") are
   resolved only when exactly one person of the document has a role whose
   office, country and qualifier fit (a conservative reading of Vieira &
   Poesio 2000, "An empirically based system for processing definite
   descriptions", Computational Linguistics 26(4)).  Unresolved ones are kept
   with key "".
6. **Pronouns** he/she and forms are resolved to the single person mentioned
   before them in their sentence, else in the previous one, preferring
   subjects (the recency and subject salience of Lappin & Leass 1994, "An
   algorithm for pronominal anaphora resolution", CL 20(4)), never inside
   quotation marks and never when gender evidence (Mr/Mrs, spokeswoman)
   contradicts.  Only resolved pronouns are emitted.

Role normal form
----------------
``office`` alone, or ``office (org)`` when the document ties the office to a
country or organisation, with ``to X`` kept for envoys and ambassadors:
"Russian President" and "President of Russia" -> ``"president (russia)"``;
"Russia's ambassador to the US" -> ``"ambassador to united states (russia)"``;
"Secretary of State" -> ``"secretary of state"``.  Offices come from
``offices.tsv`` (variants mapped to one canonical office: "spokeswoman" ->
"spokesperson"); modifiers outside the lexicon stay in front ("trade
minister", "geopolitical analyst").  Countries are canonical keys
(``names.place_key``).  ``qualifier`` is former / acting / designate / elect
or "" (held now).  :func:`split_role` undoes the format.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, IDX, LEMMA, ORTH, POS, SENT_START, SPACY, TAG

from ..model import Annotation, Mention, RoleMention
from . import names as N

LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})
_DETS = frozenset({"the", "a", "an"})
_POSS = frozenset({"'s", "'", "’s", "’"})
_PRONOUNS = {"he": "m", "him": "m", "his": "m", "himself": "m",
             "she": "f", "her": "f", "hers": "f", "herself": "f"}
_LOC_PREPS = frozenset(
    "in at inside outside into near from to around across within toward towards "
    "through throughout beyond via over onto off".split())
_ACTOR_PREPS = frozenset("with between by against for among".split())
# Verbs whose object is a place, not an actor ("visited Kyiv" vs "urged Kyiv").
_PLACE_VERBS = frozenset(
    "visit leave reach enter tour bomb strike attack shell capture besiege occupy "
    "liberate hit target encircle surround evacuate flee return fly travel move "
    "relocate host".split())
_SUBJ = frozenset({"nsubj", "nsubjpass", "agent", "csubj"})
_END = frozenset({",", ".", ";", ":", ")", "—", "–", "!", "?", "”", '"', "(", "-"})
_COPULAS = [
    ("is",), ("was",), ("has", "been"), ("had", "been"), ("have", "been"),
    ("became",), ("becomes",), ("remains",), ("remained",), ("serves", "as"),
    ("served", "as"), ("was", "named"), ("was", "appointed"), ("is", "now"),
]
_ADVERBS = {"also": "", "now": "", "still": "", "currently": "",
            "previously": "former", "formerly": "former", "once": "former"}
_MAX_BACK = 10  # tokens a title before a name may span


# -- lexicons -----------------------------------------------------------------


@dataclass(frozen=True)
class Office:
    name: str  # canonical office
    cls: str  # leader | office | job
    gender: str  # m | f | ""


@lru_cache(maxsize=1)
def offices() -> dict[tuple[str, ...], Office]:
    """Office phrase (lower-case words, hyphens as spaces) -> canonical office."""
    out: dict[tuple[str, ...], Office] = {}
    for row in N.lexicon_rows("offices.tsv"):
        canon, cls, gender = N.cell(row, 0), N.cell(row, 2), N.cell(row, 3)
        for phrase in [canon, *N.alternatives(N.cell(row, 1))]:
            words = tuple(re.split(r"[\s\-]+", phrase.lower()))
            g = "f" if phrase.endswith("woman") else "m" if phrase.endswith("man") else gender
            out[words] = Office(canon, cls, g)
    return out


@lru_cache(maxsize=1)
def _office_len() -> int:
    return max(len(k) for k in offices())


@lru_cache(maxsize=1)
def _office_first() -> frozenset[str]:
    return frozenset(k[0] for k in offices())


@lru_cache(maxsize=1)
def _office_words() -> frozenset[str]:
    return frozenset(w for k in offices() for w in k)


@lru_cache(maxsize=1)
def qualifiers() -> dict[str, str]:
    return {N.cell(r, 0).lower(): N.cell(r, 1) for r in N.lexicon_rows("qualifiers.tsv")}


def role_text(office: str, org: str = "", target: str = "") -> str:
    """The normal form of a role (see the module docstring)."""
    text = f"{office} to {target}" if target else office
    return f"{text} ({org})" if org else text


def split_role(role: str) -> tuple[str, str]:
    """``(office, org)`` of a normal-form role: "president (russia)" -> ("president", "russia")."""
    m = re.fullmatch(r"(.*?) \(([^()]*)\)", role)
    return (m.group(1), m.group(2)) if m else (role, "")


# -- per-document context -----------------------------------------------------


@lru_cache(maxsize=65536)
def _norm(word: str) -> str:
    w = word.lower()
    if not w.isascii():
        w = N.fold(w)
    return w.replace(".", "") if len(w) > 1 else w


@dataclass
class _Cand:
    s: int  # token span [s, e)
    e: int
    label: str
    key: str = ""
    kind: str = "name"
    poss: bool = False
    group: "_Group | None" = None
    split: bool = False  # a part of "Trump-Putin": kept only if it joins a person


@dataclass
class _Group:
    """A person cluster: the fullest key and the keys of its forms."""

    key: str
    forms: Counter = field(default_factory=Counter)
    gender: str = ""

    def admits(self, key: str) -> bool:
        return N.same_person(key, self.key) and not any(N.conflict(key, f) for f in self.forms)


_ATTRS = (IDX, ORTH, SPACY, POS, TAG, DEP, HEAD, LEMMA, SENT_START, ENT_IOB, ENT_TYPE)


class _Ctx:
    """Token-level facts of one document, read once from spaCy's arrays
    (creating a Token object per access would cost more than the rules)."""

    def __init__(self, sdoc, ann: Annotation):
        self.sdoc = sdoc
        arr = sdoc.to_array(_ATTRS)
        self.n = n = len(arr)
        name = _hash_names(sdoc.vocab.strings, arr[:, [1, 3, 4, 5, 10]])
        idx = arr[:, 0].astype(np.int64)
        self.idx = idx.tolist()
        # Doc.text would build a Token object per token; the arrays give it cheaper.
        self.w = [name[h] for h in arr[:, 1].tolist()]
        self.text = text = "".join([w + " " if sp else w for w, sp in zip(self.w, arr[:, 2].tolist())])
        low = {w: _norm(w) for w in set(self.w)}
        self.low = [low[w] for w in self.w]
        self.pos = [name[h] for h in arr[:, 3].tolist()]
        self.tag = [name[h] for h in arr[:, 4].tolist()]
        self.dep = [name[h] for h in arr[:, 5].tolist()]
        self.head = (np.arange(n) + arr[:, 6].astype(np.int64)).tolist()
        self._lemma = arr[:, 7].tolist()
        self.ents = _entity_spans(arr[:, 9], arr[:, 10], name)
        brk = {w: "\n" in w or not w.strip() for w in low}
        self.brk = [brk[w] for w in self.w]  # line breaks and spaces
        sent = self._sentences(ann, idx, arr[:, 8] == 1)
        self.sent = sent.tolist()
        self.lo, self.hi = self._clauses(sent, np.array(self.brk, dtype=bool))
        self.heading = _mask(idx, _heading_ranges(text))
        self.quoted = _mask(idx, _quote_ranges(text))
        self.owner: list[_Cand | None] = [None] * n

    def lemma(self, i: int) -> str:
        return self.sdoc.vocab.strings[self._lemma[i]].lower()

    @staticmethod
    def _sentences(ann: Annotation, idx: np.ndarray, first: np.ndarray) -> np.ndarray:
        """Sentence number of each token: the lead's sentence spans, else the parser's."""
        starts = np.array([s for s, _ in ann.sentences], dtype=np.int64) if ann.sentences else idx[first]
        if not len(starts):
            return np.zeros(len(idx), dtype=np.int64)
        return np.maximum(np.searchsorted(starts, idx, side="right") - 1, 0)

    def _clauses(self, sent: np.ndarray, brk: np.ndarray) -> tuple[list[int], list[int]]:
        """Per token, the first and past-last token of its sentence, cut at line breaks."""
        n = self.n
        if not n:
            return [], []
        cut = np.zeros(n, dtype=bool)  # cut[i]: a clause starts at token i
        cut[0] = True
        cut[1:] = (sent[1:] != sent[:-1]) | brk[:-1]
        pos = np.arange(n)
        lo = np.maximum.accumulate(np.where(cut, pos, 0))
        ends = np.append(pos[cut][1:], n)  # each clause's end, in order
        hi = ends[np.cumsum(cut) - 1]
        return lo.tolist(), hi.tolist()

    def index(self, cands: list[_Cand]) -> None:
        self.owner = [None] * self.n
        for c in cands:
            for i in range(c.s, c.e):
                self.owner[i] = c

    def starts_at(self, i: int) -> _Cand | None:
        c = self.owner[i] if 0 <= i < self.n else None
        return c if c is not None and c.s == i else None

    def cap(self, i: int) -> bool:
        return self.w[i][:1].isupper()

    def root(self, c: _Cand) -> int:
        """The token of the span whose head lies outside it."""
        for i in range(c.s, c.e):
            h = self.head[i]
            if h < c.s or h >= c.e or h == i:
                return i
        return c.e - 1

    def span(self, s: int, e: int) -> tuple[int, int]:
        return self.idx[s], self.idx[e - 1] + len(self.w[e - 1])


def _entity_spans(iob: np.ndarray, types: np.ndarray, name: dict) -> list[tuple[int, int, str]]:
    """(start, end, label) of the tagger's entities, from the IOB arrays
    (``Doc.ents`` would build a Token object per token).  An entity opens at
    B (3) and runs over the I (1) tokens that follow."""
    starts = np.flatnonzero(iob == 3)
    if not len(starts):
        return []
    stops = np.append(np.flatnonzero(iob != 1), len(iob))
    ends = stops[np.searchsorted(stops, starts, side="right")]
    return [(s, e, name[h]) for s, e, h in zip(starts.tolist(), ends.tolist(), types[starts].tolist())]


def _hash_names(strings, cols: np.ndarray) -> dict[int, str]:
    """The strings of the hashes in some attribute columns, each looked up once."""
    hashes: set[int] = set()
    for k in range(cols.shape[1]):
        hashes.update(cols[:, k].tolist())
    return {h: strings[h] if h else "" for h in hashes}


def _mask(idx: np.ndarray, ranges: list[tuple[int, int]]) -> list[bool]:
    """Per token: does it start inside one of the (sorted, disjoint) character ranges?"""
    if not ranges:
        return [False] * len(idx)
    starts = np.array([a for a, _ in ranges], dtype=np.int64)
    ends = np.array([b for _, b in ranges], dtype=np.int64)
    k = np.searchsorted(starts, idx, side="right") - 1
    return ((k >= 0) & (idx < ends[np.maximum(k, 0)])).tolist()


def _heading_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of headings: short title-case lines, and title-case
    line prefixes before a colon ("1. Legitimacy and Recognition: ...")."""
    out = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.strip()
        if body and _title_case(body, 14) and not body.endswith("."):
            out.append((pos, pos + len(line)))
        else:
            m = re.match(r"\s*(?:\d+[.)]\s*|[•*\-–]\s*)?([^:\n]{3,60}):\s", line)
            if m and _title_case(m.group(1), 8):
                out.append((pos, pos + m.end(1)))
        pos += len(line)
    return out


def _title_case(s: str, max_words: int) -> bool:
    words = re.findall(r"[^\W\d_][\w'’\-]*", s)
    if not words or len(words) > max_words:
        return False
    long_ = [w for w in words if len(w) >= 4] or words
    return sum(w[0].isupper() for w in long_) / len(long_) >= 0.7


def _quote_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks (curly pairs; straight quotes
    paired within a line)."""
    out = []
    pos = 0
    for line in text.splitlines(keepends=True):
        open_curly = open_straight = -1
        for m in re.finditer(r"[“”\"]", line):
            ch, at = m.group(), pos + m.start()
            if ch == "“":
                open_curly = at
            elif ch == "”" and open_curly >= 0:
                out.append((open_curly, at))
                open_curly = -1
            elif ch == '"':
                if open_straight >= 0:
                    out.append((open_straight, at))
                    open_straight = -1
                else:
                    open_straight = at
        pos += len(line)
    out.sort()
    return out


# -- 1. candidates from NER ---------------------------------------------------


def _clean_span(ctx: _Ctx, s: int, e: int, label: str) -> tuple[int, int, bool]:
    """Cut a tagger span to the name it contains; returns (s, e, possessive)."""
    low, w = ctx.low, ctx.w
    for k in range(s, e):
        if ctx.brk[k]:
            e = k
            break
    poss = False
    for k in range(s + 1, e):
        if low[k] in _POSS and ctx.tag[k] == "POS":
            e, poss = k, True
            break
    while s < e and (low[s] in _DETS or _punct(w[s]) or _stray_lower(w[s])):
        s += 1
    while e > s and (_punct(w[e - 1]) or _stray_lower(w[e - 1])):
        e -= 1
    if label == "PERSON":
        lead = N.title_words()
        while e - s > 1 and (low[s] in lead or _punct(w[s])):
            s += 1
    if e < ctx.n and low[e] in _POSS:
        poss = True
    return s, e, poss


def _punct(t: str) -> bool:
    return not any(ch.isalnum() for ch in t)


def _stray_lower(t: str) -> bool:
    """A lower-case word inside a name span that is no name particle."""
    return t.isalpha() and t.islower() and t not in N.PARTICLES


def _ner_candidates(ctx: _Ctx) -> list[_Cand]:
    out: list[_Cand] = []
    for start, end, label in ctx.ents:
        if label not in LABELS:
            continue
        if label == "ORG":
            start, label = _title_inside(ctx, start, end, label)
        s, e, poss = _clean_span(ctx, start, end, label)
        if s >= e or not any(ctx.cap(k) for k in range(s, e)):
            continue
        if ctx.heading[s] and not _byline(ctx, s, e, label):
            continue
        out.extend(_split_joined(ctx, _Cand(s, e, label, poss=poss)))
    return _join_split_names(ctx, out)


def _join_split_names(ctx: _Ctx, cands: list[_Cand]) -> list[_Cand]:
    """A person span the tagger cut short ("Ursula von der" + "Leyen"): a PERSON
    span ending in a name particle, or directly followed by one capitalised word
    that names no place, takes the next span in."""
    out: list[_Cand] = []
    for c in cands:
        prev = out[-1] if out else None
        if (prev is not None and prev.label == "PERSON" and not prev.poss and prev.e == c.s
                and (ctx.low[prev.e - 1] in N.PARTICLES
                     or (c.e - c.s == 1 and ctx.cap(c.s) and not N.country_of(ctx.low[c.s])))):
            prev.e, prev.poss = c.e, c.poss
            continue
        out.append(c)
    return out


def _title_inside(ctx: _Ctx, s: int, e: int, label: str) -> tuple[int, str]:
    """"Secretary of State Maren Holt" tagged ORG "State Maren Holt": the span
    opens with the end of a title; what follows it, if it reads as a name of
    two or more capitalised words, is a person."""
    for k in range(max(0, s - 3), s + 1):
        hit = _office_at(ctx, k, e)
        if hit is not None and s < hit[1] < e:
            rest = range(hit[1], e)
            if len(rest) >= 2 and all(ctx.cap(i) for i in rest):
                return hit[1], "PERSON"
            return hit[1], label
    return s, label


def _byline(ctx: _Ctx, s: int, e: int, label: str) -> bool:
    return label == "PERSON" and e - s >= 2 and s > 0 and ctx.low[s - 1] == "by"


def _split_joined(ctx: _Ctx, c: _Cand) -> list[_Cand]:
    """"Trump-Putin" / "Trump & Putin" tagged as one ORG: its parts, on trial."""
    if c.label != "ORG":
        return [c]
    cuts = [k for k in range(c.s + 1, c.e - 1) if ctx.w[k] in ("-", "&")]
    if not cuts:
        return [c]
    bounds = [c.s, *cuts, c.e]
    parts = []
    for a, b in zip(bounds, bounds[1:]):
        a = a + 1 if a != c.s else a
        if b - a == 1 and ctx.cap(a):
            parts.append(_Cand(a, b, "ORG", split=True))
    if len(parts) != len(bounds) - 1:
        return [c]
    parts[-1].poss = c.poss
    return parts


# -- 2. clusters and labels ----------------------------------------------------


def _span_text(ctx: _Ctx, c: _Cand) -> str:
    a, b = ctx.span(c.s, c.e)
    return ctx.text[a:b]


def _cluster(ctx: _Ctx, cands: list[_Cand]) -> list[_Group]:
    groups: list[_Group] = []
    pkeys = {id(c): N.name_key(_span_text(ctx, c)) for c in cands}
    full = [c for c in cands if c.label == "PERSON" and not c.split and " " in pkeys[id(c)]]
    for c in sorted(full, key=lambda c: (-len(pkeys[id(c)].split()), c.s)):
        _join(groups, c, pkeys[id(c)], create=True)
    # Person-labelled short forms before the others, so that a surname the
    # tagger also labelled ORG elsewhere finds its person.
    rest = sorted((c for c in cands if c.group is None), key=lambda c: c.label != "PERSON")
    for c in rest:
        key = pkeys[id(c)]
        if _may_be_person(ctx, c, key):
            g = _attach_short(groups, key, c.label == "PERSON")
            if g is not None:
                c.label = "PERSON"
                _add(g, c, key)
                continue
        _label_other(ctx, c, key)
        if c.label == "PERSON":
            _join(groups, c, key, create=True)
    return groups


def _add(g: _Group, c: _Cand, key: str) -> None:
    c.group = g
    g.forms[key] += 1


def _join(groups: list[_Group], c: _Cand, key: str, create: bool) -> None:
    fits = [g for g in groups if g.admits(key)]
    if len(fits) == 1:
        _add(fits[0], c, key)
    elif create and key:
        groups.append(_Group(key))
        _add(groups[-1], c, key)


def _may_be_person(ctx: _Ctx, c: _Cand, pkey: str) -> bool:
    """Could this span be a short form of a person the tagger labelled otherwise?"""
    if c.label not in ("PERSON", "ORG", "GPE", "NORP") or not pkey:
        return False
    text = _span_text(ctx, c)
    if c.label != "PERSON":
        if text.isupper() or N.country_of(N.name_key(text, "GPE")):
            return False
    return ctx.cap(c.s)


def _attach_short(groups: list[_Group], key: str, is_person: bool) -> _Group | None:
    fits = [g for g in groups if g.admits(key)]
    if len(fits) == 1:
        return fits[0]
    if not fits and is_person and " " not in key:
        # A family name written first (Xi for Xi Jinping): any word of one full name.
        fits = [g for g in groups if key in N.split_person(g.key)[0]]
        if len(fits) == 1:
            return fits[0]
    return None


def _label_other(ctx: _Ctx, c: _Cand, pkey: str) -> None:
    """Label and key of a span that joined no person: gazetteer first."""
    g = N.gazetteer()
    text = _span_text(ctx, c)
    plain = N.name_key(text, "ORG")
    if plain in g.seat:
        c.label, c.key = "SEAT", g.seat[plain][0]
    elif plain in g.country:
        c.label, c.key = "GPE", g.country[plain]
    elif plain in g.demonym or (plain.endswith("s") and plain[:-1] in g.demonym):
        c.label, c.key = "NORP", plain if plain in g.demonym else plain[:-1]
    elif plain in g.capital:
        c.label, c.key = "GPE", plain
    elif c.split:
        c.label = ""  # a part of a joined span that is nobody we know: dropped
    elif c.label == "PERSON":
        if c.e - c.s == 1 and _locative(ctx, ctx.root(c)):
            c.label, c.key = "GPE", plain  # "areas in Zaporizhzhia and Kherson"
        else:
            c.key = pkey
    else:
        c.key = N.name_key(text, c.label)


def _up_conj(ctx: _Ctx, i: int) -> int:
    """The first conjunct of a coordination ("Brussels, London and Kyiv")."""
    for _ in range(8):
        if ctx.dep[i] != "conj" or ctx.head[i] == i:
            break
        i = ctx.head[i]
    return i


def _locative(ctx: _Ctx, i: int, preps: frozenset = _LOC_PREPS) -> bool:
    """Object of a locative preposition, directly or as a conjunct."""
    i = _up_conj(ctx, i)
    return ctx.dep[i] == "pobj" and ctx.low[ctx.head[i]] in preps


def _merge_orgs(cands: list[_Cand]) -> None:
    """An acronym and its expansion in one document share the expansion's key."""
    orgs = {c.key for c in cands if c.label == "ORG" and c.key}
    longs = [k for k in orgs if " " in k]
    for c in cands:
        if c.label == "ORG" and " " not in c.key:
            fits = [k for k in longs if N.same_org(c.key, k)]
            if len(fits) == 1:
                c.key = fits[0]


# -- 3. rescan: the document's own name forms ----------------------------------


def _rescan(ctx: _Ctx, cands: list[_Cand], groups: list[_Group]) -> list[_Cand]:
    forms: dict[tuple[str, ...], _Cand] = {}
    for c in cands:
        if c.label and not c.split:
            forms.setdefault(tuple(ctx.w[c.s : c.e]), c)
    skel = _surname_skeletons(groups)
    ctx.index(cands)
    found: list[_Cand] = []
    i = 0
    while i < ctx.n:
        hit = None if ctx.owner[i] is not None or not ctx.cap(i) else _match_at(ctx, i, forms, skel)
        if hit is None:
            i += 1
            continue
        found.append(hit)
        for k in range(hit.s, hit.e):
            ctx.owner[k] = hit
        i = hit.e
    return cands + found


def _surname_skeletons(groups: list[_Group]) -> dict[str, _Group | None]:
    out: dict[str, _Group | None] = {}
    for g in groups:
        sk = N.skeleton(N.surname_core(N.split_person(g.key)[1]).split()[-1])
        out[sk] = g if sk not in out else None  # two people, one skeleton: unusable
    return out


def _match_at(ctx: _Ctx, i: int, forms, skel) -> _Cand | None:
    if ctx.lo[i] == i and ctx.pos[i] != "PROPN":
        return None  # a capitalised common word opening a sentence
    for n in range(min(4, ctx.n - i), 0, -1):
        if any(ctx.owner[k] is not None for k in range(i, i + n)):
            continue
        src = forms.get(tuple(ctx.w[i : i + n]))
        if src is not None:
            return _copy(ctx, src, i, i + n)
    word = ctx.w[i]
    sk = N.skeleton(word) if len(word) >= 5 and word.isalpha() else ""
    g = skel.get(sk) if sk else None
    if g is not None and N.similar_surname(word, N.split_person(g.key)[1]):
        c = _Cand(i, i + 1, "PERSON", poss=_poss_after(ctx, i + 1))
        _add(g, c, N.name_key(word))
        return c
    return None


def _copy(ctx: _Ctx, src: _Cand, s: int, e: int) -> _Cand:
    c = _Cand(s, e, src.label, key=src.key, poss=_poss_after(ctx, e))
    if src.group is not None:
        _add(src.group, c, N.name_key(_span_text(ctx, c)))
    return c


def _poss_after(ctx: _Ctx, e: int) -> bool:
    return e < ctx.n and ctx.low[e] in _POSS


# -- 4. roles ------------------------------------------------------------------


@dataclass
class _NP:
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


def _org_of(c: _Cand) -> str:
    if c.label == "NORP":
        return N.country_of(c.key) or c.key
    if c.label == "PERSON" and c.group is not None:
        return c.group.key
    return c.key


def _entity_at(ctx: _Ctx, j: int, labels: frozenset) -> _Cand | None:
    c = ctx.starts_at(j)
    return c if c is not None and c.label in labels else None


_ORG_LABELS = frozenset({"GPE", "NORP", "SEAT", "ORG"})
_HOLDER_LABELS = _ORG_LABELS | {"PERSON"}
_TARGET_LABELS = frozenset({"GPE", "ORG", "SEAT"})
_COMPLEMENT_LABELS = _TARGET_LABELS | {"NORP"}
# Offices sent *to* a country: "ambassador to the US" keeps its "to".
_TO_OFFICES = ("ambassador", "envoy", "representative", "emissary", "delegate", "consul")


def _qualifier_at(ctx: _Ctx, j: int) -> tuple[str, int] | None:
    """A qualifier word at j: (qualifier, next index), skipping a joining hyphen."""
    q = qualifiers()
    w = ctx.low[j] if j < ctx.n else ""
    if w not in q:
        return None
    j += 1
    if j < ctx.n and ctx.w[j] == "-":
        j += 1
    return q[w], j


def _office_at(ctx: _Ctx, j: int, end: int) -> tuple[Office, int] | None:
    """The longest office phrase starting at j (hyphen tokens skipped)."""
    if j >= end or ctx.low[j] not in _office_first():
        return None
    lex = offices()
    words, idx = [], []
    k = j
    while k < end and len(words) < _office_len():
        if ctx.w[k] == "-":
            k += 1
            continue
        words.append(ctx.low[k])
        idx.append(k)
        k += 1
    for n in range(len(words), 0, -1):
        off = lex.get(tuple(words[:n]))
        if off is not None:
            return off, idx[n - 1] + 1
    return None


def _modifier(ctx: _Ctx, j: int) -> bool:
    if ctx.pos[j] not in ("ADJ", "NOUN", "PROPN") or not ctx.w[j].isalpha():
        return False
    c = ctx.owner[j]
    return c is None and ctx.low[j] not in qualifiers() and ctx.low[j] not in _DETS


def _parse_np(ctx: _Ctx, i: int, end: int) -> _NP | None:
    """Read a role noun phrase starting at token i, not past ``end``."""
    j, det, quals, org, from_poss = i, "", [], "", False
    if j < end and ctx.low[j] in _DETS:
        det, j = ctx.low[j], j + 1
    for _ in range(4):
        if j >= end:
            return None
        q = _qualifier_at(ctx, j)
        if q is not None:
            quals.append(q[0])
            j = q[1]
            continue
        c = None if org or _office_at(ctx, j, end) else _entity_at(ctx, j, _HOLDER_LABELS)
        words = None if org or c is not None else _country_words(ctx, j, end)
        if c is not None and (c.label != "PERSON" or c.poss) and c.e <= end:
            org, j = _org_of(c), c.e
        elif words is not None:
            org, j = words  # "Ukrainian" the tagger left inside a name span
        else:
            break
        if j < end and ctx.low[j] in _POSS:
            j, from_poss = j + 1, True
    head = _office_after_modifiers(ctx, j, end)
    if head is None:
        return None
    off, k0, j = head
    mods = [ctx.low[k] for k in range(k0[0], k0[1]) if ctx.w[k] != "-"]
    office = " ".join(mods + [off.name]) if mods else off.name
    np = _NP(i if not det else i + 1, j, office, off.cls, off.gender, (k0[0], j), det, org,
             qualifier=quals[0] if quals else "", org_from_poss=from_poss)
    _suffix_and_complements(ctx, np, end)
    return np


def _country_words(ctx: _Ctx, j: int, end: int) -> tuple[str, int] | None:
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


def _office_after_modifiers(ctx: _Ctx, j: int, end: int):
    """(office, (first modifier, office start), office end) with up to three
    modifiers before the office, or None."""
    for k in range(j, min(j + 4, end)):
        hit = _office_at(ctx, k, end)
        if hit is not None:
            return hit[0], (j, k), hit[1]
        if not _modifier(ctx, k):
            return None
    return None


def _suffix_and_complements(ctx: _Ctx, np: _NP, end: int) -> None:
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
        if k < end and ctx.low[k] in _DETS:
            k += 1
        c = _entity_at(ctx, k, _COMPLEMENT_LABELS) if prep in ("of", "for", "to", "at", "with", "from") else None
        if c is None or c.e > end:
            break
        if prep == "to" and np.office.endswith(_TO_OFFICES):
            np.target = _org_of(c)
        elif prep != "to" and not np.org:
            np.org = _org_of(c)
        else:
            break
        j = c.e
    np.e = j


def _np_ending_at(ctx: _Ctx, stop: int, lo: int) -> _NP | None:
    """The longest role noun phrase that ends exactly at token ``stop``."""
    for k in range(max(lo, stop - _MAX_BACK), stop):
        np = _parse_np(ctx, k, stop)
        if np is not None and np.e == stop:
            return np
    return None


def _roles_of(ctx: _Ctx, c: _Cand) -> list[_NP]:
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


def _honorific(ctx: _Ctx, c: _Cand) -> _NP | None:
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
    return _NP(k, c.s, office, "office", t.gender.get(w, ""), (k, c.s))


def _closes(ctx: _Ctx, j: int, hi: int) -> bool:
    return j >= hi or ctx.w[j] in _END or ctx.low[j] in ("who", "and")


def _apposition_after(ctx: _Ctx, e: int, hi: int) -> _NP | None:
    if e >= hi or ctx.low[e] != ",":
        return None
    np = _parse_np(ctx, e + 1, hi)
    if np is None or not _closes(ctx, np.e, hi) or (np.e < hi and ctx.low[np.e] in _POSS):
        return None
    return np


def _copula_after(ctx: _Ctx, e: int, hi: int) -> _NP | None:
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
    np = _parse_np(ctx, j, hi)
    if np is None or (np.e < hi and ctx.low[np.e] in _POSS | {"of"}):
        return None
    np.qualifier = np.qualifier or qual
    return np


def _find_roles(ctx: _Ctx, cands: list[_Cand]):
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


# -- 5. seats of government and capitals --------------------------------------


def _actor_use(ctx: _Ctx, c: _Cand) -> bool:
    """Is this place name used as an actor (subject, possessor, agent...)?"""
    if c.poss:
        return True
    i = _up_conj(ctx, ctx.root(c))
    dep, head = ctx.dep[i], ctx.head[i]
    if dep in _SUBJ or dep == "poss":
        return True
    if dep == "compound" and ctx.pos[head] == "NOUN":
        return True  # "Kremlin aide", "White House officials"
    if dep == "pobj":
        return ctx.low[head] in _ACTOR_PREPS
    if dep == "dobj":
        return ctx.lemma(head) not in _PLACE_VERBS
    return False


def _dateline(ctx: _Ctx, c: _Cand) -> bool:
    """"WASHINGTON —" opening a story names where it was filed."""
    return ctx.lo[c.s] == c.s and all(ctx.w[k].isupper() for k in range(c.s, c.e))


def _classify_places(ctx: _Ctx, cands: list[_Cand]) -> None:
    g = N.gazetteer()
    for c in cands:
        if c.label == "SEAT":
            # "a statement from the Kremlin" is the government speaking.
            loc = _locative(ctx, ctx.root(c), _LOC_PREPS - {"from", "off", "toward", "towards"})
            c.label, c.kind = (g.seat_place.get(c.key, "FAC"), "name") if loc else ("ORG", "metonym")
        elif c.label == "GPE" and c.key in g.capital and c.key not in g.country:
            if _actor_use(ctx, c) and not _dateline(ctx, c):
                c.label, c.kind = "ORG", "metonym"


# -- 6. definite descriptions -------------------------------------------------


def _fits(np: _NP, fact: tuple[str, str, str, str]) -> bool:
    office, cls, org, qual = fact
    if np.qualifier != qual and not (np.qualifier == "" and qual in ("acting", "designate", "elect")):
        return False
    if np.office != office:
        generic = np.cls == "leader" and np.office in ("leader", "chief", "head", "ruler", "strongman")
        if not (generic and cls == "leader") and not set(np.office.split()) <= set(office.split()):
            return False
    if np.org:
        return bool(org) and (org == np.org or N.country_of(org) == N.country_of(np.org) != "")
    return True


def _descriptions(ctx: _Ctx, facts, role_toks: list[bool]) -> list[_Cand]:
    out = []
    last = 0
    for i in _description_starts(ctx):
        if i < last:
            continue
        np = _description_at(ctx, i, role_toks)
        if np is None:
            continue
        keys = [k for k, fs in facts.items() if any(_fits(np, f) for f in fs)]
        s = np.s - (1 if np.det else 0)
        out.append(_Cand(s, np.e, "PERSON", key=keys[0] if len(keys) == 1 else "",
                         kind="description", poss=_poss_after(ctx, np.e)))
        last = np.e
    return out


def _description_starts(ctx: _Ctx) -> list[int]:
    """Tokens that may open a definite description: "the", or a country's possessive."""
    out = [i for i, w in enumerate(ctx.low) if w == "the"]
    for i, c in enumerate(ctx.owner):
        if c is not None and c.s == i and c.poss and c.label in ("GPE", "SEAT"):
            out.append(i)
    return sorted(out)


def _description_at(ctx: _Ctx, i: int, role_toks: list[bool]) -> _NP | None:
    if role_toks[i] or ctx.quoted[i] or ctx.heading[i]:
        return None
    w = ctx.low[i]
    if w != "the":
        c = ctx.starts_at(i)
        if c is None or c.label not in ("GPE", "SEAT") or not c.poss:
            return None
    hi = ctx.hi[i]
    words = _office_words()
    if not any(ctx.low[k] in words for k in range(i + 1, min(i + 8, hi))):
        return None
    np = _parse_np(ctx, i, hi)
    if np is None or (w != "the" and not np.org_from_poss) or role_toks[np.s]:
        return None  # not a description, or the predicate of a role ("X is the envoy")
    if np.cls == "job" and not np.org:
        return None  # "the analyst" needs more than one word to be safe
    if _person_at(ctx, np.e) or (np.e < hi and ctx.low[np.e] == "of"):
        return None  # a title before a name, or a complement the reader did not take
    if np.e < hi and ctx.low[np.e] == "," and _person_at(ctx, np.e + 1):
        return None  # "the Russian leader, Vladimir Putin": an apposition, read as a role
    return np


def _person_at(ctx: _Ctx, i: int) -> bool:
    c = ctx.starts_at(i)
    return c is not None and c.label == "PERSON"


# -- 7. pronouns ---------------------------------------------------------------


def _pronouns(ctx: _Ctx, persons: list[_Cand]) -> list[_Cand]:
    """Two passes: pronouns with a single candidate first, which also tell
    each person's gender; then pronouns with several candidates, resolved to
    the one subject only when that subject is known to have the pronoun's gender."""
    by_sent: dict[int, list[_Cand]] = {}
    for c in sorted(persons, key=lambda c: c.s):
        if c.label == "PERSON" and _key(c):
            by_sent.setdefault(ctx.sent[c.s], []).append(c)
    known = {c.group.key: c.group.gender for c in persons if c.group is not None and c.group.gender}
    todo = [(i, _PRONOUNS[w]) for i, w in enumerate(ctx.low) if w in _PRONOUNS and _free_pronoun(ctx, i)]
    found: dict[int, str] = {}
    votes: dict[str, Counter] = {}
    for i, g in todo:
        keys, subjects = _window(ctx, i, g, by_sent, known)
        if len(keys) == 1:
            found[i] = next(iter(keys))
            votes.setdefault(found[i], Counter())[g] += 1
    gender = dict(known)
    for k, v in votes.items():
        (top, n), = v.most_common(1)
        if k not in known and 3 * n >= 2 * sum(v.values()):
            gender[k] = top  # two thirds of its single-candidate pronouns agree
    found = {i: k for i, k in found.items() if gender.get(k, "") in ("", _PRONOUNS[ctx.low[i]])}
    for i, g in todo:
        if i in found:
            continue
        keys, subjects = _window(ctx, i, g, by_sent, gender)
        if len(subjects) == 1 and gender.get(next(iter(subjects))) == g:
            found[i] = next(iter(subjects))
    return [_Cand(i, i + 1, "PERSON", key=k, kind="pronoun") for i, k in sorted(found.items())]


def _free_pronoun(ctx: _Ctx, i: int) -> bool:
    """A pronoun in running text: not quoted (the speaker's "he" is someone
    else), not in a heading, not inside a name."""
    return (ctx.pos[i] == "PRON" and not ctx.quoted[i] and not ctx.heading[i]
            and ctx.owner[i] is None)


def _key(c: _Cand) -> str:
    return c.group.key if c.group is not None else c.key


def _window(ctx: _Ctx, i: int, g: str, by_sent, gender) -> tuple[set[str], set[str]]:
    """Candidate keys before pronoun i (its sentence, else the previous one)
    whose gender does not contradict it, and those that are subjects; nothing
    when a different person follows in the same sentence (a cataphor may be meant)."""
    sent = ctx.sent[i]

    def ok(c: _Cand) -> bool:
        return gender.get(_key(c), "") in ("", g)

    after = {_key(c) for c in by_sent.get(sent, ()) if c.s > i and ok(c)}
    for want in (sent, sent - 1):
        window = [c for c in by_sent.get(want, ()) if c.e <= i and ok(c)]
        if not window:
            continue
        keys = {_key(c) for c in window}
        subjects = {_key(c) for c in window if ctx.dep[ctx.root(c)] in _SUBJ}
        if after - keys:
            return set(), set()
        return keys, subjects
    return set(), set()


# -- the component -------------------------------------------------------------


def find_mentions(sdoc, ann: Annotation, doc=None) -> None:
    """Fill ``ann.mentions`` and ``ann.roles`` for one parsed document."""
    ctx = _Ctx(sdoc, ann)
    cands = _ner_candidates(ctx)
    groups = _cluster(ctx, cands)
    cands = [c for c in cands if c.label]
    _merge_orgs(cands)
    cands = _rescan(ctx, cands, groups)
    ctx.index(cands)
    roles, role_spans, office_toks, facts = _find_roles(ctx, cands)
    cands = _drop_office_words(cands, office_toks)
    ctx.index(cands)
    _classify_places(ctx, cands)
    role_toks = [False] * ctx.n
    for a, b in role_spans:
        for i in range(a, b):
            role_toks[i] = True
    descs = _descriptions(ctx, facts, role_toks)
    prons = _pronouns(ctx, cands + descs)
    ann.mentions = _emit(ctx, cands + descs + prons)
    ann.roles = roles


def _drop_office_words(cands: list[_Cand], office_toks: list[tuple[int, int]]) -> list[_Cand]:
    """"State" in "Secretary of State" is part of a title, not an organisation."""
    if not office_toks:
        return cands
    covered = set()
    for a, b in office_toks:
        covered.update(range(a, b))
    return [c for c in cands if c.label not in ("ORG", "PERSON", "LOC")
            or c.group is not None or not covered.intersection(range(c.s, c.e))]


def _emit(ctx: _Ctx, cands: list[_Cand]) -> list[Mention]:
    out = []
    for c in cands:
        a, b = ctx.span(c.s, c.e)
        key = _key(c)
        kind = c.kind
        if c.group is not None and kind == "name":
            kind = "possessive" if c.poss else ("name" if N.name_key(ctx.text[a:b]) == key else "short")
        elif kind == "name" and c.poss:
            kind = "possessive"
        out.append(Mention(a, b, ctx.text[a:b], c.label, kind, key, ctx.sent[c.s]))
    out.sort(key=lambda m: (m.start, m.end, m.kind))
    return out
