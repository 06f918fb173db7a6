"""One referent per name and document: within-document clusters of person
name forms, labels and keys for the other names, and a rescan of the text for
the document's own name forms.

What it computes
----------------
* :func:`cluster` -- person groups (:class:`~sitrep.understand._tokens.Group`)
  keyed by the fullest form the document uses, normalised
  (:func:`sitrep.understand.names.name_key`).  Full names are grouped first,
  longest first; short forms then join the one full name whose surname they
  match, whatever label the tagger gave them ("Trump" tagged ORG, "Zelenskyy"
  tagged GPE), or, for a family name written first (Xi for Xi Jinping), the
  one full name containing the word.  This is "one sense per discourse" (Gale,
  Church & Yarowsky 1992, DARPA Speech and Natural Language Workshop) applied
  to names.  A span that joins no person is labelled from the gazetteer (seat
  of government, country, demonym, capital) and keyed.
* :func:`merge_orgs` -- an acronym and its expansion in one document share the
  expansion's key.
* :func:`rescan` -- the document's own name forms matched again over the text
  to recover what the tagger missed, including a transliteration variant of a
  surname used in the same document: a document-level gazetteer as in
  Mikheev, Moens & Grover 1999, "Named entity recognition without
  gazetteers", EACL.
"""

from __future__ import annotations

from . import names as N
from ._tokens import Cand, Ctx, Group, locative, poss_after, span_text


def cluster(ctx: Ctx, cands: list[Cand]) -> list[Group]:
    """Person groups keyed by their fullest form; every other span labelled and keyed."""
    groups: list[Group] = []
    pkeys = {id(c): N.name_key(span_text(ctx, c)) for c in cands}
    full = [c for c in cands if c.label == "PERSON" and not c.split and " " in pkeys[id(c)]]
    for c in sorted(full, key=lambda c: (-len(pkeys[id(c)].split()), c.s)):
        _join(groups, c, pkeys[id(c)])
    # Person-labelled short forms before the others, so that a surname the
    # tagger also labelled ORG elsewhere finds its person.
    rest = sorted((c for c in cands if c.group is None), key=lambda c: c.label != "PERSON")
    for c in rest:
        key = pkeys[id(c)]
        if _may_be_person(ctx, c, key):
            g = _attach_short(groups, key, c.label == "PERSON")
            if g is not None:
                c.label = "PERSON"
                _add(g, c, key)
                continue
        _label_other(ctx, c, key)
        if c.label == "PERSON":
            _join(groups, c, key)
    return groups


def _add(g: Group, c: Cand, key: str) -> None:
    c.group = g
    g.forms[key] += 1


def _join(groups: list[Group], c: Cand, key: str) -> None:
    """Into the one group that admits the name, else a new group."""
    fits = [g for g in groups if g.admits(key)]
    if len(fits) == 1:
        _add(fits[0], c, key)
    elif key:
        groups.append(Group(key))
        _add(groups[-1], c, key)


def _may_be_person(ctx: Ctx, c: Cand, pkey: str) -> bool:
    """Could this span be a short form of a person the tagger labelled otherwise?"""
    if c.label not in ("PERSON", "ORG", "GPE", "NORP") or not pkey:
        return False
    text = span_text(ctx, c)
    if c.label != "PERSON":
        if text.isupper() or N.country_of(N.name_key(text, "GPE")):
            return False
    return ctx.cap(c.s)


def _attach_short(groups: list[Group], key: str, is_person: bool) -> Group | None:
    fits = [g for g in groups if g.admits(key)]
    if len(fits) == 1:
        return fits[0]
    if not fits and is_person and " " not in key:
        # A family name written first (Xi for Xi Jinping): any word of one full name.
        fits = [g for g in groups if key in N.split_person(g.key)[0]]
        if len(fits) == 1:
            return fits[0]
    return None


def _label_other(ctx: Ctx, c: Cand, pkey: str) -> None:
    """Label and key of a span that joined no person: gazetteer first."""
    g = N.gazetteer()
    text = span_text(ctx, c)
    plain = N.name_key(text, "ORG")
    if plain in g.seat:
        c.label, c.key = "SEAT", g.seat[plain][0]
    elif plain in g.country:
        c.label, c.key = "GPE", g.country[plain]
    elif plain in g.demonym or (plain.endswith("s") and plain[:-1] in g.demonym):
        c.label, c.key = "NORP", plain if plain in g.demonym else plain[:-1]
    elif plain in g.capital:
        c.label, c.key = "GPE", plain
    elif c.split:
        c.label = ""  # a part of a joined span that is nobody we know: dropped
    elif c.label == "PERSON":
        if c.e - c.s == 1 and locative(ctx, ctx.root(c)):
            c.label, c.key = "GPE", plain  # "areas in Zaporizhzhia and Kherson"
        else:
            c.key = pkey
    else:
        c.key = N.name_key(text, c.label)


def merge_orgs(cands: list[Cand]) -> None:
    """An acronym and its expansion in one document share the expansion's key."""
    orgs = {c.key for c in cands if c.label == "ORG" and c.key}
    longs = [k for k in orgs if " " in k]
    for c in cands:
        if c.label == "ORG" and " " not in c.key:
            fits = [k for k in longs if N.same_org(c.key, k)]
            if len(fits) == 1:
                c.key = fits[0]


# -- rescan: the document's own name forms ----------------------------------


def rescan(ctx: Ctx, cands: list[Cand], groups: list[Group]) -> list[Cand]:
    """The candidates plus every further occurrence of the document's own name
    forms (and surname variants) that no candidate covers."""
    forms: dict[tuple[str, ...], Cand] = {}
    for c in cands:
        if c.label and not c.split:
            forms.setdefault(tuple(ctx.w[c.s : c.e]), c)
    skel = _surname_skeletons(groups)
    ctx.index(cands)
    found: list[Cand] = []
    i = 0
    while i < ctx.n:
        hit = None if ctx.owner[i] is not None or not ctx.cap(i) else _match_at(ctx, i, forms, skel)
        if hit is None:
            i += 1
            continue
        found.append(hit)
        for k in range(hit.s, hit.e):
            ctx.owner[k] = hit
        i = hit.e
    return cands + found


def _surname_skeletons(groups: list[Group]) -> dict[str, Group | None]:
    out: dict[str, Group | None] = {}
    for g in groups:
        sk = N.skeleton(N.surname_core(N.split_person(g.key)[1]).split()[-1])
        out[sk] = g if sk not in out else None  # two people, one skeleton: unusable
    return out


def _match_at(ctx: Ctx, i: int, forms, skel) -> Cand | None:
    if ctx.lo[i] == i and ctx.pos[i] != "PROPN":
        return None  # a capitalised common word opening a sentence
    for n in range(min(4, ctx.n - i), 0, -1):
        if any(ctx.owner[k] is not None for k in range(i, i + n)):
            continue
        src = forms.get(tuple(ctx.w[i : i + n]))
        if src is not None:
            return _copy(ctx, src, i, i + n)
    word = ctx.w[i]
    sk = N.skeleton(word) if len(word) >= 5 and word.isalpha() else ""
    g = skel.get(sk) if sk else None
    if g is not None and N.similar_surname(word, N.split_person(g.key)[1]):
        c = Cand(i, i + 1, "PERSON", poss=poss_after(ctx, i + 1))
        _add(g, c, N.name_key(word))
        return c
    return None


def _copy(ctx: Ctx, src: Cand, s: int, e: int) -> Cand:
    c = Cand(s, e, src.label, key=src.key, poss=poss_after(ctx, e))
    if src.group is not None:
        _add(src.group, c, N.name_key(span_text(ctx, c)))
    return c
