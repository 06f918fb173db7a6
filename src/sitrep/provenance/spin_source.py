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
the original into the spun text.  The pairs are therefore counted both ways;
when the reverse direction (source word an early synonym of the published
word) explains at least as many pairs, the published text is judged the
original and left alone.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from sitrep.model import SpinMark, SpinResult
from sitrep.provenance import langmodel as L
from sitrep.provenance.spin import SPUN_MIN_MARKS, SPUN_MIN_SCORE, _recase, apply_marks
from sitrep.synth.thesaurus import Thesaurus, default_thesaurus

PAIR_CONFIDENCE = 0.99
PASSAGE_CONFIDENCE = 0.8
MAX_REPLACED_RUN = 3  # unexplained swaps beyond this run length are rewrites
MAX_ALIGNED_RUN = 40  # thesaurus pairs are trusted in runs up to this length
SYNONYM_RANKS = 3


@lru_cache(maxsize=1 << 16)
def _early_synonyms(th: Thesaurus, word: str) -> frozenset[str]:
    return frozenset(s.lower() for s in th.synonyms(word)[: SYNONYM_RANKS * 4])


def _words(text: str) -> list[tuple[str, int, int]]:
    return [t for t in L.lm_token_spans(text) if t[0] != L.BOS]


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


def restore_with_source(text: str, source: str, document_id: str = "",
                        thesaurus: Thesaurus | None = None) -> SpinResult:
    """Undo the word substitutions of ``text`` against ``source``; method "alignment"."""
    th = thesaurus or default_thesaurus()
    pub = _words(text)
    pairs = _pairs(_words(source), pub)
    forward = [(s, p) for s, p, _ in pairs if p[0] in _early_synonyms(th, s[0])]
    backward = [(s, p) for s, p, _ in pairs if s[0] in _early_synonyms(th, p[0])]
    words = sum(1 for t, _, _ in pub if t[0].isalnum())
    if not forward or len(backward) >= len(forward) or not words:
        return SpinResult(document_id, 0.0, False, [], None, "none")
    strong = {id(p) for _, p in forward}
    marks = []
    for s, p, enclosed in pairs:
        if id(p) not in strong and not enclosed:
            continue  # a lone swap at the edge of a rewritten stretch: not evidence enough
        published = text[p[1] : p[2]]
        original = source[s[1] : s[2]]
        if original[:1].isupper() != published[:1].isupper():
            original = _recase(original.lower(), published)
        conf = PAIR_CONFIDENCE if id(p) in strong else PASSAGE_CONFIDENCE
        marks.append(SpinMark(p[1], p[2], published, original, conf, "alignment"))
    score = len(forward) / words
    spun = score >= SPUN_MIN_SCORE and len(forward) >= SPUN_MIN_MARKS
    if not spun:
        return SpinResult(document_id, score, False, [], None, "none")
    return SpinResult(document_id, score, True, marks, apply_marks(text, marks), "alignment")
