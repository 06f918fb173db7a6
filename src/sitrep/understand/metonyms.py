"""Metonyms: seats of government and capitals used for the government that
sits there ("the Kremlin said", "Washington's offer", "talks with Kyiv").

What it computes
----------------
:func:`classify_places` relabels, in place, the candidates that the gazetteer
marked as a seat of government (label ``SEAT``) and the capitals that are not
also countries, following the place-for-people reading of Markert & Nissim
2007, "SemEval-2007 Task 08: Metonymy resolution at SemEval-2007".  An actor
gets label ORG, kind ``metonym`` and the key of the seat itself.

* A seat is an actor unless it is the object of a locative preposition, where
  it is a place (its gazetteer label, else FAC); "from", "off" and "toward"
  do not count here: "a statement from the Kremlin" is the government
  speaking.
* A capital is an actor when it is a possessor, subject or agent, the
  modifier of a common noun ("Kremlin aide"), the object of with / between /
  by / against / for / among, or the object of a verb that does not take a
  place ("urged Kyiv", not "visited Kyiv"); a capital in capitals opening a
  story ("WASHINGTON --") is a dateline, not an actor.
"""

from __future__ import annotations

from . import names as N
from ._tokens import LOC_PREPS, SUBJ, Cand, Ctx, locative, up_conj

_ACTOR_PREPS = frozenset("with between by against for among".split())
# Verbs whose object is a place, not an actor ("visited Kyiv" vs "urged Kyiv").
_PLACE_VERBS = frozenset(
    "visit leave reach enter tour bomb strike attack shell capture besiege occupy "
    "liberate hit target encircle surround evacuate flee return fly travel move "
    "relocate host".split())


def classify_places(ctx: Ctx, cands: list[Cand]) -> None:
    """Seats and capitals used as actors become ORG metonyms; the others places."""
    g = N.gazetteer()
    for c in cands:
        if c.label == "SEAT":
            # "a statement from the Kremlin" is the government speaking.
            loc = locative(ctx, ctx.root(c), LOC_PREPS - {"from", "off", "toward", "towards"})
            c.label, c.kind = (g.seat_place.get(c.key, "FAC"), "name") if loc else ("ORG", "metonym")
        elif c.label == "GPE" and c.key in g.capital and c.key not in g.country:
            if _actor_use(ctx, c) and not _dateline(ctx, c):
                c.label, c.kind = "ORG", "metonym"


def _actor_use(ctx: Ctx, c: Cand) -> bool:
    """Is this place name used as an actor (subject, possessor, agent...)?"""
    if c.poss:
        return True
    i = up_conj(ctx, ctx.root(c))
    dep, head = ctx.dep[i], ctx.head[i]
    if dep in SUBJ or dep == "poss":
        return True
    if dep == "compound" and ctx.pos[head] == "NOUN":
        return True  # "Kremlin aide", "White House officials"
    if dep == "pobj":
        return ctx.low[head] in _ACTOR_PREPS
    if dep == "dobj":
        return ctx.lemma(head) not in _PLACE_VERBS
    return False


def _dateline(ctx: Ctx, c: Cand) -> bool:
    """"WASHINGTON —" opening a story names where it was filed."""
    return ctx.lo[c.s] == c.s and all(ctx.w[k].isupper() for k in range(c.s, c.e))
