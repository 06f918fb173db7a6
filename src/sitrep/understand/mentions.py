"""Mentions of actors, places and organisations in one document, and the
roles the document gives them: the ``find_mentions`` component.

What it computes
----------------
``find_mentions(sdoc, ann, doc)`` fills ``ann.mentions`` (:class:`Mention`)
and ``ann.roles`` (:class:`RoleMention`) from one parsed spaCy ``Doc``.  It
orchestrates one algorithm per module, over the token view of
:mod:`sitrep.understand._tokens` (spaCy's arrays read once):

1. **Names** (:mod:`~sitrep.understand.candidates`): spaCy's entity spans,
   repaired by cheap rules that generalise (spans cut at line breaks and
   possessives, titles moved out of person spans, entities inside headings
   dropped, "Trump-Putin" split).
2. **One referent per name and document** (:mod:`~sitrep.understand.clusters`;
   Gale, Church & Yarowsky 1992, "One sense per discourse"): short forms join
   the one full name whose surname they match, whatever label the tagger gave
   them; other spans are labelled from a gazetteer; the document's own name
   forms are matched again over the text (a document-level gazetteer as in
   Mikheev, Moens & Grover 1999, EACL).  The cluster key is the fullest form
   the document uses, normalised (:func:`sitrep.understand.names.name_key`).
3. **Roles** (:mod:`~sitrep.understand.roles`, lexicon and normal form in
   :mod:`~sitrep.understand.offices`): a title before the name, an apposition
   after or before it, a copula, read by one noun-phrase reader (in the manner
   of Hearst 1992, COLING).  Office words inside a role ("State" in "Secretary
   of State") stop being organisation mentions.
4. **Metonyms** (:mod:`~sitrep.understand.metonyms`; Markert & Nissim 2007):
   a seat of government or a capital used as an actor is an ORG of kind
   ``metonym``; after a locative preposition it is a place.
5. **Definite descriptions** (:mod:`~sitrep.understand.descriptions`; Vieira &
   Poesio 2000): "the Russian leader" resolved only when exactly one person of
   the document has a fitting role; unresolved ones are kept with key "".
6. **Pronouns** (:mod:`~sitrep.understand.pronouns`; Lappin & Leass 1994):
   he/she and forms resolved to the single fitting person before them in
   their sentence or the previous one; only resolved pronouns are emitted.

Each emitted name is of kind ``name`` (the cluster's full form), ``short``,
``possessive``, ``metonym``, ``description`` or ``pronoun``; its key is the
cluster's key for persons, else its own normalised key.  The role normal form
is documented in :mod:`sitrep.understand.offices`; :func:`split_role` undoes
it.  ``LABELS``, ``Office``, ``offices``, ``qualifiers``, ``role_text`` and
``split_role`` are re-exported here for callers of the former single module.
"""

from __future__ import annotations

from ..model import Annotation, Mention
from . import names as N
from ._tokens import Cand, Ctx, key_of
from .candidates import LABELS, ner_candidates
from .clusters import cluster, merge_orgs, rescan
from .descriptions import descriptions
from .metonyms import classify_places
from .offices import Office, offices, qualifiers, role_text, split_role
from .pronouns import pronouns
from .roles import find_roles

__all__ = ["find_mentions", "LABELS", "Office", "offices", "qualifiers", "role_text", "split_role"]


def find_mentions(sdoc, ann: Annotation, doc=None) -> None:
    """Fill ``ann.mentions`` and ``ann.roles`` for one parsed document."""
    ctx = Ctx(sdoc, ann)
    cands = ner_candidates(ctx)
    groups = cluster(ctx, cands)
    cands = [c for c in cands if c.label]
    merge_orgs(cands)
    cands = rescan(ctx, cands, groups)
    ctx.index(cands)
    roles, role_spans, office_toks, facts = find_roles(ctx, cands)
    cands = _drop_office_words(cands, office_toks)
    ctx.index(cands)
    classify_places(ctx, cands)
    role_toks = [False] * ctx.n
    for a, b in role_spans:
        for i in range(a, b):
            role_toks[i] = True
    descs = descriptions(ctx, facts, role_toks)
    prons = pronouns(ctx, cands + descs)
    ann.mentions = _emit(ctx, cands + descs + prons)
    ann.roles = roles


def _drop_office_words(cands: list[Cand], office_toks: list[tuple[int, int]]) -> list[Cand]:
    """"State" in "Secretary of State" is part of a title, not an organisation."""
    if not office_toks:
        return cands
    covered = set()
    for a, b in office_toks:
        covered.update(range(a, b))
    return [c for c in cands if c.label not in ("ORG", "PERSON", "LOC")
            or c.group is not None or not covered.intersection(range(c.s, c.e))]


def _emit(ctx: Ctx, cands: list[Cand]) -> list[Mention]:
    out = []
    for c in cands:
        a, b = ctx.span(c.s, c.e)
        key = key_of(c)
        kind = c.kind
        if c.group is not None and kind == "name":
            kind = "possessive" if c.poss else ("name" if N.name_key(ctx.text[a:b]) == key else "short")
        elif kind == "name" and c.poss:
            kind = "possessive"
        out.append(Mention(a, b, ctx.text[a:b], c.label, kind, key, ctx.sent[c.s]))
    out.sort(key=lambda m: (m.start, m.end, m.kind))
    return out
