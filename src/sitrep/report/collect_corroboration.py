"""The corroboration layer's sections of sitrep.json: what is established, by
how many independent sources, who disagrees, how positions move, and the
cited briefing of each story.

Four builders read the tables of store migration 4 (``sitrep.store.schema``)
and return JSON-ready values:

- ``claims``: the claim groups of each story, best first (check-worthiness
  times independent sources, as :func:`sitrep.store.corroboration.claim_groups`
  orders them), each with its supporting documents, independent-source count,
  single-source and content-farm-only marks, and its member claims (document,
  span, text, speaker, polarity, modality);
- ``contradictions``: both sides of each disputed point, with their
  citations, independent-source counts and content-farm marks;
- ``positions``: per story and actor, the positions in the order the
  positions stage settled (time order), and the shift pairs
  (:func:`sitrep.corroborate.positions.shifts`) as index pairs into them;
- ``briefings``: per story, the briefing's sentences with section, text,
  citations and the supported flag, and its mode.

A citation is ``{"document_id", "start", "end"}``: a span of the document's
published text.  Builders return None — the key is left out — when the store
holds no corroboration results at all (no row in any of the four tables), so
"not corroborated" stays distinct from "corroborated, nothing found".  Each
reads its table in one or two bulk queries (no query per story or group):
at a thousand documents the claims table has tens of thousands of rows.
Stories come in the order of the ``stories`` section (largest first), then
each table's own order, so the same store gives the same JSON.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sitrep.store.db import Store

Obj = dict[str, Any]

CLAIM_FIELDS = ("id document_id start end text subject subject_key predicate object polarity modality hedges tense "
                "dates speaker speaker_key quote_kind checkworthy").split()
_TABLES = ("claim_groups", "contradictions", "positions", "briefings")


def corroborated(store: Store) -> bool:
    """Whether the corroboration stages have stored anything in ``store``."""
    return any(store.db.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() for t in _TABLES)


def _opt(value: Any) -> Any:
    return None if value is None or value == "" else value


def _story_order(store: Store, report: Obj) -> dict[str, int]:
    """Story id -> its place in the ``stories`` section (or, without it, by id)."""
    ids = [s["id"] for s in report.get("stories") or []]
    if not ids:
        ids = sorted(r[0] for r in store.db.execute("SELECT id FROM stories"))
    return {sid: i for i, sid in enumerate(ids)}


def _by_story(items: list[Obj], order: dict[str, int]) -> list[Obj]:
    """Stable sort on the story's place; stories unknown to the order last, by id."""
    far = len(order)
    return sorted(items, key=lambda x: (order.get(x["story_id"], far),
                                        "" if x["story_id"] in order else x["story_id"]))


def cite(document_id: str, start: int, end: int) -> Obj:
    return {"document_id": document_id, "start": int(start), "end": int(end)}


def _cites(cell: str) -> list[Obj]:
    return [cite(d, s, e) for d, s, e in json.loads(cell)]


# -- claims ------------------------------------------------------------------------------------


def claims(store: Store, report: Obj) -> list[Obj] | None:
    """Claim groups per story, best first, with their member claims."""
    if not corroborated(store):
        return None
    members = _members(store)
    groups = []
    for r in store.db.execute(
            "SELECT id, story_id, label, independent_sources, single_source, farm_only, checkworthy, subject, "
            "predicate, first_seen FROM claim_groups ORDER BY checkworthy * independent_sources DESC, id"):
        ms = members.get(r["id"], [])
        groups.append({
            "id": r["id"], "story_id": r["story_id"], "label": r["label"], "subject": r["subject"],
            "predicate": r["predicate"], "independent_sources": r["independent_sources"],
            "documents": sorted({m["document_id"] for m in ms}), "single_source": bool(r["single_source"]),
            "farm_only": bool(r["farm_only"]), "checkworthy": r["checkworthy"], "first_seen": _opt(r["first_seen"]),
            "claims": ms,
        })
    groups = _by_story(groups, _story_order(store, report))
    rank: dict[str, int] = defaultdict(int)
    for g in groups:
        rank[g["story_id"]] += 1
        g["rank"] = rank[g["story_id"]]
    return groups


def _members(store: Store) -> dict[str, list[Obj]]:
    """Group id -> its claims, in ingest order then text order."""
    cols = ", ".join(f"c.{c}" for c in CLAIM_FIELDS)
    out: dict[str, list[Obj]] = defaultdict(list)
    cur = store.db.cursor()
    cur.row_factory = None  # plain tuples: the largest table this report reads after mentions
    for row in cur.execute(f"SELECT m.group_id, {cols} FROM claim_group_members m JOIN claims c ON c.id = m.claim_id "
                           "JOIN documents d ON d.id = c.document_id ORDER BY d.seq, c.start, c.id"):
        c = dict(zip(CLAIM_FIELDS, row[1:]))
        c["hedges"], c["dates"] = json.loads(c["hedges"]), json.loads(c["dates"])
        for k in ("subject_key", "speaker", "speaker_key", "quote_kind", "object"):
            c[k] = _opt(c[k])
        out[row[0]].append(c)
    return out


# -- contradictions ----------------------------------------------------------------------------


def contradictions(store: Store, report: Obj) -> list[Obj] | None:
    """Disputed points per story: kind, subject, topic and both sides with citations and source counts."""
    if not corroborated(store):
        return None
    out = [
        {"id": r["id"], "story_id": r["story_id"], "kind": r["kind"], "subject": r["subject"], "topic": r["topic"],
         "a": {"value": r["value_a"], "citations": _cites(r["side_a"]), "sources": r["sources_a"],
               "farm_only": bool(r["farm_a"])},
         "b": {"value": r["value_b"], "citations": _cites(r["side_b"]), "sources": r["sources_b"],
               "farm_only": bool(r["farm_b"])}}
        for r in store.db.execute("SELECT * FROM contradictions ORDER BY story_id, kind, id")
    ]
    return _by_story(out, _story_order(store, report))


# -- positions ---------------------------------------------------------------------------------


def positions(store: Store, report: Obj) -> list[Obj] | None:
    """Per story and actor: positions in time order and the shift pairs between them."""
    if not corroborated(store):
        return None
    from sitrep.store.corroboration import positions as stored

    by_actor: dict[tuple[str, str], list] = defaultdict(list)
    for p in stored(store):  # rowid order: the order the positions stage settled
        by_actor[p.story_id, p.identity].append(p)
    out = [{"story_id": sid, "identity_id": ident, "positions": [_position(p) for p in ps],
            "shifts": _shifts(ps)} for (sid, ident), ps in by_actor.items()]
    return _by_story(out, _story_order(store, report))


def _position(p) -> Obj:
    return {"issue": p.issue, "stance": p.stance, "date": _opt(p.date), "date_from": _opt(p.date_from),
            "claim_id": p.claim_id, "citation": cite(p.citation.document_id, p.citation.start, p.citation.end),
            "text": p.text, "reported": p.reported}


def _shifts(ps: list) -> list[Obj]:
    """The stance changes among one actor's positions (:func:`sitrep.corroborate.positions.shifts`),
    as indexes into ``ps``."""
    from sitrep.corroborate.positions import shifts

    index = {id(p): i for i, p in enumerate(ps)}
    return [{"issue": a.issue, "from": index[id(a)], "to": index[id(b)]} for a, b in shifts(ps)]


# -- briefings ---------------------------------------------------------------------------------


def briefings(store: Store, report: Obj) -> list[Obj] | None:
    """Per story, its briefing: title, mode and the cited sentences in order."""
    if not corroborated(store):
        return None
    labels = {r[0]: r[1] for r in store.db.execute("SELECT id, label FROM stories")}
    by_story: dict[str, Obj] = {}
    for r in store.db.execute("SELECT story_id, section, text, citations, supported, mode FROM briefings "
                              "ORDER BY story_id, seq"):
        b = by_story.setdefault(r["story_id"], {"story_id": r["story_id"], "title": labels.get(r["story_id"],
                                                                                              r["story_id"]),
                                                "mode": r["mode"], "sentences": []})
        b["sentences"].append({"section": r["section"], "text": r["text"], "citations": _cites(r["citations"]),
                               "supported": bool(r["supported"])})
    return _by_story(list(by_story.values()), _story_order(store, report))


SECTIONS = [
    ("claims", claims),
    ("contradictions", contradictions),
    ("positions", positions),
    ("briefings", briefings),
]


def corroboration_stats(report: Obj) -> list[tuple[str, int]]:
    """Headline counts of the corroboration sections present in ``report``."""
    out = []
    for label, key in (("claim groups", "claims"), ("disputed points", "contradictions"),
                       ("briefings", "briefings")):
        if report.get(key) is not None:
            out.append((label, len(report[key])))
    return out
