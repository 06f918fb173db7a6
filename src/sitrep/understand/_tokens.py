"""The token view shared by the mention modules: one parsed document read once
from spaCy's attribute arrays, and the records the mention rules build on it.

What it computes
----------------
:class:`Ctx` holds, per token, the word, its normalised lower form, POS, tag,
dependency and absolute head, sentence number (the lead's sentence spans when
``ann.sentences`` is filled, else the parser's), the clause bounds (sentence
cut at line breaks), and whether the token lies in a heading (short title-case
line, or a title-case prefix before a colon) or inside quotation marks.  The
tagger's entity spans come from the IOB arrays.  Everything is read with
``Doc.to_array`` and one string lookup per distinct hash, because building a
spaCy ``Token`` object per access would cost more than the rules themselves
(the component has to stay well under the parser's time).

:class:`Cand` is a candidate mention (token span, label, key, kind) and
:class:`Group` a within-document person cluster (its fullest key and the keys
of its forms; admission by :func:`sitrep.understand.names.same_person`).

A few syntactic helpers used by more than one rule module live here too:
:func:`up_conj` (first conjunct of a coordination), :func:`locative` (object
of a locative preposition), :func:`poss_after` and :func:`key_of`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, IDX, LEMMA, ORTH, POS, SENT_START, SPACY, TAG

from ..model import Annotation
from . import names as N

DETS = frozenset({"the", "a", "an"})
POSS = frozenset({"'s", "'", "’s", "’"})
SUBJ = frozenset({"nsubj", "nsubjpass", "agent", "csubj"})
LOC_PREPS = frozenset(
    "in at inside outside into near from to around across within toward towards "
    "through throughout beyond via over onto off".split())


@lru_cache(maxsize=65536)
def _norm(word: str) -> str:
    w = word.lower()
    if not w.isascii():
        w = N.fold(w)
    return w.replace(".", "") if len(w) > 1 else w


@dataclass
class Cand:
    s: int  # token span [s, e)
    e: int
    label: str
    key: str = ""
    kind: str = "name"
    poss: bool = False
    group: "Group | None" = None
    split: bool = False  # a part of "Trump-Putin": kept only if it joins a person


@dataclass
class Group:
    """A person cluster: the fullest key and the keys of its forms."""

    key: str
    forms: Counter = field(default_factory=Counter)
    gender: str = ""

    def admits(self, key: str) -> bool:
        return N.same_person(key, self.key) and not any(N.conflict(key, f) for f in self.forms)


_ATTRS = (IDX, ORTH, SPACY, POS, TAG, DEP, HEAD, LEMMA, SENT_START, ENT_IOB, ENT_TYPE)


class Ctx:
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
        self.owner: list[Cand | None] = [None] * n

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

    def index(self, cands: list[Cand]) -> None:
        self.owner = [None] * self.n
        for c in cands:
            for i in range(c.s, c.e):
                self.owner[i] = c

    def starts_at(self, i: int) -> Cand | None:
        c = self.owner[i] if 0 <= i < self.n else None
        return c if c is not None and c.s == i else None

    def cap(self, i: int) -> bool:
        return self.w[i][:1].isupper()

    def root(self, c: Cand) -> int:
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


# -- helpers shared by the rule modules ----------------------------------------


def span_text(ctx: Ctx, c: Cand) -> str:
    a, b = ctx.span(c.s, c.e)
    return ctx.text[a:b]


def key_of(c: Cand) -> str:
    """The key a candidate is emitted with: its person group's, else its own."""
    return c.group.key if c.group is not None else c.key


def poss_after(ctx: Ctx, e: int) -> bool:
    return e < ctx.n and ctx.low[e] in POSS


def up_conj(ctx: Ctx, i: int) -> int:
    """The first conjunct of a coordination ("Brussels, London and Kyiv")."""
    for _ in range(8):
        if ctx.dep[i] != "conj" or ctx.head[i] == i:
            break
        i = ctx.head[i]
    return i


def locative(ctx: Ctx, i: int, preps: frozenset = LOC_PREPS) -> bool:
    """Object of a locative preposition, directly or as a conjunct."""
    i = up_conj(ctx, i)
    return ctx.dep[i] == "pobj" and ctx.low[ctx.head[i]] in preps
