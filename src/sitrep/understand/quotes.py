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

2. **Attribution**, on the spaCy parse, in the order of how firmly the
   text binds a quotation to a cue:

   * a cue right after the closing mark ('"…," Putin said', '"…," said
     Putin, adding …', '"…" — Peskov told reporters', '"…," according to
     X'), within ``TAIL_WINDOW`` words not counting the source's appositive;
   * the reported-speech finder (:mod:`sitrep.understand.reported`): a cue
     whose content clause is mostly (``DIRECT_SHARE``) inside quotation marks
     makes those quotations direct ('Putin said: "…"'); one partly inside
     makes a mixed quote whose content is the clause ('X said the talks were
     "productive"');
   * for the quotations left, by position, in the patterns news style uses
     (Krestel, Bergler & Witte 2008): a cue right before the opening mark
     ('Petrova notes, "…"', 'X told reporters on Thursday: "…"'; mixed when
     the quotation ends a clause the cue governs, or follows a verb of
     naming: 'calling the plan "a disaster"'); the attribution of the
     quotation it continues — in the same paragraph after that attribution's
     clause ('"…," he said. "…"'), in the same verbless clause ('"…" and
     "…"'), or opening the next paragraph; a sentence that introduces it
     with a colon, maybe in the paragraph before ('Caddell continued:'), or
     with a speech verb that reports nothing itself ('Lau said in a
     statement. "…"'); a name alone before a colon, as transcripts give
     speakers ('Rep. Gowdy: "…"').

   What no cue claims is not anyone's quotation and is dropped: labels
   ('"Expert Insight:"'), titles and names in title case ('"State of the
   Union"'), and scare quotes — short quotations inside a sentence with no
   cue ('the so-called "special operation"'), which a following cue does not
   claim either (``SHORT_QUOTE``).

A content a cue interrupts ("…," he said, "…") is given as several Quotes
sharing one cue span: the cue span identifies the attribution.  The content
of a direct quotation is the text inside the marks; of a mixed one, the
clause with the marks of the quotation in it; of a reported one, the
complement clause with its "that".  Everything is read off arrays and the
few tokens near cues and marks, so the component costs a few per cent of the
parse (``bench/quotes.py`` times it).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from spacy.attrs import IDX, ORTH, SPACY

from sitrep.model import Annotation, Document, Quote
from sitrep.understand.cues import (
    NAMING_VERBS,
    SPEECH_FORMS,
    Found,
    MentionIndex,
    complement,
    cue_chars,
    cue_extent,
    inverted_subject,
    is_according,
    is_personal,
    is_cue_verb,
    is_passive,
    source_span,
    speaker_key,
    subject_of,
)
from sitrep.understand.reported import reported_speech

MAX_PARAGRAPHS = 12  # a quotation continued over more paragraphs is cut (a lost closing mark)
MAX_QUOTE_CHARS = 6000
DIRECT_SHARE = 0.8  # share of a cue's content inside quotation marks that makes the quotation direct
TAIL_WINDOW = 8  # words after a closing mark searched for the cue ("…," Kremlin spokesman Dmitry Peskov said)
HEAD_WINDOW = 12  # words before an opening mark searched for the cue (X told reporters on Thursday: "…")
TRANSCRIPT_WORDS = 8  # longest "Name (affiliation):" line read as a transcript speaker
CLAUSE_CHARS = 240  # longest attribution clause between two parts of one quotation
SHORT_QUOTE = 4  # words: shorter mid-sentence quotations need a cue before them (scare quotes, titles)

OPEN, CLOSE, EITHER, NONE = 1, -1, 0, 2
# Double quotation marks; two apostrophes stand for one in typewriter-style archives ('' ... '').
_MARK = re.compile(r"''|``|[\"“”«»]")
_OPENERS = ("“", "«", "``")
_CLOSERS = ("”", "»")
_AFTER_OPENING = "([{—–-/‘'“\"«"  # what may stand before an opening mark
_BEFORE_CLOSING = ".,;:!?)]}—–-…’'”\"»"  # what may stand after a closing mark
_COMPLEMENTIZER = re.compile(r"(?:that|whether|if)\b", re.I)
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_MINOR_WORDS = frozenset("a an the of and or in on at to for with by from as vs".split())
# A paragraph ends at a blank line, or at a line break after a sentence's end.
_PARA_BREAK = re.compile(r"\n[ \t]*\n\s*|(?<=[.!?:”\"’')\]])[ \t]*\n\s*")


@dataclass(frozen=True)
class Marked:
    """A quotation found by its marks: ``[start, end)`` is the text inside them."""

    open: int  # offset of the opening mark
    close: int  # offset of the closing mark; -1 when the quotation is never closed
    start: int
    end: int
    paragraphs: int
    stop: int  # offset after the closing mark (``end`` when unclosed)


def find_quotes(sdoc, ann: Annotation, doc: Document) -> None:
    """The annotation component: fill ``ann.quotes`` (reads ``ann.mentions``)."""
    ann.quotes = quotes_of(sdoc, ann.mentions)


def quotes_of(sdoc, mentions) -> list[Quote]:
    index = MentionIndex.of(mentions)
    text = doc_text(sdoc)
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


def doc_text(sdoc) -> str:
    """``sdoc.text``, built from the token arrays: Doc.text makes a Token object
    per word and costs more than this whole component."""
    if not len(sdoc):
        return ""
    strings = sdoc.vocab.strings
    return "".join(strings[o] + " " if sp else strings[o] for o, sp in sdoc.to_array([ORTH, SPACY]).tolist())


def attributions(sdoc, text: str | None = None) -> list[Found]:
    """Every attribution in the parsed document: quotations with their cue
    right after them, reported speech (whose clause may make quotations
    direct or mixed), then the quotations left, attributed by position."""
    ctx = _Context(sdoc, doc_text(sdoc) if text is None else text)
    claimed: dict[int, Found] = {}
    tails = {}
    for k, m in enumerate(ctx.marks):
        f = None if _label(ctx.text, m) else _after(ctx, k)
        if f is not None:
            tails.setdefault(f.cue, []).append(k)
            claimed[k] = f
    found = list(claimed.values())
    for r in reported_speech(sdoc, ctx.inside):
        if r.cue in tails:
            continue  # '"…," Putin said': the cue's clause is the quotation before it
        f = _classify(_clip(ctx, r), ctx)
        if f is None:
            continue
        for k in ctx.inside.hits(f.content) if f.kind != "indirect" else ():
            claimed.setdefault(k, f)
        found.append(f)
    return found + _by_position(ctx, claimed)


class _Context:
    """One document's text, paragraphs, quotations and token offsets."""

    def __init__(self, sdoc, text: str):
        self.sdoc, self.text = sdoc, text
        self.paras = paragraphs(text)
        self.para_starts = [p[0] for p in self.paras]
        self.marks = quote_spans(text, self.paras)
        self.inside = _Inside(self.marks)
        self.starts = sdoc.to_array(IDX).tolist() if len(sdoc) else []

    def para(self, pos: int) -> tuple[int, int]:
        k = bisect_right(self.para_starts, pos) - 1
        return self.paras[k] if k >= 0 else (0, 0)

    def token_at_or_after(self, pos: int) -> int:
        return bisect_left(self.starts, pos)

    def token_before(self, pos: int) -> int:
        return bisect_left(self.starts, pos) - 1


def _clip(ctx: _Context, r: Found) -> Found | None:
    """A reported content cut to its cue's paragraph: a clause never runs over a
    paragraph break, though the parser's sentences sometimes do."""
    ps, pe = ctx.para(r.cue[0])
    spans = tuple((max(a, ps), min(b, pe)) for a, b in r.content if a < pe and b > ps)
    if not spans:
        return None
    return Found(r.kind, spans, r.cue, r.speaker, r.head)


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


def mark_role(text: str, i: int, j: int) -> int:
    """OPEN, CLOSE or EITHER for the quotation mark ``text[i:j]``, by its place."""
    mark = text[i:j]
    prev = text[i - 1] if i > 0 else " "
    if prev == "=" or (j < len(text) and text[j] == ">"):
        return NONE  # markup: an attribute's value (<tweet author="…">)
    nxt = text[j] if j < len(text) else " "
    opens_here = prev.isspace() or prev in _AFTER_OPENING
    closes_here = nxt.isspace() or nxt in _BEFORE_CLOSING
    if mark in _OPENERS:
        return CLOSE if not opens_here and closes_here else OPEN
    if mark in _CLOSERS:
        return OPEN if opens_here and nxt.isalnum() else CLOSE
    if opens_here and not nxt.isspace():
        return OPEN
    if closes_here and not prev.isspace():
        return CLOSE
    return EITHER


def quote_spans(text: str, paras: list[tuple[int, int]] | None = None) -> list[Marked]:
    """The outermost quotations of ``text``, in order (nested ones are part of them)."""
    out: list[Marked] = []
    cur = None  # (opening mark start, its end, paragraphs) of the quotation being read
    depth, prev_end = 0, 0
    for ps, pe in paras if paras is not None else paragraphs(text):
        marks = [(m.start(), m.end(), mark_role(text, m.start(), m.end())) for m in _MARK.finditer(text, ps, pe)]
        marks = [x for x in marks if x[2] != NONE]
        k = 0
        if cur is not None:
            if marks and marks[0][0] == ps and marks[0][2] != CLOSE and _fits(cur, pe):
                cur, depth, k = (cur[0], cur[1], cur[2] + 1), 1, 1  # the mark that continues it
            else:
                out.append(_marked(text, cur, -1, prev_end, prev_end))
                cur, depth = None, 0
        for i, j, role in marks[k:]:
            if cur is None:
                if role != CLOSE:
                    cur, depth = (i, j, 1), 1
            elif role == OPEN:
                depth += 1
            elif depth > 1:
                depth -= 1
            else:
                out.append(_marked(text, cur, i, i, j))
                cur, depth = None, 0
        depth = min(depth, 1)  # a nested mark does not stay open past its paragraph
        prev_end = pe
    if cur is not None:
        out.append(_marked(text, cur, -1, prev_end, prev_end))
    return [m for m in out if m.end > m.start]


def _fits(cur: tuple[int, int, int], para_end: int) -> bool:
    return cur[2] < MAX_PARAGRAPHS and para_end - cur[0] <= MAX_QUOTE_CHARS


def _marked(text: str, cur: tuple[int, int, int], close: int, end: int, stop: int) -> Marked:
    start = cur[1]
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Marked(cur[0], close, start, end, cur[2], stop if close >= 0 else end)


class _Inside:
    """Which character offsets lie inside a quotation (a callable for the reported finder)."""

    def __init__(self, marks: list[Marked]):
        self.marks = marks
        self.starts = [m.open for m in marks]

    def __call__(self, pos: int) -> bool:
        k = bisect_right(self.starts, pos) - 1
        return k >= 0 and pos < self.marks[k].stop

    def hits(self, spans) -> list[int]:
        """Indices of the quotations that overlap any of ``spans``."""
        out = []
        for a, b in spans:
            k = max(0, bisect_right(self.starts, a) - 1)
            while k < len(self.marks) and self.marks[k].open < b:
                if self.marks[k].stop > a and k not in out:
                    out.append(k)
                k += 1
        return out


def _alnum(text: str, a: int, b: int) -> int:
    return sum(ch.isalnum() for ch in text[a:b])


def _classify(r: Found | None, ctx: _Context) -> Found | None:
    """A reported clause that overlaps quotations: direct when mostly quoted, else mixed."""
    if r is None:
        return None
    marks, text = ctx.marks, ctx.text
    hits = ctx.inside.hits(r.content)
    if not hits:
        return r
    total = sum(_alnum(text, a, b) for a, b in r.content) - _complementizer(text, r.content[0][0]) or 1
    quoted = sum(_alnum(text, max(a, marks[k].start), min(b, marks[k].end))
                 for a, b in r.content for k in hits if marks[k].start < b and marks[k].end > a)
    if quoted >= DIRECT_SHARE * total:
        spans = tuple((marks[k].start, marks[k].end) for k in hits)
        return Found("direct", spans, r.cue, r.speaker, r.head)
    return Found("mixed", _widen(r.content, [marks[k] for k in hits]), r.cue, r.speaker, r.head)


def _complementizer(text: str, start: int) -> int:
    """Letters of a leading "that"/"whether"/"if", which a direct quotation may follow."""
    m = _COMPLEMENTIZER.match(text, start)
    return _alnum(text, start, m.end()) if m else 0


def _widen(spans, quoted: list[Marked]) -> tuple[tuple[int, int], ...]:
    """Content spans stretched over the whole of each quotation they cut into."""
    out = []
    for a, b in spans:
        for m in quoted:
            if m.start < b and m.end > a:
                a, b = min(a, m.open), max(b, m.stop)
        out.append((a, b))
    return tuple(out)


# -- attribution by position -----------------------------------------------------


def _by_position(ctx: _Context, claimed: dict) -> list[Found]:
    out: list[Found] = []
    last: tuple[int, Found] | None = None  # the last attributed quotation and its attribution
    for k, m in enumerate(ctx.marks):
        if k in claimed:
            last = (k, claimed[k]) if claimed[k].kind == "direct" else last
            continue
        if _label(ctx.text, m):
            continue
        floor = max(ctx.marks[k - 1].stop if k else 0, ctx.para(m.open)[0])
        f = _before(ctx, m, floor) or _continued(ctx, k, last) or _introduced(ctx, m, floor)
        if f is not None:
            out.append(f)
            if f.speaker is not None:
                last = (k, f)
    return out


def _next_limit(ctx: _Context, k: int) -> int:
    m, marks = ctx.marks[k], ctx.marks
    pe = ctx.para(max(m.close, m.open))[1]
    return min(pe, marks[k + 1].open) if k + 1 < len(marks) else pe


def _words(text: str, m: Marked) -> int:
    return sum(1 for w in text[m.start:m.end].split() if any(ch.isalnum() for ch in w))


def _starts_clause(text: str, pos: int) -> bool:
    """Does a quotation opening at ``pos`` begin a sentence, a paragraph or a clause after ':' / '—'?"""
    i = pos - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in "\n.!?:—–-(…" or text[i] in "”\"'"


def _source_ok(head, m: Marked) -> bool:
    return head is not None and not (m.start <= head.idx < max(m.end, m.close))


def _direct(m: Marked, cue_tok, head) -> Found:
    speaker, name = source_span(head, cue_tok) if head is not None else (None, None)
    return Found("direct", ((m.start, m.end),), cue_chars(cue_tok), speaker, name)


def _after(ctx: _Context, k: int) -> Found | None:
    """'"…," Putin said' / '"…," said Putin' / '"…" — X told reporters' / '"…," according to X'."""
    m, text, sdoc = ctx.marks[k], ctx.text, ctx.sdoc
    if m.close < 0 or (not _starts_clause(text, m.open) and _words(text, m) < SHORT_QUOTE):
        return None
    limit = _next_limit(ctx, k)
    ended = text[m.end - 1:m.end] in ".!?"
    words = 0
    for i in range(ctx.token_at_or_after(m.stop), min(len(sdoc), ctx.token_at_or_after(limit))):
        t = sdoc[i]
        if t.is_punct and t.text in ".!?;" and words:
            return None
        if t.is_punct or t.is_space:
            continue
        words += not _aside(t)
        if words > TAIL_WINDOW:
            return None
        if is_according(t):
            return _according(m, t)
        if _cue_here(t, tail=True):
            span = complement(t)
            if ended and span is not None and not ctx.inside(sdoc[span[0]].idx):
                return None  # a new sentence reporting something else
            return _direct(m, t, _speaker_near(t, m))
        if t.pos_ == "VERB" and t.dep_ in ("ROOT", "ccomp", "conj", "advcl"):
            return None
    return None


def _aside(t) -> bool:
    """Is ``t`` in an appositive or relative clause of the source ("Lael Brainard, a Fed governor, said")?"""
    for a in (t, *t.ancestors):
        if a.dep_ in ("appos", "relcl", "acl"):
            return True
        if a.pos_ in ("VERB", "AUX") and a.dep_ not in ("amod",):
            return False
    return False


def _cue_here(t, tail: bool = False) -> bool:
    """A speech verb next to a quotation, also where the tagger took it for a
    noun or an adjective ('he notes', 'Bozell points out', 'Stated Stone:'),
    or, after a quotation, for a participle ('"…" the nominee, X, tweeted')."""
    if t.pos_ in ("VERB", "AUX"):
        if t.lemma_.lower() == "put" and any(c.dep_ == "dobj" and c.lower_ == "it" for c in t.children):
            return True  # "as X put it"
        return is_cue_verb(t, quote_adjacent=True) and (not is_passive(t) or (tail and _reduced(t)))
    if t.lower_ not in SPEECH_FORMS or t.pos_ not in ("NOUN", "PROPN", "ADJ") or t.lower_ == t.lemma_.lower():
        return False  # only an inflected form ("notes", "stated") can be a mistagged verb
    doc = t.doc
    before = doc[t.i - 1] if t.i > 0 else None
    after = doc[t.i + 1] if t.i + 1 < len(doc) else None
    return (before is not None and before.pos_ in ("PRON", "PROPN") and before.tag_ not in ("PRP$", "POS")
            and before.dep_ != "poss") or (t.is_title and after is not None and after.pos_ == "PROPN")


def _reduced(t) -> bool:
    """A verb the parser read as a participle modifying the noun before it, with no
    passive auxiliary or agent: after a quotation, that noun is its subject."""
    return t.dep_ == "acl" and not any(c.dep_ in ("auxpass", "agent") for c in t.children)


def _speaker_near(t, m: Marked):
    """The source of a cue standing by a quotation: its subject, an inverted
    subject, or the name or pronoun right before it."""
    head = subject_of(t) if t.pos_ in ("VERB", "AUX") else None
    if head is None and t.dep_ == "acl" and t.head.i < t.i:
        head = t.head
    if not _source_ok(head, m):
        head = inverted_subject(t)
    if not _source_ok(head, m) and t.i > 0 and t.doc[t.i - 1].pos_ in ("PRON", "PROPN"):
        head = t.doc[t.i - 1]
    return head if _source_ok(head, m) else None


def _according(m: Marked, t) -> Found | None:
    objs = [g for c in t.children if c.lower_ == "to" for g in c.children if g.dep_ == "pobj"]
    return _direct(m, t, objs[0]) if objs else None


def _before(ctx: _Context, m: Marked, floor: int) -> Found | None:
    """'Petrova notes, "…"' / 'X told reporters on Thursday: "…"' / 'according to X, "…"';
    mixed when the quotation ends a clause the cue governs ('X claims that Y
    "takes its orders"', 'calling Alwaleed "dopey"')."""
    sdoc = ctx.sdoc
    if _title_like(ctx.text, m):
        return None  # 'said on "The Late Show"'
    words = 0
    for i in range(ctx.token_before(m.open), -1, -1):
        t = sdoc[i]
        if t.idx < floor or (t.text in ".!?;" and t.is_punct):
            return None
        if is_according(t):
            return _according(m, t)
        naming = _names(t, m)
        if t.dep_ != "amod" and (naming or _cue_here(t)):
            f = _direct(m, t, _speaker_near(t, m))
            lead = _lead_in(ctx, t, m)
            if lead is None and naming:
                lead = sdoc[cue_extent(t)[1]].idx
            return f if lead is None else Found("mixed", ((lead, m.stop),), f.cue, f.speaker, f.head)
        words += not t.is_punct
        if words > HEAD_WINDOW or (t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass", "amod")):
            return None
    return None


def _lead_in(ctx: _Context, cue, m: Marked) -> int | None:
    """Where the clause around a quotation starts when the quotation does not
    directly follow its cue ('said [that] "…"', 'told reporters: "…"'): the
    offset of its first word, or None when the quotation stands on its own."""
    text = ctx.text
    i = m.open - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    if i < 0 or text[i] in ":,—–":
        return None
    a, b = cue_extent(cue)
    between = [t for t in ctx.sdoc[b:ctx.token_before(m.open) + 1] if not t.is_punct]
    if not between or (len(between) == 1 and between[0].lower_ == "that"):
        return None
    return between[0].idx


def _names(t, m: Marked) -> bool:
    """'Trump called the system "rigged"', 'what they dubbed "the yuca primary"':
    a verb of naming whose subject gives the quoted words."""
    return (t.pos_ == "VERB" and t.lemma_.lower() in NAMING_VERBS and not is_passive(t)
            and subject_of(t) is not None and t.i < len(t.doc) - 1 and t.doc[t.i + 1].idx < m.open)


def _label(text: str, m: Marked) -> bool:
    """A label in quotation marks that introduces what follows ('"Expert Insight:"',
    '"Did you know?":'): a heading, not someone's words."""
    return text[m.end - 1:m.end] == ":" or text[m.stop:m.stop + 1] == ":"


def _title_like(text: str, m: Marked) -> bool:
    """A name or title in quotation marks: a few words, every one that matters
    capitalised, no closing sentence punctuation ("State of the Union")."""
    inner = text[m.start:m.end].rstrip(",;: ")
    words = [w for w in _WORD.findall(inner) if w.lower() not in _MINOR_WORDS]
    return 2 <= len(words) <= 10 and inner[-1:] not in ".!?" and all(w[0].isupper() for w in words)


def _introduced(ctx: _Context, m: Marked, floor: int) -> Found | None:
    """A quotation after the sentence that introduces it: one ending in a colon,
    maybe in the paragraph before ("Caddell continued:", "Clinton has since
    apologized:"), or a speech verb that reports nothing itself ("Lau said in a
    statement.")."""
    text, sdoc = ctx.text, ctx.sdoc
    if _title_like(text, m):
        return None
    i = m.open - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    if i < 0 or text[i] not in ":." or (text[i] == "." and ctx.para(i) != ctx.para(m.open)):
        return None
    end = sdoc[ctx.token_before(i + 1)]
    cues = [t for t in end.sent if t.i < end.i and not ctx.inside(t.idx) and _cue_here(t)
            and (text[i] == ":" or (t.pos_ == "VERB" and complement(t) is None))]
    if cues:
        return _direct(m, cues[-1], _speaker_near(cues[-1], m))
    if text[i] != ":":
        return None
    root = end.sent.root
    if root.pos_ == "VERB" and root.i < end.i and is_personal(subject_of(root)):
        return _direct(m, root, subject_of(root))
    return _transcript(ctx, m, i, floor)


def _transcript(ctx: _Context, m: Marked, colon: int, floor: int) -> Found | None:
    """'Rep. Trey Gowdy (R-S.C.): "…"': a name alone before a colon, as
    interview transcripts and hearing records give a speaker; the colon is the cue."""
    sdoc = ctx.sdoc
    lo = max(floor, ctx.para(colon)[0]) if floor <= colon else ctx.para(colon)[0]
    toks = [t for t in sdoc[ctx.token_at_or_after(lo):ctx.token_at_or_after(colon)]
            if not t.is_space and t.idx + len(t) <= colon]
    words = [t for t in toks if not t.is_punct]
    if not words or len(words) > TRANSCRIPT_WORDS or any(t.pos_ in ("VERB", "AUX") for t in words):
        return None
    head = next((t for t in reversed(words) if t.ent_type_ == "PERSON"), None)
    if head is None:
        return None
    end = colon
    while end > toks[0].idx and ctx.text[end - 1].isspace():
        end -= 1
    speaker, name = (toks[0].idx, end), (head.idx, head.idx + len(head))
    return Found("direct", ((m.start, m.end),), (colon, colon + 1), speaker, name)


def _continued(ctx: _Context, k: int, last) -> Found | None:
    """A quotation that goes on from an attributed one: in the same paragraph
    with nothing but that attribution's clause in between ('"…," he said.
    "…"'), or opening the next paragraph (PolNeAR and news usage alike give
    such a paragraph to the last speaker)."""
    if last is None:
        return None
    prev, f, m = ctx.marks[last[0]], last[1], ctx.marks[k]
    if prev.close < 0:
        return None
    here, there = ctx.para(m.open), ctx.para(prev.close)
    if here != there:
        return _found_as(f, m) if _next_para(ctx, there, here) and m.open == here[0] else None
    gap = ctx.text[prev.stop:m.open]
    if (any(ch.isalnum() for ch in gap) and not _only_attribution(ctx, f, prev.stop, m.open)
            and not _same_clause(ctx, prev.stop, m.open)):
        return None
    return _found_as(f, m)


def _same_clause(ctx: _Context, a: int, b: int) -> bool:
    """Is text[a:b] a stretch of one clause with no verb of its own, as between
    the items of a quoted list ('raised "the return of the properties" and "the
    restoration of flights"')?"""
    if any(p in ctx.text[a:b] for p in ".!?;:") or b - a > CLAUSE_CHARS:
        return False
    sdoc = ctx.sdoc
    return not any(sdoc[i].pos_ in ("VERB", "AUX")
                   for i in range(ctx.token_at_or_after(a), ctx.token_at_or_after(b)))


def _only_attribution(ctx: _Context, f: Found, a: int, b: int) -> bool:
    """Is text[a:b] just the clause of cue ``f`` ('," said X, a lawyer in Orlando. ')?"""
    rest = ctx.text[f.cue[1]:b].rstrip()
    if not a <= f.cue[0] < b or len(rest) > CLAUSE_CHARS or (rest and rest[-1] not in ".!?;:,"):
        return False
    sdoc = ctx.sdoc
    for i in range(ctx.token_at_or_after(f.cue[1]), ctx.token_at_or_after(b)):
        if sdoc[i].dep_ == "ROOT" and sdoc[i].pos_ in ("VERB", "AUX"):
            return False  # another sentence ("… said, pointing to his ears. Betsy laughed.")
    return True


def _next_para(ctx: _Context, a: tuple[int, int], b: tuple[int, int]) -> bool:
    k = bisect_right(ctx.para_starts, a[0])
    return k < len(ctx.paras) and ctx.paras[k] == b


def _found_as(f: Found, m: Marked) -> Found:
    return Found("direct", ((m.start, m.end),), f.cue, f.speaker, f.head)
