"""Render the report dict as a readable Markdown summary.

The summary has the metadata, flags, removed-line counts, errors and the
provenance picture (origin groups, derivation edges, spun and content-farm
documents with their top evidence) but not the article texts (report.html and
sitrep.json have those).  Article-derived
strings are hostile: :func:`md` makes each one inert inline text — no HTML,
no links, images, emphasis or code, no table breaks — and only http(s) URLs
become links (:mod:`sitrep.report.markdown_common`).

The understanding sections (stories, actors, timeline, quotes) are rendered
by :mod:`sitrep.report.markdown_understanding`.
"""

from __future__ import annotations

from collections import Counter

from sitrep.report.collect import Report, Section, corroboration_stats, headline_stats, understanding_stats
from sitrep.report.markdown_common import md, md_link, num, table, tally  # noqa: F401  (md_link: API)
from sitrep.report.markdown_corroboration import briefings
from sitrep.report.markdown_understanding import actors, quotes, stories, timeline


# -- sections ----------------------------------------------------------------


def header(report: Report) -> str:
    c = report["corpus"]
    stats = headline_stats(c) + understanding_stats(report) + corroboration_stats(report)
    return "\n".join([
        "# sitrep report",
        "",
        f"Generated {md(report.get('generated_at'))} · schema {md(report.get('schema'))}",
        "",
        " · ".join(f"**{num(v)}** {k}" for k, v in stats if v is not None),
        "",
        f"- Languages: {tally(c.get('languages', {}))}",
        f"- Flags: {tally(c.get('flags', {}))}",
        f"- Removed lines: {tally(c.get('removed_lines', {}))}",
    ])


def _flag_names(flags: list[dict]) -> str:
    return ", ".join(md(f["name"]) for f in flags)


def documents(report: Report) -> str:
    docs = report["documents"]
    if not docs:
        return "No documents."
    seqs = {d["id"]: d["seq"] for d in docs}
    rows = []
    for d in docs:
        title = d.get("title") or "(untitled)"
        names = [n for n in (d.get("source"), d.get("site_name")) if n]
        if len(names) == 2 and names[0].casefold() == names[1].casefold():
            names = names[:1]
        date = md(d.get("published")) or "—"
        if d.get("published_from"):
            date += f" ({md(d['published_from'])})"
        lang = md(d.get("language")) or "—"
        if d.get("language_confidence") is not None:
            lang += f" {d['language_confidence']:.2f}"
        dup = d.get("duplicate_of")
        rows.append([
            str(d["seq"]), md_link(d.get("url"), title), " · ".join(md(n) for n in names),
            date, lang, num(d["word_count"]), _flag_names(d["flags"]),
            (f"#{seqs[dup]}" if dup in seqs else md(dup)) if dup else "",
        ])
    return table(["#", "Title", "Source / site", "Published (from)", "Lang", "Words", "Flags", "Duplicate of"],
                 rows, "rllllrll")


def flags(report: Report) -> str:
    rows = [[str(d["seq"]), md(f["name"]), md(f["detail"])] for d in report["documents"] for f in d["flags"]]
    return table(["#", "Flag", "Detail"], rows, "rll") if rows else "No flags."


def removed(report: Report) -> str:
    lines: Counter[str] = Counter()
    docs: Counter[str] = Counter()
    for d in report["documents"]:
        rules = [r["rule"] for r in d["removed"]]
        lines.update(rules)
        docs.update(set(rules))
    if not lines:
        return "No lines removed."
    rows = [[md(rule), num(n), num(docs[rule])] for rule, n in sorted(lines.items(), key=lambda kv: (-kv[1], kv[0]))]
    return table(["Rule", "Lines", "Documents"], rows, "lrr")


def errors(report: Report) -> str:
    rows = [[md(e["locator"]), md(e["reason"]), md(e["detail"])] for e in report["errors"]]
    return table(["Item", "Reason", "Detail"], rows) if rows else "No errors."


def runs(report: Report) -> str:
    rows = [
        [str(r["id"]), md(r["command"]), md(r["status"]), md(r["started_at"]), md(r["finished_at"]),
         *(num(r[k]) for k in ("ingested", "skipped", "duplicates", "failed"))]
        for r in reversed(report["runs"])
    ]
    head = ["Run", "Command", "Status", "Started", "Finished", "Ingested", "Skipped", "Duplicates", "Failed"]
    return table(head, rows, "rllllrrrr") if rows else "No runs recorded."


# -- provenance ------------------------------------------------------------------

MEMBERS_SHOWN = 30
SIGNALS_SHOWN = 3  # top signals (by weight) quoted per content-farm document
SUBS_SHOWN = 8  # substitutions quoted per spun document
EXCERPT_CAP = 120


def _ref(seqs: dict[str, int], doc_id: str | None) -> str:
    if not doc_id:
        return ""
    return f"#{seqs[doc_id]}" if doc_id in seqs else md(doc_id)


def _pct(x: float | None) -> str:
    return "?" if x is None else f"{x:.0%}"


def _excerpt(text: str, start: int, end: int) -> str:
    piece = text[max(0, start):max(0, end)]
    return piece if len(piece) <= EXCERPT_CAP else piece[: EXCERPT_CAP - 1] + "…"


def provenance(report: Report) -> str:
    groups, edges, docs = report["origin_groups"], report["derivations"], report["documents"]
    if not groups and not edges:
        return "No provenance analysis in this report."
    seqs = {d["id"]: d["seq"] for d in docs}
    multi = [g for g in groups if g["size"] > 1 or g["origin"] is None]
    farms = [d for d in docs if (d.get("quality") or {}).get("content_farm")]
    spun = [d for d in docs if (d.get("spin") or {}).get("spun")]
    parts = [f"**{num(len(groups))}** origin groups over {num(sum(g['size'] for g in groups))} documents; "
             f"**{num(len(multi))}** hold copies, rewrites or wire reprints · **{num(len(edges))}** derivation "
             f"edges · **{num(len(spun))}** spun · **{num(len(farms))}** content farm"]
    parts += [_groups_table(report, multi, seqs, len(groups) - len(multi)), _edges_table(edges, seqs),
              _farm_table(farms), _spun_table(spun), _by_document(docs, seqs)]
    return "\n\n".join(p for p in parts if p)


def _groups_table(report: Report, multi: list[dict], seqs: dict[str, int], singles: int) -> str:
    if not multi:
        return "### Origin groups\n\nEvery document is an origin of its own."
    roles = {d["id"]: (d.get("origin_group") or {}).get("role") for d in report["documents"]}
    rows = []
    for g in multi:
        members = ", ".join(f"{_ref(seqs, i)} {md(roles.get(i))}" for i in g["documents"][:MEMBERS_SHOWN])
        if g["size"] > MEMBERS_SHOWN:
            members += f" and {num(g['size'] - MEMBERS_SHOWN)} more"
        origin = _ref(seqs, g["origin"]) if g["origin"] else "virtual (wire story not in the pile)"
        rows.append([md(g["group_id"]), num(g["size"]), origin, members])
    note = f"\n\n{num(singles)} single-document groups not listed." if singles else ""
    return "### Origin groups\n\n" + table(["Group", "Size", "Origin", "Members (roles)"], rows, "lrll") + note


def _edges_table(edges: list[dict], seqs: dict[str, int]) -> str:
    if not edges:
        return ""
    rows = [[_ref(seqs, e["origin_id"]), _ref(seqs, e["copy_id"]), md(e["relation"]), _pct(e["coverage_origin"]),
             _pct(e["coverage_copy"]), f"{e['confidence']:.2f}", md("; ".join(e["direction"])) or "—"]
            for e in edges]
    head = ["Origin", "Copy", "Relation", "Origin in copy", "Copy from origin", "Confidence", "Direction"]
    return "### Derivation edges\n\n" + table(head, rows, "llllrrl")


def _farm_table(farms: list[dict]) -> str:
    if not farms:
        return ""
    rows = []
    for d in farms:
        text, q = d.get("text") or "", d["quality"]
        top = sorted(q["signals"], key=lambda sg: -sg["weight"])[:SIGNALS_SHOWN]
        evidence = "; ".join(
            f"{md(sg['name'])} ({sg['weight']:.2f}): {md(sg['detail'])}"
            + (f" “{md(_excerpt(text, *sg['spans'][0]))}”" if sg["spans"] else "")
            for sg in top)
        rows.append([str(d["seq"]), md(d.get("title") or "(untitled)"), f"{q['score']:.2f}", evidence])
    return "### Content-farm documents\n\n" + table(["#", "Title", "Quality", "Top evidence"], rows, "rlrl")


def _spun_table(spun: list[dict]) -> str:
    if not spun:
        return ""
    rows = []
    for d in spun:
        sp = d["spin"]
        subs = ", ".join(f"{md(m['published'])} → {md(m['restored']) or '?'}" for m in sp["marks"][:SUBS_SHOWN])
        if len(sp["marks"]) > SUBS_SHOWN:
            subs += f" and {num(len(sp['marks']) - SUBS_SHOWN)} more"
        rows.append([str(d["seq"]), md(d.get("title") or "(untitled)"), _pct(sp["score"]), md(sp["method"]), subs])
    return "### Spun documents\n\n" + table(["#", "Title", "Spin", "Method", "Substitutions (published → restored)"],
                                              rows, "rlrll")


def _by_document(docs: list[dict], seqs: dict[str, int]) -> str:
    rows = []
    for d in docs:
        g, q, sp = d.get("origin_group"), d.get("quality"), d.get("spin")
        if not (g or q or sp):
            continue
        group = ""
        if g:
            group = _ref(seqs, g["group_id"]) if g["group_id"] in seqs else md(g["group_id"])
        rows.append([str(d["seq"]), md(d.get("title") or "(untitled)"), group, md(g["role"]) if g else "",
                     f"{q['score']:.2f}" if q else "", ("yes" if q["content_farm"] else "no") if q else "",
                     (("spun " if sp["spun"] else "") + _pct(sp["score"])) if sp else ""])
    if not rows:
        return ""
    return "### By document\n\n" + table(["#", "Title", "Origin group", "Role", "Quality", "Content farm", "Spin"],
                                         rows, "rlllrll")


# The summary, top to bottom.  A later stage adds its part by inserting a Section.
SECTIONS: list[Section] = [
    Section("summary", None, header, ("corpus",)),
    Section("documents", "Documents", documents, ("documents",)),
    Section("stories", "Stories", stories, ("stories",)),
    Section("briefings", "Briefings", briefings, ("briefings",)),
    Section("actors", "Actors", actors, ("actors",)),
    Section("timeline", "Timeline", timeline, ("timeline",)),
    Section("quotes", "Quotes", quotes, ("quotes",)),
    Section("provenance", "Provenance", provenance, ("documents", "origin_groups", "derivations")),
    Section("flags", "Flags", flags, ("documents",)),
    Section("removed", "Removed boilerplate lines", removed, ("documents",)),
    Section("errors", "Errors", errors, ("errors",)),
    Section("runs", "Runs", runs, ("runs",)),
]


def render_markdown(report: Report, sections: list[Section] | None = None) -> str:
    """The whole Markdown summary for ``report`` (a sitrep.json dict)."""
    parts = []
    for s in SECTIONS if sections is None else sections:
        if all(k in report for k in s.needs):
            body = s.render(report)
            parts.append(f"## {md(s.title)}\n\n{body}" if s.title else body)
    return "\n\n".join(parts) + "\n"
