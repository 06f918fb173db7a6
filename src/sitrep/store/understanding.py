"""Reading and writing the understanding layer's per-document annotations.

Each list of an :class:`~sitrep.model.Annotation` (mentions, roles, quotes,
times, events) is a table whose columns are the dataclass's fields, plus
``document_id`` and ``seq`` (order within the document), so the tables read
naturally in sqlite3 or Datasette.  List-valued fields are stored as JSON.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator
from dataclasses import fields

from sitrep.model import Annotation, Claim, Event, Mention, Quantity, Quote, Role, RoleMention, TimeExpr
from sitrep.store.db import Store

# Annotation field -> (table, dataclass)
TABLES: dict[str, tuple[str, type]] = {
    "mentions": ("mentions", Mention),
    "roles": ("role_mentions", RoleMention),
    "quotes": ("quotes", Quote),
    "times": ("times", TimeExpr),
    "events": ("events", Event),
    "claims": ("claims", Claim),
}


def _columns(cls: type) -> list[str]:
    return [f.name for f in fields(cls) if f.name != "document_id"]


def _cell(value):
    if isinstance(value, tuple) and value and isinstance(value[0], Quantity):
        return json.dumps([dataclasses.asdict(q) for q in value])
    return json.dumps(value) if isinstance(value, (list, tuple, dict)) else value


def _claim(values: dict) -> Claim:
    for name in ("hedges", "dates", "places", "entities"):
        values[name] = tuple(json.loads(values[name]))
    values["numbers"] = tuple(Quantity(**q) for q in json.loads(values["numbers"]))
    return Claim(**values)


def save_annotation(store: Store, ann: Annotation, on_restored: bool) -> None:
    doc_id = ann.document_id
    for table, cls in TABLES.values():
        store.db.execute(f"DELETE FROM {table} WHERE document_id = ?", (doc_id,))
    store.db.execute(
        "INSERT OR REPLACE INTO annotations (document_id, text_digest, on_restored, published, published_from, "
        "sentences) VALUES (?, ?, ?, ?, ?, ?)",
        (doc_id, ann.text_digest, int(on_restored), ann.published or None, ann.published_from or "none",
         json.dumps(ann.sentences)),
    )
    for attr, (table, cls) in TABLES.items():
        cols = _columns(cls)
        rows = [(doc_id, seq, *(_cell(getattr(item, c)) for c in cols))
                for seq, item in enumerate(getattr(ann, attr))]
        if rows:
            marks = ", ".join("?" * (len(cols) + 2))
            store.db.executemany(
                f"INSERT INTO {table} (document_id, seq, {', '.join(cols)}) VALUES ({marks})", rows)


def _items(store: Store, table: str, cls: type, doc_id: str) -> list:
    cols = _columns(cls)
    out = []
    for row in store.db.execute(
            f"SELECT {', '.join(cols)} FROM {table} WHERE document_id = ? ORDER BY seq", (doc_id,)):
        values = dict(zip(cols, row))
        if cls is Event:
            for name in ("actors", "agents", "patients"):
                values[name] = json.loads(values[name])
            values["document_id"] = doc_id
        if cls is Claim:
            values["document_id"] = doc_id
            out.append(_claim(values))
            continue
        out.append(cls(**values))
    return out


def load_annotation(store: Store, doc_id: str) -> Annotation | None:
    row = store.db.execute(
        "SELECT text_digest, published, published_from, sentences FROM annotations WHERE document_id = ?",
        (doc_id,)).fetchone()
    if row is None:
        return None
    ann = Annotation(doc_id, row[0], sentences=[tuple(s) for s in json.loads(row[3])],
                     published=row[1] or "", published_from=row[2])
    for attr, (table, cls) in TABLES.items():
        setattr(ann, attr, _items(store, table, cls, doc_id))
    return ann


def annotated_ids(store: Store) -> list[str]:
    """Ids of the annotated documents, in ingest order."""
    return [r[0] for r in store.db.execute(
        "SELECT a.document_id FROM annotations a JOIN documents d ON d.id = a.document_id ORDER BY d.seq")]


def annotations(store: Store, ids: Iterable[str] | None = None) -> Iterator[Annotation]:
    """Stored annotations, in ingest order (or for ``ids``, in that order)."""
    for doc_id in annotated_ids(store) if ids is None else ids:
        ann = load_annotation(store, doc_id)
        if ann is not None:
            yield ann


def annotation_digests(store: Store) -> dict[str, str]:
    return dict(store.db.execute("SELECT document_id, text_digest FROM annotations"))


# -- corpus-wide results: identities, quote speakers, timeline, stories ---------


def get_state(store: Store, name: str) -> bytes | None:
    row = store.db.execute("SELECT data FROM state WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def put_state(store: Store, name: str, data: bytes) -> None:
    from sitrep.store.db import now

    store.db.execute("INSERT OR REPLACE INTO state (name, data, updated_at) VALUES (?, ?, ?)", (name, data, now()))


def _replace(store: Store, table: str, rows: list[tuple]) -> None:
    store.db.execute(f"DELETE FROM {table}")
    if rows:
        store.db.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(rows[0]))})", rows)


def identity_links(store: Store) -> dict[tuple[str, str], str]:
    """(document id, mention key) -> identity id, as the identities stage stored them."""
    return {(d, k): i for d, k, i in store.db.execute("SELECT document_id, key, identity_id FROM identity_links")}


def identity_names(store: Store) -> dict[str, str]:
    """Identity id -> display name."""
    return dict(store.db.execute("SELECT id, name FROM identities"))


def roles_in(store: Store, doc_ids: list[str], identity: str | None = None) -> list[Role]:
    """The roles these documents state (of one identity when given), by date, document and place."""
    mark = ", ".join("?" * len(doc_ids))
    who, args = ("identity_id = ? AND ", (identity,)) if identity else ("", ())
    return [Role(*r) for r in store.db.execute(
        "SELECT identity_id, role, qualifier, document_id, start, end, date FROM roles "
        f"WHERE {who}document_id IN ({mark}) ORDER BY date, document_id, start", (*args, *doc_ids))]


def save_identities(store: Store, identities, links: list[tuple[str, str, str]], mentions: dict[str, int], roles) -> None:
    """Rewrite the identity tables (``links``: (document, key, identity))."""
    _replace(store, "identities", [(i.id, i.name, i.label, i.stands_for, mentions.get(i.id, 0), len(i.documents))
                                   for i in identities])
    _replace(store, "identity_variants", [(i.id, v, n) for i in identities for v, n in i.variants.items()])
    _replace(store, "identity_links", links)
    _replace(store, "roles", [(r.identity, r.role, r.qualifier, r.document_id, r.start, r.end, r.date or "")
                              for r in roles])


def save_rows(store: Store, tables: dict[str, list[tuple]]) -> None:
    for table, rows in tables.items():
        _replace(store, table, rows)
