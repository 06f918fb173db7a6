"""Identities across the corpus: one per actor, place or organisation, however
each document spells it -- built incrementally, one document at a time.

What it computes
----------------
:class:`IdentityIndex` holds the corpus's identities as plain data.
``add(doc_id, mentions, roles, date)`` summarises a document's mentions into
its clusters (one per ``label:key`` of :func:`sitrep.understand.mentions.
find_mentions`), links each cluster to an identity and returns
``{doc_key: identity_id}``:

* **Candidates by blocking** (Christen, *Data Matching*, 2012, ch. 4): an
  identity is filed under cheap keys -- the transliteration skeleton of each
  surname (:func:`sitrep.understand.names.skeleton`), each organisation key and
  its acronym, each place key -- so a new cluster is compared only with the
  identities that share a block, not with all of them.
* **Compatibility**, per kind of name: persons by
  :func:`~sitrep.understand.names.same_person` with every name the identity
  already has and a :func:`~sitrep.understand.names.conflict` with none
  ("Putin" fits "Vladimir Putin"; "Vera Putin" does not, and "Volodymyr
  Zelenskiy" fits "Zelenskyy" and "Selenskyj"); organisations by
  :func:`~sitrep.understand.names.same_org` (equal, or acronym); places by
  :func:`~sitrep.understand.names.same_place`; metonyms, demonyms and events
  by equal key.  A one-word organisation or place the tagger mislabelled
  ("Trump" as ORG) joins the one person whose surname it is.
* **Decision**: one fitting identity -> linked; none -> a new identity; several
  that are compatible with each other -> merged into the oldest (recorded in
  :attr:`IdentityIndex.merges`), then linked; several that conflict (a bare
  "Putin" when Vladimir and Vera Putin are both known) -> the one seen in at
  least twice as many documents as any other, else a new identity.
* **Metonyms** ("the Kremlin said") are identities of their own whose
  ``stands_for`` is the identity of what they stand for -- the country of a
  seat of government or a capital, the EU for Brussels -- created if the
  corpus has not named it yet.  A demonym ("Russian") stands for its country
  the same way.  The building or city named as a place is a separate
  identity.
* **Ids** are ``<kind>:<slug of the first key>`` (``per:vladimir-putin``,
  ``place:united-states``, ``org:kremlin``), suffixed on a clash, so the same
  documents added in the same order give the same ids.
* **Display name**: for a country, its gazetteer name; otherwise the most
  frequent multi-word surface form (ties: the surname spelling used most
  often), else the most frequent form.

The state is plain rows (:meth:`to_rows` / :meth:`from_rows`), so the store
can keep it in SQLite and a later run can go on adding documents.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Identity, Mention, Role, RoleMention
from . import names as N

# The kinds of name, each matched by its own rule; also the id prefixes.
_KIND = {"PERSON": "per", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "place",
         "NORP": "norp", "EVENT": "event"}
_LABEL_OF = {"per": "PERSON", "org": "ORG", "met": "ORG", "place": "GPE", "norp": "NORP", "event": "EVENT"}
_ACTOR_ORDER = ("PERSON", "ORG", "NORP", "GPE", "LOC", "FAC", "EVENT")
DOMINANCE = 2.0  # a bare surname fitting several people goes to one seen this many times more often


@dataclass
class Cluster:
    """One document's view of one actor: a ``label:key`` and its surface forms."""

    doc_key: str
    key: str
    label: str
    metonym: bool
    variants: Counter = field(default_factory=Counter)
    mentions: int = 0


def doc_key(label: str, key: str) -> str:
    """The key of a document cluster, ``LABEL:key`` (a metonym is ``ORG:kremlin``,
    the building ``FAC:kremlin``: one Mention.key, two clusters)."""
    return f"{label}:{key}"


def clusters(mentions: Iterable[Mention]) -> list[Cluster]:
    """A document's clusters, in order of first mention.  Names give surface
    forms; descriptions and pronouns only count; unresolved ones (key "") are left out."""
    out: dict[str, Cluster] = {}
    for m in mentions:
        if not m.key:
            continue
        dk = doc_key(m.label, m.key)
        c = out.get(dk)
        if c is None:
            c = out[dk] = Cluster(dk, m.key, m.label, m.kind == "metonym")
        c.mentions += 1
        if m.kind in ("name", "short", "possessive", "metonym"):
            c.variants[m.text.strip()] += 1
    return list(out.values())


@dataclass
class _Ident:
    id: str
    kind: str  # per | org | met | place | norp | event: how its names are matched
    seq: int
    keys: Counter = field(default_factory=Counter)
    variants: Counter = field(default_factory=Counter)
    labels: Counter = field(default_factory=Counter)  # NER labels of its clusters, by mentions
    docs: list[str] = field(default_factory=list)
    stands_for: str = ""

    @property
    def label(self) -> str:
        if not self.labels:
            return _LABEL_OF.get(self.kind, "ORG")
        return min(self.labels, key=lambda lab: (-self.labels[lab], lab))


def _kind(label: str, metonym: bool) -> str:
    return "met" if metonym else _KIND.get(label, "org")


def _slug(key: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", key).strip("-") or "x"


def _surname_block(key: str) -> str:
    core = N.surname_core(N.split_person(key)[1]).split()
    return "p:" + N.skeleton(core[-1]) if core else ""


class IdentityIndex:
    """The corpus's identities, their roles and the documents that mention them."""

    def __init__(self) -> None:
        self._ids: dict[str, _Ident] = {}
        self._block: dict[str, set[str]] = {}
        self._links: dict[str, dict[str, tuple[str, int]]] = {}  # doc -> doc_key -> (id, mentions)
        self._doc_seq: dict[str, int] = {}
        self._roles: list[tuple] = []  # Role fields; identity resolved through _alias on read
        self._alias: dict[str, str] = {}  # merged id -> surviving id
        self.merges: list[tuple[str, str, str]] = []  # (absorbed id, into id, document)
        self._seq = 0

    # -- adding documents --------------------------------------------------------

    def add(self, doc_id: str, mentions: Iterable[Mention], roles: Iterable[RoleMention] = (),
            date: str = "") -> dict[str, str]:
        """Link one document's clusters to identities; ``{doc_key: identity id}``.
        Adding a document twice changes nothing and returns its links."""
        if doc_id in self._links:
            return self.links(doc_id)
        self._doc_seq[doc_id] = len(self._doc_seq)
        links: dict[str, tuple[str, int]] = {}
        for c in clusters(mentions):
            ident = self._link(c, doc_id)
            links[c.doc_key] = (ident.id, c.mentions)
        self._links[doc_id] = links
        for r in roles:
            hit = links.get(doc_key("PERSON", r.key))
            if hit is not None:
                self._roles.append((hit[0], r.role, r.qualifier, doc_id, r.start, r.end, date))
        return self.links(doc_id)

    def add_many(self, items: Iterable[tuple[str, list[Mention], list[RoleMention], str]]) -> dict[str, dict[str, str]]:
        """Batch form of :meth:`add`: ``{doc_id: {doc_key: identity id}}``."""
        return {doc_id: self.add(doc_id, m, r, d) for doc_id, m, r, d in items}

    def _link(self, c: Cluster, doc_id: str) -> _Ident:
        fits = self._fits(c)
        if len(fits) > 1:
            fits = self._settle(fits, doc_id)
        ident = fits[0] if fits else self._create(c.key, _kind(c.label, c.metonym))
        ident.labels[c.label] += c.mentions
        ident.keys[c.key] += c.mentions
        ident.variants.update(c.variants)
        if doc_id not in ident.docs:
            ident.docs.append(doc_id)
        self._file(ident, c.key)
        if (c.metonym or c.label == "NORP") and not ident.stands_for:
            ident.stands_for = self._stands_for(c)
        return ident

    def _settle(self, fits: list[_Ident], doc_id: str) -> list[_Ident]:
        """Several identities fit: merge them if they agree, else pick a dominant one."""
        fits = sorted(fits, key=lambda i: i.seq)
        if all(self._compatible(a, b) for k, a in enumerate(fits) for b in fits[k + 1:]):
            for other in fits[1:]:
                self._merge(other, fits[0], doc_id)
            return [fits[0]]
        ranked = sorted(fits, key=lambda i: (-len(i.docs), i.seq))
        if len(ranked[0].docs) >= DOMINANCE * len(ranked[1].docs):
            return [ranked[0]]
        return []

    # -- matching ---------------------------------------------------------------

    @staticmethod
    def _blocks(key: str, kind: str) -> list[str]:
        flat = key.replace("-", " ")
        out = ["k:" + flat] if " " in flat and kind != "met" else []  # multi-word names, any kind
        if kind == "per":
            return out + [_surname_block(key)]
        if kind == "org":
            out.append("o:" + key)
            if N.acronym(key):
                out.append("o:" + N.acronym(key))
            return out
        if kind == "place":
            return out + ["g:" + key] + (["gs:" + N.skeleton(key)] if " " not in key else [])
        return out + [kind[0] + ":" + key]

    def _file(self, ident: _Ident, key: str) -> None:
        for b in self._blocks(key, ident.kind):
            if b:
                self._block.setdefault(b, set()).add(ident.id)

    def _candidates(self, c: Cluster) -> list[_Ident]:
        ids: set[str] = set()
        for b in self._blocks(c.key, _kind(c.label, c.metonym)):
            ids |= self._block.get(b, set())
        return sorted((self._ids[i] for i in ids), key=lambda i: i.seq)

    def _fits(self, c: Cluster) -> list[_Ident]:
        kind = _kind(c.label, c.metonym)
        cands = self._candidates(c)
        fits = [i for i in cands if i.kind == kind and _key_fits(kind, c.key, i.keys)]
        if fits or kind == "met":
            return fits
        # The tagger labels one name differently in different documents: a
        # multi-word name known under another label, or one word that is the
        # surname of exactly one known person.
        flat = c.key.replace("-", " ")
        same = [i for i in cands if i.kind != "met" and " " in flat
                and any(k.replace("-", " ") == flat for k in i.keys)]
        if len(same) == 1:
            return same
        if kind in ("org", "place") and " " not in c.key and not N.country_of(c.key):
            return self._person_by_surname(c.key)
        return []

    def _person_by_surname(self, key: str) -> list[_Ident]:
        """A one-word ORG/GPE cluster that is the surname of exactly one known person."""
        block = sorted(self._block.get(_surname_block(key), ()))
        hits = [i for i in (self._ids[b] for b in block)
                if i.kind == "per" and any(N.surname_core(N.split_person(k)[1]) == key for k in i.keys)]
        return hits if len(hits) == 1 else []

    def _compatible(self, a: _Ident, b: _Ident) -> bool:
        """May two identities be one?  For persons, no name of one may conflict
        with any name of the other (a bare "Halvorsen" in both proves nothing)."""
        if a.kind != b.kind:
            return False
        if a.kind == "per" and any(N.conflict(x, y) for x in a.keys for y in b.keys):
            return False
        return any(_key_fits(a.kind, k, b.keys) for k in a.keys)

    # -- creating and merging ----------------------------------------------------

    def _create(self, key: str, kind: str) -> _Ident:
        base = f"{'org' if kind == 'met' else kind}:{_slug(key)}"
        ident_id, n = base, 1
        while ident_id in self._ids or ident_id in self._alias:
            n += 1
            ident_id = f"{base}-{n}"
        ident = _Ident(ident_id, kind, self._seq)
        self._seq += 1
        self._ids[ident_id] = ident
        return ident

    def _merge(self, src: _Ident, dst: _Ident, doc_id: str) -> None:
        dst.keys.update(src.keys)
        dst.variants.update(src.variants)
        dst.labels.update(src.labels)
        dst.docs.extend(d for d in src.docs if d not in dst.docs)
        dst.docs.sort(key=lambda d: self._doc_seq.get(d, 0))
        dst.stands_for = dst.stands_for or src.stands_for
        for b, ids in self._block.items():
            if src.id in ids:
                ids.discard(src.id)
                ids.add(dst.id)
        for d in src.docs:
            self._links[d] = {k: ((dst.id if i == src.id else i), n) for k, (i, n) in self._links.get(d, {}).items()}
        for other in self._ids.values():
            if other.stands_for == src.id:
                other.stands_for = dst.id
        self._alias[src.id] = dst.id
        del self._ids[src.id]
        self.merges.append((src.id, dst.id, doc_id))

    def _stands_for(self, c: Cluster) -> str:
        """Id of the identity a metonym or demonym stands for, created if needed."""
        g = N.gazetteer()
        if c.key in g.seat_for:
            target, label = g.seat_for[c.key]
        else:
            target, label = N.country_of(c.key), "GPE"
        if not target:
            return ""
        probe = Cluster(doc_key(label, target), target, label, False)
        fits = self._fits(probe)
        ident = fits[0] if fits else self._create(target, _kind(label, False))
        if not fits:
            ident.keys[target] += 0
            self._file(ident, target)
        return ident.id

    # -- reading ------------------------------------------------------------------

    def resolve(self, ident_id: str) -> str:
        """The surviving id of a possibly merged identity."""
        while ident_id in self._alias:
            ident_id = self._alias[ident_id]
        return ident_id

    def documents(self) -> list[str]:
        """The documents added so far, in the order they were added."""
        return list(self._doc_seq)

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self._links

    def links(self, doc_id: str) -> dict[str, str]:
        return {k: self.resolve(i) for k, (i, _) in self._links.get(doc_id, {}).items()}

    def document_actors(self, doc_id: str) -> dict[str, int]:
        """Which identities a document mentions, and how many times (names,
        descriptions and pronouns counted), most mentioned first."""
        out: Counter = Counter()
        for i, n in self._links.get(doc_id, {}).values():
            out[self.resolve(i)] += n
        return dict(out.most_common())

    def identity_of(self, doc_id: str, key: str) -> str:
        """The identity a document's ``Mention.key`` designates ("" if unknown);
        an actor reading first when a key is both a place and a metonym."""
        links = self._links.get(doc_id, {})
        for label in _ACTOR_ORDER:
            hit = links.get(doc_key(label, key))
            if hit is not None:
                return self.resolve(hit[0])
        return ""

    def identities(self) -> list[Identity]:
        return [self._public(i) for i in sorted(self._ids.values(), key=lambda i: i.seq)]

    def identity(self, ident_id: str) -> Identity | None:
        i = self._ids.get(self.resolve(ident_id))
        return self._public(i) if i is not None else None

    def roles(self) -> list[Role]:
        return [Role(self.resolve(r[0]), *r[1:]) for r in self._roles]

    def _public(self, i: _Ident) -> Identity:
        return Identity(i.id, display_name(i.keys, i.variants, i.label), i.label,
                        dict(i.variants.most_common()), list(i.docs), i.stands_for)

    # -- plain rows ------------------------------------------------------------------

    def to_rows(self) -> dict[str, list[tuple]]:
        """The whole state as tables of plain tuples (for SQLite, or JSON:
        :meth:`from_rows` accepts lists where tuples were)."""
        ids = sorted(self._ids.values(), key=lambda i: i.seq)
        return {
            "identities": [(i.id, i.kind, i.stands_for, i.seq) for i in ids],
            "keys": [(i.id, k, n) for i in ids for k, n in i.keys.items()],
            "labels": [(i.id, lab, n) for i in ids for lab, n in i.labels.items()],
            "variants": [(i.id, v, n) for i in ids for v, n in i.variants.items()],
            "links": [(d, self._doc_seq[d], k, i, n) for d in self._doc_seq
                      for k, (i, n) in self._links.get(d, {}).items()],
            "roles": [tuple(r) for r in self._roles],
            "merges": [tuple(m) for m in self.merges],
            "meta": [("seq", self._seq)],
        }

    @classmethod
    def from_rows(cls, rows: dict[str, list[tuple]]) -> "IdentityIndex":
        idx = cls()
        idx._seq = dict(rows.get("meta", [])).get("seq", 0)
        for ident_id, kind, stands_for, seq in rows["identities"]:
            idx._ids[ident_id] = _Ident(ident_id, kind, seq, stands_for=stands_for)
        for ident_id, lab, n in rows.get("labels", []):
            idx._ids[ident_id].labels[lab] = n
        for ident_id, k, n in rows["keys"]:
            idx._ids[ident_id].keys[k] = n
            idx._file(idx._ids[ident_id], k)
        for ident_id, v, n in rows["variants"]:
            idx._ids[ident_id].variants[v] = n
        for d, seq, k, ident_id, n in sorted(rows["links"], key=lambda r: r[1]):
            idx._doc_seq.setdefault(d, seq)
            idx._links.setdefault(d, {})[k] = (ident_id, n)
            live = idx._ids.get(ident_id)
            if live is not None and d not in live.docs:
                live.docs.append(d)
        idx._roles = [tuple(r) for r in rows["roles"]]
        idx.merges = [tuple(m) for m in rows["merges"]]
        idx._alias = {a: b for a, b, _ in idx.merges}
        return idx


def _other_surname(ka: str, kb: str) -> bool:
    """Two full names (given name and surname) whose surnames are not one name's spellings."""
    (ga, sa), (gb, sb) = N.split_person(ka), N.split_person(kb)
    return bool(ga and sa and gb and sb) and not N.similar_surname(sa, sb)


def _key_fits(kind: str, key: str, keys: Counter) -> bool:
    """Does a cluster key fit an identity's set of keys?"""
    if kind == "per":
        # A full name's surname must fit the surname of every full name the identity has, not only
        # a bare one: "Kenneth Baer" fits a lone "Bare", but that does not make him "J.M. Barrie".
        return any(N.same_person(key, k) for k in keys) and not any(N.conflict(key, k) for k in keys) \
            and not any(_other_surname(key, k) for k in keys)
    if kind == "org":
        return any(N.same_org(key, k) for k in keys)
    if kind == "place":
        return any(N.same_place(key, k) for k in keys)
    return key in keys


def display_name(keys: Counter, variants: Counter, label: str) -> str:
    """The most complete frequent form (see the module docstring)."""
    g = N.gazetteer()
    for k, _ in keys.most_common():
        if label in ("GPE", "LOC") and k in g.display:
            return g.display[k]
    if not variants:
        k = keys.most_common(1)[0][0] if keys else ""
        return g.display.get(k, k.title())
    if label == "PERSON":
        multi = {v: n for v, n in variants.items() if len(v.split()) >= 2}
        if multi:
            last = Counter()
            for v, n in variants.items():
                last[v.split()[-1]] += n
            return min(multi, key=lambda v: (-multi[v], -last[v.split()[-1]], v))
    if label == "NORP":  # a people as a group: "Americans were killed", not "American was killed"
        plural = {v: n for v, n in variants.items() if v.endswith("s") and not v.endswith("ss")}
        if plural:
            return min(plural, key=lambda v: (-plural[v], -len(v), v))
    return min(variants, key=lambda v: (-variants[v], -len(v), v))
