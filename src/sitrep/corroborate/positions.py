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
   issue is a term the story's documents argue about, not a list.  A phrase
   that ends with a named actor makes that actor the issue, by its corpus
   name ("endorsed Ryan" → "Paul Ryan"), or what is to be done to it
   ("proposal to ban Muslims" → "banning Muslims"); an actor asked to act
   ("called for the United States to take a role") is no issue.  A cue that
   governs an infinitive takes a stance on the object only when the verb
   brings it about or undoes it ("wants to build a wall": for the wall;
   "wants to end the war": against it; "sought to calm his supporters":
   none).
2. **Holder.**  The claim's subject when it resolves to a main actor (reported
   when someone else is the speaker), else its speaker (stated), else a
   possessor of a stance noun ("X's ultimatum for a ceasefire", "his call for
   talks").  The cue must be said of the holder (:func:`anchored`): the
   claim's own verb, not passive, or an infinitive or participle next to it,
   or a verb whose subject is a pronoun or the holder's name; a cue in a
   relative clause ("donors who support Clinton") is someone else's.
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

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from sitrep.corroborate.matching import entity_words
from sitrep.corroborate.stance_cues import (FLIP, TOKEN, Cue, Lexicon, anchored, doubles, lexicon, possessor_cues,
                                            read_cues, resolve_stranded, tokens)
from sitrep.model import Citation, Claim, Position



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


def _holder(claim: Claim, identity_of, main: set[str], lex: Lexicon) -> tuple[str, bool]:
    """(identity, reported) of whoever holds the claim's stance, '' when no main actor."""
    subj = identity_of.get((claim.document_id, claim.subject_key), "") if claim.subject_key else ""
    spk = identity_of.get((claim.document_id, claim.speaker_key), "") if claim.speaker_key else ""
    if subj in main:
        return subj, subj != spk
    if spk in main and not _is_other_actor(claim, identity_of) and _speaker_is_subject(claim, spk, lex):
        return spk, False
    return "", False


def _speaker_is_subject(claim: Claim, speaker: str, lex: Lexicon) -> bool:
    """Whether the claim's subject can be its speaker: none, or a pronoun that can stand for the speaker
    ("they" and "it" only for a group); "none of them will support X" or "the party must support X" is
    not the speaker's own stance."""
    subject = claim.subject.strip().casefold()
    group_only = subject in ("they", "it")
    return not subject or (subject in lex.pronouns and not (group_only and speaker.startswith("per:")))


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
                   max_actors: int = 6, min_documents: int = 2,
                   names: Mapping[str, str] | None = None) -> list[Position]:
    """Positions of the story's main actors on its issues, in time order per actor and issue.

    ``actors`` are identity ids, most central first; positions are kept for the first
    ``max_actors`` of them that hold any.  ``dates``: document id -> ISO date ('' undated);
    ``placements``: document id -> (relation dated|before|after|unplaced, timeline event id, date);
    ``event_dates``: timeline event id -> ISO date or interval, when known.
    ``names``: identity id -> display name; with it, a stance on a named actor ("endorsed Paul
    Ryan") has that actor's name as its issue, however the claim spells it.
    """
    event_dates = event_dates or {}
    main = set(actors)
    lex = lexicon()
    found = [(c, who, reported, cue) for c in claims for who, reported, cue in _claim_cues(c, identity_of, main, lex)]
    df = document_frequency(claims, {" ".join(cue.phrase[-n:]) for *_, cue in found for n in (1, 2) if cue.phrase})
    out: dict[tuple, Position] = {}
    for c, who, reported, cue in found:
        stance = cue.stance
        named = _named_issue(c, cue, identity_of, names, lex) if names else None
        if named is not None:
            issue, stance = named
            issue = "" if issue == names.get(who) else issue
        elif cue.governed and cue.governed not in lex.reverse and cue.governed not in lex.make:
            continue  # "sought to calm his supporters" is no stance on the supporters
        else:
            issue = issue_of(cue.phrase[cue.phrase[:1] == (cue.governed,):], df, min_documents)
        if not issue or (named is None and _vague(issue, lex)):
            continue
        date, date_from = _when(c, cue.before, _anchor(c.document_id, dates, placements, event_dates), event_dates)
        p = Position(identity=who, story_id=story_id, issue=issue, stance=stance, date=date, date_from=date_from,
                     claim_id=c.id, citation=Citation(c.document_id, c.start, c.end), text=c.text, reported=reported)
        out.setdefault((who, issue, c.id, stance, date_from), p)
    keep = [a for a in actors if any(p.identity == a for p in out.values())][:max_actors]
    rank = {a: i for i, a in enumerate(keep)}
    return sorted((p for p in out.values() if p.identity in rank),
                  key=lambda p: (rank[p.identity], p.issue, time_key(p), p.claim_id))


def _vague(issue: str, lex: Lexicon) -> bool:
    """An issue too general to argue about: a vague word ("points"), a phrase whose head is one
    ("Republican suggestions", "the party's stance"), or a title ("a former president")."""
    words = issue.split()
    return issue in lex.vague or words[-1] in lex.vague or all(w in lex.titles for w in words)


def _named_issue(claim: Claim, cue: Cue, identity_of, names: Mapping[str, str],
                 lex: Lexicon) -> tuple[str, str] | None:
    """(issue, stance) when a cue's phrase ends with a named actor: the actor's name ("backed Paul
    Ryan"), or what is to be done to it ("backed banning Muslims"); ("", "") when that actor is
    no issue: an actor asked to act ("called for the United States to take a role"), the object
    of another verb ("wants to beat Donald Trump"), a neutral mention.  None when no actor is named."""
    words = entity_words(" ".join(cue.phrase))
    for key in claim.entities:
        ident = identity_of.get((claim.document_id, key))
        shared = _common_suffix(words, entity_words(key))
        if not ident or not shared:
            continue
        raw = TOKEN.findall(claim.text.replace("’", "'"))
        toks = [t.casefold() for t in raw]
        n = len(cue.phrase)
        at = next((k for k in range(max(cue.at, 0), len(toks)) if tuple(toks[k:k + n]) == cue.phrase), -1)
        if at < 0 or cue.stance not in ("supports", "opposes") or (at + n < len(toks) and toks[at + n] == "to") \
                or any(t not in lex.skip | lex.light_nouns for t in toks[cue.at + 1:at]):
            return "", ""  # asked to act, or named inside another phrase ("comments about Muslims")
        if cue.lemma and cue.lemma not in lex.person_cues and not cue.governed:
            return "", ""  # "welcomed Clinton", "wants Tyson at the convention": no stance on the person
        lead = list(range(at, at + max(n - shared, 0)))
        verb = toks[lead[0]] if lead and toks[lead[0]] == cue.governed else ""
        if verb and verb not in lex.reverse or \
                any(not raw[k][:1].isupper() and toks[k] not in lex.titles for k in lead[bool(verb):]):
            return "", ""
        if verb:
            return f"{_gerund(verb)} {names.get(ident, '')}", FLIP[cue.stance]  # the cue's reading flipped it
        return names.get(ident, ""), cue.stance
    return None


def _common_suffix(a: Sequence[str], b: Sequence[str]) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _gerund(verb: str) -> str:
    if verb.endswith("ing"):
        return verb
    if verb.endswith("e") and not verb.endswith("ee"):
        return verb[:-1] + "ing"
    if doubles(verb):
        return verb + verb[-1] + "ing"
    return verb + "ing"


def _claim_cues(claim: Claim, identity_of, main: set[str], lex: Lexicon) -> list[tuple[str, bool, Cue]]:
    who, reported = _holder(claim, identity_of, main, lex)
    out = []
    if who:
        toks = tokens(claim.text)
        cues = read_cues(claim.text, claim.predicate, claim.polarity, lex)
        mine = {w for k in (claim.subject_key, claim.speaker_key) if k for w in entity_words(k)}
        out += [(who, reported, resolve_stranded(cue, cues)) for cue in cues
                if anchored(toks, cue.at, claim.predicate, mine, lex)]
    for word, cue in possessor_cues(claim.text, lex):
        owner = _named(claim, word, identity_of, main) if word else who
        if owner:
            out.append((owner, owner != identity_of.get((claim.document_id, claim.speaker_key), ""), cue))
    return [x for x in out if x[2].phrase]


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
