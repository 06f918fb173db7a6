"""Definite descriptions of persons ("the Russian leader", "the US
president", "Russia's foreign minister") and the person they refer to.

What it computes
----------------
:func:`descriptions` finds noun phrases opened by "the" or by a country's
possessive that read as a role (:func:`sitrep.understand.roles.parse_np`) and
are neither a role already attached to a name, nor a title before a name, nor
a phrase in quotes or headings.  One is resolved only when exactly one person
of the document has a role whose office, country and qualifier fit it -- a
conservative reading of Vieira & Poesio 2000, "An empirically based system
for processing definite descriptions", Computational Linguistics 26(4).  A
bare job ("the analyst") without a country is skipped as too vague.
Unresolved descriptions are kept with key "".
"""

from __future__ import annotations

from . import names as N
from ._tokens import Cand, Ctx, poss_after
from .offices import office_words
from .roles import NP, parse_np


def _fits(np: NP, fact: tuple[str, str, str, str]) -> bool:
    office, cls, org, qual = fact
    if np.qualifier != qual and not (np.qualifier == "" and qual in ("acting", "designate", "elect")):
        return False
    if np.office != office:
        generic = np.cls == "leader" and np.office in ("leader", "chief", "head", "ruler", "strongman")
        if not (generic and cls == "leader") and not set(np.office.split()) <= set(office.split()):
            return False
    if np.org:
        return bool(org) and (org == np.org or N.country_of(org) == N.country_of(np.org) != "")
    return True


def descriptions(ctx: Ctx, facts, role_toks: list[bool]) -> list[Cand]:
    """Description candidates, keyed to the one person whose role ``facts``
    ((office, class, org, qualifier) per key) fit, else with key ""."""
    out = []
    last = 0
    for i in _description_starts(ctx):
        if i < last:
            continue
        np = _description_at(ctx, i, role_toks)
        if np is None:
            continue
        keys = [k for k, fs in facts.items() if any(_fits(np, f) for f in fs)]
        s = np.s - (1 if np.det else 0)
        out.append(Cand(s, np.e, "PERSON", key=keys[0] if len(keys) == 1 else "",
                        kind="description", poss=poss_after(ctx, np.e)))
        last = np.e
    return out


def _description_starts(ctx: Ctx) -> list[int]:
    """Tokens that may open a definite description: "the", or a country's possessive."""
    out = [i for i, w in enumerate(ctx.low) if w == "the"]
    for i, c in enumerate(ctx.owner):
        if c is not None and c.s == i and c.poss and c.label in ("GPE", "SEAT"):
            out.append(i)
    return sorted(out)


def _description_at(ctx: Ctx, i: int, role_toks: list[bool]) -> NP | None:
    if role_toks[i] or ctx.quoted[i] or ctx.heading[i]:
        return None
    w = ctx.low[i]
    if w != "the":
        c = ctx.starts_at(i)
        if c is None or c.label not in ("GPE", "SEAT") or not c.poss:
            return None
    hi = ctx.hi[i]
    words = office_words()
    if not any(ctx.low[k] in words for k in range(i + 1, min(i + 8, hi))):
        return None
    np = parse_np(ctx, i, hi)
    if np is None or (w != "the" and not np.org_from_poss) or role_toks[np.s]:
        return None  # not a description, or the predicate of a role ("X is the envoy")
    if np.cls == "job" and not np.org:
        return None  # "the analyst" needs more than one word to be safe
    if _person_at(ctx, np.e) or (np.e < hi and ctx.low[np.e] == "of"):
        return None  # a title before a name, or a complement the reader did not take
    if np.e < hi and ctx.low[np.e] == "," and _person_at(ctx, np.e + 1):
        return None  # "the Russian leader, Vladimir Putin": an apposition, read as a role
    return np


def _person_at(ctx: Ctx, i: int) -> bool:
    c = ctx.starts_at(i)
    return c is not None and c.label == "PERSON"
