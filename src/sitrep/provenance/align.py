"""Passage alignment: which sentences of a copy come from which of its origin, and how.

Given an origin text and a copy, this computes a sentence-level alignment and
groups it into :class:`~sitrep.model.Passage` stretches (character offsets into
each text), each with a kind:

``verbatim``    the same words (case, punctuation and quote style aside);
``spun``        the same sentence with several single words swapped at the same
                positions and nothing inserted or deleted: the footprint of a
                synonym spinner (Cabanac, Labbé & Magazinov 2021, "Tortured
                phrases", arXiv:2107.06751);
``edited``      lexically close otherwise (words inserted, dropped, changed);
``paraphrase``  low word overlap but close meaning: cosine of sentence vectors
                (Sentence-BERT, Reimers & Gurevych 2019), only when an
                ``embed`` function is given.

From the alignment follow the document-level facts the derivation graph needs:
coverage both ways (share of each text's sentence characters that the other
accounts for), which origin sentences are absent from the copy (trimming), how
far the copy keeps the origin's order (longest increasing subsequence of the
matched origin indices, as in patience-diff alignment), and the word
substitutions seen.

Method.  Sentences are cut by a regular-expression splitter (lines first, then
sentence ends; common abbreviations are not ends).  Each copy sentence is
compared with every origin sentence by the token-level Indel similarity (the
normalised longest common subsequence of their word sequences, computed by
rapidfuzz on words mapped to single code points); its best origin sentence
above ``lexical_threshold`` is its source, also trying the best sentence joined
with a neighbour, which catches two origin sentences merged into one.  The
Levenshtein edit script of a matched pair separates same-position substitutions
(spin) from insertions and deletions (editing).  Copy sentences left over are
then matched by vector cosine to origin sentences that no word match claimed,
if ``embed`` is given: at or above ``SURE_SEMANTIC``, or at or above
``semantic_threshold`` when the two are each other's best match and share a
content word.  Many copy sentences may come from one origin sentence (a split).

Cost: one m×n similarity matrix per pair (rapidfuzz, C++), plus one embedding
of the unmatched sentences when ``embed`` is given.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Indel, Levenshtein

from sitrep.model import Passage

VERBATIM, SPUN, EDITED, PARAPHRASE = "verbatim", "spun", "edited", "paraphrase"

LEXICAL_THRESHOLD = 0.5  # unrelated same-topic news sentences score ~0.1-0.35
SEMANTIC_THRESHOLD = 0.65  # MiniLM cosine; rewritten sentences score ~0.65-0.95
SURE_SEMANTIC = 0.8  # above this a meaning match needs no mutual-best or shared-word support
MIN_TOKENS = 4  # shorter sentences only match when identical

Span = tuple[int, int]
EmbedFn = Callable[[Sequence[str]], np.ndarray]

# -- sentences and tokens -----------------------------------------------------------

_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "reps", "gov", "gen", "col", "lt", "sgt",
    "capt", "cmdr", "adm", "st", "jr", "sr", "vs", "no", "inc", "corp", "co", "ltd", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft",
    "rev", "hon", "pres", "gop", "dept", "univ", "ave", "blvd", "fig", "approx", "etc",
}
# A sentence end: terminal punctuation, closing quotes/brackets, space, then a
# capital, digit or opening quote.
_END = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+(?=[\"'“‘«(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)[.!?…]*[\"'”’»)\]]*\s*$")
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _is_abbreviation(text: str, end: int) -> bool:
    m = _WORD_BEFORE.search(text, max(0, end - 20), end)
    if not m:
        return False
    word = m.group(1).rstrip(".").lower()
    # Initials ("J.", "U.S.") and listed titles do not end sentences.
    return word in _ABBREV or len(word.replace(".", "")) <= 1 or "." in word


def sentences(text: str) -> list[Span]:
    """Character spans of the sentences of ``text``: lines first, then sentence ends."""
    spans: list[Span] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for m in _END.finditer(text, line.start(), line.end()):
            if _is_abbreviation(text, m.start() + 1):
                continue
            spans.append((start, m.end()))
            start = m.end()
        spans.append((start, line.end()))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def tokens(sentence: str) -> list[str]:
    """Lower-case word tokens; curly apostrophes made straight."""
    return [t.replace("’", "'") for t in _TOKEN.findall(sentence.lower())]


# -- result ---------------------------------------------------------------------------


@dataclass
class SentenceMatch:
    copy_index: int
    origin_indices: tuple[int, ...]  # one, or two when the copy merged two origin sentences
    kind: str
    similarity: float


@dataclass
class Alignment:
    """The alignment of a copy to its origin."""

    passages: list[Passage]
    coverage_origin: float  # share of the origin's sentence characters found in the copy
    coverage_copy: float  # share of the copy's sentence characters that come from the origin
    order: float  # share of matched copy sentences that keep the origin's order (1 = same order)
    kinds: dict[str, float]  # share of the copy's sentence characters per passage kind
    substitutions: list[tuple[str, str]]  # (origin word, copy word) swapped in place
    origin_sentences: list[Span] = field(default_factory=list)
    copy_sentences: list[Span] = field(default_factory=list)
    origin_covered: list[bool] = field(default_factory=list)
    copy_covered: list[bool] = field(default_factory=list)
    matches: list[SentenceMatch] = field(default_factory=list)

    @property
    def shared_chars(self) -> int:
        """Characters of the copy's sentences that come from the origin."""
        return sum(e - s for (s, e), c in zip(self.copy_sentences, self.copy_covered) if c)

    @property
    def absent_origin(self) -> list[int]:
        """Indices of origin sentences that the copy leaves out."""
        return [i for i, c in enumerate(self.origin_covered) if not c]


# -- alignment --------------------------------------------------------------------------


def _encode(token_lists: list[list[str]], vocab: dict[str, str]) -> list[str]:
    # One code point per word turns rapidfuzz's string metrics into word-level metrics.
    out = []
    for toks in token_lists:
        out.append("".join(vocab.setdefault(t, chr(0x100 + len(vocab))) for t in toks))
    return out


def _edit_profile(a: str, b: str) -> tuple[int, int, list[tuple[int, int]]]:
    """(substituted tokens, inserted+deleted tokens, substituted index pairs) from a to b."""
    subs, indels, pairs = 0, 0, []
    for op in Levenshtein.opcodes(a, b):
        if op.tag == "replace":
            subs += op.src_end - op.src_start
            pairs.extend(zip(range(op.src_start, op.src_end), range(op.dest_start, op.dest_end)))
        elif op.tag in ("insert", "delete"):
            indels += max(op.src_end - op.src_start, op.dest_end - op.dest_start)
    return subs, indels, pairs


def _lexical_kind(a: str, b: str) -> tuple[str, list[tuple[int, int]]]:
    if a == b:
        return VERBATIM, []
    subs, indels, pairs = _edit_profile(a, b)
    n = max(len(a), len(b))
    # A spinner swaps words in place: several substitutions, nothing inserted or dropped.
    if indels <= 1 and subs >= 2 and subs >= 0.08 * n:
        return SPUN, pairs
    return EDITED, pairs if indels == 0 else []


def _lis_length(seq: list[int]) -> int:
    tails: list[int] = []
    for x in seq:
        k = bisect.bisect_right(tails, x)
        if k == len(tails):
            tails.append(x)
        else:
            tails[k] = x
    return len(tails)


def align(
    origin: str,
    copy: str,
    embed: EmbedFn | None = None,
    lexical_threshold: float = LEXICAL_THRESHOLD,
    semantic_threshold: float = SEMANTIC_THRESHOLD,
) -> Alignment:
    """Align ``copy`` to ``origin``; see the module docstring for the method."""
    o_spans, c_spans = sentences(origin), sentences(copy)
    o_tok = [tokens(origin[s:e]) for s, e in o_spans]
    c_tok = [tokens(copy[s:e]) for s, e in c_spans]
    vocab: dict[str, str] = {}
    o_enc, c_enc = _encode(o_tok, vocab), _encode(c_tok, vocab)

    matches: dict[int, SentenceMatch] = {}
    subs_all: list[tuple[str, str]] = []
    if o_enc and c_enc:
        sim = process.cdist(
            c_enc, o_enc, scorer=Indel.normalized_similarity, score_cutoff=lexical_threshold,
            dtype=np.float32, workers=1,
        )
        expect = 0
        for i, row in enumerate(sim):
            m = _lexical_match(i, row, c_enc, o_enc, c_tok, o_tok, lexical_threshold, subs_all, expect)
            if m:
                matches[i] = m
                expect = m.origin_indices[-1] + 1
    if embed is not None and o_enc and len(matches) < len(c_enc):
        _semantic_matches(
            origin, copy, o_spans, c_spans, o_tok, c_tok, matches, embed, semantic_threshold
        )
    return _summarise(o_spans, c_spans, matches, subs_all)


def _lexical_match(i, row, c_enc, o_enc, c_tok, o_tok, threshold, subs_out, expect=0) -> SentenceMatch | None:
    score = float(row.max())
    # A sentence printed twice in the origin: take the occurrence nearest the expected place.
    ties = np.flatnonzero(row >= score - 1e-6)
    j = int(ties[np.argmin(np.abs(ties - expect))])
    if score < threshold:
        return None
    a, b = o_enc[j], c_enc[i]
    if min(len(a), len(b)) < MIN_TOKENS and a != b:
        return None
    indices: tuple[int, ...] = (j,)
    if score < 0.95:
        # The copy may have merged this origin sentence with a neighbour.
        for pair in ((j - 1, j), (j, j + 1)):
            if pair[0] < 0 or pair[1] >= len(o_enc):
                continue
            joined = o_enc[pair[0]] + o_enc[pair[1]]
            s2 = Indel.normalized_similarity(joined, b)
            if s2 > score + 0.05:
                score, indices, a = s2, pair, joined
    kind, pairs = _lexical_kind(a, b)
    if kind in (SPUN, EDITED) and pairs:
        a_tok = [t for k in indices for t in o_tok[k]]
        subs_out.extend((a_tok[p], c_tok[i][q]) for p, q in pairs)
    return SentenceMatch(i, indices, kind, 1.0 if kind == VERBATIM else score)


_STOP = frozenset(
    "a an the and or but of in on at to for from by with as is are was were be been it its this that "
    "these those he she they we i you his her their our not no so if than then there here who whom "
    "which what when where why how said says say will would can could has have had do does did".split()
)


def _content(toks: list[str]) -> set[str]:
    return {t for t in toks if len(t) > 2 and t not in _STOP}


def _semantic_matches(origin, copy, o_spans, c_spans, o_tok, c_tok, matches, embed, threshold):
    todo = [i for i in range(len(c_spans)) if i not in matches and len(c_tok[i]) >= MIN_TOKENS]
    # Only origin sentences no word match claimed: bounds the model cost of a
    # near-verbatim copy to its few changed sentences.
    taken = {j for m in matches.values() for j in m.origin_indices}
    o_idx = [j for j in range(len(o_spans)) if j not in taken and len(o_tok[j]) >= MIN_TOKENS]
    if not todo or not o_idx:
        return
    vc = embed([copy[c_spans[i][0]:c_spans[i][1]] for i in todo])
    vo = embed([origin[o_spans[j][0]:o_spans[j][1]] for j in o_idx])
    cos = vc @ vo.T
    best_for_origin = cos.argmax(axis=0)
    for r, i in enumerate(todo):
        k = int(np.argmax(cos[r]))
        score = float(cos[r, k])
        j = o_idx[k]
        if score < threshold:
            continue
        # Sentences on the same topic come close in meaning too: below SURE_SEMANTIC a
        # match must be mutual (each the other's best) and share a content word
        # (a name, a number), as a rewrite does.
        if score >= SURE_SEMANTIC or (best_for_origin[k] == r and _content(c_tok[i]) & _content(o_tok[j])):
            matches[i] = SentenceMatch(i, (j,), PARAPHRASE, score)


def _summarise(o_spans, c_spans, matches, subs) -> Alignment:
    o_len = [e - s for s, e in o_spans]
    c_len = [e - s for s, e in c_spans]
    o_cov = [False] * len(o_spans)
    c_cov = [False] * len(c_spans)
    kinds: dict[str, float] = {}
    for i, m in matches.items():
        c_cov[i] = True
        for j in m.origin_indices:
            o_cov[j] = True
        kinds[m.kind] = kinds.get(m.kind, 0.0) + c_len[i]
    c_total, o_total = sum(c_len) or 1, sum(o_len) or 1
    ordered = [matches[i] for i in sorted(matches)]
    seq = [m.origin_indices[0] for m in ordered]
    return Alignment(
        passages=_passages(o_spans, c_spans, ordered),
        coverage_origin=sum(n for n, c in zip(o_len, o_cov) if c) / o_total,
        coverage_copy=sum(n for n, c in zip(c_len, c_cov) if c) / c_total,
        order=_lis_length(seq) / len(seq) if seq else 1.0,
        kinds={k: v / c_total for k, v in sorted(kinds.items())},
        substitutions=subs,
        origin_sentences=o_spans,
        copy_sentences=c_spans,
        origin_covered=o_cov,
        copy_covered=c_cov,
        matches=ordered,
    )


def _passages(o_spans, c_spans, ordered: list[SentenceMatch]) -> list[Passage]:
    """Merge runs of consecutive copy sentences that follow consecutive origin sentences."""
    out: list[Passage] = []
    run: list[SentenceMatch] = []

    def flush():
        if not run:
            return
        o_lo = min(o_spans[j][0] for m in run for j in m.origin_indices)
        o_hi = max(o_spans[j][1] for m in run for j in m.origin_indices)
        weights = [c_spans[m.copy_index][1] - c_spans[m.copy_index][0] for m in run]
        sim = sum(w * m.similarity for w, m in zip(weights, run)) / (sum(weights) or 1)
        out.append(Passage(o_lo, o_hi, c_spans[run[0].copy_index][0], c_spans[run[-1].copy_index][1],
                           run[0].kind, round(sim, 4)))
        run.clear()

    for m in ordered:
        if run:
            prev = run[-1]
            follows = m.copy_index == prev.copy_index + 1 and (
                m.origin_indices[0] - prev.origin_indices[-1] in (0, 1)
            )
            if not (follows and m.kind == prev.kind):
                flush()
        run.append(m)
    flush()
    return out
