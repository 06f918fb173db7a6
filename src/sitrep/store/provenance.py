"""Reading and writing the provenance layer: per-document products, spin,
the derivation graph, origin groups and quality cards.

Functions take an open :class:`~sitrep.store.db.Store`; writers expect to be
called inside ``store.transaction()`` so a stage's results land whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from sitrep.model import Derivation, Passage, QualityCard, Signal, SpinMark, SpinResult
from sitrep.store.db import Store

# -- per-document products (compact, internal) ---------------------------------


def put_product(store: Store, doc_id: str, stage: str, version: int, data: bytes | str | None) -> None:
    store.db.execute(
        "INSERT OR REPLACE INTO doc_products (document_id, stage, version, data) VALUES (?, ?, ?, ?)",
        (doc_id, stage, version, data),
    )


def products(store: Store, stage: str, version: int) -> Iterator[tuple[str, bytes | str | None]]:
    """(document id, data) of every document that has this stage's product at this version, in ingest order."""
    yield from store.db.execute(
        "SELECT p.document_id, p.data FROM doc_products p JOIN documents d ON d.id = p.document_id "
        "WHERE p.stage = ? AND p.version = ? ORDER BY d.seq",
        (stage, version),
    )


def product(store: Store, doc_id: str, stage: str, version: int) -> bytes | str | None:
    """One document's product of this stage at this version (None when it has none)."""
    row = store.db.execute("SELECT data FROM doc_products WHERE document_id = ? AND stage = ? AND version = ?",
                           (doc_id, stage, version)).fetchone()
    return row[0] if row else None


def missing_product(store: Store, stage: str, version: int) -> list[str]:
    """Ids of documents that lack this stage's product at this version."""
    return [r[0] for r in store.db.execute(
        "SELECT d.id FROM documents d LEFT JOIN doc_products p "
        "ON p.document_id = d.id AND p.stage = ? AND p.version = ? "
        "WHERE p.document_id IS NULL ORDER BY d.seq",
        (stage, version),
    )]


# -- spin ----------------------------------------------------------------------


def save_spin(store: Store, res: SpinResult) -> None:
    store.db.execute("DELETE FROM spin_marks WHERE document_id = ?", (res.document_id,))
    store.db.execute(
        "INSERT OR REPLACE INTO spin (document_id, score, spun, method, restored_text) VALUES (?, ?, ?, ?, ?)",
        (res.document_id, res.score, int(res.spun), res.method or "none", res.restored_text),
    )
    store.db.executemany(
        "INSERT OR REPLACE INTO spin_marks (document_id, start, end, published, restored, confidence, method) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(res.document_id, m.start, m.end, m.published, m.restored, m.confidence, m.method) for m in res.marks],
    )


def restoration_marks(store: Store, doc_id: str) -> list[SpinMark]:
    """The substitutions to undo when the document is judged spun and restored; [] otherwise."""
    spin = load_spin(store, doc_id)
    return spin.marks if spin and spin.spun and spin.restored_text else []


def load_spin(store: Store, doc_id: str) -> SpinResult | None:
    row = store.db.execute("SELECT * FROM spin WHERE document_id = ?", (doc_id,)).fetchone()
    if row is None:
        return None
    marks = [
        SpinMark(r["start"], r["end"], r["published"], r["restored"], r["confidence"], r["method"])
        for r in store.db.execute("SELECT * FROM spin_marks WHERE document_id = ? ORDER BY start", (doc_id,))
    ]
    return SpinResult(doc_id, row["score"], bool(row["spun"]), marks, row["restored_text"], row["method"])


# -- derivation graph and origin groups ------------------------------------------


def save_derivations(store: Store, edges: Iterable[Derivation], replace_for: Iterable[str] = ()) -> None:
    """Store edges; ``replace_for`` lists documents whose old edges are dropped first."""
    for doc_id in replace_for:
        store.db.execute(
            "DELETE FROM passages WHERE origin_id = ? OR copy_id = ?", (doc_id, doc_id))
        store.db.execute(
            "DELETE FROM derivations WHERE origin_id = ? OR copy_id = ?", (doc_id, doc_id))
    for e in edges:
        store.db.execute("DELETE FROM passages WHERE origin_id = ? AND copy_id = ?", (e.origin_id, e.copy_id))
        store.db.execute(
            "INSERT OR REPLACE INTO derivations (origin_id, copy_id, relation, coverage_origin, coverage_copy, "
            "confidence, direction) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (e.origin_id, e.copy_id, e.relation, e.coverage_origin, e.coverage_copy, e.confidence,
             json.dumps(e.direction)),
        )
        store.db.executemany(
            "INSERT INTO passages (origin_id, copy_id, origin_start, origin_end, copy_start, copy_end, kind, "
            "similarity) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(e.origin_id, e.copy_id, p.origin_start, p.origin_end, p.copy_start, p.copy_end, p.kind, p.similarity)
             for p in e.passages],
        )


def load_derivations(store: Store, with_passages: bool = True) -> list[Derivation]:
    edges = []
    for r in store.db.execute("SELECT * FROM derivations ORDER BY origin_id, copy_id"):
        e = Derivation(r["origin_id"], r["copy_id"], r["relation"], r["coverage_origin"], r["coverage_copy"],
                       r["confidence"], json.loads(r["direction"]))
        if with_passages:
            e.passages = [
                Passage(p["origin_start"], p["origin_end"], p["copy_start"], p["copy_end"], p["kind"], p["similarity"])
                for p in store.db.execute(
                    "SELECT * FROM passages WHERE origin_id = ? AND copy_id = ? ORDER BY copy_start",
                    (e.origin_id, e.copy_id))
            ]
        edges.append(e)
    return edges


def save_groups(store: Store, groups: dict[str, tuple[str, str]]) -> None:
    store.db.execute("DELETE FROM origin_groups")
    store.db.executemany(
        "INSERT INTO origin_groups (document_id, group_id, role) VALUES (?, ?, ?)",
        [(doc, g, role) for doc, (g, role) in sorted(groups.items())],
    )


def load_groups(store: Store) -> dict[str, tuple[str, str]]:
    return {r[0]: (r[1], r[2]) for r in store.db.execute("SELECT document_id, group_id, role FROM origin_groups")}


def save_candidates(store: Store, pairs: Iterable[tuple[str, str, str, float]]) -> None:
    store.db.executemany(
        "INSERT OR REPLACE INTO candidate_pairs (a, b, route, score) VALUES (?, ?, ?, ?)",
        [(min(a, b), max(a, b), route, float(score)) for a, b, route, score in pairs],
    )


# -- quality ---------------------------------------------------------------------


def save_quality(store: Store, card: QualityCard) -> None:
    store.db.execute("DELETE FROM quality_signals WHERE document_id = ?", (card.document_id,))
    store.db.execute(
        "INSERT OR REPLACE INTO quality (document_id, score, content_farm) VALUES (?, ?, ?)",
        (card.document_id, card.score, int(card.content_farm)),
    )
    store.db.executemany(
        "INSERT INTO quality_signals (document_id, seq, name, weight, detail, spans) VALUES (?, ?, ?, ?, ?, ?)",
        [(card.document_id, i, s.name, s.weight, s.detail, json.dumps([list(x) for x in s.spans]))
         for i, s in enumerate(card.signals)],
    )


def load_quality(store: Store, doc_id: str) -> QualityCard | None:
    row = store.db.execute("SELECT * FROM quality WHERE document_id = ?", (doc_id,)).fetchone()
    if row is None:
        return None
    signals = [
        Signal(r["name"], r["weight"], r["detail"], tuple(tuple(x) for x in json.loads(r["spans"])))
        for r in store.db.execute("SELECT * FROM quality_signals WHERE document_id = ? ORDER BY seq", (doc_id,))
    ]
    return QualityCard(doc_id, row["score"], bool(row["content_farm"]), signals)
