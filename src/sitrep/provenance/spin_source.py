"""Restore a spun copy by aligning it with its source (or a sibling copy).

When the derivation stage has found the text a spun copy was made from, the
substitutions need no guessing: align the two token sequences (Levenshtein
edit script over tokens, Levenshtein 1966, via rapidfuzz) and read each 1-1
replacement inside an aligned stretch as "source word → published word".
A replacement counts as a spinner substitution when the published word is one
of the source word's early thesaurus synonyms (the spinner's own move); other
1-1 replacements inside an aligned passage (short replaced runs between
matching tokens) are restored too, with a lower confidence.

Direction matters: aligning an original against its spun copy would "restore"
the original into the spun text.  The pairs are therefore counted both ways
as spinner moves (a word's first three single-word synonyms); on a tie the
side with the more frequent words is the original (spinners trade "he" for
"helium").  A published text judged the original is left alone.  Hyphenated
compounds are aligned whole and restored piece by piece ("advance-runner" →
"front-runner" changes only "advance").
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from sitrep.model import SpinMark, SpinResult
from sitrep.provenance import langmodel as L
from sitrep.provenance.spin import _recase, apply_marks
from sitrep.synth.thesaurus import Thesaurus, default_thesaurus

PAIR_CONFIDENCE = 0.99
PASSAGE_CONFIDENCE = 0.8
MAX_REPLACED_RUN = 3  # unexplained swaps beyond this run length are rewrites
MAX_ALIGNED_RUN = 40  # thesaurus pairs are trusted in runs up to this length
SYNONYM_RANKS = 3
# With the source in hand the evidence is direct: fewer swaps make a spun copy.
SOURCE_MIN_PAIRS = 3
SOURCE_MIN_SCORE = 0.01
_SINGLE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


@lru_cache(maxsize=1 << 16)
def _early_synonyms(th: Thesaurus, word: str) -> frozenset[str]:
    return frozenset(s.lower() for s in th.synonyms(word)[: SYNONYM_RANKS * 4])


def _words(text: str) -> list[tuple[str, int, int]]:
    """LM tokens without ``<s>``, hyphenated compounds joined back into one token."""
    out: list[tuple[str, int, int]] = []
    for tok, start, end in L.lm_token_spans(text):
        if tok == L.BOS:
            continue
        if len(out) >= 2 and out[-1][0] == "-" and out[-1][2] == start and out[-2][2] == out[-1][1] \
                and out[-2][0][0].isalnum() and tok[0].isalnum():
            head = out[-2]
            del out[-2:]
            out.append((head[0] + "-" + tok, head[1], end))
        else:
            out.append((tok, start, end))
    return out


@lru_cache(maxsize=1 << 16)
def _spinner_moves(th: Thesaurus, word: str) -> frozenset[str]:
    """What a spinner turns ``word`` into: its first few single-word synonyms."""
    return frozenset([s.lower() for s in th.synonyms(word) if _SINGLE.fullmatch(s)][:SYNONYM_RANKS])


def _is_spin_pair(th: Thesaurus, src: str, pub: str, moves=_early_synonyms) -> bool:
    """``pub`` is a synonym of ``src`` (``moves``), whole or piece by piece ("front-runner")."""
    if pub in moves(th, src):
        return True
    a, b = src.split("-"), pub.split("-")
    return len(a) == len(b) > 1 and all(x == y or y in moves(th, x) for x, y in zip(a, b))


def _direction(th: Thesaurus, pairs) -> int:
    """+1 when the pairs read source -> published as spinner moves, -1 the other way, 0 unclear.

    Counts the pairs that are a spinner's move in each direction; on a tie the
    more frequent side is the original (spinners trade common words for rarer
    ones: "he" -> "helium").
    """
    fwd = sum(1 for s, p, _ in pairs if _is_spin_pair(th, s[0], p[0], _spinner_moves))
    bwd = sum(1 for s, p, _ in pairs if _is_spin_pair(th, p[0], s[0], _spinner_moves))
    if fwd != bwd:
        return 1 if fwd > bwd else -1
    vote = sum((L.wordfreq_prob(s[0]) > L.wordfreq_prob(p[0])) - (L.wordfreq_prob(s[0]) < L.wordfreq_prob(p[0]))
               for s, p, _ in pairs)
    return (vote > 0) - (vote < 0)


def _pairs(src, pub):
    """(source token, published token, enclosed) per 1-1 replacement next to a matching stretch.

    ``enclosed`` is true when matching tokens stand on both sides of a short run.
    """
    a = [t for t, _, _ in src]
    b = [t for t, _, _ in pub]
    ops = Levenshtein.opcodes(a, b)
    out = []
    for k, op in enumerate(ops):
        if op.tag != "replace":
            continue
        n = op.src_end - op.src_start
        if n != op.dest_end - op.dest_start or n > MAX_ALIGNED_RUN:
            continue
        before = k == 0 or ops[k - 1].tag == "equal"
        after = k + 1 == len(ops) or ops[k + 1].tag == "equal"
        if not (before or after):
            continue
        for d in range(n):
            s, p = src[op.src_start + d], pub[op.dest_start + d]
            if s[0][0].isalnum() and p[0][0].isalnum():
                out.append((s, p, before and after and n <= MAX_REPLACED_RUN))
    return out


def _pieces(source: str, s, text: str, p):
    """Matching spans to restore: the whole tokens, or piece by piece for compounds
    of as many hyphenated parts (a spinner swaps "front" in "front-runner")."""
    a, b = source[s[1] : s[2]].split("-"), text[p[1] : p[2]].split("-")
    if len(a) != len(b) or len(a) == 1:
        return [((s[1], s[2]), (p[1], p[2]))]
    out, i, j = [], s[1], p[1]
    for x, y in zip(a, b):
        out.append(((i, i + len(x)), (j, j + len(y))))
        i, j = i + len(x) + 1, j + len(y) + 1
    return out


def restore_with_source(text: str, source: str, document_id: str = "",
                        thesaurus: Thesaurus | None = None) -> SpinResult:
    """Undo the word substitutions of ``text`` against ``source``; method "alignment"."""
    th = thesaurus or default_thesaurus()
    pub = _words(text)
    pairs = _pairs(_words(source), pub)
    forward = [(s, p) for s, p, _ in pairs if _is_spin_pair(th, s[0], p[0])]
    words = sum(1 for t, _, _ in pub if t[0].isalnum())
    if not forward or not words or _direction(th, pairs) <= 0:
        return SpinResult(document_id, 0.0, False, [], None, "none")
    strong = {id(p) for _, p in forward}
    marks = []
    for s, p, enclosed in pairs:
        if id(p) not in strong and not enclosed:
            continue  # a lone swap at the edge of a rewritten stretch: not evidence enough
        conf = PAIR_CONFIDENCE if id(p) in strong else PASSAGE_CONFIDENCE
        for (s0, s1), (p0, p1) in _pieces(source, s, text, p):
            published, original = text[p0:p1], source[s0:s1]
            if original[:1].isupper() != published[:1].isupper():
                original = _recase(original.lower(), published)
            if original != published:
                marks.append(SpinMark(p0, p1, published, original, conf, "alignment"))
    score = len(forward) / words
    spun = score >= SOURCE_MIN_SCORE and len(forward) >= SOURCE_MIN_PAIRS
    if not spun:
        return SpinResult(document_id, score, False, [], None, "none")
    return SpinResult(document_id, score, True, marks, apply_marks(text, marks), "alignment")
