"""The provenance parts of the HTML report.

The Provenance section (the derivation graph drawn by
:mod:`sitrep.report.graph`, the origin groups, the spun and content-farm
documents) and, in each document's details, its origin group, derivation
edges with aligned passages side by side, quality card with its evidence,
and the published and restored texts of a spun document.  Everything from an
article goes through :func:`~sitrep.report.html_common.esc`.
"""

from __future__ import annotations

from sitrep.report.collect import Report
from sitrep.report.html_common import (TEXT_CAP, doc_label, esc, excerpt, highlight, num, pct, seq_index,
                                       seq_link)

EDGES_SHOWN = 20  # derivation edges detailed per document
PASSAGES_SHOWN = 3  # aligned passages shown side by side per edge
PASSAGE_CAP = 600  # characters of one passage
EVIDENCE_SHOWN = 3  # evidence excerpts listed per quality signal
EVIDENCE_CAP = 160
MARKS_SHOWN = 40  # substitutions listed per spun document
ROLES = ("origin", "copy", "rewrite", "spun_copy", "syndicated")


def role_badge(role: str | None) -> str:
    if not role:
        return ""
    cls = f" role-{role}" if role in ROLES else ""
    return f'<span class="badge{cls}" data-role="{esc(role)}">{esc(role.replace("_", " "))}</span>'


def group_sizes(report: Report) -> dict[str, int]:
    return {g["group_id"]: g["size"] for g in report.get("origin_groups", [])}


def prov_badges(d: dict, sizes: dict[str, int]) -> str:
    """Role (when the document is not simply alone), content farm, spun, quality score."""
    out = []
    g = d.get("origin_group")
    if g and (sizes.get(g["group_id"], 1) > 1 or g["role"] != "origin"):
        out.append(role_badge(g["role"]))
    q, sp = d.get("quality"), d.get("spin")
    if q and q["content_farm"]:
        out.append('<span class="badge" data-prov="farm" title="judged a content-farm piece">content farm</span>')
    if sp and sp["spun"]:
        out.append('<span class="badge" data-prov="spun" title="share of content words judged substituted">'
                   f'spun {pct(sp["score"])}</span>')
    if q:
        out.append('<span class="badge" data-prov="quality" title="quality score: 0 worst, 1 no concerns">'
                   f'quality {q["score"]:.2f}</span>')
    return "".join(out)


# -- sections ----------------------------------------------------------------


class Context:
    """Lookups the per-document provenance blocks share, built once per page."""

    def __init__(self, report: Report):
        self.docs = {d["id"]: d for d in report.get("documents", [])}
        self.seqs = seq_index(report)
        self.sizes = group_sizes(report)
        self.groups = {g["group_id"]: g for g in report.get("origin_groups", [])}
        self.edges_in: dict[str, list[dict]] = {}
        self.edges_out: dict[str, list[dict]] = {}
        for e in report.get("derivations", []):
            self.edges_in.setdefault(e["copy_id"], []).append(e)
            self.edges_out.setdefault(e["origin_id"], []).append(e)

    def name(self, doc_id: str) -> str:
        """Link and title of a document."""
        d = self.docs.get(doc_id)
        title = f" <bdi>{doc_label(d)}</bdi>" if d else ""
        return seq_link(self.seqs, doc_id) + title

    def role(self, doc_id: str) -> str | None:
        return ((self.docs.get(doc_id) or {}).get("origin_group") or {}).get("role")


MEMBERS_SHOWN = 50


def _members(ctx: Context, ids: list[str]) -> str:
    shown = ", ".join(f"{seq_link(ctx.seqs, i)} {role_badge(ctx.role(i))}" for i in ids[:MEMBERS_SHOWN])
    more = f' <span class="muted">and {len(ids) - MEMBERS_SHOWN:,} more</span>' if len(ids) > MEMBERS_SHOWN else ""
    return shown + more


def _origin_of(ctx: Context, g: dict) -> str:
    if g["origin"]:
        return ctx.name(g["origin"])
    return ('<span class="muted">virtual: the wire story itself is not in the pile '
            f"(<code>{esc(g['group_id'])}</code>)</span>")


def group_block(ctx: Context, d: dict) -> str:
    og = d.get("origin_group")
    if not og:
        return ""
    g = ctx.groups.get(og["group_id"]) or {"group_id": og["group_id"], "documents": [d["id"]],
                                           "origin": None, "size": 1}
    if g["size"] == 1 and og["role"] == "origin":
        return '<h4>Origin group</h4><p class="muted">An origin of its own: no other document shares its text.</p>'
    return ('<h4>Origin group</h4><dl class="meta">'
            f"<dt>group</dt><dd><code>{esc(g['group_id'])}</code> · {num(g['size'])} documents</dd>"
            f"<dt>role here</dt><dd>{role_badge(og['role'])}</dd>"
            f"<dt>origin</dt><dd>{_origin_of(ctx, g)}</dd>"
            f"<dt>members</dt><dd>{_members(ctx, g['documents'])}</dd></dl>")


def edges_block(ctx: Context, d: dict) -> str:
    edges = [(e, True) for e in ctx.edges_in.get(d["id"], [])] + [(e, False) for e in ctx.edges_out.get(d["id"], [])]
    if not edges:
        return ""
    items = "".join(_edge_item(ctx, e, here_is_copy) for e, here_is_copy in edges[:EDGES_SHOWN])
    note = (f'<p class="note">Showing {EDGES_SHOWN} of {len(edges):,} derivation edges; sitrep.json lists all.</p>'
            if len(edges) > EDGES_SHOWN else "")
    count = f'{len(edges):,} edge{"s" if len(edges) != 1 else ""}'
    return f'<h4>Derivation ({count})</h4><ul class="edges">{items}</ul>{note}'


def _edge_item(ctx: Context, e: dict, here_is_copy: bool) -> str:
    other = e["origin_id"] if here_is_copy else e["copy_id"]
    head = ("Derived from " if here_is_copy else "Source of ") + ctx.name(other)
    direction = "".join(f"<li>{esc(x)}</li>" for x in e["direction"]) or "<li>—</li>"
    return (
        f'<li class="edge"><p><b>{head}</b> <span class="badge" data-relation="{esc(e["relation"])}">'
        f'{esc(e["relation"])}</span></p><dl class="meta">'
        f"<dt>coverage</dt><dd>{pct(e['coverage_origin'])} of the origin is in the copy · "
        f"{pct(e['coverage_copy'])} of the copy comes from the origin</dd>"
        f"<dt>confidence</dt><dd>{e['confidence']:.2f}</dd>"
        f'<dt>direction</dt><dd><ul class="direction">{direction}</ul></dd></dl>'
        + _passages(ctx, e, here_is_copy) + "</li>"
    )


def _passages(ctx: Context, e: dict, here_is_copy: bool) -> str:
    ps = e["passages"]
    if not ps:
        return ""
    copy_text = (ctx.docs.get(e["copy_id"]) or {}).get("text") or ""
    origin_text = (ctx.docs.get(e["origin_id"]) or {}).get("text") or ""
    here = " (this document)"
    copy_head = f"Copy {seq_link(ctx.seqs, e['copy_id'])}{here if here_is_copy else ''}"
    origin_head = f"Origin {seq_link(ctx.seqs, e['origin_id'])}{'' if here_is_copy else here}"
    rows = "".join(
        f'<tr><td class="nowrap">{esc(p["kind"])}<br><span class="muted">similarity {p["similarity"]:.2f}</span></td>'
        f'<td class="pre">{excerpt(copy_text, p["copy_start"], p["copy_end"], PASSAGE_CAP)}</td>'
        f'<td class="pre">{excerpt(origin_text, p["origin_start"], p["origin_end"], PASSAGE_CAP)}</td></tr>'
        for p in ps[:PASSAGES_SHOWN]
    )
    more = (f'<p class="muted">{PASSAGES_SHOWN} of {len(ps):,} aligned passages shown; sitrep.json lists all.</p>'
            if len(ps) > PASSAGES_SHOWN else "")
    return (f'<table class="passages"><thead><tr><th>Passage</th><th>{copy_head}</th><th>{origin_head}</th>'
            f"</tr></thead><tbody>{rows}</tbody></table>{more}")


def quality_block(d: dict) -> str:
    q = d.get("quality")
    if not q:
        return ""
    text = d.get("text") or ""
    farm = ' <span class="badge" data-prov="farm">content farm</span>' if q["content_farm"] else ""
    rows = []
    for sg in q["signals"]:
        quotes = "".join(f"<li>“{excerpt(text, a, b, EVIDENCE_CAP)}”</li>" for a, b in sg["spans"][:EVIDENCE_SHOWN])
        more = (f'<li class="muted">and {len(sg["spans"]) - EVIDENCE_SHOWN:,} more</li>'
                if len(sg["spans"]) > EVIDENCE_SHOWN else "")
        rows.append(f'<tr><td class="nowrap">{esc(sg["name"])}</td><td class="n">{sg["weight"]:.2f}</td>'
                    f'<td>{esc(sg["detail"])}</td><td><ul class="evidence">{quotes}{more}</ul></td></tr>')
    table = ('<table class="signals"><thead><tr><th>Signal</th><th class="n">Weight</th><th>Detail</th>'
             f'<th>Evidence</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
             if rows else '<p class="muted">No concerns found.</p>')
    return (f'<h4>Quality</h4><p>Score <b>{q["score"]:.2f}</b> <span class="muted">(0 worst, 1 no concerns)</span>'
            f"{farm}</p>{table}")


def restored_spans(text: str, marks: list[dict], restored_text: str | None) -> list[tuple[int, int, str]] | None:
    """Where each restored word sits in ``restored_text``, or None if that text is not
    ``text`` with the marks' restorations applied (then offsets cannot be trusted)."""
    if restored_text is None:
        return None
    spans, pieces, last, shift = [], [], 0, 0
    for m in sorted(marks, key=lambda m: m["start"]):
        if not m["restored"]:
            continue
        if m["start"] < last:
            return None  # overlapping marks: no single reading
        pieces += [text[last:m["start"]], m["restored"]]
        spans.append((m["start"] + shift, m["start"] + shift + len(m["restored"]), f"published: {m['published']}"))
        shift += len(m["restored"]) - (m["end"] - m["start"])
        last = m["end"]
    pieces.append(text[last:])
    return spans if "".join(pieces) == restored_text else None


def spin_block(d: dict) -> str:
    sp = d.get("spin")
    if not sp:
        return ""
    if not sp["spun"] and not sp["marks"]:
        return f'<p class="muted">Spin check: not spun (score {pct(sp["score"])}, method {esc(sp["method"])}).</p>'
    text = d.get("text") or ""
    marks = sp["marks"]
    published = highlight(text[:TEXT_CAP], [
        (m["start"], m["end"], f"restored: {m['restored']}" if m["restored"] else "suspected; not restored")
        for m in marks], "spun")
    subs = "".join(
        f'<li title="confidence {m["confidence"]:.2f}, {esc(m["method"])}"><s>{esc(m["published"])}</s> → '
        f'<b>{esc(m["restored"]) or "?"}</b></li>' for m in marks[:MARKS_SHOWN])
    more = f'<li class="muted">and {len(marks) - MARKS_SHOWN:,} more</li>' if len(marks) > MARKS_SHOWN else ""
    head = (f'<h4>Spin</h4><p>{"Spun" if sp["spun"] else "Not judged spun"}: {pct(sp["score"])} of content words '
            f'judged substituted (method {esc(sp["method"])}); {len(marks):,} substitutions.</p>'
            f'<ul class="subs">{subs}{more}</ul>')
    restored = sp["restored_text"]
    if restored is None:
        return head + f'<div class="text" dir="auto">{published}</div>'
    spans = restored_spans(text, marks, restored)
    right = (highlight(restored[:TEXT_CAP], spans, "restored") if spans is not None
             else '<span class="muted">(the restored text does not follow the substitutions\' offsets; '
                  'shown without highlights)</span>\n' + esc(restored[:TEXT_CAP]))
    # With trustworthy offsets, report.js maps a cited span of the published text onto this view too.
    mapped = (f' id="restored-{esc(d["id"])}" data-map="{offset_map(marks)}"' if spans is not None else "")
    return (head + '<div class="sbs"><div><h5>As published</h5>'
            f'<div class="text" dir="auto">{published}</div></div><div><h5>Restored</h5>'
            f'<div class="text" dir="auto"{mapped}>{right}</div></div></div>')


def offset_map(marks: list[dict]) -> str:
    """``start:end:length,...`` of each restoration in published order: what report.js needs to carry a
    published offset into the restored text (integers only, formatted here)."""
    return ",".join(f"{int(m['start'])}:{int(m['end'])}:{len(m['restored'])}"
                    for m in sorted(marks, key=lambda m: m["start"]) if m["restored"])


def provenance_section(report: Report) -> str:
    """The derivation graph, the origin groups, and the spun and content-farm documents."""
    from sitrep.report.graph import draw  # graph imports this module's ROLES

    groups, edges = report["origin_groups"], report["derivations"]
    docs = report.get("documents", [])
    if not groups and not edges:
        return '<p class="muted">No provenance analysis in this report.</p>'
    ctx = Context(report)
    multi = [g for g in groups if g["size"] > 1 or g["origin"] is None]
    parts = [f"<p><b>{num(len(groups))}</b> origin groups over <b>{num(sum(g['size'] for g in groups))}</b> "
             f"documents; <b>{num(len(multi))}</b> of them hold copies, rewrites or wire reprints. "
             f"<b>{num(len(edges))}</b> derivation edges.</p>"]
    drawing = draw(report)
    if drawing.svg:
        parts.append(_LEGEND + f'<div class="graph">{drawing.svg}</div>')
    else:
        parts.append('<p class="muted">No document derives from another.</p>')
    notes = []
    if drawing.singletons == 1:
        notes.append("1 document is alone in its origin group and is not drawn")
    elif drawing.singletons:
        notes.append(f"{drawing.singletons:,} documents are alone in their origin groups and are not drawn")
    if drawing.left_out_bands:
        notes.append(f"{drawing.left_out_bands:,} smaller clusters ({drawing.left_out_docs:,} documents) are "
                     "left out of the drawing; the table lists them")
    if notes:
        parts.append(f'<p class="muted">{"; ".join(notes)}.</p>')
    if multi:
        rows = "".join(
            f'<tr><td><code>{esc(g["group_id"])}</code></td><td class="n">{num(g["size"])}</td>'
            f"<td>{_origin_of(ctx, g)}</td><td>{_members(ctx, g['documents'])}</td></tr>"
            for g in multi)
        parts.append('<h3>Origin groups</h3><div class="scroll"><table class="groups"><thead><tr><th>Group</th>'
                     '<th class="n">Size</th><th>Origin</th><th>Members and roles</th></tr></thead>'
                     f"<tbody>{rows}</tbody></table></div>")
        if len(multi) < len(groups):
            parts.append(f'<p class="muted">{len(groups) - len(multi):,} single-document groups not listed.</p>')
    for title, picked in (
        ("Content-farm documents", [d for d in docs if (d.get("quality") or {}).get("content_farm")]),
        ("Spun documents", [d for d in docs if (d.get("spin") or {}).get("spun")]),
    ):
        if picked:
            items = "".join(f"<li>{ctx.name(d['id'])} {prov_badges(d, ctx.sizes)}</li>" for d in picked)
            parts.append(f'<h3>{title}</h3><ul class="picked">{items}</ul>')
    return "".join(parts)


_LEGEND = (
    '<p class="legend">'
    + "".join(f'<span class="swatch role-{r}"></span>{r.replace("_", " ")}' for r in ROLES)
    + '<span class="swatch virtual"></span>wire story (not in the pile)'
    '<span class="swatch farm"></span>content farm<span class="swatch spun"></span>spun'
    '<span class="swatch weak"></span>weak edge (low confidence or no direction)'
    '<br><span class="muted">Arrows run origin → copy, labelled with the relation and the coverage '
    "(share of the origin found in the copy / share of the copy taken from the origin). "
    "Hover for the evidence; click a document to open it.</span></p>"
)
