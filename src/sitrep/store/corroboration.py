"""Reading and writing the corroboration layer: claim groups, contradictions,
positions and briefings, all per story.

Claims themselves are per document and saved with the annotation
(:mod:`sitrep.store.understanding`, table ``claims``).  Corpus-wide rows are
replaced whole by the stage that makes them, inside one transaction.

Readers are set-based: a list of ids goes to SQLite as one JSON array
(``json_each``), so reading a story costs one query whatever its size, and no
bound on the number of SQL variables applies.
"""

from __future__ import annotations

import json

from sitrep.model import Briefing, BriefSentence, Citation, Claim, ClaimGroup, Contradiction, Position
from sitrep.store.db import Store
from sitrep.store.understanding import _claim, _columns, save_rows


def cells(cites: list[Citation]) -> str:
    return json.dumps([[c.document_id, c.start, c.end] for c in cites])


def citations(data: str) -> list[Citation]:
    return [Citation(d, s, e) for d, s, e in json.loads(data)]


def story_claims(store: Store, doc_ids: list[str]) -> list[Claim]:
    """The stored claims of these documents, in document (as listed) then text order."""
    return [claim for _, claim in _claims_where(store, "c.document_id", doc_ids, "j.key, c.seq")]


def claims_by_id(store: Store, ids: list[str]) -> dict[str, Claim]:
    """The stored claims with these ids, in the order asked (unknown ids are left out)."""
    return {claim.id: claim for _, claim in _claims_where(store, "c.id", ids, "j.key")}


def _claims_where(store: Store, column: str, values: list[str], order: str):
    """(position in ``values``, claim) of the claims whose ``column`` is one of ``values``."""
    cols = _columns(Claim)
    for key, doc_id, *row in store.db.execute(
            f"SELECT j.key, c.document_id, {', '.join('c.' + c for c in cols)} FROM json_each(?) j "
            f"JOIN claims c ON {column} = j.value ORDER BY {order}", (json.dumps(list(values)),)):
        # The annotation reader's decoding, so that a claim reads the same whichever way it is read.
        yield key, _claim({**dict(zip(cols, row)), "document_id": doc_id})


def group_rows(groups: list[ClaimGroup]) -> dict[str, list[tuple]]:
    return {
        "claim_groups": [(g.id, g.story_id, g.label, len(g.claims), len(g.documents), g.independent_sources,
                          int(g.single_source), int(g.farm_only), g.checkworthy, g.subject, g.predicate, g.first_seen)
                         for g in groups],
        "claim_group_members": [(cid, g.id, cid.rsplit(":", 1)[0]) for g in groups for cid in g.claims],
    }


def claim_groups(store: Store, story_id: str | None = None) -> list[ClaimGroup]:
    """Claim groups (of one story, or all), most check-worthy and best supported first."""
    where, args = ("WHERE story_id = ?", (story_id,)) if story_id else ("", ())
    members: dict[str, list[tuple[str, str]]] = {}
    for gid, cid, doc_id in store.db.execute(
            "SELECT m.group_id, m.claim_id, m.document_id FROM claim_group_members m "
            f"JOIN claim_groups g ON g.id = m.group_id {where} ORDER BY m.group_id, m.claim_id", args):
        members.setdefault(gid, []).append((cid, doc_id))
    out = []
    for row in store.db.execute(
            "SELECT id, story_id, label, independent_sources, single_source, farm_only, checkworthy, subject, "
            f"predicate, first_seen FROM claim_groups {where} ORDER BY checkworthy * independent_sources DESC, id",
            args):
        mine = members.get(row[0], [])
        out.append(ClaimGroup(row[0], row[1], row[2], [m[0] for m in mine], sorted({m[1] for m in mine}),
                              row[3], bool(row[4]), bool(row[5]), row[6], row[7], row[8], row[9]))
    return out


def contradiction_rows(items: list[Contradiction]) -> list[tuple]:
    return [(c.id, c.story_id, c.kind, c.subject, c.topic, c.value_a, c.value_b, cells(c.side_a), cells(c.side_b),
             c.sources_a, c.sources_b, int(c.farm_a), int(c.farm_b)) for c in items]


def contradictions(store: Store, story_id: str | None = None) -> list[Contradiction]:
    where, args = ("WHERE story_id = ?", (story_id,)) if story_id else ("", ())
    return [Contradiction(r[0], r[1], r[2], r[3], r[4], r[5], r[6], citations(r[7]), citations(r[8]), r[9], r[10],
                          bool(r[11]), bool(r[12]))
            for r in store.db.execute(f"SELECT * FROM contradictions {where} ORDER BY story_id, kind, id", args)]


def position_rows(items: list[Position]) -> list[tuple]:
    return [(p.identity, p.story_id, p.issue, p.stance, p.date, p.date_from, p.claim_id, p.citation.document_id,
             p.citation.start, p.citation.end, p.text, int(p.reported)) for p in items]


def positions(store: Store, story_id: str | None = None) -> list[Position]:
    where, args = ("WHERE story_id = ?", (story_id,)) if story_id else ("", ())
    return [Position(r[0], r[1], r[2], r[3], r[4], r[5], r[6], Citation(r[7], r[8], r[9]), r[10], bool(r[11]))
            for r in store.db.execute(f"SELECT * FROM positions {where} ORDER BY rowid", args)]


def briefing_rows(items: list[Briefing]) -> list[tuple]:
    return [(b.story_id, seq, s.section, s.text, cells(s.citations), int(s.supported), b.mode)
            for b in items for seq, s in enumerate(b.sentences)]


def briefing(store: Store, story_id: str) -> Briefing | None:
    rows = store.db.execute("SELECT section, text, citations, supported, mode FROM briefings WHERE story_id = ? "
                            "ORDER BY seq", (story_id,)).fetchall()
    if not rows:
        return None
    title = store.db.execute("SELECT label FROM stories WHERE id = ?", (story_id,)).fetchone()
    return Briefing(story_id, title[0] if title else story_id,
                    [BriefSentence(r[0], r[1], citations(r[2]), bool(r[3])) for r in rows], rows[0][4])


__all__ = ["save_rows", "story_claims", "claims_by_id", "claim_groups", "contradictions", "positions", "briefing",
           "group_rows", "contradiction_rows", "position_rows", "briefing_rows", "cells", "citations"]
