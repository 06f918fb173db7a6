"""Build the report's content — the sitrep.json dict — from the store.

The report is one plain, JSON-ready dict.  Each top-level key is a *section*
made by one builder in :data:`SECTIONS`; the HTML and Markdown renderers only
ever read this dict, never the store, so a saved sitrep.json re-renders
identically and a later stage adds a section by appending a builder here and
a renderer per format.

A builder that returns None leaves its key out: the understanding sections
(:mod:`sitrep.report.collect_understanding`) do so until the store holds
understanding results.

Everything except ``generated_at`` is a function of the store's contents:
lists are sorted on stable keys so two runs over the same store give the
same file.
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, NamedTuple

from sitrep.report.collect_corroboration import SECTIONS as CORROBORATION
from sitrep.report.collect_corroboration import corroboration_stats  # noqa: F401  (for the renderers)
from sitrep.report.collect_understanding import SECTIONS as UNDERSTANDING
from sitrep.report.collect_understanding import understanding_stats  # noqa: F401  (for the renderers)
from sitrep.store.db import Store

SCHEMA = "sitrep/1"

Report = dict[str, Any]
# A builder gets the store and the report built so far (so later sections can
# refer to earlier ones) and returns its section's JSON-ready value.
Builder = Callable[[Store, Report], Any]


class Section(NamedTuple):
    """One part of a rendered report (HTML or Markdown).

    ``render`` turns the report dict into that part; it runs only when every
    key in ``needs`` is in the report, so a sitrep.json from an earlier stage
    still renders.  ``title`` names the part in the table of contents (None:
    not listed); ``id`` is its anchor.
    """

    id: str
    title: str | None
    render: Callable[[Report], str]
    needs: tuple[str, ...] = ()


DOCUMENT_FIELDS = (
    "id seq title url canonical_url site_name source author published published_from "
    "language language_confidence kind locator container_locator raw_sha256 word_count "
    "duplicate_of"
).split()
SPIN_MARK_FIELDS = "start end published restored confidence method".split()
DERIVATION_FIELDS = "origin_id copy_id relation coverage_origin coverage_copy confidence direction".split()
PASSAGE_FIELDS = "origin_start origin_end copy_start copy_end kind similarity".split()

RUN_FIELDS = "id command status started_at finished_at ingested skipped duplicates failed".split()


def documents(store: Store, report: Report) -> list[dict[str, Any]]:
    # Bulk queries rather than Store.documents() and the provenance loaders,
    # which cost queries per document (and Store.documents lacks seq and word_count).
    flags: dict[str, list[dict]] = defaultdict(list)
    for r in store.db.execute("SELECT document_id, flag, detail FROM flags ORDER BY document_id, flag"):
        flags[r["document_id"]].append({"name": r["flag"], "detail": r["detail"]})
    removed: dict[str, list[dict]] = defaultdict(list)
    for r in store.db.execute(
        "SELECT document_id, line_no, rule, text FROM removed_lines ORDER BY document_id, line_no, rule"
    ):
        removed[r["document_id"]].append({"line_no": r["line_no"], "rule": r["rule"], "text": r["text"]})
    groups, spins, cards = _origin_groups_by_doc(store), _spin_by_doc(store), _quality_by_doc(store)
    docs = []
    for r in store.db.execute(f"SELECT {', '.join(DOCUMENT_FIELDS)}, text FROM documents ORDER BY seq"):
        doc = {k: r[k] for k in DOCUMENT_FIELDS}
        doc["flags"] = flags.get(r["id"], [])
        doc["removed"] = removed.get(r["id"], [])
        doc["origin_group"] = groups.get(r["id"])
        doc["spin"] = spins.get(r["id"])
        doc["quality"] = cards.get(r["id"])
        doc["text"] = r["text"]  # last: the bulk of the file, read after the small fields
        docs.append(doc)
    return docs


def _origin_groups_by_doc(store: Store) -> dict[str, dict[str, str]]:
    return {r["document_id"]: {"group_id": r["group_id"], "role": r["role"]}
            for r in store.db.execute("SELECT document_id, group_id, role FROM origin_groups")}


def _spin_by_doc(store: Store) -> dict[str, dict[str, Any]]:
    marks: dict[str, list[dict]] = defaultdict(list)
    for r in store.db.execute(
        "SELECT document_id, start, end, published, restored, confidence, method FROM spin_marks "
        "ORDER BY document_id, start"
    ):
        marks[r["document_id"]].append({k: r[k] for k in SPIN_MARK_FIELDS})
    return {
        r["document_id"]: {"score": r["score"], "spun": bool(r["spun"]), "method": r["method"],
                           "marks": marks.get(r["document_id"], []), "restored_text": r["restored_text"]}
        for r in store.db.execute("SELECT document_id, score, spun, method, restored_text FROM spin")
    }


def _quality_by_doc(store: Store) -> dict[str, dict[str, Any]]:
    signals: dict[str, list[dict]] = defaultdict(list)
    for r in store.db.execute(
        "SELECT document_id, name, weight, detail, spans FROM quality_signals ORDER BY document_id, seq"
    ):
        signals[r["document_id"]].append({
            "name": r["name"], "weight": r["weight"], "detail": r["detail"],
            "spans": [[int(a), int(b)] for a, b in json.loads(r["spans"])],
        })
    return {
        r["document_id"]: {"score": r["score"], "content_farm": bool(r["content_farm"]),
                           "signals": signals.get(r["document_id"], [])}
        for r in store.db.execute("SELECT document_id, score, content_farm FROM quality")
    }


def derivations(store: Store, report: Report) -> list[dict[str, Any]]:
    """The derivation graph's edges origin -> copy with their evidence, by origin then copy seq."""
    seqs = {d["id"]: d["seq"] for d in report.get("documents", [])}
    passages: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in store.db.execute(
        "SELECT * FROM passages ORDER BY origin_id, copy_id, copy_start, origin_start, copy_end, origin_end"
    ):
        passages[r["origin_id"], r["copy_id"]].append({k: r[k] for k in PASSAGE_FIELDS})
    edges = [
        {**{k: r[k] for k in DERIVATION_FIELDS if k != "direction"},
         "direction": json.loads(r["direction"]),
         "passages": passages.get((r["origin_id"], r["copy_id"]), [])}
        for r in store.db.execute(f"SELECT {', '.join(DERIVATION_FIELDS)} FROM derivations")
    ]
    # Unknown ids (a document deleted under its edges) sort last, still stably.
    far = len(seqs) + 1
    edges.sort(key=lambda e: (seqs.get(e["origin_id"], far), seqs.get(e["copy_id"], far),
                              e["origin_id"], e["copy_id"]))
    return [{k: e[k] for k in (*DERIVATION_FIELDS, "passages")} for e in edges]


def origin_groups(store: Store, report: Report) -> list[dict[str, Any]]:
    """Origin groups, largest first; members in ingest order.

    ``origin`` is the member whose role is ``origin``, or None when the group's
    origin is not in the corpus (a wire story known only from its reprints).
    """
    members: dict[str, list[dict]] = defaultdict(list)
    for d in report.get("documents", []):  # already in seq order
        if d.get("origin_group"):
            members[d["origin_group"]["group_id"]].append(d)
    groups = []
    for gid, docs in members.items():
        origins = [d["id"] for d in docs if d["origin_group"]["role"] == "origin"]
        groups.append({"group_id": gid, "documents": [d["id"] for d in docs],
                       "origin": origins[0] if origins else None, "size": len(docs),
                       "_first": docs[0]["seq"]})
    groups.sort(key=lambda g: (-g["size"], g["_first"], g["group_id"]))
    return [{k: v for k, v in g.items() if k != "_first"} for g in groups]


def errors(store: Store, report: Report) -> list[dict[str, Any]]:
    return [
        {"locator": e.locator, "reason": e.reason, "detail": e.detail, "raw_sha256": e.raw_sha256}
        for e in sorted(store.errors(), key=lambda e: e.locator)
    ]


def runs(store: Store, report: Report) -> list[dict[str, Any]]:
    rows = store.db.execute(f"SELECT {', '.join(RUN_FIELDS)} FROM runs ORDER BY id")
    return [{k: r[k] for k in RUN_FIELDS} for r in rows]


def corpus(store: Store, report: Report) -> dict[str, Any]:
    """Counts over the whole store, for the report's header."""
    docs = report.get("documents", [])

    def tally(values) -> dict[str, int]:
        return dict(sorted(Counter(values).items()))

    counts = store.counts()
    return {
        # Named, not splatted: a new Store count must not change the schema unnoticed.
        **{k: counts[k] for k in ("documents", "duplicates", "errors", "blobs")},
        "words": sum(d["word_count"] for d in docs),
        "kinds": tally(d["kind"] for d in docs),
        "languages": tally(d["language"] or "unknown" for d in docs),
        "flags": tally(f["name"] for d in docs for f in d["flags"]),
        "removed_lines": tally(r["rule"] for d in docs for r in d["removed"]),
        "runs": len(report.get("runs", [])),
        "spun": sum(1 for d in docs if (d.get("spin") or {}).get("spun")),
        "content_farm": sum(1 for d in docs if (d.get("quality") or {}).get("content_farm")),
        "origin_groups": len(report.get("origin_groups", [])),
        "derivations": len(report.get("derivations", [])),
    }


# Order matters only where a builder reads an earlier section (corpus reads
# documents, runs and the provenance sections; those read documents); the JSON
# file keeps this order.  A builder returning None leaves its key out.
SECTIONS: list[tuple[str, Builder]] = [
    ("documents", documents),
    ("origin_groups", origin_groups),
    ("derivations", derivations),
    *UNDERSTANDING,  # annotations, actors, quotes, timeline, stories: absent until analysed
    *CORROBORATION,  # claims, contradictions, positions, briefings: absent until corroborated
    ("errors", errors),
    ("runs", runs),
    ("corpus", corpus),
]

# Keys written first, so a reader sees the version and counts before the bulk.
_HEAD = ("schema", "generated_at", "corpus")


def headline_stats(c: dict[str, Any]) -> list[tuple[str, Any]]:
    """The corpus figures every format puts at the top, in order."""
    return [
        ("documents", c.get("documents")),
        ("unique", c.get("documents", 0) - c.get("duplicates", 0)),
        ("exact duplicates", c.get("duplicates")),
        ("errors", c.get("errors")),
        ("words", c.get("words")),
        ("raw blobs", c.get("blobs")),
        ("runs", c.get("runs")),
        # None in a sitrep.json from before provenance: renderers skip it.
        ("origin groups", c.get("origin_groups")),
        ("derivation edges", c.get("derivations")),
        ("spun", c.get("spun")),
        ("content farm", c.get("content_farm")),
    ]


def timestamp() -> str:
    """Now in UTC, or SOURCE_DATE_EPOCH when set, for byte-reproducible reports."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    return when.isoformat(timespec="seconds")


def build_report(store: Store, generated_at: str | None = None) -> Report:
    """The full report dict for ``store``: the content of sitrep.json."""
    report: Report = {"schema": SCHEMA, "generated_at": generated_at or timestamp()}
    for key, build in SECTIONS:
        value = build(store, report)
        if value is not None:
            report[key] = value
    head = {k: report[k] for k in _HEAD if k in report}
    return {**head, **{k: v for k, v in report.items() if k not in head}}
