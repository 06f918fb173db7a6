"""The corroboration part of the Markdown summary: per story, the briefing,
its key claims, disputed points and positions.

Reads the report's ``briefings``, ``claims``, ``contradictions`` and
``positions`` (see :mod:`sitrep.report.collect_corroboration`).  Citations
are references like ``[#3 120–180]``: document #3 of the documents table,
characters 120 to 180 of its text (report.html highlights them; ``sitrep
show 3`` prints the text).  Long lists are capped with a note; sitrep.json
has all.  Every article-derived string goes through
:func:`~sitrep.report.markdown_common.md`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sitrep.report.markdown_common import md, num, table

Report = dict[str, Any]

STORIES_SHOWN = 100
CLAIMS_SHOWN = 8
DISPUTES_SHOWN = 10
POSITION_ACTORS_SHOWN = 6
POSITIONS_SHOWN = 10
CITES_SHOWN = 6
LABEL_CAP = 160

SECTION_TITLES = {"happened": "What happened", "actors": "Who is involved", "claims": "Key claims",
                  "disputed": "Disputed points", "positions": "Positions and shifts", "sources": "Sources"}


class _Refs:
    def __init__(self, report: Report):
        self.seqs = {d["id"]: d["seq"] for d in report.get("documents", [])}
        self.names = {a["id"]: a["name"] for a in report.get("actors") or []}

    def cite(self, c: dict) -> str:
        doc = f"#{self.seqs[c['document_id']]}" if c["document_id"] in self.seqs else md(c["document_id"])
        # Escaped brackets: a bare [..] could pair with a later (..) into a link.
        return f"\\[{doc} {int(c['start'])}–{int(c['end'])}\\]"

    def cites(self, cs: list[dict]) -> str:
        more = f" and {len(cs) - CITES_SHOWN} more" if len(cs) > CITES_SHOWN else ""
        return " ".join(self.cite(c) for c in cs[:CITES_SHOWN]) + more

    def name(self, ident: str) -> str:
        return md(self.names.get(ident, ident))


def _cut(text: str, cap: int = LABEL_CAP) -> str:
    return text if len(text) <= cap else text[: cap - 1] + "…"


def _by_story(items: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for x in items:
        out[x["story_id"]].append(x)
    return out


def briefings(report: Report) -> str:
    refs = _Refs(report)
    groups, disputes = _by_story(report.get("claims") or []), _by_story(report.get("contradictions") or [])
    positions = _by_story(report.get("positions") or [])
    by_id = {b["story_id"]: b for b in report.get("briefings") or []}
    stories = [s for s in report.get("stories") or [{"id": i, "label": b["title"]} for i, b in by_id.items()]
               if s["id"] in by_id or s["id"] in groups]
    if not stories:
        return "No briefings yet: the corroboration stages have not run on any story."
    parts = ["Citations \\[#3 120–180\\] name document #3 of the documents table and characters 120 to 180 "
             "of its text."]
    for s in stories[:STORIES_SHOWN]:
        sid = s["id"]
        parts.append("\n\n".join(p for p in (
            f"### {md(s['label'])}", _briefing(refs, by_id.get(sid)), _claims(refs, groups.get(sid, [])),
            _disputes(refs, disputes.get(sid, [])), _positions(refs, positions.get(sid, []))) if p))
    if len(stories) > STORIES_SHOWN:
        parts.append(f"Showing {num(STORIES_SHOWN)} of {num(len(stories))} stories; sitrep.json lists all.")
    return "\n\n".join(parts)


def _briefing(refs: _Refs, b: dict | None) -> str:
    if b is None:
        return "No briefing for this story yet."
    lines = [f"*Briefing ({md(b['mode'])})*"]
    section = None
    for s in b["sentences"]:
        if s["section"] != section:
            section = s["section"]
            lines += ["", f"**{md(SECTION_TITLES.get(section, section))}**", ""]
        mark = " **(not backed by its citations)**" if not s["supported"] else ""
        lines.append(f"- {md(s['text'])}{mark} {refs.cites(s['citations']) or '(no citation)'}")
    return "\n".join(lines)


def _claims(refs: _Refs, groups: list[dict]) -> str:
    if not groups:
        return ""
    rows = []
    for g in groups[:CLAIMS_SHOWN]:
        marks = ", ".join(m for m, on in (("single source", g["single_source"]),
                                          ("content farms only", g["farm_only"])) if on)
        spans = [{"document_id": c["document_id"], "start": c["start"], "end": c["end"]} for c in g["claims"]]
        rows.append([md(_cut(g["label"])), num(g["independent_sources"]), num(len(g["documents"])), md(marks),
                     refs.cites(spans)])
    note = (f"\n\nShowing {CLAIMS_SHOWN} of {num(len(groups))} claim groups; sitrep.json lists all."
            if len(groups) > CLAIMS_SHOWN else "")
    return ("*Key claims*\n\n" + table(["Claim", "Independent sources", "Documents", "Marks", "Stated in"], rows,
                                       "lrrll") + note)


def _disputes(refs: _Refs, items: list[dict]) -> str:
    if not items:
        return ""
    lines = ["*Disputed points*", ""]
    for c in items[:DISPUTES_SHOWN]:
        sides = " **vs** ".join(
            f"{md(side['value'])} ({side['sources']} independent source{'s' if side['sources'] != 1 else ''}"
            f"{'; content farms only' if side['farm_only'] else ''}) {refs.cites(side['citations'])}"
            for side in (c["a"], c["b"]))
        lines.append(f"- {md(c['kind'])} · {refs.name(c['subject'])} · {md(c['topic'])}: {sides}")
    if len(items) > DISPUTES_SHOWN:
        lines.append(f"\nShowing {DISPUTES_SHOWN} of {num(len(items))} disputed points; sitrep.json lists all.")
    return "\n".join(lines)


def _positions(refs: _Refs, actors: list[dict]) -> str:
    if not actors:
        return ""
    lines = ["*Positions over time*", ""]
    for a in actors[:POSITION_ACTORS_SHOWN]:
        shifted = {x["to"] for x in a["shifts"]}
        lines.append(f"- {refs.name(a['identity_id'])}")
        for i, p in enumerate(a["positions"][:POSITIONS_SHOWN]):
            when = md(p["date"]) or "undated"
            how = f" ({md(p['date_from'])})" if p["date_from"] else ""
            lead = "**shift** → " if i in shifted else ""
            reported = " (reported)" if p["reported"] else ""
            lines.append(f"  - {lead}{when}{how}: {md(p['stance'])} {md(p['issue'])} — "
                         f"“{md(_cut(p['text']))}”{reported} {refs.cite(p['citation'])}")
    return "\n".join(lines)
