"""Detect word-spun text and restore it without a source (noisy-channel decoding).

Article spinners replace words by the first synonym a thesaurus lists, blind to
context: "in" becomes "successful", "he" "helium", "summit" "acme" (the
"tortured phrases" of Cabanac, Labbé & Magazinov 2021, arXiv:2107.06751).
Because the replacement is (nearly) a function of the original word, the
spinner can be inverted as a noisy channel (Shannon 1948; as in spelling
correction, Kernighan, Church & Gale 1990, and Brill & Moore 2000):

    original w  --spinner-->  published t,   P(t | w) = r        if t = first synonym of w
                                                       r * alt  if t = 2nd/3rd synonym (other spinners)
                                                       1 - r    if t = w and w has a synonym

where ``r`` is the document's spin rate.  The candidates for a published token
``t`` are the words whose early thesaurus synonym is ``t`` (the thesaurus read
backwards) plus ``t`` itself.  A trigram language model
(:mod:`sitrep.provenance.langmodel`) scores each candidate in its context,
left and right; the sequence is decoded by iterated conditional modes (Besag
1986) in two interleaved halves, so neighbouring candidates never move at once,
and ``r`` is re-estimated after each sweep (an EM-style update).

When the n-grams judge a document spun, the slots they leave in doubt (best
option below 0.99 posterior) are weighed again by a small neural causal LM
shipped in a PyPI wheel (:class:`sitrep.provenance.langmodel.NeuralLM`):
``log P(option + right context | left context)`` in the text as currently
read, plus the channel and a share of the n-gram posterior (a rescoring pass,
as in n-best rescoring for speech recognition, Schwartz & Chow 1990).

A word is rewritten only when its posterior passes a high threshold:
precision first, since rewriting an honest document is worse than leaving a
spun one partly spun.  A document judged not spun is never changed.

A cheap first pass clears ordinary text: it counts "tell-tale" tokens — words
that are the first synonym of a much more frequent word ("helium",
"astatine", "arsenic", "successful") — each weighted by how much likelier
spinning makes it, and only documents with enough of them are decoded.

The marks are the offset map between the published and the restored text:
:func:`to_restored` and :func:`to_published` translate character offsets.
"""

from __future__ import annotations

import math
import os
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from sitrep.model import SpinMark, SpinResult
from sitrep.provenance import langmodel as L
from sitrep.synth.thesaurus import Thesaurus, default_thesaurus

# A usable single-word synonym, as spinners pick them (no spaces or dots).
_SYNONYM = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_OPENERS = {'"', "("}

EARLY_RANKS = 3  # synonyms a spinner may pick: the first, sometimes the next two
ALT_CHANNEL = 0.03  # P(2nd/3rd synonym) relative to the first: rare but real
MAX_ALTS_FIRST = 6  # candidates kept per token whose first synonym it is
MAX_ALTS_LATER = 2
SWEEPS = 4
INITIAL_RATE = 0.3
CHANGE_POSTERIOR = 0.9  # rewrite a word only above this posterior (n-grams alone)
CHANGE_POSTERIOR_NEURAL = 0.8  # the same once the neural model has weighed the doubtful slots
DETECT_POSTERIOR = 0.9  # mark a word substituted (even unrestored) above this
SPUN_MIN_SCORE = 0.03  # share of words substituted for a document to count as spun
SPUN_MIN_MARKS = 5
TELLTALE_RATIO = 10.0  # source word this many times more frequent than the token
SCREEN_MIN = 0.04  # weighted tell-tale tokens per word below which a text is cleared
UNCERTAIN = 0.99  # slots whose best option has less n-gram posterior go to the neural model
NEURAL_OPTIONS = 3  # options rescored per slot (the published word and the best two)
NGRAM_WEIGHT = 0.6  # weight of the n-gram log posterior beside the neural score
LEFT_CHARS = 90
RIGHT_CHARS = 30


@dataclass(frozen=True)
class SpinLexicon:
    """The thesaurus read as a spinner would use it, forwards and backwards."""

    sources: dict[str, tuple[tuple[str, int], ...]]  # token -> ((original, rank), ...)
    eligible: frozenset[str]  # words a spinner could replace (they have a synonym)
    telltale: dict[str, float]  # token much rarer than a word it stands for -> evidence weight

    @classmethod
    def from_thesaurus(cls, th: Thesaurus) -> "SpinLexicon":
        sources: dict[str, list[tuple[str, int]]] = {}
        eligible = set()
        for head in th.headwords():
            if not (head.isalpha() and head.islower()):
                continue  # spinners only replace plain lowercase-able words
            cands = [s for s in th.synonyms(head) if _SYNONYM.fullmatch(s)][:EARLY_RANKS]
            if not cands:
                continue
            eligible.add(head)
            seen = set()
            for rank, c in enumerate(cands):
                low = c.lower()
                if low != head and low not in seen:
                    seen.add(low)
                    sources.setdefault(low, []).append((head, rank))
        frozen = {t: tuple(_prune(v)) for t, v in sources.items()}
        telltale = {}
        for t, v in frozen.items():
            top = max((L.wordfreq_prob(w) for w, rank in v if rank == 0), default=0.0)
            if top >= TELLTALE_RATIO * L.wordfreq_prob(t):
                # How much likelier the token gets in a text spun at a typical
                # rate: "helium" (for "he") weighs far more than "past" (for "by").
                telltale[t] = math.log1p(INITIAL_RATE * top / L.wordfreq_prob(t))
        return cls(frozen, frozenset(eligible), telltale)


def _prune(cands: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Keep the most frequent candidates per rank class: rare headwords almost never occur."""
    first = sorted((c for c in cands if c[1] == 0), key=lambda c: -L.wordfreq_prob(c[0]))
    later = sorted((c for c in cands if c[1] > 0), key=lambda c: -L.wordfreq_prob(c[0]))
    return first[:MAX_ALTS_FIRST] + later[:MAX_ALTS_LATER]


_lexicon: SpinLexicon | None = None


def default_lexicon() -> SpinLexicon:
    global _lexicon
    if _lexicon is None:
        _lexicon = SpinLexicon.from_thesaurus(default_thesaurus())
    return _lexicon


_base_lm: L.NGramLM | None = None


def default_lm() -> L.NGramLM:
    """The base model (WordNet glosses + wordfreq), loaded once per process."""
    global _base_lm
    if _base_lm is None:
        _base_lm = L.NGramLM(L.load_base())
    return _base_lm


# -- tokens -------------------------------------------------------------------


@dataclass(frozen=True)
class _Slot:
    """A published token that may be a substitution, and what it may stand for."""

    index: int  # in the LM token sequence
    start: int
    end: int
    alts: tuple[tuple[str, int], ...]  # (original candidate, synonym rank)


def _case_ok(word: str, sentence_start: bool) -> bool:
    # Spinners re-case replacements to the original's pattern: lowercase, or
    # Title at a sentence start; a capital mid-sentence is a name, never spun.
    if not any(ch.isupper() for ch in word):
        return True
    return sentence_start and word[0].isupper() and not any(ch.isupper() for ch in word[1:])


def merge_compounds(text: str, toks: list[tuple[str, int, int]], lex: SpinLexicon) -> list[tuple[str, int, int]]:
    """Join hyphenated pieces into one token where the compound is a spinner's output.

    Spinners put hyphenated synonyms in one slot ("middle" -> "in-between",
    "new" -> "brand-new"); the LM splits hyphens, so such a compound is put
    back together to be weighed against the single word it may stand for.
    """
    out, i = [], 0
    while i < len(toks):
        best = None
        j = i
        while j + 2 < len(toks) and toks[j + 1][0] == "-" and toks[j + 2][1] == toks[j + 1][2] \
                and toks[j + 1][1] == toks[j][2]:
            j += 2
            joined = text[toks[i][1] : toks[j][2]].lower()
            if joined in lex.sources:
                best = (joined, toks[i][1], toks[j][2], j)
        if best:
            out.append(best[:3])
            i = best[3] + 1
        else:
            out.append(toks[i])
            i += 1
    return out


def _slots(text: str, toks: list[tuple[str, int, int]], lex: SpinLexicon) -> list[_Slot]:
    out = []
    prev = L.BOS
    for i, (tok, start, end) in enumerate(toks):
        # The piece after an apostrophe ("'s", "'t") is a clitic, not a word.
        if tok in lex.sources and prev != "'" and _case_ok(text[start:end], prev in (L.BOS, ":")):
            out.append(_Slot(i, start, end, lex.sources[tok]))
        if tok not in _OPENERS:
            prev = tok
    return out


def _word_count(toks) -> int:
    return sum(1 for t, _, _ in toks if t[0].isalnum())


def screen_score(text: str, lex: SpinLexicon | None = None) -> float:
    """The cheap first pass: weighted tell-tale tokens per word."""
    lex = lex or default_lexicon()
    return _screen(L.lm_token_spans(text), lex)


def _screen(toks, lex: SpinLexicon) -> float:
    words = _word_count(toks)
    weights = lex.telltale
    return sum(weights.get(t, 0.0) for t, _, _ in toks) / words if words else 0.0


# -- decoding -----------------------------------------------------------------


def _windows(h: list[str], i: int, word: str) -> list[tuple[str, str, str]]:
    """The trigrams whose probability changes when ``h[i]`` becomes ``word``."""
    grams = []
    for j in range(i, min(i + L.ORDER, len(h))):
        g = []
        for m in range(j - L.ORDER + 1, j + 1):
            g.append(word if m == i else (h[m] if m >= 0 else L.BOS))
        grams.append(tuple(g))
    return grams


def _channel(word: str, rank: int, published: str, rate: float, lex: SpinLexicon) -> float:
    if rank < 0:  # keep the published word
        return math.log1p(-rate) if published in lex.eligible else 0.0
    return math.log(rate) + (0.0 if rank == 0 else math.log(ALT_CHANNEL))


def decode(
    toks: list[tuple[str, int, int]],
    slots: list[_Slot],
    lm: L.NGramLM,
    lex: SpinLexicon,
    rate: float = INITIAL_RATE,
    sweeps: int = SWEEPS,
) -> tuple[list[int], list[np.ndarray], float]:
    """Choose a candidate per slot: (chosen option, posteriors, final spin rate).

    Option 0 keeps the published word; option k > 0 is ``slot.alts[k-1]``.
    """
    h = [t for t, _, _ in toks]
    choice = [0] * len(slots)
    post: list[np.ndarray] = [np.ones(1)] * len(slots)
    for _ in range(sweeps):
        for parity in (0, 1):
            ks = range(parity, len(slots), 2)
            grams, owners = [], []
            for k in ks:
                s = slots[k]
                for o, word in enumerate([toks[s.index][0]] + [a for a, _ in s.alts]):
                    for g in _windows(h, s.index, word):
                        grams.append(g)
                        owners.append((k, o))
            if not grams:
                continue
            lp = lm.logprob(grams)
            scores: dict[int, np.ndarray] = {}
            for (k, o), v in zip(owners, lp):
                arr = scores.setdefault(k, np.zeros(len(slots[k].alts) + 1))
                arr[o] += v
            for k, arr in scores.items():
                s = slots[k]
                pub = toks[s.index][0]
                arr[0] += _channel(pub, -1, pub, rate, lex)
                for o, (word, rank) in enumerate(s.alts, start=1):
                    arr[o] += _channel(word, rank, pub, rate, lex)
                p = np.exp(arr - arr.max())
                p /= p.sum()
                post[k] = p
                choice[k] = int(p.argmax())
                h[s.index] = pub if choice[k] == 0 else s.alts[choice[k] - 1][0]
        rate = _estimate_rate(h, post, lex)
    return choice, post, rate


def _estimate_rate(h: list[str], post: list[np.ndarray], lex: SpinLexicon) -> float:
    # Expected substitutions over the words the original could have had replaced.
    changed = sum(1.0 - p[0] for p in post)
    eligible = sum(1 for w in h if w in lex.eligible)
    return float(min(max((changed + 1.0) / (eligible + 10.0), 0.01), 0.7))


# -- neural rescoring -----------------------------------------------------------


def _hypothesis(text: str, slots: list[_Slot], choice: list[int], post: list[np.ndarray]):
    """The text with each slot's likely reading, and each slot's span in it."""
    parts, spans, last, shift = [], [], 0, 0
    for s, c, p in zip(slots, choice, post):
        published = text[s.start : s.end]
        word = _recase(s.alts[c - 1][0], published) if c > 0 and p[c] >= 0.5 else published
        parts.append(text[last : s.start])
        parts.append(word)
        start = s.start + shift
        spans.append((start, start + len(word)))
        shift += len(word) - (s.end - s.start)
        last = s.end
    parts.append(text[last:])
    return "".join(parts), spans


def _context(hyp: str, start: int, end: int) -> tuple[str, str, str]:
    """(left context, the gap before the word, right context) around ``hyp[start:end]``."""
    a = max(0, start - LEFT_CHARS)
    left = hyp[a:start]
    if a > 0 and " " in left:
        left = left[left.index(" ") + 1 :]  # start on a word boundary
    core = left.rstrip()
    gap = left[len(core) :]
    right = hyp[end : end + RIGHT_CHARS]
    if end + RIGHT_CHARS < len(hyp) and " " in right:
        right = right[: right.rindex(" ")]
    return core, gap, right


def rescore(text: str, slots: list[_Slot], choice: list[int], post: list[np.ndarray],
            rate: float, neural: L.NeuralLM, lex: SpinLexicon,
            uncertain: float = UNCERTAIN) -> tuple[list[int], list[np.ndarray]]:
    """Re-weigh the options of slots the n-grams left uncertain with the neural model.

    Each option is scored as ``log P(option + right context | left context)``
    in the text as currently read, plus its channel probability and a share
    of its n-gram posterior; the options' joint mass is kept, so options not
    rescored keep theirs.
    """
    hyp, spans = _hypothesis(text, slots, choice, post)
    items, owners = [], []
    for k, (s, p) in enumerate(zip(slots, post)):
        if p.max() >= uncertain:
            continue
        published = text[s.start : s.end]
        left, gap, right = _context(hyp, *spans[k])
        options = [0] + [int(o) for o in np.argsort(-p[1:])[: NEURAL_OPTIONS - 1] + 1]
        for o in options:
            word = published if o == 0 else _recase(s.alts[o - 1][0], published)
            items.append((left, gap + word + right))
            owners.append((k, o))
    if not items:
        return choice, post
    lp = neural.score(items)
    by_slot: dict[int, list[tuple[int, float]]] = {}
    for (k, o), v in zip(owners, lp):
        by_slot.setdefault(k, []).append((o, v))
    choice, post = list(choice), list(post)
    for k, scored in by_slot.items():
        s, p = slots[k], post[k].copy()
        pub = text[s.start : s.end].lower()
        opts = [o for o, _ in scored]
        total = []
        for o, v in scored:
            word, rank = (pub, -1) if o == 0 else s.alts[o - 1]
            chan = _channel(word, rank, pub, rate, lex)
            total.append(v + chan + NGRAM_WEIGHT * math.log(max(p[o], 1e-12)))
        q = np.exp(np.array(total) - max(total))
        q = q / q.sum() * p[opts].sum()
        p[opts] = q
        post[k] = p
        choice[k] = int(p.argmax())
    return choice, post


# -- the detector ---------------------------------------------------------------


def _recase(word: str, like: str) -> str:
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


class SpinDetector:
    """Flags spun documents and undoes their substitutions with a thesaurus and a language model."""

    def __init__(self, lexicon: SpinLexicon | None = None, lm: L.NGramLM | None = None,
                 neural: bool | L.NeuralLM = True,
                 change_posterior: float | None = None, spun_min_score: float = SPUN_MIN_SCORE):
        """``neural``: a :class:`~sitrep.provenance.langmodel.NeuralLM`, True to load the
        packaged one when a spun document needs it (fails loudly when it is not
        installed), or False for n-grams only."""
        self.lexicon = lexicon or default_lexicon()
        self._lm = lm
        self._neural = neural
        if change_posterior is None:
            change_posterior = CHANGE_POSTERIOR if neural is False else CHANGE_POSTERIOR_NEURAL
        self.change_posterior = change_posterior
        self.spun_min_score = spun_min_score

    @property
    def lm(self) -> L.NGramLM:
        if self._lm is None:
            self._lm = default_lm()
        return self._lm

    def detect(self, text: str, document_id: str = "", lm: L.NGramLM | None = None,
               screen: bool = True, force: bool = False) -> SpinResult:
        """Judge ``text``; restore it when spun.

        ``lm`` overrides the detector's model (e.g. one that adds the pile's other
        documents). ``screen=False`` skips the cheap first pass; ``force=True``
        returns the decoded marks even when the document is judged not spun
        (for measurements: the pipeline never rewrites a document judged clean).
        """
        lex = self.lexicon
        toks = merge_compounds(text, L.lm_token_spans(text), lex)
        words = _word_count(toks)
        if screen and not force and _screen(toks, lex) < SCREEN_MIN:
            return SpinResult(document_id, 0.0, False, [], None, "none")
        slots = _slots(text, toks, lex)
        choice, post, rate = decode(toks, slots, lm or self.lm, lex)
        if self._neural is not False and (force or self._judge(text, slots, choice, post, words)[1]):
            neural = L.load_neural() if self._neural is True else self._neural
            choice, post = rescore(text, slots, choice, post, rate, neural, lex)
        marks, spun = self._judge(text, slots, choice, post, words)
        score = len(marks) / words if words else 0.0
        if not spun and not force:
            return SpinResult(document_id, score, False, [], None, "none")
        return SpinResult(document_id, score, spun, marks, apply_marks(text, marks), "thesaurus")

    def _judge(self, text, slots, choice, post, words) -> tuple[list[SpinMark], bool]:
        """The marks the posteriors support, and whether they make the document spun."""
        marks = []
        for s, c, p in zip(slots, choice, post):
            published = text[s.start : s.end]
            if c > 0 and p[c] >= self.change_posterior:
                marks.append(SpinMark(s.start, s.end, published, _recase(s.alts[c - 1][0], published),
                                      round(float(p[c]), 4), "thesaurus"))
            elif 1.0 - p[0] >= DETECT_POSTERIOR:
                marks.append(SpinMark(s.start, s.end, published, "", round(float(1.0 - p[0]), 4), "thesaurus"))
        score = len(marks) / words if words else 0.0
        return marks, score >= self.spun_min_score and len(marks) >= SPUN_MIN_MARKS


@lru_cache(maxsize=1)
def default_detector() -> SpinDetector:
    """The pipeline's detector. ``SITREP_SPIN_NEURAL=0`` turns the neural rescorer
    off explicitly (n-grams only); otherwise a missing model fails loudly."""
    return SpinDetector(neural=os.environ.get("SITREP_SPIN_NEURAL", "1") != "0")


def detect_spin(text: str, document_id: str = "") -> SpinResult:
    """Per-document stage: judge and (when spun) restore ``text`` with the default models."""
    return default_detector().detect(text, document_id)


# -- offsets ------------------------------------------------------------------


def apply_marks(text: str, marks: list[SpinMark]) -> str:
    """The text with every mark that has a restoration replaced by it."""
    parts, last = [], 0
    for m in sorted(marks, key=lambda m: m.start):
        if not m.restored:
            continue
        parts.append(text[last : m.start])
        parts.append(m.restored)
        last = m.end
    parts.append(text[last:])
    return "".join(parts)


def _edits(marks: list[SpinMark]) -> list[tuple[int, int, int, int]]:
    """(published start, published end, restored start, restored end) per restored mark."""
    out, shift = [], 0
    for m in sorted(marks, key=lambda m: m.start):
        if not m.restored:
            continue
        out.append((m.start, m.end, m.start + shift, m.start + shift + len(m.restored)))
        shift += len(m.restored) - (m.end - m.start)
    return out


def _translate(edits, offset: int, src: int, dst: int) -> int:
    """Map ``offset`` from one side of the edits to the other (src/dst pick the columns)."""
    starts = [e[src] for e in edits]
    k = bisect_right(starts, offset) - 1
    if k < 0:
        return offset
    e = edits[k]
    s0, s1, d0, d1 = e[src], e[src + 1], e[dst], e[dst + 1]
    if offset < s1:  # inside a replaced word: keep the position within it, clipped
        return d0 + min(offset - s0, d1 - d0)
    return offset - s1 + d1


def to_restored(marks: list[SpinMark], offset: int) -> int:
    """Offset in the restored text of published-text ``offset``."""
    return _translate(_edits(marks), offset, 0, 2)


def to_published(marks: list[SpinMark], offset: int) -> int:
    """Offset in the published text of restored-text ``offset``."""
    return _translate(_edits(marks), offset, 2, 0)


def published_mapper(marks: list[SpinMark]):
    """A function mapping restored-text offsets to published-text offsets
    (:func:`to_published` with the edit table built once, for many spans)."""
    edits = _edits(marks)
    return lambda offset: _translate(edits, offset, 2, 0)
