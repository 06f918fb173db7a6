"""Quotations and attributions: who said what, in the words of the document.

:func:`find_quotes` is the annotation component: it fills ``Annotation.quotes``
with every direct quotation ("…," Putin said), mixed quotation (X said the
talks were "productive") and reported statement (X said (that) …) it finds,
each with its cue, its speaker as written and the speaker's mention key.

Direct quotations are found in two steps.

1. **Quotation marks** (:func:`quote_spans`), on the characters alone.
   Curly marks say which way they face; a straight mark is read as opening
   when it follows a space or an opening bracket and precedes a word, as
   closing when it follows a word and precedes a space or punctuation —
   the same contextual reading typographers' "smart quote" converters use.
   A mark facing the wrong way for its place (a typo or a broken encoding) is
   read by its place.  Marks opened inside an open quotation nest (a title or
   a quotation within the quotation).  A quotation still open at a paragraph
   end continues when the next paragraph opens with a quotation mark — the
   English convention for a quotation over several paragraphs (Chicago Manual
   of Style, 17th ed., 6.11) — and otherwise ends there, so an unbalanced mark
   never runs on; a continued quotation is also cut after ``MAX_PARAGRAPHS``
   paragraphs or ``MAX_QUOTE_CHARS`` characters.

2. **Attribution**, on the spaCy parse.  The reported-speech finder
   (:mod:`sitrep.understand.reported`) gives every speech cue outside
   quotation marks with its content clause; a clause mostly inside quotation
   marks makes those quotations direct quotes of the cue ("…," Putin said /
   Putin said: "…"), one partly inside makes a mixed quote whose content is
   the clause.  A quotation no clause claims is attributed by position, in
   the order news style uses (Krestel, Bergler & Witte 2008): a cue right
   after the closing mark ("…," said Putin / "…" — Peskov told reporters /
   "…," according to X), right before the opening mark ("Petrova notes, "…"),
   at the end of a sentence that introduces it with a colon (possibly in the
   paragraph before: "Caddell continued:"), or the cue of the quotation just
   before it that it continues ("…," he said. "…").  What is left — short
   mid-sentence quotations with no cue, such as scare quotes ('the so-called
   "special operation"') and titles — is not a quotation of anyone and is
   dropped; a longer quotation with no cue is kept without a speaker only
   when it makes up a whole paragraph.

A content a cue interrupts ("…," he said, "…") is given as several Quotes
sharing one cue span: the cue span identifies the attribution.  The content
of a direct quotation is the text inside the marks; of a reported one, the
complement clause with its "that".
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from sitrep.model import Annotation, Document, Quote
from sitrep.understand.cues import (
    Found,
    MentionIndex,
    complement,
    cue_chars,
    inverted_subject,
    is_according,
    is_cue_verb,
    is_passive,
    source_span,
    speaker_key,
    subject_of,
)
from sitrep.understand.reported import reported_speech

MAX_PARAGRAPHS = 12  # a quotation continued over more paragraphs is cut (a lost closing mark)
MAX_QUOTE_CHARS = 6000
DIRECT_SHARE = 0.6  # share of a cue's content inside quotation marks that makes the quotation direct
TAIL_WINDOW = 8  # words after a closing mark searched for the cue ("…," Kremlin spokesman Dmitry Peskov said)
HEAD_WINDOW = 12  # words before an opening mark searched for the cue (X told reporters on Thursday: "…")
SHORT_QUOTE = 4  # words: shorter mid-sentence quotations need a cue before them (scare quotes, titles)

OPEN, CLOSE, EITHER = 1, -1, 0
_MARK = re.compile(r"[\"“”«»]")
_OPENERS = "“«"
_AFTER_OPENING = "([{—–-/‘'“\"«"  # what may stand before an opening mark
_BEFORE_CLOSING = ".,;:!?)]}—–-…’'”\"»"  # what may stand after a closing mark
# A paragraph ends at a blank line, or at a line break after a sentence's end.
_PARA_BREAK = re.compile(r"\n[ \t]*\n\s*|(?<=[.!?:”\"’)\]])[ \t]*\n\s*")


@dataclass(frozen=True)
class Marked:
    """A quotation found by its marks: ``[start, end)`` is the text inside them."""

    open: int  # offset of the opening mark
    close: int  # offset of the closing mark; -1 when the quotation is never closed
    start: int
    end: int
    paragraphs: int


def find_quotes(sdoc, ann: Annotation, doc: Document) -> None:
    """The annotation component: fill ``ann.quotes`` (reads ``ann.mentions``)."""
    ann.quotes = quotes_of(sdoc, ann.mentions)


def quotes_of(sdoc, mentions) -> list[Quote]:
    index = MentionIndex.of(mentions)
    text = sdoc.text  # Doc.text joins the tokens on every call: read it once
    out, seen = [], set()
    for f in attributions(sdoc, text):
        for start, end in f.content:
            if (start, end) in seen:
                continue
            seen.add((start, end))
            out.append(_quote(text, f, start, end, index))
    return sorted(out, key=lambda q: (q.start, q.end))


def _quote(text: str, f: Found, start: int, end: int, index: MentionIndex) -> Quote:
    if f.speaker is None:
        return Quote(start, end, f.kind, text[f.cue[0]:f.cue[1]], f.cue[0], f.cue[1], "", -1, -1, "")
    (s, e), (hs, he) = f.speaker, f.head
    key = speaker_key(index, s, e, hs, he, text[hs:he])
    return Quote(start, end, f.kind, text[f.cue[0]:f.cue[1]], f.cue[0], f.cue[1], text[s:e], s, e, key)


def attributions(sdoc, text: str | None = None) -> list[Found]:
    """Every attribution in the parsed document, in cue order for reported
    speech, then the quotations attributed by position."""
    text = sdoc.text if text is None else text
    paras = paragraphs(text)
    marks = quote_spans(text, paras)
    inside = _Inside(marks)
    found, claimed = [], {}
    for r in reported_speech(sdoc, inside):
        f = _classify(r, marks, inside, text)
        for k in inside.hits(f.content) if f.kind != "indirect" else ():
            claimed.setdefault(k, f)
        found.append(f)
    found += _by_position(sdoc, text, marks, paras, claimed, inside)
    return found


# -- quotation marks -----------------------------------------------------------


def paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in _PARA_BREAK.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def mark_role(text: str, i: int) -> int:
    """OPEN, CLOSE or EITHER for the quotation mark at ``text[i]``, by its place."""
    ch = text[i]
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    opens_here = prev.isspace() or prev in _AFTER_OPENING
    closes_here = nxt.isspace() or nxt in _BEFORE_CLOSING
    if ch in _OPENERS:
        return CLOSE if not opens_here and closes_here else OPEN
    if ch in "”»":
        return OPEN if opens_here and nxt.isalnum() else CLOSE
    if opens_here and not nxt.isspace():
        return OPEN
    if closes_here and not prev.isspace():
        return CLOSE
    return EITHER


def quote_spans(text: str, paras: list[tuple[int, int]] | None = None) -> list[Marked]:
    """The outermost quotations of ``text``, in order (nested ones are part of them)."""
    out: list[Marked] = []
    cur = None  # (opening offset, paragraphs) of the quotation being read
    depth, prev_end = 0, 0
    for ps, pe in paras if paras is not None else paragraphs(text):
        marks = [(m.start(), mark_role(text, m.start())) for m in _MARK.finditer(text, ps, pe)]
        k = 0
        if cur is not None:
            if marks and marks[0][0] == ps and marks[0][1] != CLOSE and _fits(cur, pe):
                cur, depth, k = (cur[0], cur[1] + 1), 1, 1  # the mark that continues it
            else:
                out.append(_marked(text, cur, -1, prev_end))
                cur, depth = None, 0
        for pos, role in marks[k:]:
            if cur is None:
                if role != CLOSE:
                    cur, depth = (pos, 1), 1
            elif role == OPEN:
                depth += 1
            elif depth > 1:
                depth -= 1
            else:
                out.append(_marked(text, cur, pos, pos))
                cur, depth = None, 0
        depth = min(depth, 1)  # a nested mark does not stay open past its paragraph
        prev_end = pe
    if cur is not None:
        out.append(_marked(text, cur, -1, prev_end))
    return [m for m in out if m.end > m.start]


def _fits(cur: tuple[int, int], para_end: int) -> bool:
    return cur[1] < MAX_PARAGRAPHS and para_end - cur[0] <= MAX_QUOTE_CHARS


def _marked(text: str, cur: tuple[int, int], close: int, end: int) -> Marked:
    start = cur[0] + 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Marked(cur[0], close, start, end, cur[1])


class _Inside:
    """Which character offsets lie inside a quotation (a callable for the reported finder)."""

    def __init__(self, marks: list[Marked]):
        self.marks = marks
        self.starts = [m.open for m in marks]

    def __call__(self, pos: int) -> bool:
        k = bisect_right(self.starts, pos) - 1
        return k >= 0 and pos < self._stop(self.marks[k])

    @staticmethod
    def _stop(m: Marked) -> int:
        return m.close + 1 if m.close >= 0 else m.end

    def hits(self, spans) -> list[int]:
        """Indices of the quotations that overlap any of ``spans``."""
        out = []
        for a, b in spans:
            k = max(0, bisect_right(self.starts, a) - 1)
            while k < len(self.marks) and self.marks[k].open < b:
                if self._stop(self.marks[k]) > a and k not in out:
                    out.append(k)
                k += 1
        return out


def _alnum(text: str, a: int, b: int) -> int:
    return sum(ch.isalnum() for ch in text[a:b])


def _classify(r: Found, marks: list[Marked], inside: _Inside, text: str) -> Found:
    """A reported clause that overlaps quotations: direct when mostly quoted, else mixed."""
    hits = inside.hits(r.content)
    if not hits:
        return r
    total = sum(_alnum(text, a, b) for a, b in r.content) or 1
    quoted = sum(_alnum(text, max(a, marks[k].start), min(b, marks[k].end))
                 for a, b in r.content for k in hits if marks[k].start < b and marks[k].end > a)
    if quoted >= DIRECT_SHARE * total:
        spans = tuple((marks[k].start, marks[k].end) for k in hits)
        return Found("direct", spans, r.cue, r.speaker, r.head)
    return Found("mixed", _widen(r.content, [marks[k] for k in hits]), r.cue, r.speaker, r.head)


def _widen(spans, quoted: list[Marked]) -> tuple[tuple[int, int], ...]:
    """Content spans stretched over the whole of each quotation they cut into."""
    out = []
    for a, b in spans:
        for m in quoted:
            if m.start < b and m.end > a:
                a, b = min(a, m.open), max(b, _Inside._stop(m))
        out.append((a, b))
    return tuple(out)


# -- attribution by position -----------------------------------------------------


class _Tokens:
    """Character offset -> token index."""

    def __init__(self, sdoc):
        self.sdoc = sdoc
        self.starts = [t.idx for t in sdoc]

    def at_or_after(self, pos: int) -> int:
        return bisect_left(self.starts, pos)

    def before(self, pos: int) -> int:
        return bisect_left(self.starts, pos) - 1


def _by_position(sdoc, text: str, marks: list[Marked], paras, claimed: dict, inside: _Inside) -> list[Found]:
    toks = _Tokens(sdoc)
    para_starts = [p[0] for p in paras]
    out: list[Found] = []
    last: tuple[int, Found] | None = None  # the last attributed quotation and its attribution
    for k, m in enumerate(marks):
        if k in claimed:
            last = (k, claimed[k]) if claimed[k].kind == "direct" else last
            continue
        floor = max(marks[k - 1].close + 1 if k and marks[k - 1].close >= 0 else 0,
                    para_starts[bisect_right(para_starts, m.open) - 1])
        limit = _next_limit(marks, k, paras, para_starts)
        f = (_after(sdoc, text, toks, m, limit, inside) or _before(sdoc, toks, m, floor)
             or _colon(sdoc, text, toks, m, inside) or _continued(text, marks, k, last, para_starts))
        if f is not None:
            out.append(f)
            if f.speaker is not None:
                last = (k, f)
    return out


def _next_limit(marks, k, paras, para_starts) -> int:
    m = marks[k]
    pe = paras[bisect_right(para_starts, max(m.close, m.open)) - 1][1]
    return min(pe, marks[k + 1].open) if k + 1 < len(marks) else pe


def _words(text: str, m: Marked) -> int:
    return sum(1 for w in text[m.start:m.end].split() if any(ch.isalnum() for ch in w))


def _starts_clause(text: str, pos: int) -> bool:
    """Does a quotation opening at ``pos`` begin a sentence, a paragraph or a clause after ':' / '—'?"""
    i = pos - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in "\n.!?:—–-(…" or text[i] in "”\""


def _source_ok(head, m: Marked) -> bool:
    return head is not None and not (m.start <= head.idx < max(m.end, m.close))


def _direct(m: Marked, cue_tok, head) -> Found:
    speaker, name = source_span(head) if head is not None else (None, None)
    return Found("direct", ((m.start, m.end),), cue_chars(cue_tok), speaker, name)


def _after(sdoc, text: str, toks: _Tokens, m: Marked, limit: int, inside) -> Found | None:
    """'"…," Putin said' / '"…," said Putin' / '"…" — X told reporters' / '"…," according to X'."""
    if m.close < 0 or (not _starts_clause(text, m.open) and _words(text, m) < SHORT_QUOTE):
        return None
    ended = text[m.end - 1:m.end] in ".!?" if m.end > m.start else False
    words = 0
    for i in range(toks.at_or_after(m.close + 1), len(sdoc)):
        t = sdoc[i]
        if t.idx >= limit or (t.is_punct and t.text in ".!?;" and words):
            return None
        if t.is_punct or t.is_space:
            continue
        words += 1
        if words > TAIL_WINDOW:
            return None
        if is_according(t):
            objs = [g for c in t.children if c.lower_ == "to" for g in c.children if g.dep_ == "pobj"]
            return _direct(m, t, objs[0]) if objs else None
        if is_cue_verb(t, quote_adjacent=True) and not is_passive(t):
            if ended and complement(t) is not None and not inside(sdoc[complement(t)[0]].idx):
                return None  # a new sentence reporting something else
            head = subject_of(t)
            head = head if _source_ok(head, m) else inverted_subject(t)
            return _direct(m, t, head if _source_ok(head, m) else None)
        if t.pos_ == "VERB" and t.dep_ in ("ROOT", "ccomp", "conj", "advcl"):
            return None
    return None


def _before(sdoc, toks: _Tokens, m: Marked, floor: int) -> Found | None:
    """'Petrova notes, "…"' / 'X told reporters on Thursday: "…"' / 'according to X, "…"'."""
    words = 0
    for i in range(toks.before(m.open), -1, -1):
        t = sdoc[i]
        if t.idx < floor or (t.text in ".!?;" and t.is_punct):
            return None
        if is_according(t):
            objs = [g for c in t.children if c.lower_ == "to" for g in c.children if g.dep_ == "pobj"]
            return _direct(m, t, objs[0]) if objs else None
        if is_cue_verb(t, quote_adjacent=True) and not is_passive(t) and t.dep_ != "amod":
            head = subject_of(t)
            head = head if _source_ok(head, m) else inverted_subject(t)
            return _direct(m, t, head if _source_ok(head, m) else None)
        if not t.is_punct:
            words += 1
        if words > HEAD_WINDOW or (t.pos_ == "VERB" and t.dep_ not in ("aux", "auxpass", "amod")):
            return None
    return None


def _colon(sdoc, text: str, toks: _Tokens, m: Marked, inside) -> Found | None:
    """A quotation introduced by a sentence ending in a colon, maybe in the paragraph before."""
    i = m.open - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    if i < 0 or text[i] != ":":
        return None
    colon = sdoc[toks.before(i + 1)]
    cues = [t for t in colon.sent if t.i < colon.i and not inside(t.idx)
            and is_cue_verb(t, quote_adjacent=True) and not is_passive(t)]
    if not cues:
        return None
    cue = cues[-1]
    head = subject_of(cue)
    return _direct(m, cue, head if _source_ok(head, m) else None)


def _continued(text: str, marks, k: int, last, para_starts) -> Found | None:
    """'"…," he said. "…"': a quotation that follows an attributed one with
    nothing but its attribution in between, in the same paragraph."""
    if last is None or last[0] != k - 1:
        return None
    prev, f = marks[k - 1], last[1]
    m = marks[k]
    if prev.close < 0:
        return None
    same_para = bisect_right(para_starts, prev.close) == bisect_right(para_starts, m.open)
    gap = text[prev.close + 1:m.open]
    cue_between = prev.close < f.cue[0] < m.open
    if not same_para or not (cue_between or not any(ch.isalnum() for ch in gap)):
        return None
    return Found("direct", ((m.start, m.end),), f.cue, f.speaker, f.head)
