"""Pronouns he / she (and their forms) resolved to a person of the document.

What it computes
----------------
:func:`pronouns` resolves a pronoun to the single person mentioned before it
in its sentence, else in the previous one, preferring subjects -- the recency
and subject salience of Lappin & Leass 1994, "An algorithm for pronominal
anaphora resolution", Computational Linguistics 20(4).  Never inside
quotation marks (the speaker's "he" is someone else) or headings, never when
gender evidence (Mr / Mrs, spokeswoman, or two thirds of the person's
unambiguous pronouns) contradicts, and not when another person follows in
the same sentence (a cataphor may be meant).  Only resolved pronouns are
returned.
"""

from __future__ import annotations

from collections import Counter

from ._tokens import SUBJ, Cand, Ctx, key_of

_PRONOUNS = {"he": "m", "him": "m", "his": "m", "himself": "m",
             "she": "f", "her": "f", "hers": "f", "herself": "f"}


def pronouns(ctx: Ctx, persons: list[Cand]) -> list[Cand]:
    """Two passes: pronouns with a single candidate first, which also tell
    each person's gender; then pronouns with several candidates, resolved to
    the one subject only when that subject is known to have the pronoun's gender."""
    by_sent: dict[int, list[Cand]] = {}
    for c in sorted(persons, key=lambda c: c.s):
        if c.label == "PERSON" and key_of(c):
            by_sent.setdefault(ctx.sent[c.s], []).append(c)
    known = {c.group.key: c.group.gender for c in persons if c.group is not None and c.group.gender}
    todo = [(i, _PRONOUNS[w]) for i, w in enumerate(ctx.low) if w in _PRONOUNS and _free_pronoun(ctx, i)]
    found: dict[int, str] = {}
    votes: dict[str, Counter] = {}
    for i, g in todo:
        keys, subjects = _window(ctx, i, g, by_sent, known)
        if len(keys) == 1:
            found[i] = next(iter(keys))
            votes.setdefault(found[i], Counter())[g] += 1
    gender = dict(known)
    for k, v in votes.items():
        (top, n), = v.most_common(1)
        if k not in known and 3 * n >= 2 * sum(v.values()):
            gender[k] = top  # two thirds of its single-candidate pronouns agree
    found = {i: k for i, k in found.items() if gender.get(k, "") in ("", _PRONOUNS[ctx.low[i]])}
    for i, g in todo:
        if i in found:
            continue
        keys, subjects = _window(ctx, i, g, by_sent, gender)
        if len(subjects) == 1 and gender.get(next(iter(subjects))) == g:
            found[i] = next(iter(subjects))
    return [Cand(i, i + 1, "PERSON", key=k, kind="pronoun") for i, k in sorted(found.items())]


def _free_pronoun(ctx: Ctx, i: int) -> bool:
    """A pronoun in running text: not quoted (the speaker's "he" is someone
    else), not in a heading, not inside a name."""
    return (ctx.pos[i] == "PRON" and not ctx.quoted[i] and not ctx.heading[i]
            and ctx.owner[i] is None)


def _window(ctx: Ctx, i: int, g: str, by_sent, gender) -> tuple[set[str], set[str]]:
    """Candidate keys before pronoun i (its sentence, else the previous one)
    whose gender does not contradict it, and those that are subjects; nothing
    when a different person follows in the same sentence (a cataphor may be meant)."""
    sent = ctx.sent[i]

    def ok(c: Cand) -> bool:
        return gender.get(key_of(c), "") in ("", g)

    after = {key_of(c) for c in by_sent.get(sent, ()) if c.s > i and ok(c)}
    for want in (sent, sent - 1):
        window = [c for c in by_sent.get(want, ()) if c.e <= i and ok(c)]
        if not window:
            continue
        keys = {key_of(c) for c in window}
        subjects = {key_of(c) for c in window if ctx.dep[ctx.root(c)] in SUBJ}
        if after - keys:
            return set(), set()
        return keys, subjects
    return set(), set()


