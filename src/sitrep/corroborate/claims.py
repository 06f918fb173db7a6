"""Atomic claims: who did or said what, with polarity, hedges, numbers, dates and places.

A claim is one main predicate of a sentence with its arguments, read off the
dependency parse (spaCy; the clause-splitting idea follows ClausIE, Del Corro &
Gemulla 2013, "ClausIE: clause-based open information extraction", WWW, and
the predicate-argument reading of open IE, Fader et al. 2011, "Identifying
relations for open information extraction", EMNLP):

* **Clause heads.**  The sentence root and the verbs coordinated with it
  (``conj``) each give a claim; "Putin refused X, but Trump said Y" gives two.
  A conjunct without its own subject inherits the first conjunct's.
* **Attribution.**  A reporting or belief verb ("say", "tell", "deny",
  "believe"...) with a clausal complement does not give a claim of its own: its
  complement does, attributed to the reporting verb's subject ("X said that Y"
  is X's claim Y, not the article's).  "According to X" and the quotes the
  understanding pass found (``ann.quotes``; may be empty) attribute the same
  way; quotation marks around the complement make the claim ``direct``.
  A stance verb ("agree", "accept", "propose", "decide"...) with a "that"
  clause gives both: its own claim ("X agreed that P") and P attributed to X,
  at any depth ("officials said he had agreed that P" gives P as his).
* **Governors.**  A verb that governs an infinitive and changes its truth or
  certainty ("refused to agree", "is expected to meet", "plans to visit") is
  folded into the claim: the predicate is the governed verb, the governor
  becomes a polarity flip or a hedge.  Negation ("not", "never", "no deal")
  flips polarity; modal verbs and hedging adverbs ("may", "reportedly") set the
  modality (Saurí & Pustejovsky 2009, "FactBank", read as a small lexicon).
* **Arguments.**  Subject (the Mention key when a mention covers its head),
  predicate lemma (with particles, "be + noun/adjective" for copulas), main
  complement text, numbers normalised to value + unit (``$1.5 billion`` →
  1.5e9 usd, "45 percent" → 45 percent, "three hours" → 3 hour), the resolved
  dates of ``ann.times``, the place and entity keys of ``ann.mentions`` inside
  the claim span.

Questions, headlines (the document title, Title Case lines, lines without
final punctuation), imperatives and verbless fragments give no claim.  A
sentence is cut at line breaks first: a heading the parser glued to the next
paragraph is dropped, and a subject it lent the paragraph's verb is replaced
by the paragraph's own.  FAQ lines: "Q:" lines give nothing, an "A:" label is
cut off.  "Neither X", "no X" as subject or object negate the clause.  Each
claim gets a check-worthiness score (:mod:`sitrep.corroborate.checkworthy`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import numpy as np
from spacy import symbols as spacy_symbols
from spacy.attrs import (DEP, HEAD, IDX, IS_ALPHA, IS_CURRENCY, IS_PUNCT, IS_SPACE, IS_STOP, IS_TITLE, IS_UPPER,
                         LENGTH, LIKE_NUM, LOWER, POS)
from spacy.strings import get_string_id

from sitrep.corroborate import checkworthy
from sitrep.model import Claim, Quantity  # noqa: F401  (re-exported: the claim dataclasses live in the model)

# -- lexicons (general English; nothing specific to a corpus) -------------------

REPORTING = frozenset(
    """say tell announce state claim report add note insist argue write tweet post warn explain
    confirm deny acknowledge admit assert contend declare allege maintain reply respond suggest
    predict estimate testify reveal disclose indicate stress emphasize emphasise repeat recall
    complain concede promise pledge vow believe think feel fear show find conclude mention
    observe signal hint reiterate caution boast brag charge accuse concede recount""".split()
)
NEGATING_REPORTS = frozenset({"deny"})
# Stance verbs: "X agreed that P" is a claim of its own (the agreement) *and* gives P as X's
# position, however deep it sits ("officials said he had agreed that P").
STANCE = {
    "agree": "", "accept": "", "propose": "", "demand": "", "urge": "", "recommend": "",
    "decide": "", "recognize": "", "recognise": "", "understand": "",
    "request": "", "ask": "", "hope": "intended", "wish": "intended", "expect": "expected", "doubt": "",
}
NEGATING_STANCE = frozenset({"doubt"})
# Verbs whose infinitive complement did not happen: "refused to sign" -> not sign.
NEGATING_GOVERNORS = frozenset({"refuse", "decline", "fail", "neglect", "avoid", "deny", "reject"})
# Governors of an infinitive that hedge it, by modality.
HEDGING_GOVERNORS = {
    "expect": "expected", "likely": "probable", "unlikely": "probable", "plan": "planned",
    "intend": "planned", "aim": "planned", "schedule": "planned", "set": "planned",
    "prepare": "planned", "promise": "planned", "pledge": "planned", "vow": "planned",
    "threaten": "planned", "hope": "intended", "want": "intended", "wish": "intended",
    "seek": "intended", "try": "intended", "attempt": "intended", "seem": "apparent",
    "appear": "apparent", "say": "reported", "report": "reported", "believe": "reported",
    "think": "reported", "rumor": "reported", "rumour": "reported", "allege": "reported",
    "need": "deontic", "have": "deontic", "go": "expected",
}
NEGATIVE_GOVERNORS_ADJ = frozenset({"unlikely"})
MODAL_VERBS = {
    "may": "possible", "might": "possible", "could": "possible", "should": "deontic",
    "must": "deontic", "ought": "deontic", "would": "expected",
}
FUTURE_MODALS = frozenset({"will", "shall", "'ll", "wo", "would"})
HEDGE_ADVERBS = {
    "perhaps": "possible", "maybe": "possible", "possibly": "possible", "potentially": "possible",
    "conceivably": "possible", "likely": "probable", "probably": "probable", "presumably": "probable",
    "reportedly": "reported", "allegedly": "reported", "purportedly": "reported",
    "apparently": "apparent", "supposedly": "reported", "ostensibly": "apparent",
}
# When several hedges apply, the weakest commitment names the modality.
MODALITY_ORDER = ("possible", "probable", "reported", "apparent", "expected", "planned",
                  "intended", "deontic", "conditional")
NEGATORS = frozenset({"not", "n't", "never", "no", "neither", "nor"})
CONDITIONAL_MARKS = frozenset({"if", "unless"})
NEGATIVE_PRONOUNS = frozenset({"nobody", "nothing", "none", "neither", "noone"})

Span = tuple[int, int]
# String ids (spaCy's hashes) compared against Doc.to_array columns.
_CC, _MARK = get_string_id("cc"), get_string_id("mark")
_THAT = (get_string_id("that"), get_string_id("whether"))


@dataclass
class _Frame:
    """What a clause inherits from the clauses that embed it."""

    speaker: object = None  # spaCy Token heading the speaker phrase, or None
    speaker_text: str = ""
    quote_kind: str = ""
    polarity: int = 1
    hedges: list[str] = field(default_factory=list)
    modalities: list[str] = field(default_factory=list)
    subject: object = None  # Token inherited by a subjectless conjunct or infinitive
    tense: str = ""
    cues: set[int] = field(default_factory=set)  # token indices already read as cues

    def child(self, **changes) -> _Frame:
        f = _Frame(self.speaker, self.speaker_text, self.quote_kind, self.polarity,
                   list(self.hedges), list(self.modalities), self.subject, self.tense, set(self.cues))
        for k, v in changes.items():
            setattr(f, k, v)
        return f


# -- the component ---------------------------------------------------------------


def find_claims(sdoc, ann, doc) -> list:
    """Claims of one parsed document (component convention; returns the list).

    ``sdoc`` is the spaCy Doc of the annotated text, ``ann`` its
    :class:`~sitrep.model.Annotation` (mentions, quotes and times are used when
    present), ``doc`` the :class:`~sitrep.model.Document` (its title marks the
    headline).
    """
    ctx = _Context(sdoc, ann, doc)
    claims: list[Claim] = []
    seen: set[Span] = set()
    for sent in sdoc.sents:
        for seg in _line_segments(sent.start, sent.end, ctx):
            if not _claimable(seg, ctx):
                continue
            for claim in _segment_claims(seg, ctx):
                if (claim.start, claim.end) not in seen:
                    seen.add((claim.start, claim.end))
                    claims.append(claim)
    return claims


@dataclass(frozen=True)
class _Seg:
    """A stretch of one sentence on one line: token range [start, end) and its trimmed character span."""

    start: int
    end: int
    start_char: int
    end_char: int
    quoted: bool = False  # a quote's content walked on its own: its subject may lie outside it


class _Context:
    """Per-document lookups: mention, time and quote spans by offset."""

    def __init__(self, sdoc, ann, doc):
        self.sdoc = sdoc
        self.text = sdoc.text
        self.table = checkworthy.TokenTable(sdoc)
        self._arrays(sdoc)
        self.document_id = getattr(ann, "document_id", "") or getattr(doc, "id", "")
        # Unresolved descriptions ("a senior official") have no key: nothing to match on.
        self.mentions = sorted((m for m in getattr(ann, "mentions", []) or [] if m.key),
                               key=lambda m: (m.start, m.end))
        self._mention_starts = [m.start for m in self.mentions]
        self.times = sorted(getattr(ann, "times", []) or [], key=lambda t: t.start)
        self.quotes = list(getattr(ann, "quotes", []) or [])
        title = getattr(doc, "title", None) or ""
        self.title = _norm(title)

    def _arrays(self, sdoc) -> None:
        """Token attributes as arrays, read once: segmenting sentences then touches no Token objects."""
        cols = [IDX, LENGTH, IS_ALPHA, IS_STOP, IS_SPACE, IS_TITLE, IS_UPPER, HEAD, POS, IS_PUNCT, DEP, LOWER,
                LIKE_NUM, IS_CURRENCY]
        a = sdoc.to_array(cols).astype(np.int64)
        self.n = len(a)
        self.idx, self.length = a[:, 0], a[:, 1]
        self.alpha, self.stop, self.space = a[:, 2] == 1, a[:, 3] == 1, a[:, 4] == 1
        self.capital = (a[:, 5] == 1) | (a[:, 6] == 1)
        self.head = np.arange(self.n) + a[:, 7]
        self.verbal = np.isin(a[:, 8], [spacy_symbols.VERB, spacy_symbols.AUX])
        self.punct, self.dep, self.lower = a[:, 9] == 1, a[:, 10], a[:, 11]
        self.numeric = (a[:, 12] == 1) | (a[:, 13] == 1)
        self.newline = np.zeros(self.n, dtype=bool)  # a line break inside or right after the token
        if self.n:
            breaks = [m.start() for m in re.finditer("\n", self.text)]
            self.newline[np.searchsorted(self.idx, breaks, side="right") - 1] = True
        self.newline_tokens = np.flatnonzero(self.newline).tolist()

    def seg(self, lo: int, hi: int) -> _Seg | None:
        """The segment of tokens [lo, hi) with whitespace tokens trimmed; None when nothing is left."""
        while lo < hi and self.space[lo]:
            lo += 1
        while hi > lo and self.space[hi - 1]:
            hi -= 1
        if lo >= hi:
            return None
        return _Seg(lo, hi, int(self.idx[lo]), int(self.idx[hi - 1] + self.length[hi - 1]))

    def mention_at(self, offset: int):
        """The innermost mention covering character ``offset``, or None."""
        i = bisect.bisect_right(self._mention_starts, offset)
        best = None
        for m in reversed(self.mentions[max(0, i - 8):i]):
            if m.start <= offset < m.end and (best is None or m.end - m.start < best.end - best.start):
                best = m
        return best

    def mentions_in(self, start: int, end: int) -> list:
        lo = bisect.bisect_left(self._mention_starts, start)
        hi = bisect.bisect_left(self._mention_starts, end)
        return [m for m in self.mentions[lo:hi] if m.end <= end]

    def times_in(self, start: int, end: int) -> list:
        return [t for t in self.times if t.start < end and t.end > start]

    def quote_over(self, start: int, end: int):
        """The quote whose content covers most of [start, end), if it covers at least half."""
        best, best_overlap = None, 0
        for q in self.quotes:
            overlap = min(end, q.end) - max(start, q.start)
            if overlap > best_overlap:
                best, best_overlap = q, overlap
        return best if best is not None and best_overlap * 2 >= end - start else None


_CONTRACTIONS = {"'s": "be", "'re": "be", "'m": "be", "'ve": "have", "'d": "would", "'ll": "will", "n't": "not", "ca": "can", "wo": "will"}


def _lemma(tok) -> str:
    """Lower-case lemma; contractions with curly apostrophes ("’s", "’re") read as their verbs."""
    low = tok.lower_.replace("’", "'")
    if low in _CONTRACTIONS and tok.pos_ in ("AUX", "VERB", "PART"):
        return _CONTRACTIONS[low]
    return tok.lemma_.lower()


def _low(tok) -> str:
    return tok.lower_.replace("’", "'")


def _norm(s: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", s.casefold()).split())


# -- which sentences can hold claims -------------------------------------------

_TERMINAL = re.compile(r"[.!]['\"”’)\]]*\s*$")


def _line_segments(lo: int, hi: int, ctx: _Context) -> list[_Seg]:
    """The parts of the sentence [lo, hi) that lie on one line (a headline glued to a paragraph splits)."""
    out = []
    i = bisect.bisect_left(ctx.newline_tokens, lo)
    start = lo
    while i < len(ctx.newline_tokens) and ctx.newline_tokens[i] < hi:
        cut = ctx.newline_tokens[i] + 1
        out.append(ctx.seg(start, cut))
        start = cut
        i += 1
    if start < hi:
        out.append(ctx.seg(start, hi))
    out = [_faq_line(seg, ctx) for seg in out if seg is not None]
    return [s for s in (_lead_in(seg, ctx) for seg in out if seg is not None) if s is not None]


# A capitalised lead-in ending in a dash at the start of a line: a dateline ("CONCORD, N.H. -",
# "KYIV (Reuters) --") or a kicker heading run into its paragraph ("CANDIDATE LEADS IN STATE - Since ...").
_LEAD_IN = re.compile(r"[A-Z][A-Z.'’&-]*(?:[ ,]+[A-Z][\w.'’&-]*)*\s*(?:\([^()\n]{1,30}\))?\s*[-–—]{1,2}\s+")


def _lead_in(seg: _Seg, ctx: _Context) -> _Seg | None:
    """The segment without a dateline or kicker opening its line: neither is part of the claim, and the
    parser makes the dateline's city the sentence's subject."""
    text = ctx.text[seg.start_char:seg.end_char]
    m = _LEAD_IN.match(text)
    if m is None or not _line_start(seg.start_char, ctx.text) or not text[:m.end()].split()[0].isupper():
        return seg
    cut = seg.start_char + m.end()
    i = bisect.bisect_left(ctx.idx, cut, seg.start, seg.end)
    return ctx.seg(i, seg.end) if i < seg.end else None


# Interview and FAQ labels opening a line: "Q: ...", "A: ...", "Question: ...".
_QUESTION_LABELS = frozenset({"q", "question"})
_ANSWER_LABELS = frozenset({"a", "answer"})


def _faq_line(seg: _Seg, ctx: _Context) -> _Seg | None:
    """A segment opening a line with a question label gives nothing (the question is no claim);
    an answer label ("A:") is cut off so that it becomes neither the claim's text nor its subject."""
    i = seg.start
    if i + 1 >= seg.end or ctx.text[int(ctx.idx[i + 1])] != ":" or not _line_start(seg.start_char, ctx.text):
        return seg
    label = ctx.text[seg.start_char:int(ctx.idx[i + 1])].casefold()
    if label in _QUESTION_LABELS:
        return None
    if label in _ANSWER_LABELS:
        return ctx.seg(i + 2, seg.end)
    return seg


def _line_start(offset: int, text: str) -> bool:
    line = text.rfind("\n", 0, offset) + 1
    return not text[line:offset].strip()


def _claimable(seg: _Seg, ctx: _Context) -> bool:
    text = ctx.text[seg.start_char:seg.end_char]
    if int(ctx.alpha[seg.start:seg.end].sum()) < 3 or text.rstrip("\"”’') ").endswith("?"):
        return False
    if ctx.title and _norm(text) == ctx.title:
        return False
    return not _headline_like(seg, text, ctx)


def _headline_like(seg: _Seg, text: str, ctx: _Context) -> bool:
    """A segment ending a line without final punctuation, or one with nearly every word capitalised."""
    hi = seg.end
    ends_line = hi >= ctx.n or ctx.newline[hi - 1] or (ctx.space[hi] and ctx.newline[hi])
    if ends_line and not _TERMINAL.search(text):
        return True
    lo = seg.start + 1
    content = ctx.alpha[lo:hi] & ~ctx.stop[lo:hi]
    n = int(content.sum())
    return n >= 4 and int((content & ctx.capital[lo:hi]).sum()) >= 0.8 * n


# -- clause heads and frames --------------------------------------------------------


def _segment_claims(seg, ctx: _Context) -> list[Claim]:
    out: list[Claim] = []
    for root in _segment_roots(seg, ctx):
        frame = _Frame()
        source = _according_to(root) or _as_source(root)
        if source is not None:
            frame = frame.child(speaker=source, speaker_text=_phrase(source, ctx), quote_kind="indirect")
        _walk(root, frame, seg, ctx, out, depth=0)
    out.extend(_quoted_claims(seg, ctx, out))
    return out


def _quoted_claims(seg, ctx: _Context, found: list[Claim]) -> list[Claim]:
    """Claims inside quotes the walk did not reach ("his statement that P", a quote in a relative clause)."""
    out: list[Claim] = []
    for q in ctx.quotes:
        lo, hi = max(q.start, seg.start_char), min(q.end, seg.end_char)
        if hi - lo < 10 or _covered(lo, hi, found + out) * 2 >= hi - lo:
            continue
        span = ctx.sdoc.char_span(lo, hi, alignment_mode="contract")
        inner = ctx.seg(span.start, span.end) if span is not None else None
        if inner is None:
            continue
        inner = _Seg(inner.start, inner.end, inner.start_char, inner.end_char, quoted=True)
        for root in _segment_roots(inner, ctx):
            _walk(root, _Frame(), inner, ctx, out, depth=0)
    return out


def _covered(lo: int, hi: int, claims: list[Claim]) -> int:
    """Characters of [lo, hi) inside some claim."""
    spans = sorted((max(lo, c.start), min(hi, c.end)) for c in claims if c.start < hi and c.end > lo)
    total, reach = 0, lo
    for a, b in spans:
        a = max(a, reach)
        if b > a:
            total += b - a
            reach = b
    return total


def _segment_roots(seg: _Seg, ctx: _Context) -> list:
    """Verbs of the segment whose head lies outside it (the sentence root when the segment is the sentence)."""
    lo, hi = seg.start, seg.end
    head = ctx.head[lo:hi]
    own = np.arange(lo, hi)
    roots = ((head == own) | (head < lo) | (head >= hi)) & ctx.verbal[lo:hi]
    return [ctx.sdoc[int(i)] for i in own[roots]]


def _as_source(root):
    """The subject of an "as X said / as analysts point out" clause attached to the root."""
    for c in root.children:
        if c.dep_ == "advcl" and _lemma(c) in REPORTING and any(m.dep_ == "mark" and m.lower_ == "as" for m in c.children):
            return _subject(c)
    return None


def _walk(head, frame: _Frame, seg, ctx: _Context, out: list, depth: int) -> None:
    if depth > 6:
        return
    subject = _subject(head) or frame.subject
    frame_here = frame.child(subject=subject)
    content = _reported_content(head)
    if content is not None:
        _walk_report(head, content, frame_here, seg, ctx, out, depth)
    else:
        target, frame_here = _fold_governors(head, frame_here)
        claim = _make_claim(target, head, frame_here, seg, ctx)
        if claim is not None:
            out.append(claim)
        stance = _stance_content(target)
        if stance is not None:
            _walk_stance(target, stance, frame_here, seg, ctx, out, depth)
    for adjunct in _reporting_adjuncts(head):
        # "..., saying that P": P is the subject's claim too.
        _walk_report(adjunct, _reported_content(adjunct), frame.child(subject=subject), seg, ctx, out, depth)
    for conj in _clause_conjuncts(head):
        _walk(conj, frame.child(subject=subject), seg, ctx, out, depth + 1)


def _reporting_adjuncts(head) -> list:
    """Participles of reporting verbs with their own complement attached to ``head`` ("..., adding that P")."""
    return [c for c in head.children
            if c.dep_ in ("advcl", "xcomp") and c.tag_ == "VBG" and _reported_content(c) is not None]


def _walk_report(head, content, frame: _Frame, seg, ctx: _Context, out: list, depth: int) -> None:
    """A reporting verb: its complement is the claim, the verb's subject its speaker."""
    speaker = _subject(head) if head.dep_ not in ("xcomp", "advcl") else (_subject(head) or frame.subject)
    if _is_passive(head) or speaker is None:
        # "It was reported that ...": no named speaker, a reported claim.
        child = frame.child(hedges=frame.hedges + [_lemma(head)], modalities=frame.modalities + ["reported"])
    else:
        kind = "direct" if _quoted(content) else "indirect"
        child = frame.child(speaker=speaker, speaker_text=_phrase(speaker, ctx), quote_kind=kind)
    lemma = _lemma(head)
    polarity = -1 if (lemma in NEGATING_REPORTS) != _negated(head) else 1
    if polarity < 0:
        child.polarity = -child.polarity
        child.hedges = child.hedges + [lemma if lemma in NEGATING_REPORTS else "not " + lemma]
    child.subject = None
    _walk(content, child, seg, ctx, out, depth + 1)


def _stance_content(verb):
    """The clausal complement ("that P") of a stance verb, or None."""
    if _lemma(verb) not in STANCE:
        return None
    for c in verb.children:
        if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX"):
            return None if _open_question(c) else c
    return None


def _open_question(clause) -> bool:
    """ "whether P", "if P", "why P": an indirect question, nobody's position."""
    if any(m.dep_ == "mark" and m.lower_ in ("whether", "if") for m in clause.children):
        return True
    return clause.left_edge.tag_ in ("WRB", "WP", "WP$", "WDT")


def _walk_stance(verb, content, frame: _Frame, seg, ctx: _Context, out: list, depth: int) -> None:
    """P of "X agreed that P": X's position, attributed to X, with the stance verb as its cue."""
    holder = _subject(verb) or frame.subject
    lemma = _lemma(verb)
    if holder is None or _is_passive(verb):
        child = frame.child(modalities=frame.modalities + ["reported"])
    else:
        child = frame.child(speaker=holder, speaker_text=_phrase(holder, ctx),
                            quote_kind="direct" if _quoted(content) else "indirect")
    if STANCE[lemma]:
        child.modalities = child.modalities + [STANCE[lemma]]
    if lemma in NEGATING_STANCE:
        child.polarity = -child.polarity
    child.hedges = child.hedges + [lemma]
    child.subject, child.tense = None, ""
    _walk(content, child, seg, ctx, out, depth + 1)


def _reported_content(head):
    """The clausal complement of a reporting verb, or None."""
    if _lemma(head) not in REPORTING:
        return None
    for c in head.children:
        if c.dep_ in ("ccomp", "parataxis") and c.pos_ in ("VERB", "AUX"):
            return c
    return None


def _fold_governors(head, frame: _Frame):
    """Follow "refused to / is expected to / plans to" down to the governed verb."""
    target = head
    for _ in range(4):
        nxt = _governed(target)
        if nxt is None:
            break
        gov, cue = nxt
        lemma = _lemma(target) if target.pos_ != "AUX" else _acomp_lemma(target)
        if lemma in NEGATING_GOVERNORS or lemma in NEGATIVE_GOVERNORS_ADJ:
            frame.polarity = -frame.polarity
        if lemma in HEDGING_GOVERNORS:
            frame.modalities.append(HEDGING_GOVERNORS[lemma])
            if HEDGING_GOVERNORS[lemma] in ("expected", "planned", "intended") and _tense(target) == "present":
                frame.tense = frame.tense or "future"
        frame.hedges.append(cue)
        frame.tense = frame.tense or _tense(target)
        _apply_local(target, frame)
        target = gov
    return target, frame


def _governed(verb):
    """(governed infinitive, cue text) when ``verb`` is a folding governor."""
    lemma = _lemma(verb)
    if verb.pos_ == "AUX" and lemma == "be":
        lemma = _acomp_lemma(verb)
    if lemma not in NEGATING_GOVERNORS and lemma not in HEDGING_GOVERNORS:
        return None
    if lemma == "have" and not any(c.dep_ == "xcomp" for c in verb.children):
        return None
    if lemma == "go" and verb.tag_ != "VBG":
        return None
    for c in verb.children:
        if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX"):
            return c, lemma
        if c.dep_ == "acomp" and c.lemma_ in HEDGING_GOVERNORS:
            for cc in c.children:
                if cc.dep_ == "xcomp":
                    return cc, c.lemma_
    return None


def _acomp_lemma(verb) -> str:
    for c in verb.children:
        if c.dep_ == "acomp":
            return c.lemma_.lower()
    return _lemma(verb)


def _clause_conjuncts(head) -> list:
    return [c for c in head.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]


def _according_to(root):
    """The source of an "according to X" attached to the clause."""
    for c in root.children:
        if c.dep_ == "prep" and c.lower_ == "according":
            for cc in c.children:
                for p in cc.children if cc.lower_ == "to" else [cc]:
                    if p.dep_ == "pobj":
                        return p
    return None


# -- one claim -----------------------------------------------------------------------


def _make_claim(target, clause_head, frame: _Frame, seg, ctx: _Context) -> Claim | None:
    subject = _subject(target) or frame.subject
    if subject is not None and not seg.quoted and not seg.start <= subject.i < seg.end:
        subject = _stranded_subject(seg, clause_head)
    if subject is None and target.tag_ == "VB" and clause_head.dep_ == "ROOT":
        return None  # imperative: "Click here", "Read more"
    _apply_local(target, frame)
    parts = _clause_range(clause_head, seg, ctx)
    if not parts or sum(int(ctx.alpha[a:b].sum()) for a, b in parts) < 2:
        return None
    first, last = parts[0][0], parts[-1][1] - 1
    start, end = int(ctx.idx[first]), int(ctx.idx[last] + ctx.length[last])
    speaker_key, speaker_text, kind = _attribution(frame, start, end, ctx)
    subj_key = _mention_key(subject, ctx) if subject is not None else ""
    subj_text = _phrase(subject, ctx) if subject is not None else ""
    times = ctx.times_in(start, end)
    mentions = ctx.mentions_in(start, end)
    claim = Claim(
        id=f"{ctx.document_id}:{start}-{end}", document_id=ctx.document_id, start=start, end=end,
        sentence_start=seg.start_char, sentence_end=seg.end_char, text=ctx.text[start:end],
        subject=subj_key or subj_text, subject_key=subj_key,
        predicate=_predicate(target), object=_object(target, ctx),
        polarity=frame.polarity, modality=_modality(frame, target), hedges=tuple(dict.fromkeys(frame.hedges)),
        tense=frame.tense or _tense(target),
        numbers=tuple(q for a, b in parts for q in _numbers(a, b, times, ctx)),
        dates=tuple(dict.fromkeys(t.value for t in times if t.value and t.kind in ("date", "interval"))),
        places=tuple(dict.fromkeys(m.key for m in mentions
                                   if m.label in ("GPE", "LOC", "FAC") and not _affiliation(m, ctx))),
        entities=tuple(dict.fromkeys(m.key for m in mentions)),
        speaker=speaker_key or speaker_text, speaker_key=speaker_key, quote_kind=kind,
    )
    claim.checkworthy = checkworthy.score_range(ctx.table, first, last + 1)
    return claim


_OF_OR_FROM = frozenset({"of", "from"})


def _affiliation(m, ctx: _Context) -> bool:
    """Whether a place mention says whom a person represents or comes from rather than where the
    claim happens: "Florida Sen. Marco Rubio", "Rubio (R-Fla.)", "Senator Rubio of Florida"."""
    i = int(np.searchsorted(ctx.idx, m.end - 1, side="right")) - 1
    if i < 0:
        return False
    tok = ctx.sdoc[i]
    while tok.head.i != tok.i and m.start <= tok.head.idx < m.end:
        tok = tok.head  # the mention's own head word
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ in _OF_OR_FROM:
        head = head.head
    elif tok.dep_ not in ("compound", "appos", "nmod", "amod"):
        return False
    while head.dep_ == "compound" and head.head.i != head.i:
        head = head.head  # "Florida" -> "Sen." -> "Rubio"
    return head.ent_type_ == "PERSON"


def _stranded_subject(seg: _Seg, clause_head):
    """The subject of a clause whose parsed subject lies on another line (a heading or an "A:"
    label glued to the sentence by the parser): the first noun phrase before the verb that hangs
    from outside the segment or is a subject inside it; None when there is none."""
    for c in clause_head.children:
        if c.dep_ in ("nsubj", "nsubjpass") and seg.start <= c.i < seg.end:
            return c  # the parser gave the verb two subjects, one of them on the other line
    for t in clause_head.doc[seg.start:min(clause_head.i, seg.end)]:
        if t.pos_ in ("NOUN", "PROPN", "PRON", "NUM") and not seg.start <= t.head.i < seg.end:
            return t
    return None


def _numbers(lo: int, hi: int, times, ctx: _Context) -> list[Quantity]:
    """Quantities of tokens [lo, hi); spaCy tokens are only made where a number-like token is."""
    hits = np.flatnonzero(ctx.numeric[lo:hi]) + lo
    out: list[Quantity] = []
    for a, b in _windows(hits.tolist(), ctx.n):
        out.extend(quantities(list(ctx.sdoc[a:b]), times, ctx.text, lo, hi))
    return out


def _windows(hits: list[int], n: int, before: int = 2, after: int = 6) -> list[tuple[int, int]]:
    """Merged token windows around number-like tokens: room for a currency sign, qualifiers and the unit."""
    out: list[list[int]] = []
    for i in hits:
        a, b = max(0, i - before), min(n, i + after)
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _apply_local(verb, frame: _Frame) -> None:
    """Negation, modal verbs, hedging adverbs and "if" clauses on ``verb`` itself."""
    for c in verb.children:
        if c.i in frame.cues:
            continue
        cue = _local_cue(c, frame)
        if cue:
            frame.cues.add(c.i)
            frame.hedges.append(cue)


def _local_cue(c, frame: _Frame) -> str:
    """Apply the cue ``c`` (a child of the clause verb) to ``frame``; its word, or "" when none."""
    low = _low(c)
    if c.dep_ == "neg" or (low == "never" and c.dep_ == "advmod"):
        frame.polarity = -frame.polarity
        return low
    if c.dep_ == "aux" and c.tag_ == "MD":
        if low in FUTURE_MODALS:
            frame.tense = frame.tense or "future"
        if low in MODAL_VERBS:
            frame.modalities.append(MODAL_VERBS[low])
            return low
        return ""
    if c.dep_ == "advmod" and low in HEDGE_ADVERBS:
        frame.modalities.append(HEDGE_ADVERBS[low])
        return low
    if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITIONAL_MARKS for m in c.children):
        frame.modalities.append("conditional")
        return "if"
    if c.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and _has_no_determiner(c) and c.lemma_ != "doubt":
        frame.polarity = -frame.polarity
        return next(d.lower_ for d in c.children if _negative_determiner(d))
    if c.dep_ in ("nsubj", "nsubjpass") and low in NEGATIVE_PRONOUNS:
        frame.polarity = -frame.polarity
        return low
    return ""


def _has_no_determiner(tok) -> bool:
    """ "no deal", "neither leader", "neither X nor Y": the phrase denies what the clause says of it."""
    return any(_negative_determiner(c) for c in tok.children)


def _negative_determiner(c) -> bool:
    return c.dep_ in ("det", "preconj") and c.lower_ in ("no", "neither")


def _modality(frame: _Frame, verb) -> str:
    found = set(frame.modalities)
    for m in MODALITY_ORDER:
        if m in found:
            return m
    return "asserted"


def _tense(verb) -> str:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(_low(a) in FUTURE_MODALS for a in auxes):
        return "future"
    if any(a.lower_ == "going" for a in auxes) or (verb.lower_ == "going" and any(c.dep_ == "xcomp" for c in verb.children)):
        return "future"
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if verb.tag_ == "VBN" and any(a.lemma_ == "have" for a in auxes):
        return "past"
    return "present"


def _subject(verb):
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass", "csubj"):
            if c.dep_ == "nsubj" and c.lower_ == "there":
                continue
            return c
    if any(c.dep_ == "expl" for c in verb.children):
        for c in verb.children:
            if c.dep_ == "attr":
                return c
    return None


def _is_passive(verb) -> bool:
    return any(c.dep_ == "auxpass" for c in verb.children) or verb.tag_ == "VBN" and verb.dep_ in ("acl",)


def _negated(verb) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def _quoted(content) -> bool:
    """Quotation marks open right before the complement's subtree or close inside it."""
    toks = list(content.subtree)
    doc = content.doc
    left = toks[0].i
    before = doc[left - 1] if left > 0 else None
    return (before is not None and before.is_quote) or any(t.is_quote for t in toks)


_PHRASE_DROP = frozenset({"relcl", "acl", "appos", "punct", "advcl", "prep", "cc", "conj"})


def _phrase(tok, ctx: _Context) -> str:
    """The noun phrase headed by ``tok``: its subtree without relative clauses, appositions, PPs."""
    lo = hi = tok.i
    for c in tok.children:
        if c.dep_ not in _PHRASE_DROP and not _negative_determiner(c):
            lo, hi = min(lo, c.left_edge.i), max(hi, c.right_edge.i)
    lo, hi = _same_line(tok.i, lo, hi, ctx)
    return ctx.text[int(ctx.idx[lo]):int(ctx.idx[hi] + ctx.length[hi])]


def _same_line(i: int, lo: int, hi: int, ctx: _Context) -> tuple[int, int]:
    """[lo, hi] (inclusive token indices) cut to the line of token ``i``: a heading the parser
    hung on a noun phrase is no part of it."""
    k = bisect.bisect_left(ctx.newline_tokens, i)
    if k > 0:
        lo = max(lo, ctx.newline_tokens[k - 1] + 1)
    if k < len(ctx.newline_tokens):
        hi = min(hi, ctx.newline_tokens[k])
    while hi > lo and ctx.space[hi]:
        hi -= 1
    while lo < hi and ctx.space[lo]:
        lo += 1
    return lo, hi


def _mention_key(tok, ctx: _Context) -> str:
    m = ctx.mention_at(tok.idx)
    if m is not None:
        return m.key
    # "Russian President Vladimir Putin": the head is inside the phrase's last mention.
    for c in sorted(tok.children, key=lambda t: -t.i):
        if c.dep_ in ("compound", "poss", "amod", "nmod") and c.i < tok.i:
            m = ctx.mention_at(c.idx)
            if m is not None and c.dep_ == "compound":
                return m.key
    return ""


def _predicate(verb) -> str:
    lemma = _lemma(verb)
    particles = [c.lower_ for c in verb.children if c.dep_ == "prt"]
    if lemma == "be":
        if any(c.dep_ == "expl" for c in verb.children):
            return "exist"  # "there was no agreement": the agreement is the subject
        for c in verb.children:
            if c.dep_ in ("attr", "acomp"):
                return f"be {c.lemma_.lower()}"
    light = _light_object(verb)
    if light is not None:
        particles.append(light.lower_)
    if _is_passive(verb):
        return " ".join(["be", lemma, *particles])
    return " ".join([lemma, *particles])


def _light_object(verb):
    """A bare singular noun object that belongs to the predicate ("take place", "make progress")."""
    for c in verb.children:
        if c.dep_ == "dobj" and c.tag_ == "NN" and not any(True for _ in c.children):
            return c
    return None


_OBJECT_DEPS = ("dobj", "attr", "acomp", "oprd", "dative", "xcomp", "ccomp", "pobj")


def _object(verb, ctx: _Context) -> str:
    light = _light_object(verb)
    children = [c for c in verb.children if light is None or c.i != light.i]
    if any(c.dep_ == "expl" for c in children):
        children = [c for c in children if c.dep_ != "attr"]
    for dep in _OBJECT_DEPS:
        for c in children:
            if c.dep_ == dep:
                return _span_text(c, ctx)
    for c in children:
        if c.dep_ in ("prep", "agent"):
            return _span_text(c, ctx)
    return ""


def _span_text(tok, ctx: _Context) -> str:
    """The text of ``tok``'s subtree up to a coordinated clause."""
    hi = tok.right_edge.i
    for c in tok.children:
        if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"):
            hi = min(hi, c.left_edge.i - 1)
    lo = tok.left_edge.i
    return ctx.text[int(ctx.idx[lo]):int(ctx.idx[hi] + ctx.length[hi])].strip(" ,;:\"'“”")


def _clause_range(clause_head, seg, ctx: _Context) -> list[tuple[int, int]]:
    """Token intervals of the claim: the clause's subtree (contiguous: spaCy parses are projective)
    without coordinated clauses and report frames, cut to the segment, edge punctuation trimmed."""
    holes = []
    verbal_conj = any(c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") for c in clause_head.children)
    for c in clause_head.children:
        if _outside_claim(c, verbal_conj):
            holes.append((c.left_edge.i, c.right_edge.i + 1))
    lo = max(clause_head.left_edge.i, seg.start)
    hi = min(clause_head.right_edge.i + 1, seg.end)
    parts = []
    for a, b in sorted(holes):
        if a > lo:
            parts.append((lo, min(a, hi)))
        lo = max(lo, b)
    if lo < hi:
        parts.append((lo, hi))
    return _trim(parts, clause_head.i, ctx)


def _outside_claim(c, verbal_conj: bool) -> bool:
    """Children of a clause head whose words are not the claim's: other clauses, cues of attribution."""
    dep = c.dep_
    if dep == "conj":
        return c.pos_ in ("VERB", "AUX")
    if dep == "cc":
        return verbal_conj
    if dep == "prep":
        return c.lower_ == "according"
    if dep in ("advcl", "xcomp") and _lemma(c) in REPORTING:
        as_frame = dep == "advcl" and any(m.dep_ == "mark" and m.lower_ == "as" for m in c.children)
        return as_frame or (c.tag_ == "VBG" and _reported_content(c) is not None)
    return False


def _trim(parts: list[tuple[int, int]], head: int, ctx: _Context) -> list[tuple[int, int]]:
    """Drop edge tokens that are no part of what is claimed: punctuation, conjunctions, "that"."""
    parts = [list(p) for p in parts if p[0] < p[1]]
    while parts and _edge_junk(parts[0][0], head, ctx):
        parts[0][0] += 1
        if parts[0][0] >= parts[0][1]:
            parts.pop(0)
    while parts and _edge_junk(parts[-1][1] - 1, head, ctx):
        parts[-1][1] -= 1
        if parts[-1][0] >= parts[-1][1]:
            parts.pop()
    return [(a, b) for a, b in parts]


def _edge_junk(i: int, head: int, ctx: _Context) -> bool:
    if ctx.space[i] or ctx.punct[i] or ctx.dep[i] == _CC:
        return True
    return ctx.dep[i] == _MARK and ctx.head[i] == head and ctx.lower[i] in _THAT


def _attribution(frame: _Frame, start: int, end: int, ctx: _Context) -> tuple[str, str, str]:
    """(speaker key, speaker text, quote kind): the quotes pass first, the parse otherwise."""
    q = ctx.quote_over(start, end)
    if q is not None:
        return q.speaker_key, q.speaker, q.kind
    if frame.speaker is not None:
        return _mention_key(frame.speaker, ctx), frame.speaker_text, frame.quote_kind
    return "", "", frame.quote_kind


# -- numbers ---------------------------------------------------------------------------

_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_MULTIPLIERS = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
                "bn": 1e9, "mn": 1e6, "k": 1e3, "dozen": 12}
_CURRENCY_SYMBOLS = {"$": "usd", "us$": "usd", "£": "gbp", "€": "eur", "¥": "jpy", "₽": "rub"}
_CURRENCY_WORDS = {"dollar": "usd", "euro": "eur", "rouble": "rub", "ruble": "rub", "yen": "jpy",
                   "pound": "gbp", "yuan": "cny", "hryvnia": "uah"}
_APPROX = {"about": "approx", "around": "approx", "approximately": "approx", "roughly": "approx",
           "nearly": "approx", "almost": "approx", "some": "approx", "estimated": "approx",
           "more": "min", "over": "min", "least": "min", "fewer": "max", "less": "max",
           "under": "max", "up": "max", "below": "max", "above": "min"}
_DIGITS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$|^[+-]?\d+(\.\d+)?$")
_MONTHS = frozenset("january february march april may june july august september october "
                    "november december jan feb mar apr jun jul aug sep sept oct nov dec".split())


def quantities(tokens, times=(), text: str | None = None, lo: int | None = None, hi: int | None = None) -> list[Quantity]:
    """Numbers among ``tokens`` (a contiguous run of spaCy tokens), normalised.

    With ``lo`` / ``hi`` (token indices), only numbers starting inside [lo, hi)
    count; the tokens around give currency signs and units.

    Dates are not numbers: tokens inside a date TimeExpr, years standing
    alone and days next to a month name are skipped; durations ("three
    hours") stay, with the time unit.
    """
    date_spans = [(t.start, t.end) for t in times if t.kind in ("date", "interval", "set")]
    if text is None and tokens:
        text = tokens[0].doc.text  # rebuilt from the tokens on each access: callers pass it
    out: list[Quantity] = []
    i, n = 0, len(tokens)
    while i < n:
        if (lo is not None and tokens[i].i < lo) or (hi is not None and tokens[i].i >= hi):
            i += 1
            continue
        run = _number_run(tokens, i)
        if not run:
            i += 1
            continue
        j = i + len(run)
        q = _quantity(tokens, i, j, date_spans, text)
        if q is not None:
            out.append(q)
        i = j
    return out


def _is_number_word(tok) -> bool:
    low = tok.lower_
    return low in _UNITS or low in _TENS or (low in _MULTIPLIERS and low != "k")


def _number_run(tokens, i) -> list:
    """The longest run starting at ``i`` that spells one number ("1.5 billion", "twenty - five")."""
    first = tokens[i]
    if not (_DIGITS.match(first.text) or (_is_number_word(first) and first.lower_ not in _MULTIPLIERS)):
        return []
    if not _DIGITS.match(first.text) and not _word_number_counts(first, tokens, i):
        return []
    run = [first]
    k = i + 1
    while k < len(tokens):
        t = tokens[k]
        if t.lower_ in _MULTIPLIERS or (_is_number_word(t) and not _DIGITS.match(run[-1].text)):
            run.append(t)
        elif t.text == "-" and k + 1 < len(tokens) and _is_number_word(tokens[k + 1]) and tokens[k + 1].lower_ not in _MULTIPLIERS:
            run.append(t)
        elif t.lower_ == "and" and k + 1 < len(tokens) and _is_number_word(tokens[k + 1]) and run[-1].lower_ == "hundred":
            run.append(t)
        else:
            break
        k += 1
    return run


def _word_number_counts(tok, tokens, i) -> bool:
    """Spelled-out numbers count when they quantify something ("three hours"), not as pronouns ("one of")."""
    if tok.dep_ in ("nummod", "quantmod", "compound"):
        return True
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    return nxt is not None and (nxt.lower_ in _MULTIPLIERS or nxt.lower_ in ("percent", "%"))


def _value(run) -> float | None:
    total, current, seen = 0.0, 0.0, False
    for t in run:
        low = t.lower_.replace(",", "")
        if _DIGITS.match(t.text):
            current += float(low)
            seen = True
        elif low in _UNITS:
            current += _UNITS[low]
            seen = True
        elif low in _TENS:
            current += _TENS[low]
            seen = True
        elif low == "hundred":
            current = (current or 1) * 100
            seen = True
        elif low in _MULTIPLIERS:
            total += (current or 1) * _MULTIPLIERS[low]
            current = 0.0
            seen = True
    return total + current if seen else None


def _quantity(tokens, i, j, date_spans, text: str) -> Quantity | None:
    run = tokens[i:j]
    first, last = run[0], run[-1]
    if any(s <= first.idx < e for s, e in date_spans):
        return None
    if first.ent_type_ in ("ORDINAL",) or ":" in first.text:
        return None
    if _looks_like_date(tokens, i, j):
        return None
    value = _value(run)
    if value is None:
        return None
    unit, s_idx, e_idx = _unit(tokens, i, j)
    if unit == "" and _year_like(run):
        return None
    qualifier = _qualifier(tokens, s_idx)
    start = tokens[s_idx].idx
    end = tokens[e_idx].idx + len(tokens[e_idx])
    return Quantity(value=value, unit=unit, text=text[start:end], start=start, end=end, qualifier=qualifier)


def _year_like(run) -> bool:
    return len(run) == 1 and re.fullmatch(r"(1[89]|20|21)\d\d", run[0].text) is not None


def _looks_like_date(tokens, i, j) -> bool:
    prev = tokens[i - 1].lower_.rstrip(".") if i > 0 else ""
    nxt = tokens[j].lower_.rstrip(".") if j < len(tokens) else ""
    return (prev in _MONTHS or nxt in _MONTHS) and j - i == 1 and tokens[i].text.isdigit() and int(tokens[i].text) <= 31


def _unit(tokens, i, j) -> tuple[str, int, int]:
    """(unit, first token index, last token index) of the quantity around tokens[i:j]."""
    s_idx, e_idx = i, j - 1
    unit = ""
    prev = tokens[i - 1] if i > 0 else None
    if prev is not None and prev.lower_ in _CURRENCY_SYMBOLS:
        return _CURRENCY_SYMBOLS[prev.lower_], i - 1, e_idx
    k = j
    nxt = tokens[k] if k < len(tokens) else None
    if nxt is not None and nxt.text == "-" and k + 1 < len(tokens):
        k += 1
        nxt = tokens[k]
    if nxt is None:
        return unit, s_idx, e_idx
    low = nxt.lower_
    if low in ("%", "percent", "pct"):
        return "percent", s_idx, k
    if low == "per" and k + 1 < len(tokens) and tokens[k + 1].lower_ == "cent":
        return "percent", s_idx, k + 1
    if low == "percentage" and k + 1 < len(tokens) and tokens[k + 1].lemma_.lower() == "point":
        return "point", s_idx, k + 1
    if nxt.pos_ in ("NOUN", "PROPN") and nxt.is_alpha:
        lemma = nxt.lemma_.lower()
        return _CURRENCY_WORDS.get(lemma, lemma), s_idx, k
    return unit, s_idx, e_idx


def _qualifier(tokens, s_idx) -> str:
    for back in (1, 2):
        if s_idx - back >= 0:
            low = tokens[s_idx - back].lower_
            if low in _APPROX:
                return _APPROX[low]
    return ""
