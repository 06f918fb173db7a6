"""Word-bigram shingles of a text, hashed to 32-bit integers.

What it computes: the text is lower-cased and cut into word tokens (runs of
letters and digits; apostrophes and hyphens split); sentence punctuation
(``. ! ? ; : …``) and line breaks end a *run*. Each pair of adjacent tokens
within a run is one shingle (Broder 1997, "On the resemblance and containment
of documents": w-shingling with w = 2), hashed to an unsigned 32-bit integer.
The resemblance of two texts is the Jaccard index of their shingle sets, which
:mod:`sitrep.provenance.minhash` estimates.

Why these choices (exact Jaccard of shingle sets on the 40 real-spinner pairs
of bench/spin and all pairs of the 924 real, same-topic election articles of
PolNeAR; ``python bench/dedup.py --choices`` reproduces the numbers):

* **w = 2.** The spinner substitutes 13% (rate 0.3) to 24% (rate 0.6) of the
  word tokens, and a shingle survives only if all its tokens do. With bigrams
  a rate-0.3 spun copy keeps Jaccard 0.48-0.88 (median 0.57) to its origin;
  with trigrams 0.33-0.83 (median 0.47), below what banded LSH tuned for
  trimmed copies (J >= 0.4) reliably finds. Unrelated articles on the same
  topic stay low with bigrams (mean 0.009, 99th percentile 0.025).
* **Runs end at sentence punctuation**, so a copy with its sentences shuffled
  keeps every shingle.
* **Pairs of two function words are dropped** ("of the", "in a"): every English
  text has them, so they only raise the similarity of unrelated articles
  (mean 0.017 -> 0.009) and barely move that of copies (rate-0.3 median
  0.59 -> 0.57). The spinner changes function words too ("in" ->
  "successful"), so they stay in the token stream and in mixed pairs.

Hashing must give the same values in every process and run (signatures are
stored and compared across runs), so Python's salted ``hash`` is out. The
whole pipeline is vectorised over a batch of texts joined into one UTF-8
buffer, with no Python loop over tokens: a byte-class table finds tokens and
run ends; a token's bytes are read 8 at a time as little-endian integers
(through an unaligned view of the buffer) and masked to its length; token and
pair hashes are finished by the SplitMix64 mixer (Steele, Lea & Flood 2014,
"Fast splittable pseudorandom number generators"), whose top 32 bits are the
shingle value. Non-ASCII bytes count as letters (UTF-8 letters are
multi-byte), except the typographic punctuation of U+2000-U+207F (curly
quotes, dashes, the ellipsis) and U+00A0/U+00AB/U+00BB, which separate like
their ASCII kin.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

NGRAM = 2
BATCH_BYTES = 1 << 20  # texts are shingled in joined buffers of about this size

# English function words. Shingles made only of these are dropped (see above).
STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves said says s t
    """.split()
)

# Byte classes: separator, token byte, run end.
SEP, TOK, END = 0, 1, 2
_CLASS = np.zeros(256, dtype=np.uint8)
_CLASS[[*range(ord("0"), ord("9") + 1), *range(ord("a"), ord("z") + 1), *range(0x80, 0x100)]] = TOK
_CLASS[list(b".!?;:\n\r")] = END

_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [(1 << 64) - 1], dtype=np.uint64)
_LEN = np.uint64(0xD6E8FEB86659FD93)
_K_PAIR = np.uint64(0x9E3779B97F4A7C15)  # odd: multiplying by it is a bijection mod 2**64
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_S27, _S30, _S31, _S32 = (np.uint64(s) for s in (27, 30, 31, 32))
_PAD = bytes(8)  # after every buffer, so an 8-byte read at its last byte stays inside


def mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser, in place on a uint64 array: every input bit reaches
    every output bit, so the top 32 bits are a good hash."""
    x ^= x >> _S30
    x *= _MIX1
    x ^= x >> _S27
    x *= _MIX2
    x ^= x >> _S31
    return x


def _byte_classes(buf: np.ndarray) -> np.ndarray:
    cls = _CLASS[buf]
    # Typographic punctuation is E2 80 xx / E2 81 xx (U+2000-U+207F); the ellipsis
    # (E2 80 A6) ends a run. C2 A0 / AB / BB are no-break space and guillemets.
    lead = np.flatnonzero(buf[:-2] == 0xE2)
    lead = lead[(buf[lead + 1] == 0x80) | (buf[lead + 1] == 0x81)]
    ellipsis = (buf[lead + 1] == 0x80) & (buf[lead + 2] == 0xA6)
    for k in range(3):
        cls[lead + k] = np.where(ellipsis, END, SEP)
    c2 = np.flatnonzero(buf[:-1] == 0xC2)
    c2 = c2[np.isin(buf[c2 + 1], (0xA0, 0xAB, 0xBB))]
    cls[c2] = SEP
    cls[c2 + 1] = SEP
    return cls


def _tokens(buf: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tokens of a byte buffer: ``(hash uint64, start byte, run id)`` per token.

    ``buf`` must end with 8 zero bytes of padding (not part of the text), so an
    8-byte word can be read at any position.
    """
    cls = _byte_classes(buf[:-8])
    # True where a token starts and one past where it ends, alternately.
    bounds = np.flatnonzero(np.diff(cls == TOK, prepend=False, append=False))
    starts, lengths = bounds[0::2], bounds[1::2] - bounds[0::2]
    # Every byte position read as a little-endian uint64 (an unaligned, overlapping view):
    # a token's first 8 bytes are one gather and a mask, not a loop over its bytes.
    words = np.ndarray((len(buf) - 7,), dtype="<u8", buffer=buf, strides=(1,))
    h = words[starts] & _MASKS[np.minimum(lengths, 8)]
    long = np.flatnonzero(lengths > 8)
    k = 1
    while len(long):  # longer tokens: fold in their next 8 bytes
        more = words[starts[long] + 8 * k] & _MASKS[np.minimum(lengths[long] - 8 * k, 8)]
        h[long] = mix64(h[long] * _K_PAIR + more)
        k += 1
        long = long[lengths[long] > 8 * k]
    h += lengths.astype(np.uint64) * _LEN
    mix64(h)
    runs = np.searchsorted(np.flatnonzero(cls == END), starts)  # run ends before each token
    return h, starts, runs


def _stop_hashes() -> np.ndarray:
    words = sorted(STOPWORDS)
    h, _, _ = _tokens(np.frombuffer(" ".join(words).encode() + _PAD, dtype=np.uint8))
    if len(h) != len(words):
        raise AssertionError("every stopword must be one token")
    return np.sort(h)


_STOP = _stop_hashes()


def _shingle_buffer(buf: np.ndarray, ngram: int, stop_pairs: bool) -> tuple[np.ndarray, np.ndarray]:
    """Shingles of one joined buffer: ``(uint32 values, byte position of first token)``."""
    h, starts, runs = _tokens(buf)
    m = len(h) - ngram + 1
    if m <= 0:
        return np.empty(0, np.uint32), np.empty(0, np.int64)
    stop = _STOP[np.minimum(np.searchsorted(_STOP, h), len(_STOP) - 1)] == h
    ok = np.ones(m, dtype=bool)
    all_stop = stop[:m].copy()
    acc = h[:m].copy()
    for k in range(1, ngram):
        ok &= runs[k:k + m] == runs[:m]
        all_stop &= stop[k:k + m]
        acc *= _K_PAIR
        acc += h[k:k + m]
        mix64(acc)
    keep = ok if ngram == 1 or stop_pairs else ok & ~all_stop
    return (acc[keep] >> _S32).astype(np.uint32), starts[:m][keep]


def _groups(texts: Sequence[str]) -> Iterable[tuple[int, int]]:
    """Index ranges of texts whose joined size stays near BATCH_BYTES."""
    i, size = 0, 0
    for j, t in enumerate(texts):
        size += len(t) + 1
        if size >= BATCH_BYTES:
            yield i, j + 1
            i, size = j + 1, 0
    if i < len(texts):
        yield i, len(texts)


def shingle_batch(texts: Iterable[str], ngram: int = NGRAM,
                  stop_pairs: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Shingles of many texts, concatenated: ``(values, offsets)`` where text ``i``
    owns ``values[offsets[i]:offsets[i + 1]]`` (uint32, in text order, repeats kept).

    ``stop_pairs=True`` keeps n-grams made only of function words (for measuring
    what dropping them buys; signatures never keep them).
    """
    if ngram < 1:
        raise ValueError(f"ngram must be at least 1, got {ngram}")
    texts = list(texts)
    values, counts = [], []
    for i, j in _groups(texts):
        # One newline between texts: a run end, so no shingle spans two texts.
        encoded = [t.lower().encode("utf-8", "replace") for t in texts[i:j]]
        buf = np.frombuffer(b"\n".join(encoded) + b"\n" + _PAD, dtype=np.uint8)
        vals, pos = _shingle_buffer(buf, ngram, stop_pairs)
        ends = np.cumsum([len(e) + 1 for e in encoded])
        counts.append(np.bincount(np.searchsorted(ends, pos, side="right"), minlength=j - i))
        values.append(vals)
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    if texts:
        np.cumsum(np.concatenate(counts), out=offsets[1:])
    return (np.concatenate(values) if values else np.empty(0, np.uint32)), offsets


def shingles(text: str, ngram: int = NGRAM, stop_pairs: bool = False) -> np.ndarray:
    """uint32 hashes of one text's shingles, in text order, repeats kept
    (MinHash does not need a set; :func:`shingle_set` gives one)."""
    return shingle_batch([text], ngram, stop_pairs)[0]


def shingle_set(text: str, ngram: int = NGRAM, stop_pairs: bool = False) -> np.ndarray:
    """The distinct shingle values of a text, sorted."""
    return np.unique(shingles(text, ngram, stop_pairs))


def jaccard_exact(text_a: str, text_b: str, ngram: int = NGRAM, stop_pairs: bool = False) -> float:
    """Exact Jaccard index of two texts' shingle sets (0.0 when both are empty)."""
    a, b = shingle_set(text_a, ngram, stop_pairs), shingle_set(text_b, ngram, stop_pairs)
    union = len(np.union1d(a, b))
    return len(np.intersect1d(a, b, assume_unique=True)) / union if union else 0.0
