"""Stance cues: which words of a claim take a stance, on what, and whether they are the holder's.

Reads one claim's text with a cue lexicon (``sitrep/data/corroborate/stance.json``,
general English, nothing about one corpus), in the manner of cue-based stance
detection (Somasundaran & Wiebe 2010, "Recognizing stances in ideological
on-line debates"): a stance verb or noun ("called for", "dropped the request
for", "X's ultimatum for"), a shift ("shifting from X to Y", "altered his
stance on X"), a contrast ("X rather than Y"), each with the noun phrase it
names, chunked by word-class rules.  Word order stands in for the parse,
which the corroboration stages no longer have: :func:`anchored` tells a
stance said of the claim's holder from one said of someone in a relative
clause or a passive.  :mod:`sitrep.corroborate.positions` turns cues into
positions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|n't|'s\b|[A-Za-z]+(?:-[A-Za-z]+)*(?=n't)|[A-Za-z]+(?:-[A-Za-z]+)*|\d[\d.,]*|[^\w\s]")
_BOUNDARY = frozenset(".;:!?—–()[]\"“”")
_BE = frozenset({"is", "was", "were", "are", "am", "be", "been", "being", "'re", "'m"})
_POSSESSIVE = frozenset({"his", "her", "its", "my"})  # not "their": in "shift their support" the voters own it
FLIP = {"supports": "opposes", "opposes": "supports", "shifts": "shifts", "neutral": "neutral"}


# -- the lexicon -------------------------------------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    cues: dict[tuple[str, ...], tuple[str, str]]  # inflected word sequence -> (class, lemma)
    shift_verbs: frozenset[str]
    stance_nouns: frozenset[str]
    stance_nouns_for: frozenset[str]
    light_nouns: frozenset[str]
    contrast: tuple[tuple[str, ...], ...]
    negators: tuple[tuple[str, ...], ...]
    before: tuple[tuple[str, ...], ...]
    skip: frozenset[str]
    stop: frozenset[str]
    vague: frozenset[str] = frozenset()  # nouns too general to be an issue on their own ("points", "order")
    reverse: frozenset[str] = frozenset()  # inflected verbs that undo their object ("end the war", "lift sanctions")
    aux: frozenset[str] = frozenset()  # auxiliaries and adverbs that may stand between a subject and its verb
    pronouns: frozenset[str] = frozenset()  # subject pronouns
    titles: frozenset[str] = frozenset()  # lower-case words that may stand before a name ("nominee Donald Trump")
    make: frozenset[str] = frozenset()  # verbs that bring their object about ("build a wall"): a stance on it
    person_cues: frozenset[str] = frozenset()  # cues that take a stance on a person ("endorsed X"; not "welcomed X")
    conditions: frozenset[str] = frozenset()  # words that make what follows in the clause a condition or a question


def inflections(verb: str) -> set[str]:
    """Regular English inflections of a verb lemma (enough for cue lookup; irregulars listed)."""
    irregular = {"seek": {"sought"}, "give": {"gave", "given"}, "withdraw": {"withdrew", "withdrawn"},
                 "take": {"took", "taken"}}
    out = {verb, verb + "s", verb + "es", verb + "ed", verb + "d", verb + "ing", *irregular.get(verb, ())}
    if verb.endswith("e"):
        out |= {verb[:-1] + "ing"}
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        out |= {verb[:-1] + "ies", verb[:-1] + "ied"}
    if doubles(verb):
        out |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}
    return out


def doubles(verb: str) -> bool:
    """Whether a verb doubles its last consonant before -ed and -ing (drop -> dropped, ban -> banning)."""
    return re.fullmatch(r"[^aeiou]*[aeiou][bdgmnprt]", verb) is not None


def _forms(verbs) -> frozenset[str]:
    return frozenset(f for v in verbs for f in inflections(v))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    raw = json.loads(resources.files("sitrep").joinpath("data", "corroborate", "stance.json").read_text("utf-8"))
    cues: dict[tuple[str, ...], tuple[str, str]] = {}
    for cls in ("supports", "opposes", "withdraws", "neutral"):
        for cue in raw[cls]:
            head, *rest = cue.split()
            for form in inflections(head):
                cues[(form, *rest)] = (cls, cue)
    seq = lambda xs: tuple(sorted((tuple(x.split()) for x in xs), key=len, reverse=True))  # noqa: E731
    return Lexicon(cues, _forms(raw["shift_verbs"]), frozenset(raw["stance_nouns"]), frozenset(raw["stance_nouns_for"]),
                   frozenset(raw["light_nouns"]), seq(raw["contrast"]), seq(raw["negators"]), seq(raw["before_cues"]),
                   frozenset(raw["skip_words"]), frozenset(raw["stop_words"]), frozenset(raw.get("vague_issues", ())),
                   _forms(raw["reverse_verbs"]), frozenset(raw["aux_words"]), frozenset(raw["subject_pronouns"]),
                   frozenset(raw["title_words"]), _forms(raw["make_verbs"]), frozenset(raw["person_cues"]),
                   frozenset(raw["condition_words"]))


# -- reading one claim -------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    stance: str  # supports | opposes | shifts | neutral
    phrase: tuple[str, ...]  # the issue phrase as chunked (lower case), () when the cue names none
    lemma: str  # the cue as listed ("call for"); "" for contrasts and shifts
    before: bool  # an anteriority cue in the cue's clause
    at: int = -1  # token index of the word that carries the stance (the cue, the shift verb)
    governed: str = ""  # the infinitive the cue governs ("wants to *build* a wall"), "" when none


def tokens(text: str) -> list[str]:
    return [t.casefold() for t in TOKEN.findall(text.replace("’", "'"))]


def _starts(toks: Sequence[str], i: int, seqs: Iterable[tuple[str, ...]]) -> int:
    """Length of the first of ``seqs`` found at toks[i:], 0 when none."""
    for s in seqs:
        if tuple(toks[i:i + len(s)]) == s:
            return len(s)
    return 0


def _cue_at(toks: Sequence[str], i: int, lex: Lexicon) -> tuple[int, str, str]:
    """(length, class, lemma) of the longest stance cue at token i."""
    for n in (3, 2, 1):
        hit = lex.cues.get(tuple(toks[i:i + n]))
        if hit:
            return n, hit[0], hit[1]
    return 0, "", ""


def chunk(toks: Sequence[str], i: int, lex: Lexicon) -> tuple[tuple[str, ...], int]:
    """The noun phrase starting at toks[i] (function words, possessors, adverbs, light nouns and
    gerunds skipped) and the index after it."""
    n = len(toks)
    while i < n:
        t = toks[i]
        if t in lex.skip or _adverb(t) or t == "'s":
            i += 1
        elif i + 1 < n and toks[i + 1] == "'s":
            i += 2  # "Moscow's order": skip the possessor
        elif t in lex.light_nouns and i + 1 < n and toks[i + 1] in ("for", "of", "to"):
            i += 2
        elif (t.endswith("ing") or t.endswith("ed")) and len(t) > 5 and i + 1 < n and _opens_phrase(toks[i + 1], lex):
            i += 1  # "securing a ceasefire", "the previously emphasized need for"; not "binding arbitration"
        else:
            break
    words: list[str] = []
    while i < n and len(words) < 4 and toks[i] not in lex.stop and toks[i] not in _BOUNDARY and toks[i] != ",":
        t = toks[i]
        if t == "'s" or t in lex.skip:
            words = []  # a possessor or a determiner starts the phrase again: "X's request for a Y"
        elif t in lex.light_nouns and i + 1 < n and toks[i + 1] in ("for", "of"):
            words, i = [], i + 1
        elif words and t.endswith("ed") and len(t) > 4 and t not in lex.light_nouns:
            break  # a finite verb after the head: "a truce reached", "the plan ended"
        elif t.isalpha() or "-" in t:
            words.append(t)
        i += 1
    return tuple(words), i


def _opens_phrase(t: str, lex: Lexicon) -> bool:
    return t in lex.skip or t in lex.light_nouns or _adverb(t)


def _clause(toks: Sequence[str], i: int) -> tuple[int, int]:
    lo = i
    while lo > 0 and toks[lo - 1] not in _BOUNDARY:
        lo -= 1
    hi = i
    while hi < len(toks) and toks[hi] not in _BOUNDARY:
        hi += 1
    return lo, hi


def _before_cue(toks: Sequence[str], i: int, lex: Lexicon) -> bool:
    """An anteriority cue near the stance cue: "had" just before it (past perfect), or a cue word from
    three tokens before it to the end of its clause part (a comma ends it too), at most 10 tokens on."""
    lo, hi = _clause(toks, i)
    if "had" in toks[max(lo, i - 3):i]:
        return True  # past perfect: "something he had called for"
    end = next((k for k in range(i, min(hi, i + 10)) if toks[k] == ","), min(hi, i + 10))
    return any(_starts(toks, j, lex.before) for j in range(max(lo, i - 3), end))


def _negated(toks: Sequence[str], i: int, lex: Lexicon) -> bool:
    lo = max(_clause(toks, i)[0], i - 4)
    return any(_starts(toks, j, lex.negators) for j in range(lo, i))


def read_cues(text: str, predicate: str = "", polarity: int = 1, lex: Lexicon | None = None) -> list[Cue]:
    """The stance cues of a text and the issue phrase each one names, in text order."""
    lex = lex or lexicon()
    toks = tokens(text)
    out: list[Cue] = []
    i = 0
    while i < len(toks):
        n, cls, lemma = _cue_at(toks, i, lex)
        if n and _cue_at(toks, _to_verb(toks, i + n), lex)[0]:
            i += n  # "refused to endorse X", "wants to back X": the governed cue says it
        elif n:
            i = _read_stance(toks, i, n, cls, lemma, predicate, polarity, lex, out)
        elif toks[i] in lex.shift_verbs:
            i = _read_shift(toks, i, lex, out)
        else:
            i += 1
    return out


def _conditional(toks: Sequence[str], i: int, lex: Lexicon) -> bool:
    """A condition or a question word earlier in the cue's clause, at most 12 tokens back: "asked whether
    he would support X", "if they don't support X" take no stance."""
    lo = max(_clause(toks, i)[0], i - 12)
    return any(t in lex.conditions for t in toks[lo:i])


def _read_stance(toks, i, n, cls, lemma, predicate, polarity, lex, out) -> int:
    if _conditional(toks, i, lex):
        return i + n
    # the claim's polarity speaks for its own predicate, but a claim cut short may have lost the negation
    # its words still show ("never will, accept X")
    own = lemma.split()[0] == predicate.split()[0] if predicate else False
    negated = (own and polarity < 0) or _negated(toks, i, lex)
    stance = {"withdraws": "opposes"}.get(cls, cls)
    if negated:
        stance = "supports" if cls == "withdraws" else FLIP[stance]
    if _undoes(toks, i + n, lex):
        stance = FLIP[stance]  # "wants to end the war": against the war
    phrase, j = chunk(toks, i + n, lex)
    before = _before_cue(toks, i, lex)
    out.append(Cue(stance, phrase, lemma, before, i, _governs(toks, i + n)))
    if phrase:
        j = _read_contrast(toks, j, stance, before, lex, out, i)
    return max(j, i + n)


def _adverb(t: str) -> bool:
    return t.endswith("ly") and len(t) > 4


def _to_verb(toks: Sequence[str], k: int) -> int:
    """The index of the verb of an infinitive starting at ``k`` ("to [quickly] end"), or len(toks).
    A cue that ends in "to" ("agree to") has already taken the marker."""
    if k >= len(toks):
        return len(toks)
    if toks[k] == "to":
        k += 1
    elif not (k and toks[k - 1] == "to"):
        return len(toks)
    while k < len(toks) and _adverb(toks[k]):
        k += 1
    return k


def _governs(toks: Sequence[str], k: int) -> str:
    """The infinitive after a cue that ends before token ``k`` ("to build a wall"), "" when none;
    after a cue that ends in "to" ("agree to talks") "to" is a preposition."""
    return toks[k + 1] if k + 1 < len(toks) and toks[k] == "to" and toks[k + 1].isalpha() else ""


def _undoes(toks: Sequence[str], k: int, lex: Lexicon) -> bool:
    """Whether the verb the cue governs ("to end", "to lift", "banning") undoes its object."""
    if k < len(toks) and toks[k].endswith("ing") and toks[k] in lex.reverse:
        return True
    k = _to_verb(toks, k)
    return k < len(toks) and toks[k] in lex.reverse


def _read_contrast(toks, j, stance, before, lex, out, at) -> int:
    """"X rather than Y" / "X, not Y": the opposite stance on Y, within six tokens of X's end."""
    for k in range(j, min(len(toks), j + 6)):
        if toks[k] in _BOUNDARY:
            break
        n = _starts(toks, k, lex.contrast)
        if n:
            other, end = chunk(toks, k + n, lex)
            if other:
                out.append(Cue(FLIP[stance], other, "", before, at))  # anchored where its cue is
                return end
            break
    return j


def _read_shift(toks, i, lex, out) -> int:
    """"shifting from X to Y" (opposes X, supports Y) or "altered his stance on X" (shifts X); a denied
    change ("didn't change his views on X") is none."""
    j = i + 1
    if _negated(toks, i, lex) or _conditional(toks, i, lex):
        return j
    window = toks[j:j + 4]
    if any(w in lex.stance_nouns for w in window):
        k = j + next(n for n, w in enumerate(window) if w in lex.stance_nouns) + 1
        if k < len(toks) and toks[k] in ("on", "over", "toward", "towards", "regarding", "about", "in"):
            phrase, end = chunk(toks, k + 1, lex)
            out.append(Cue("shifts", phrase, "", False, i))  # a change is reported when it happens
            return end
    while j < len(toks) and toks[j] in ("away", "abruptly", "sharply", "suddenly") or (j < len(toks) and toks[j].endswith("ly")):
        j += 1
    if j < len(toks) and toks[j] == "from":
        phrase, j = chunk(toks, j + 1, lex)
        out.append(Cue("opposes", phrase, "", False, i))
    else:
        return max(j, i + 1)  # "moved to Los Angeles" is no change of stance; "shifted from X to Y" is
    if j < len(toks) and toks[j] in ("to", "toward", "towards"):
        phrase, j = chunk(toks, j + 1, lex)
        out.append(Cue("supports", phrase, "", False, i))
    return max(j, i + 1)


def possessor_cues(text: str, lex: Lexicon | None = None) -> list[tuple[str, Cue]]:
    """("trump", cue) for "Trump's ultimatum for a ceasefire": a stance noun owned by a name;
    ("", cue) when a possessive pronoun owns it ("his call for talks")."""
    lex = lex or lexicon()
    toks = tokens(text)
    out = []
    for i in range(len(toks) - 2):
        if toks[i] in _POSSESSIVE:
            owner = ""  # "her support for the deal": whoever holds the claim
        elif toks[i] == "'s" and i:
            owner = toks[i - 1]
        else:
            continue
        j = i + 1
        while j < len(toks) and j < i + 4 and toks[j] not in lex.stance_nouns_for:
            j += 1
        if j < len(toks) and toks[j] in lex.stance_nouns_for and j + 1 < len(toks) and toks[j + 1] in ("for", "to", "of"):
            phrase, _ = chunk(toks, j + 2, lex)
            stance = "opposes" if toks[j] in ("opposition", "rejection") else "supports"
            if _undoes(toks, j + 1, lex):
                stance = FLIP[stance]  # "his proposal to ban ..."
            cue = Cue(stance, phrase, toks[j], _before_cue(toks, i, lex), j, _governs(toks, j + 1))
            out.append((owner, cue))
    return out


def anchored(toks: Sequence[str], i: int, predicate: str, holder: set[str], lex: Lexicon) -> bool:
    """Whether the stance word at token ``i`` is said of the claim's holder, and not of someone in a
    relative clause, a complement or a quote inside the claim ("accuse the donors who support
    Clinton").  Word order stands in for the parse, which this stage no longer has: the word is
    the claim's predicate (not passive: "Clinton is backed by ..." is not Clinton's stance), or an
    infinitive next to it ("sought to calm", "wants to back"), or a participle after a comma ("...,
    advocating for"), or its own subject is a pronoun or the holder's name ("something he had
    called for")."""
    if i < 0:
        return True
    k = _back(toks, i, lambda t: _adverb(t) or t in lex.aux and t not in _BE)
    if k >= 0 and toks[k] in _BE and not toks[i].endswith("ing"):
        return False  # "is (strongly) backed by", "was also back home": passive or not a verb
    head = predicate.split()[0] if predicate else ""
    forms = inflections(head) if head and head != "be" else set()
    if toks[i] in forms:
        return next(k for k, t in enumerate(toks) if t in forms) == i  # "A favored X, while B favored Y"
    v = _to_verb(toks, i + 1)
    if v < len(toks) and toks[v] in forms:
        return True  # the stance verb governs the predicate: "sought to calm"
    k = _back(toks, i, _adverb)
    if k > 0 and toks[k] == "to":
        j = _back(toks, k, lambda t: _adverb(t) or t in lex.aux)
        if j >= 0 and toks[j] in forms:
            return True  # governed by the predicate: "wants to back"
    if toks[i].endswith("ing") and k >= 0 and toks[k] == ",":
        return True
    k = _back(toks, i, lambda t: t in lex.aux or _adverb(t), limit=4)
    return k >= 0 and (toks[k] in lex.pronouns or toks[k] in holder)


def _back(toks: Sequence[str], i: int, skip, limit: int | None = None) -> int:
    """The index of the first token before ``i`` that ``skip`` does not pass over (at most ``limit``
    tokens back), -1 when none."""
    k = i - 1
    while k >= 0 and (limit is None or i - k <= limit) and skip(toks[k]):
        k -= 1
    return k


def resolve_stranded(cue: Cue, cues: Sequence[Cue]) -> Cue:
    """A cue whose phrase is empty ("something he had called for before the summit") points back to
    the phrase of the cue before it in the same claim."""
    if cue.phrase or not cue.lemma:
        return cue
    prior = [c for c in cues[:cues.index(cue)] if c.phrase]
    if not prior:
        return cue
    stance = cue.stance
    return Cue(stance, prior[-1].phrase, cue.lemma, cue.before, cue.at)
