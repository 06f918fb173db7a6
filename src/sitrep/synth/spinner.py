"""A synonym spinner ("article spinner") that makes spun copies for tests and benchmarks.

Article spinners disguise plagiarism by swapping words for thesaurus synonyms
with no regard to context. Cabanac, Labbé & Magazinov (2021, "Tortured
phrases: A dubious writing style emerging in science", arXiv:2107.06751) showed
the tell-tale output: fixed collocations turned into nonsense ("counterfeit
consciousness" for "artificial intelligence"). In news copies the same
mechanism gives "successful Ukraine" for "in Ukraine", "acme" for "summit",
"helium" for "he", "arsenic" for "as", "oregon" for "or".

This spinner imitates that mechanism:

* tokens are runs of letters; hyphenated and apostrophe words ("three-hour",
  "Putin's") are left whole and untouched, as are capitalised words
  mid-sentence (proper nouns) and all-caps acronyms;
* function words are eligible too: naive spinners do not know they are special;
* the replacement is the first single-word synonym in thesaurus order (the
  first sense's first usable term), except with probability ``alt_rate``
  another listed one. Digits count as a word ("6" for "six"); multiword terms
  are skipped, since they would change the token count (real spinners do so
  too: "meeting" → "gathering", not "group meeting"); capitalised synonyms are
  kept and re-cased ("or" → "oregon", as seen in real spun copies);
* the original's capitalisation pattern (lower or Title case) is imposed on
  the replacement, so "Oregon" becomes "oregon" in mid-sentence;
* exactly ``round(rate * eligible)`` tokens are replaced, where *eligible*
  tokens are those with at least one usable synonym; the choice is seeded.

``spin`` returns the spun text and the substitution list, which maps spans of
the original to spans of the spun text exactly.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from .thesaurus import Thesaurus, default_thesaurus

# A word: letters, optionally joined by hyphens/apostrophes into one token.
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# A usable replacement: one word of letters or digits, hyphens allowed.
_SYNONYM = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# Characters that may stand between a sentence end and the next word.
_OPENERS = set("\"'“‘«([{*-–—")
_SENTENCE_END = set(".!?…:")  # not ";": a capital after it is a name


class Substitution(NamedTuple):
    start: int  # span in the original text
    end: int
    original: str
    replacement: str
    spun_start: int  # span in the spun text
    spun_end: int


@dataclass
class SpinResult:
    text: str
    substitutions: list[Substitution] = field(default_factory=list)
    eligible: int = 0  # tokens that had a usable synonym


def _is_sentence_start(text: str, start: int) -> bool:
    """True if the token at ``start`` opens a sentence, a line or the text."""
    i = start - 1
    while i >= 0 and (text[i] in _OPENERS or (text[i].isspace() and text[i] not in "\n\r")):
        i -= 1
    # Line starts count: headlines, list items and paragraph breaks begin anew.
    return i < 0 or text[i] in _SENTENCE_END or text[i] in "\n\r"


def _case_pattern(token: str) -> str | None:
    if token.islower():
        return "lower"
    if token.isupper():
        # A single capital ("I", "A") is title case; longer ones are acronyms.
        return "title" if len(token) == 1 else None
    if token[0].isupper() and token[1:].islower():
        return "title"
    return None  # mixed case ("iPhone", "McCain"): a name


def _apply_case(word: str, pattern: str) -> str:
    if pattern == "lower":
        return word.lower()
    return word[:1].upper() + word[1:].lower()


def _candidates(thesaurus: Thesaurus, word: str) -> list[str]:
    # Single words only: letters/digits, hyphens allowed ("in-between", "6" for
    # "six"); no spaces, dots or apostrophes.
    return [s for s in thesaurus.synonyms(word) if _SYNONYM.fullmatch(s)]


def eligible_tokens(text: str, thesaurus: Thesaurus) -> list[tuple[int, int, str, str]]:
    """``(start, end, token, case_pattern)`` for every token the spinner may replace."""
    matches = list(_WORD.finditer(text))
    # Words seen capitalised mid-sentence are names; a sentence-initial "Trump"
    # is then a name too, not the card-game verb.
    names = {
        m.group() for m in matches
        if m.group()[0].isupper() and not _is_sentence_start(text, m.start())
    }
    out = []
    for m in matches:
        tok = m.group()
        if not tok.isalpha():
            continue  # hyphenated or with an apostrophe: leave whole
        pattern = _case_pattern(tok)
        if pattern is None:
            continue
        if pattern == "title" and (not _is_sentence_start(text, m.start()) or tok in names):
            continue
        if _candidates(thesaurus, tok.lower()):
            out.append((m.start(), m.end(), tok, pattern))
    return out


def spin(
    text: str,
    rate: float,
    seed: int,
    thesaurus: Thesaurus | None = None,
    alt_rate: float = 0.0,
) -> SpinResult:
    """Replace a ``rate`` share of eligible tokens of ``text`` by thesaurus synonyms.

    Deterministic for a given ``(text, rate, seed, alt_rate)`` and thesaurus file.
    """
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must be within [0, 1], got {rate}")
    th = thesaurus if thesaurus is not None else default_thesaurus()
    rng = random.Random(seed)
    tokens = eligible_tokens(text, th)
    k = round(rate * len(tokens))
    chosen = sorted(rng.sample(range(len(tokens)), k))

    parts: list[str] = []
    subs: list[Substitution] = []
    last = 0
    spun_len = 0
    for i in chosen:
        start, end, tok, pattern = tokens[i]
        cands = _candidates(th, tok.lower())
        pick = cands[0]
        if len(cands) > 1 and rng.random() < alt_rate:
            pick = rng.choice(cands[1:])
        repl = _apply_case(pick, pattern)
        gap = text[last:start]
        parts.append(gap)
        spun_len += len(gap)
        parts.append(repl)
        subs.append(Substitution(start, end, tok, repl, spun_len, spun_len + len(repl)))
        spun_len += len(repl)
        last = end
    parts.append(text[last:])
    return SpinResult("".join(parts), subs, len(tokens))
