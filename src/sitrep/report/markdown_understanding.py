"""The understanding parts of the Markdown summary: stories, actors, timeline, quotes.

Tables over the report's ``stories``, ``actors``, ``timeline`` and
``quotes`` sections (see :mod:`sitrep.report.collect_understanding`).
Documents are referred to by their number (``#3``, the ``seq`` of the
documents table); quotes are cut to a line.  Long lists are capped with a
note; report.html and sitrep.json have more.  Every article-derived string
goes through :func:`~sitrep.report.markdown_common.md`.
"""

from __future__ import annotations

from typing import Any

from sitrep.report.collect_understanding import quotes_by_speaker, roles_by_qualifier
from sitrep.report.markdown_common import md, num, table

Report = dict[str, Any]

STORIES_SHOWN = 100
STORY_DOCS_SHOWN = 20
ACTORS_SHOWN = 100
VARIANTS_SHOWN = 5
ROLE_DOCS_SHOWN = 8
SPEAKERS_SHOWN = 50
QUOTES_PER_SPEAKER = 5
QUOTE_CAP = 200
EVENTS_SHOWN = 200
PLACEMENTS_SHOWN = 500


class _Refs:
    """Document numbers and actor names for cross-references."""

    def __init__(self, report: Report):
        self.seqs = {d["id"]: d["seq"] for d in report.get("documents", [])}
        self.titles = {d["id"]: d.get("title") for d in report.get("documents", [])}
        self.actors = {a["id"]: a for a in report.get("actors") or []}

    def doc(self, doc_id: str | None) -> str:
        if not doc_id:
            return ""
        return f"#{self.seqs[doc_id]}" if doc_id in self.seqs else md(doc_id)

    def actor(self, identity_id: str | None, fallback: str = "") -> str:
        a = self.actors.get(identity_id or "")
        return md(a["name"]) if a else md(fallback or identity_id or "")


def _cut(text: str, cap: int) -> str:
    return text if len(text) <= cap else text[: cap - 1] + "…"


def _note(n_all: int, n_shown: int, what: str) -> str:
    return f"\n\nShowing {num(n_shown)} of {num(n_all)} {what}; sitrep.json lists all." if n_all > n_shown else ""


def _and_more(n_all: int, n_shown: int) -> str:
    return f" and {num(n_all - n_shown)} more" if n_all > n_shown else ""


def _dates(start: str | None, end: str | None) -> str:
    if not start and not end:
        return "undated"
    return md(start) if start == end or not end else f"{md(start or '?')} – {md(end)}"


def stories(report: Report) -> str:
    items = report["stories"]
    if not items:
        return "No stories yet."
    refs = _Refs(report)
    rows = [[md(s["label"]), _dates(s["start"], s["end"]), num(s["size"]),
             ", ".join(refs.actor(i) for i in s["actors"][:8]) + _and_more(len(s["actors"]), 8),
             ", ".join(refs.doc(i) for i in s["documents"][:STORY_DOCS_SHOWN])
             + _and_more(len(s["documents"]), STORY_DOCS_SHOWN)]
            for s in items[:STORIES_SHOWN]]
    return (table(["Story", "Dates", "Docs", "Key actors", "Documents"], rows, "llrll")
            + _note(len(items), len(rows), "stories"))


def actors(report: Report) -> str:
    items = report["actors"]
    if not items:
        return "No actors yet."
    refs = _Refs(report)
    rows = []
    for a in items[:ACTORS_SHOWN]:
        name = md(a["name"]) + (f" (stands for {refs.actor(a['stands_for'])})" if a["stands_for"] else "")
        variants = ", ".join(f"{md(v['text'])} ×{num(v['count'])}" for v in a["variants"][:VARIANTS_SHOWN])
        rows.append([name, md(a["label"]), num(a["documents"]), num(a["mentions"]),
                     variants + _and_more(len(a["variants"]), VARIANTS_SHOWN), _roles(refs, a["roles"])])
    return (table(["Actor", "Kind", "Docs", "Mentions", "Spelled", "Roles (qualifier: documents)"], rows, "llrrll")
            + _note(len(items), len(rows), "actors"))


def _roles(refs: _Refs, roles: list[dict]) -> str:
    """Per role, its statements by qualifier ("president — current: #1, #2; former: #3"), and
    "(sources disagree)" when the qualifiers differ."""
    out = []
    for role, quals in roles_by_qualifier(roles).items():
        stated = "; ".join(
            f"{md(q) or 'current'}: "
            + ", ".join(refs.doc(r["document_id"]) + (f" {md(r['date'])}" if r["date"] else "")
                        for r in rs[:ROLE_DOCS_SHOWN]) + _and_more(len(rs), ROLE_DOCS_SHOWN)
            for q, rs in quals.items())
        out.append(f"{md(role)} — {stated}" + (" (sources disagree)" if len(quals) > 1 else ""))
    return " · ".join(out)


def quotes(report: Report) -> str:
    items = report["quotes"]
    if not items:
        return "No quotes found."
    refs = _Refs(report)
    groups = quotes_by_speaker(items, report.get("actors") or [])
    rows = []
    for ident, qs in groups[:SPEAKERS_SHOWN]:
        for q in qs[:QUOTES_PER_SPEAKER]:
            rows.append([refs.actor(ident) if ident else f"({md(q['speaker']) or '?'})", md(q["kind"]),
                         md(_cut(q["text"], QUOTE_CAP)), md(q["cue"]), refs.doc(q["document_id"]),
                         "yes" if q["single_source"] else ""])
        if len(qs) > QUOTES_PER_SPEAKER:
            rows.append(["", "", f"and {num(len(qs) - QUOTES_PER_SPEAKER)} more", "", "", ""])
    direct = sum(1 for q in items if q["kind"] == "direct")
    head = (f"**{num(len(items))}** quotes ({num(direct)} direct) from **{num(len(groups))}** speakers; "
            "speakers not resolved to an actor are in parentheses, as written.\n\n")
    return (head + table(["Speaker", "Kind", "Content", "Cue", "Doc", "Single source"], rows, "llllll")
            + _note(len(groups), min(len(groups), SPEAKERS_SHOWN), "speakers"))


def _when(e: dict) -> str:
    """An event's date, or that it is placed only relatively; its weekday when that is all it has."""
    day = f" (a {md(e['weekday'])})" if e.get("weekday") else ""
    return (md(e["date"]) or "relative only") + day


def timeline(report: Report) -> str:
    t = report["timeline"]
    events, placements = t["events"], t["placements"]
    if not events and not placements:
        return "No timeline yet."
    refs = _Refs(report)
    labels = {e["id"]: e["label"] for e in events}
    parts = []
    if events:
        rows = [[num(e["rank"]), _when(e), md(e["label"]), refs.actor(e["place"]),
                 md(e["duration"]), ", ".join(refs.doc(s["document_id"]) for s in e["support"][:12])
                 + _and_more(len(e["support"]), 12), md(e["date_evidence"])]
                for e in events[:EVENTS_SHOWN]]
        parts.append("### Events\n\n" + table(["#", "When", "Event", "Where", "Duration", "Reported by", "Dated by"],
                                              rows, "rllllll") + _note(len(events), len(rows), "events"))
    if placements:
        rows = [[num(p["rank"]), refs.doc(p["document_id"]), md(refs.titles.get(p["document_id"]) or "(untitled)"),
                 md(p["date"]) or "—",
                 md(p["relation"]) + (f" {md(labels.get(p['event_id'], p['event_id']))}" if p["event_id"] else ""),
                 md(p["reason"])]
                for p in placements[:PLACEMENTS_SHOWN]]
        parts.append("### Document order\n\n" + table(["#", "Doc", "Title", "Date", "Placed", "Why"], rows, "rlllll")
                     + _note(len(placements), len(rows), "documents"))
    return "\n\n".join(parts)
