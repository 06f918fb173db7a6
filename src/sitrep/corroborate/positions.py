"""Positions over time: what each main actor of a story wants, refuses or gives up, and when.

A *position* is one actor's stance (supports / opposes / shifts / neutral) on
one of the story's *issues* at one time, resting on one claim.  The method is
target-dependent stance detection with a cue lexicon (Somasundaran & Wiebe
2010, "Recognizing stances in ideological on-line debates"; the task as framed
by Mohammad et al. 2016, "SemEval-2016 task 6: detecting stance in tweets"),
with the target found in the text rather than given:

1. **Issues.**  The noun phrase after a stance cue ("called for *a ceasefire*",
   "dropped the request for *a ceasefire*", "shifting from X to *Y*") is
   chunked with a few word-class rules (determiners, possessives, adverbs,
   light nouns such as "request for" are skipped; the phrase ends at a
   preposition, conjunction or punctuation) and reduced to its longest final
   one or two words that recur in the claims of at least ``min_documents``
   documents ("a comprehensive peace agreement" → "peace agreement").  An
   issue is a term the story's documents argue about, not a list.
2. **Holder.**  The claim's subject when it resolves to a main actor (reported
   when someone else is the speaker), else its speaker (stated), else a
   possessor of a stance noun ("X's ultimatum for a ceasefire").
3. **Stance.**  The cue's class, flipped by a negation before it (for the
   claim's own predicate, by the claim's polarity: "refused to back" has
   polarity -1); "rather than / instead of Y" gives the opposite stance on
   Y; a withdrawal ("dropped", "abandoned") is *opposes*; "shifting from X to
   Y" is *opposes* X and *supports* Y; "altered his stance on X" is *shifts*.
4. **Time.**  The document's date, or a full date in the claim, or for an
   undated document its placement against a timeline event; a cue of
   anteriority in the cue's clause ("had called for", "before the summit",
   "previously") moves the position before the document's anchor.

:func:`shifts` then lists, per actor and issue, consecutive positions in time
order whose stance changes.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from sitrep.corroborate.matching import entity_words
from sitrep.model import Citation, Claim, Position

_TOKEN = re.compile(r"n't|'s\b|[A-Za-z]+(?:-[A-Za-z]+)*(?=n't)|[A-Za-z]+(?:-[A-Za-z]+)*|\d[\d.,]*|[^\w\s]")
_BOUNDARY = frozenset(".;:!?—–()[]\"“”")
_FLIP = {"supports": "opposes", "opposes": "supports", "shifts": "shifts", "neutral": "neutral"}


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


def inflections(verb: str) -> set[str]:
    """Regular English inflections of a verb lemma (enough for cue lookup; irregulars listed)."""
    irregular = {"seek": {"sought"}, "give": {"gave", "given"}, "withdraw": {"withdrew", "withdrawn"},
                 "take": {"took", "taken"}}
    out = {verb, verb + "s", verb + "es", verb + "ed", verb + "d", verb + "ing", *irregular.get(verb, ())}
    if verb.endswith("e"):
        out |= {verb[:-1] + "ing"}
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        out |= {verb[:-1] + "ies", verb[:-1] + "ied"}
    if re.fullmatch(r"[^aeiou]*[aeiou][bdgmnprt]", verb):  # drop -> dropped, rule out
        out |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}
    return out


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
    verbs = {f for v in raw["shift_verbs"] for f in inflections(v)}
    return Lexicon(cues, frozenset(verbs), frozenset(raw["stance_nouns"]), frozenset(raw["stance_nouns_for"]),
                   frozenset(raw["light_nouns"]), seq(raw["contrast"]), seq(raw["negators"]), seq(raw["before_cues"]),
                   frozenset(raw["skip_words"]), frozenset(raw["stop_words"]), frozenset(raw.get("vague_issues", ())))


# -- reading one claim -------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    stance: str  # supports | opposes | shifts | neutral
    phrase: tuple[str, ...]  # the issue phrase as chunked (lower case), () when the cue names none
    lemma: str  # the cue as listed ("call for"); "" for contrasts and shifts
    before: bool  # an anteriority cue in the cue's clause


def tokens(text: str) -> list[str]:
    return [t.casefold() for t in _TOKEN.findall(text.replace("’", "'"))]


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
        if t in lex.skip or (t.endswith("ly") and len(t) > 4) or t == "'s":
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
    return t in lex.skip or t in lex.light_nouns or (t.endswith("ly") and len(t) > 4)


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
        if n:
            i = _read_stance(toks, i, n, cls, lemma, predicate, polarity, lex, out)
        elif toks[i] in lex.shift_verbs:
            i = _read_shift(toks, i, lex, out)
        else:
            i += 1
    return out


def _read_stance(toks, i, n, cls, lemma, predicate, polarity, lex, out) -> int:
    if lemma.split()[0] == predicate.split()[0] if predicate else False:
        negated = polarity < 0
    else:
        negated = _negated(toks, i, lex)
    stance = {"withdraws": "opposes"}.get(cls, cls)
    if negated:
        stance = "supports" if cls == "withdraws" else _FLIP[stance]
    phrase, j = chunk(toks, i + n, lex)
    before = _before_cue(toks, i, lex)
    out.append(Cue(stance, phrase, lemma, before))
    if phrase:
        j = _read_contrast(toks, j, stance, before, lex, out)
    return max(j, i + n)


def _read_contrast(toks, j, stance, before, lex, out) -> int:
    """"X rather than Y" / "X, not Y": the opposite stance on Y, within six tokens of X's end."""
    for k in range(j, min(len(toks), j + 6)):
        if toks[k] in _BOUNDARY:
            break
        n = _starts(toks, k, lex.contrast)
        if n:
            other, end = chunk(toks, k + n, lex)
            if other:
                out.append(Cue(_FLIP[stance], other, "", before))
                return end
            break
    return j


def _read_shift(toks, i, lex, out) -> int:
    """"shifting from X to Y" (opposes X, supports Y) or "altered his stance on X" (shifts X)."""
    j = i + 1
    window = toks[j:j + 4]
    if any(w in lex.stance_nouns for w in window):
        k = j + next(n for n, w in enumerate(window) if w in lex.stance_nouns) + 1
        if k < len(toks) and toks[k] in ("on", "over", "toward", "towards", "regarding", "about", "in"):
            phrase, end = chunk(toks, k + 1, lex)
            out.append(Cue("shifts", phrase, "", False))  # a change is reported when it happens
            return end
    while j < len(toks) and toks[j] in ("away", "abruptly", "sharply", "suddenly") or (j < len(toks) and toks[j].endswith("ly")):
        j += 1
    if j < len(toks) and toks[j] == "from":
        phrase, j = chunk(toks, j + 1, lex)
        out.append(Cue("opposes", phrase, "", False))
    if j < len(toks) and toks[j] in ("to", "toward", "towards"):
        phrase, j = chunk(toks, j + 1, lex)
        out.append(Cue("supports", phrase, "", False))
    return max(j, i + 1)


def possessor_cues(text: str, lex: Lexicon | None = None) -> list[tuple[str, Cue]]:
    """("trump", cue) for "Trump's ultimatum for a ceasefire": a stance noun owned by a name."""
    lex = lex or lexicon()
    toks = tokens(text)
    out = []
    for i in range(1, len(toks) - 2):
        if toks[i] != "'s":
            continue
        j = i + 1
        while j < len(toks) and j < i + 4 and toks[j] not in lex.stance_nouns_for:
            j += 1
        if j < len(toks) and toks[j] in lex.stance_nouns_for and j + 1 < len(toks) and toks[j + 1] in ("for", "to", "of"):
            phrase, _ = chunk(toks, j + 2, lex)
            stance = "opposes" if toks[j] in ("opposition", "rejection") else "supports"
            out.append((toks[i - 1], Cue(stance, phrase, toks[j], _before_cue(toks, i, lex))))
    return out


# -- issues ------------------------------------------------------------------------------


def document_frequency(claims: Sequence[Claim], terms: Iterable[str]) -> dict[str, int]:
    """Documents whose claims contain each term (whole words, case folded)."""
    texts: dict[str, str] = defaultdict(str)
    for c in claims:
        texts[c.document_id] += " " + " ".join(tokens(c.text))
    out = {}
    for t in set(terms):
        pat = re.compile(r"(?<![\w-])" + re.escape(t) + r"(?![\w-])")
        out[t] = sum(1 for x in texts.values() if pat.search(x))
    return out


def issue_of(phrase: Sequence[str], df: Mapping[str, int], min_documents: int) -> str:
    """The longest final one or two words of a phrase that recur in ``min_documents`` documents."""
    for n in (2, 1):
        if len(phrase) >= n:
            term = " ".join(phrase[-n:])
            if df.get(term, 0) >= min_documents:
                return term
    return ""


# -- holders and times -----------------------------------------------------------------------


def _holder(claim: Claim, identity_of, main: set[str]) -> tuple[str, bool]:
    """(identity, reported) of whoever holds the claim's stance, '' when no main actor."""
    subj = identity_of.get((claim.document_id, claim.subject_key), "") if claim.subject_key else ""
    spk = identity_of.get((claim.document_id, claim.speaker_key), "") if claim.speaker_key else ""
    if subj in main:
        return subj, subj != spk
    if spk in main and not _is_other_actor(claim, identity_of):
        return spk, False
    return "", False


def _is_other_actor(claim: Claim, identity_of) -> bool:
    """Whether the subject is a named actor other than the speaker (then the speaker reports it)."""
    return bool(claim.subject_key) and identity_of.get((claim.document_id, claim.subject_key)) != \
        identity_of.get((claim.document_id, claim.speaker_key))


def _named(claim: Claim, word: str, identity_of, main: set[str]) -> str:
    for key in claim.entities:
        ident = identity_of.get((claim.document_id, key), "")
        if ident in main and entity_words(key)[-1:] == (word,):
            return ident
    return ""


def _anchor(doc: str, dates, placements, event_dates) -> tuple[str, str, str]:
    """(date, date_from, event) of a document: its date, or its placement against an event."""
    if dates.get(doc):
        return dates[doc], "published", ""
    rel, event, date = (tuple(placements.get(doc, ())) + ("", "", ""))[:3]
    if rel == "dated" and date:
        return date, "published", ""
    if rel in ("before", "after") and event:
        when = event_dates.get(event, "")
        when = ("/" + _end(when) if rel == "before" else _start(when) + "/") if when else ""
        return when, f"{rel}:{event}", event
    return "", "", ""


def _start(d: str) -> str:
    return d.split("/")[0] or d.split("/")[-1]


def _end(d: str) -> str:
    return d.split("/")[-1] or d.split("/")[0]


def _when(claim: Claim, before: bool, anchor: tuple[str, str, str], event_dates) -> tuple[str, str]:
    date, date_from, event = anchor
    if before:
        if date_from == "published":
            return "/" + date, "text"
        if event:
            when = event_dates.get(event, "")
            return ("/" + _start(when) if when else ""), f"before:{event}"
        return "", ""
    full = [d for d in claim.dates if re.fullmatch(r"\d{4}-\d\d-\d\d", d)]
    if len(full) == 1 and (not date or date_from != "published" or full[0] <= date):
        return full[0], "text"
    return date, date_from


# -- positions --------------------------------------------------------------------------------


def find_positions(story_id: str, claims: Sequence[Claim], identity_of: Mapping[tuple[str, str], str],
                   actors: Sequence[str], dates: Mapping[str, str],
                   placements: Mapping[str, tuple[str, str, str]], event_dates: Mapping[str, str] | None = None,
                   max_actors: int = 6, min_documents: int = 2) -> list[Position]:
    """Positions of the story's main actors on its issues, in time order per actor and issue.

    ``actors`` are identity ids, most central first; positions are kept for the first
    ``max_actors`` of them that hold any.  ``dates``: document id -> ISO date ('' undated);
    ``placements``: document id -> (relation dated|before|after|unplaced, timeline event id, date);
    ``event_dates``: timeline event id -> ISO date or interval, when known.
    """
    event_dates = event_dates or {}
    main = set(actors)
    lex = lexicon()
    found = [(c, who, reported, cue) for c in claims for who, reported, cue in _claim_cues(c, identity_of, main, lex)]
    df = document_frequency(claims, {" ".join(cue.phrase[-n:]) for *_, cue in found for n in (1, 2) if cue.phrase})
    out: dict[tuple, Position] = {}
    for c, who, reported, cue in found:
        issue = issue_of(cue.phrase, df, min_documents)
        if not issue or issue in lex.vague:
            continue
        date, date_from = _when(c, cue.before, _anchor(c.document_id, dates, placements, event_dates), event_dates)
        p = Position(identity=who, story_id=story_id, issue=issue, stance=cue.stance, date=date, date_from=date_from,
                     claim_id=c.id, citation=Citation(c.document_id, c.start, c.end), text=c.text, reported=reported)
        out.setdefault((who, issue, c.id, cue.stance, date_from), p)
    keep = [a for a in actors if any(p.identity == a for p in out.values())][:max_actors]
    rank = {a: i for i, a in enumerate(keep)}
    return sorted((p for p in out.values() if p.identity in rank),
                  key=lambda p: (rank[p.identity], p.issue, time_key(p), p.claim_id))


def _claim_cues(claim: Claim, identity_of, main: set[str], lex: Lexicon) -> list[tuple[str, bool, Cue]]:
    who, reported = _holder(claim, identity_of, main)
    out = []
    if who:
        cues = read_cues(claim.text, claim.predicate, claim.polarity, lex)
        out += [(who, reported, _resolve_stranded(cue, cues)) for cue in cues]
    for word, cue in possessor_cues(claim.text, lex):
        owner = _named(claim, word, identity_of, main)
        if owner:
            out.append((owner, owner != identity_of.get((claim.document_id, claim.speaker_key), ""), cue))
    return [x for x in out if x[2].phrase]


def _resolve_stranded(cue: Cue, cues: Sequence[Cue]) -> Cue:
    """A cue whose phrase is empty ("something he had called for before the summit") points back to
    the phrase of the cue before it in the same claim."""
    if cue.phrase or not cue.lemma:
        return cue
    prior = [c for c in cues[:cues.index(cue)] if c.phrase]
    if not prior:
        return cue
    stance = cue.stance
    return Cue(stance, prior[-1].phrase, cue.lemma, cue.before)


# -- shifts ----------------------------------------------------------------------------------


def time_key(p: Position) -> tuple:
    """A sort key: ISO dates in order ("/D" just before D, "D/" just after); undated positions
    placed against one event order before (-1) and after (+1) it."""
    if p.date:
        d = p.date
        if d.startswith("/"):
            return (d[1:], "", -1)
        if d.endswith("/"):
            return (d[:-1], "", 1)
        return (d.split("/")[0], "", 0)
    rel, _, event = p.date_from.partition(":")
    if rel in ("before", "after") and event:
        return ("", event, -1 if rel == "before" else 1)
    return ("", "", 0)


def _ordered(p: Position) -> bool:
    return bool(p.date) or p.date_from.startswith(("before:", "after:"))


def shifts(positions: Iterable[Position]) -> list[tuple[Position, Position]]:
    """Consecutive positions of one actor on one issue, in time order, whose stance changes.

    Positions without a time are left out; "neutral" ones do not break a run; among positions
    at the same time the first in claim order stands for them (a disagreement at one time is a
    contradiction between reports, not a shift)."""
    runs: dict[tuple[str, str], list[Position]] = defaultdict(list)
    for p in positions:
        if _ordered(p) and p.stance != "neutral":
            runs[(p.identity, p.issue)].append(p)
    out = []
    for key in sorted(runs):
        at: dict[tuple, list[Position]] = defaultdict(list)
        for p in runs[key]:
            at[time_key(p)].append(p)
        seq = [_representative(at[t]) for t in sorted(at)]
        out += [(a, b) for a, b in zip(seq, seq[1:]) if a.stance != b.stance]
    return out


def _representative(same_time: list[Position]) -> Position:
    """The position that stands for one time: a directional stance rather than a bare "shifts"."""
    ranked = sorted(same_time, key=lambda p: (p.stance == "shifts", p.claim_id))
    return ranked[0]
