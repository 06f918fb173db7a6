"""Candidate names of one document: spaCy's entity spans, repaired.

What it computes
----------------
:func:`ner_candidates` keeps the tagger's entities of the labels in
:data:`LABELS` and repairs them with cheap rules that generalise: spans cut at
line breaks and possessives ("Putin's Gamble" -> "Putin", marked possessive),
determiners and stray lower-case words trimmed, titles moved out of person
spans, a title the tagger swallowed into an ORG span ("Secretary of State
Maren Holt" tagged ORG "State Maren Holt") split off, entities inside
headings dropped (title-case headings make the small model tag "Strategic
Patience" a person) unless they are a byline, "Trump-Putin" / "Trump & Putin"
split into parts kept on trial, and a person span the tagger cut short
("Ursula von der" + "Leyen") joined again.  Labels are still the tagger's;
:mod:`sitrep.understand.clusters` relabels them.
"""

from __future__ import annotations

from . import names as N
from ._tokens import DETS, POSS, Cand, Ctx
from .offices import office_at

LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})


def ner_candidates(ctx: Ctx) -> list[Cand]:
    """The tagger's entities of the kept labels, repaired."""
    out: list[Cand] = []
    for start, end, label in ctx.ents:
        if label not in LABELS:
            continue
        if label == "ORG":
            start, label = _title_inside(ctx, start, end, label)
        s, e, poss = _clean_span(ctx, start, end, label)
        if s >= e or not any(ctx.cap(k) for k in range(s, e)):
            continue
        if ctx.heading[s] and not _byline(ctx, s, e, label):
            continue
        out.extend(_split_joined(ctx, Cand(s, e, label, poss=poss)))
    return _join_split_names(ctx, out)


def _clean_span(ctx: Ctx, s: int, e: int, label: str) -> tuple[int, int, bool]:
    """Cut a tagger span to the name it contains; returns (s, e, possessive)."""
    low, w = ctx.low, ctx.w
    for k in range(s, e):
        if ctx.brk[k]:
            e = k
            break
    poss = False
    for k in range(s + 1, e):
        if low[k] in POSS and ctx.tag[k] == "POS":
            e, poss = k, True
            break
    while s < e and (low[s] in DETS or _punct(w[s]) or _stray_lower(w[s])):
        s += 1
    while e > s and (_punct(w[e - 1]) or _stray_lower(w[e - 1])):
        e -= 1
    if label == "PERSON":
        lead = N.title_words()
        while e - s > 1 and (low[s] in lead or _punct(w[s])):
            s += 1
    if e < ctx.n and low[e] in POSS:
        poss = True
    return s, e, poss


def _punct(t: str) -> bool:
    return not any(ch.isalnum() for ch in t)


def _stray_lower(t: str) -> bool:
    """A lower-case word inside a name span that is no name particle."""
    return t.isalpha() and t.islower() and t not in N.PARTICLES


def _join_split_names(ctx: Ctx, cands: list[Cand]) -> list[Cand]:
    """A person span the tagger cut short ("Ursula von der" + "Leyen"): a PERSON
    span ending in a name particle, or directly followed by one capitalised word
    that names no place, takes the next span in."""
    out: list[Cand] = []
    for c in cands:
        prev = out[-1] if out else None
        if (prev is not None and prev.label == "PERSON" and not prev.poss and prev.e == c.s
                and (ctx.low[prev.e - 1] in N.PARTICLES
                     or (c.e - c.s == 1 and ctx.cap(c.s) and not N.country_of(ctx.low[c.s])))):
            prev.e, prev.poss = c.e, c.poss
            continue
        out.append(c)
    return out


def _title_inside(ctx: Ctx, s: int, e: int, label: str) -> tuple[int, str]:
    """"Secretary of State Maren Holt" tagged ORG "State Maren Holt": the span
    opens with the end of a title; what follows it, if it reads as a name of
    two or more capitalised words, is a person."""
    for k in range(max(0, s - 3), s + 1):
        hit = office_at(ctx, k, e)
        if hit is not None and s < hit[1] < e:
            rest = range(hit[1], e)
            if len(rest) >= 2 and all(ctx.cap(i) for i in rest):
                return hit[1], "PERSON"
            return hit[1], label
    return s, label


def _byline(ctx: Ctx, s: int, e: int, label: str) -> bool:
    return label == "PERSON" and e - s >= 2 and s > 0 and ctx.low[s - 1] == "by"


def _split_joined(ctx: Ctx, c: Cand) -> list[Cand]:
    """"Trump-Putin" / "Trump & Putin" tagged as one ORG: its parts, on trial."""
    if c.label != "ORG":
        return [c]
    cuts = [k for k in range(c.s + 1, c.e - 1) if ctx.w[k] in ("-", "&")]
    if not cuts:
        return [c]
    bounds = [c.s, *cuts, c.e]
    parts = []
    for a, b in zip(bounds, bounds[1:]):
        a = a + 1 if a != c.s else a
        if b - a == 1 and ctx.cap(a):
            parts.append(Cand(a, b, "ORG", split=True))
    if len(parts) != len(bounds) - 1:
        return [c]
    parts[-1].poss = c.poss
    return parts
