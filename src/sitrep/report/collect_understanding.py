"""The understanding layer's sections of sitrep.json: who, what, when.

Five builders read the tables of store migration 3 (``sitrep.store.schema``)
and return JSON-ready values:

- ``annotations``: per document, the date the understanding pass settled,
  its actors (mentions grouped by within-document key, linked to their
  corpus identity) with spans, its temporal expressions and its events;
- ``actors``: the corpus identities with their name variants and the roles
  documents give them (each statement with its document, span and date);
- ``quotes``: every quote with its content text, cue, speaker (as written
  and as an identity) and the single-source mark;
- ``timeline``: the merged events in order, with the document spans that
  support them, and the order of the documents (dated, or placed before or
  after an event, with the reason);
- ``stories``: documents grouped by story, with label, date range and key
  actors.

A builder returns None — and :func:`sitrep.report.collect.build_report`
leaves its key out — when the store holds no understanding results (no row
in ``annotations``), so a report of a store that never ran the pass keeps
the keys it had before, and "not analysed" stays distinct from "analysed,
nothing found" (an empty list).

Store conventions are turned into JSON ones: ``''`` for "none" becomes
null, ``-1`` offsets become null, 0/1 flags become booleans.  Lists are
sorted on stable keys (ingest order, ranks, ids), so the same store gives
the same JSON.  Quote and role texts are cut from ``documents.text`` by
SQLite's ``substr``, which counts characters as Python does.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from sitrep.store.db import Store
from sitrep.store.understanding import identity_links
from sitrep.understand.timex import weekday_name

Obj = dict[str, Any]

TIME_FIELDS = "start end text kind value grain anchor".split()
EVENT_FIELDS = "seq trigger start end actors agents patients place date tense duration".split()
QUOTE_FIELDS = ("document_id seq kind start end text cue cue_start cue_end speaker speaker_start speaker_end "
                "speaker_key identity_id speaker_sources single_source").split()
PLACEMENT_FIELDS = "document_id rank date relation event_id reason".split()


def analysed(store: Store) -> bool:
    """Whether the understanding pass has stored anything in ``store``."""
    return store.db.execute("SELECT 1 FROM annotations LIMIT 1").fetchone() is not None


def _opt(value: Any) -> Any:
    """Store "none" ('' or NULL) as JSON null."""
    return None if value is None or value == "" else value


# -- annotations -------------------------------------------------------------


def annotations(store: Store, report: Obj) -> list[Obj] | None:
    """Per annotated document, in ingest order: settled date, actors with spans, times, events."""
    if not analysed(store):
        return None
    links = identity_links(store)
    actors, times, events = _doc_actors(store, links), _by_doc(store, "times", TIME_FIELDS), _doc_events(store)
    out = []
    for r in store.db.execute(
        "SELECT a.document_id, a.published, a.published_from, a.on_restored FROM annotations a "
        "JOIN documents d ON d.id = a.document_id ORDER BY d.seq"
    ):
        doc_id = r["document_id"]
        out.append({
            "document_id": doc_id, "published": _opt(r["published"]), "published_from": r["published_from"],
            "on_restored": bool(r["on_restored"]), "actors": actors.get(doc_id, []),
            "times": [{**t, "value": _opt(t["value"]), "grain": _opt(t["grain"])} for t in times.get(doc_id, [])],
            "events": events.get(doc_id, []),
        })
    return out


def _by_doc(store: Store, table: str, cols: Iterable[str]) -> dict[str, list[Obj]]:
    cols = list(cols)
    out: dict[str, list[Obj]] = defaultdict(list)
    for r in store.db.execute(f"SELECT document_id, {', '.join(cols)} FROM {table} ORDER BY document_id, seq"):
        out[r["document_id"]].append({c: r[c] for c in cols})
    return out


def _doc_actors(store: Store, links: dict[tuple[str, str], str]) -> dict[str, list[Obj]]:
    """Each document's mention clusters, in order of first appearance."""
    spans: dict[tuple[str, str], list[list[int]]] = defaultdict(list)
    labels: dict[tuple[str, str], list[str]] = defaultdict(list)
    # Plain tuples: this is the report's largest table (tens of mentions per document).
    for doc_id, key, label, start, end in _tuples(
            store, "SELECT document_id, key, label, start, end FROM mentions ORDER BY document_id, seq"):
        spans[doc_id, key].append([start, end])
        labels[doc_id, key].append(label)
    out: dict[str, list[Obj]] = defaultdict(list)
    for (doc_id, key), ss in spans.items():
        ss.sort()
        out[doc_id].append({"identity_id": links.get((doc_id, key)), "key": key,
                            "label": _commonest(labels[doc_id, key]), "spans": ss})
    for items in out.values():
        items.sort(key=lambda a: (a["spans"][0], a["key"]))
    return out


def _commonest(labels: list[str]) -> str:
    """The cluster's label: its commonest, ties to the alphabetically first, for determinism."""
    if len(set(labels)) == 1:
        return labels[0]
    return min(Counter(labels).items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _tuples(store: Store, sql: str, params: tuple = ()) -> list[tuple]:
    cur = store.db.cursor()
    cur.row_factory = None
    return cur.execute(sql, params).fetchall()


def _doc_events(store: Store) -> dict[str, list[Obj]]:
    out: dict[str, list[Obj]] = defaultdict(list)
    for r in store.db.execute(f"SELECT document_id, {', '.join(EVENT_FIELDS)} FROM events ORDER BY document_id, seq"):
        e = {c: r[c] for c in EVENT_FIELDS}
        for c in ("actors", "agents", "patients"):
            e[c] = json.loads(e[c])
        for c in ("place", "date", "tense", "duration"):
            e[c] = _opt(e[c])
        out[r["document_id"]].append(e)
    return out


# -- actors ------------------------------------------------------------------


def actors(store: Store, report: Obj) -> list[Obj] | None:
    """Identities, most widely reported first, with variants and roles."""
    if not analysed(store):
        return None
    variants: dict[str, list[Obj]] = defaultdict(list)
    for r in store.db.execute("SELECT identity_id, variant, count FROM identity_variants"):
        variants[r["identity_id"]].append({"text": r["variant"], "count": r["count"]})
    roles = _roles(store)
    out = []
    for r in store.db.execute("SELECT id, name, label, stands_for, mentions, documents FROM identities"):
        vs = sorted(variants.get(r["id"], []), key=lambda v: (-v["count"], v["text"]))
        out.append({"id": r["id"], "name": r["name"], "label": r["label"], "stands_for": _opt(r["stands_for"]),
                    "documents": r["documents"], "mentions": r["mentions"], "variants": vs,
                    "roles": roles.get(r["id"], [])})
    out.sort(key=lambda a: (-a["documents"], -a["mentions"], a["name"].casefold(), a["id"]))
    return out


def _roles(store: Store) -> dict[str, list[Obj]]:
    out: dict[str, list[Obj]] = defaultdict(list)
    rows = store.db.execute(
        "SELECT r.identity_id, r.role, r.qualifier, r.document_id, r.start, r.end, r.date, d.seq, "
        "substr(d.text, r.start + 1, r.end - r.start) AS text FROM roles r JOIN documents d ON d.id = r.document_id"
    ).fetchall()
    rows.sort(key=lambda r: (r["identity_id"], r["role"].casefold(), r["role"], r["qualifier"], r["date"] or "~",
                             r["seq"], r["start"]))
    for r in rows:
        out[r["identity_id"]].append({"role": r["role"], "qualifier": r["qualifier"], "document_id": r["document_id"],
                                      "start": r["start"], "end": r["end"], "date": _opt(r["date"]),
                                      "text": r["text"] or ""})
    return out


# -- quotes ------------------------------------------------------------------


def quotes(store: Store, report: Obj) -> list[Obj] | None:
    """Every quote, in ingest order then order within its document."""
    if not analysed(store):
        return None
    links = identity_links(store)
    out = []
    for r in store.db.execute(
        "SELECT q.*, substr(d.text, q.start + 1, q.end - q.start) AS text, s.identity_id, s.speaker_sources, "
        "s.single_source FROM quotes q JOIN documents d ON d.id = q.document_id "
        "LEFT JOIN quote_speakers s ON s.document_id = q.document_id AND s.seq = q.seq ORDER BY d.seq, q.seq"
    ):
        q = {c: r[c] for c in QUOTE_FIELDS}
        q["text"] = q["text"] or ""
        if q["identity_id"] is None and q["speaker_key"]:  # speakers not settled yet: the mention link
            q["identity_id"] = links.get((q["document_id"], q["speaker_key"]))
        q["identity_id"] = _opt(q["identity_id"])
        q["single_source"] = None if r["single_source"] is None else bool(r["single_source"])
        for c in ("speaker_start", "speaker_end"):
            q[c] = None if q[c] is None or q[c] < 0 else q[c]
        q["speaker_key"] = _opt(q["speaker_key"])
        out.append(q)
    return out


# -- timeline ----------------------------------------------------------------


def timeline(store: Store, report: Obj) -> Obj | None:
    """The merged events in timeline order, and the documents' order."""
    if not analysed(store):
        return None
    support: dict[str, list[Obj]] = defaultdict(list)
    for r in store.db.execute(
        "SELECT t.event_id, t.document_id, t.seq, e.start, e.end, e.trigger, e.tense, e.date FROM timeline_support t "
        "JOIN documents d ON d.id = t.document_id LEFT JOIN events e ON e.document_id = t.document_id "
        "AND e.seq = t.seq ORDER BY d.seq, t.seq"
    ):
        support[r["event_id"]].append({"document_id": r["document_id"], "seq": r["seq"], "start": r["start"],
                                       "end": r["end"], "trigger": r["trigger"], "tense": _opt(r["tense"]),
                                       "date": _opt(r["date"])})
    events = [
        {"id": r["id"], "rank": r["rank"], "trigger": r["trigger"], "label": r["label"], "date": _opt(r["date"]),
         "date_evidence": r["date_evidence"], "place": _opt(r["place"]), "duration": _opt(r["duration"]),
         "weekday": weekday_name(r["weekday"]) or None, "actors": json.loads(r["actors"]),
         "agents": json.loads(r["agents"]), "patients": json.loads(r["patients"]),
         "support": support.get(r["id"], [])}
        for r in store.db.execute("SELECT * FROM timeline ORDER BY rank, id")
    ]
    placements = [
        {c: _opt(r[c]) if c in ("date", "event_id") else r[c] for c in PLACEMENT_FIELDS}
        for r in store.db.execute(
            "SELECT p.* FROM placements p JOIN documents d ON d.id = p.document_id ORDER BY p.rank, d.seq")
    ]
    return {"events": events, "placements": placements}


# -- stories -----------------------------------------------------------------


def stories(store: Store, report: Obj) -> list[Obj] | None:
    """Stories, largest first, with their documents (ingest order) and key actors (rank order)."""
    if not analysed(store):
        return None
    docs: dict[str, list[str]] = defaultdict(list)
    for r in store.db.execute(
        "SELECT s.story_id, s.document_id FROM story_documents s "
        "JOIN documents d ON d.id = s.document_id ORDER BY d.seq"
    ):
        docs[r["story_id"]].append(r["document_id"])
    cast: dict[str, list[str]] = defaultdict(list)
    for r in store.db.execute("SELECT story_id, identity_id FROM story_actors ORDER BY story_id, rank, identity_id"):
        cast[r["story_id"]].append(r["identity_id"])
    out = [
        {"id": r["id"], "label": r["label"], "start": _opt(r["start"]), "end": _opt(r["end"]), "size": r["size"],
         "actors": cast.get(r["id"], []), "documents": docs.get(r["id"], [])}
        for r in store.db.execute("SELECT id, label, start, end, size FROM stories")
    ]
    out.sort(key=lambda s: (-s["size"], s["start"] or "~", s["id"]))
    return out


def roles_by_qualifier(roles: list[Obj]) -> dict[str, dict[str, list[Obj]]]:
    """An actor's role statements grouped by role, then by qualifier ("" = current), keeping their order:
    where a role has more than one qualifier, sources disagree (a "former" and a current holder)."""
    out: dict[str, dict[str, list[Obj]]] = {}
    for r in roles:
        out.setdefault(r["role"], {}).setdefault(r["qualifier"], []).append(r)
    return out


def quotes_by_speaker(quotes: list[Obj], actors: list[Obj]) -> list[tuple[str | None, list[Obj]]]:
    """Quotes grouped by speaker identity, most quoted first (ties by name), and
    those whose speaker is not a known actor together under None, last."""
    names = {a["id"]: a["name"] for a in actors}
    groups: dict[str | None, list[Obj]] = defaultdict(list)
    for q in quotes:
        groups[q["identity_id"] if q["identity_id"] in names else None].append(q)
    order = sorted(groups, key=lambda i: (i is None, -len(groups[i]), names[i].casefold() if i else "", i or ""))
    return [(i, groups[i]) for i in order]


SECTIONS = [
    ("annotations", annotations),
    ("actors", actors),
    ("quotes", quotes),
    ("timeline", timeline),
    ("stories", stories),
]


def understanding_stats(report: Obj) -> list[tuple[str, int]]:
    """Headline counts of the understanding sections present in ``report``."""
    out = []
    for label, key, count in (
        ("annotated", "annotations", len),
        ("actors", "actors", len),
        ("quotes", "quotes", len),
        ("timeline events", "timeline", lambda t: len(t["events"])),
        ("stories", "stories", len),
    ):
        if report.get(key) is not None:
            out.append((label, count(report[key])))
    return out
