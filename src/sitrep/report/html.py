"""Render the report dict as one self-contained, offline HTML page.

Articles are hostile input.  Every string that came from an article or an
input (titles, text, URLs, locators, flag details, error details) goes
through :func:`esc`; only http(s) URLs become links; the page carries a
Content-Security-Policy that allows no network access at all and runs only
the one inline script whose hash it names, so even a missed escape could not
load or run anything.  No report data is embedded as JSON inside a script.

Highlights (quality evidence, spin substitutions) are placed by character
offsets on the raw text, and each piece is escaped on its own, so a ``<mark>``
never cuts an entity or a tag.  The derivation graph is drawn by
:mod:`sitrep.report.graph` as inline SVG under the same escaping.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from html import escape
from importlib import resources
from string import Template
from typing import Any
from urllib.parse import urlsplit

from sitrep.report.collect import Report, Section, headline_stats

TEXT_CAP = 20_000  # characters of cleaned text shown per document; sitrep.json has all
REMOVED_CAP = 300  # removed lines listed per document
RUNS_SHOWN = 50
EDGES_SHOWN = 20  # derivation edges detailed per document
PASSAGES_SHOWN = 3  # aligned passages shown side by side per edge
PASSAGE_CAP = 600  # characters of one passage
EVIDENCE_SHOWN = 3  # evidence excerpts listed per quality signal
EVIDENCE_CAP = 160
MARKS_SHOWN = 40  # substitutions listed per spun document
ROLES = ("origin", "copy", "rewrite", "spun_copy", "syndicated")

# C0/C1 controls (bar tab, newline) and bidi overrides: never meaningful in a
# report and able to spoof what a reader sees.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_HTTP_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f<>\"'`]+", re.IGNORECASE)


def esc(value: Any) -> str:
    """Text safe in element content and in double- or single-quoted attributes."""
    if value is None:
        return ""
    return escape(_INVISIBLE.sub("\ufffd", str(value)), quote=True)


def safe_url(url: str | None) -> str | None:
    """``url`` if it is a plain http(s) URL a browser will read as such, else None."""
    if url and _HTTP_URL.fullmatch(url):
        return url
    return None


def link(url: str | None, text: str | None = None) -> str:
    """An outbound link to an article, or the URL as plain text if it is not http(s)."""
    if not url:
        return ""
    if safe_url(url):
        return (f'<a href="{esc(url)}" rel="noopener noreferrer nofollow" target="_blank">'
                f"{esc(text or url)}</a>")
    return f'<span class="url">{esc(text or url)}</span>'


def outbound(url: str | None) -> str:
    """A small arrow linking to the article itself, when its URL is http(s)."""
    if not safe_url(url):
        return ""
    return (f' <a class="out" href="{esc(url)}" rel="noopener noreferrer nofollow" target="_blank" '
            'title="open the article">↗</a>')


def num(n: int | None) -> str:
    return "" if n is None else f"{n:,}"


def tally(counts: dict[str, int]) -> str:
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return " · ".join(f"{esc(k)} <b>{num(v)}</b>" for k, v in items) or "—"


def doc_anchor(doc_id: str) -> str:
    return "doc-" + esc(doc_id)


def doc_label(doc: dict) -> str:
    return esc(doc["title"]) if doc.get("title") else '<i class="muted">(untitled)</i>'


def badges(flags: list[dict]) -> str:
    return "".join(
        f'<span class="badge" data-flag="{esc(f["name"])}" title="{esc(f["detail"])}">{esc(f["name"])}</span>'
        for f in flags
    )


def source_of(doc: dict) -> str:
    names = [n for n in (doc.get("source"), doc.get("site_name")) if n]
    if len(names) == 2 and names[0].casefold() == names[1].casefold():
        names = names[:1]
    if names:
        return " · ".join(esc(n) for n in names)
    try:
        host = urlsplit(safe_url(doc.get("url")) or "").hostname
    except ValueError:  # e.g. a malformed IPv6 literal
        host = None
    return f'<span class="muted">{esc(host)}</span>' if host else ""


def published_of(doc: dict) -> str:
    date = esc(doc.get("published")) or "—"
    origin = doc.get("published_from")
    return f'{date} <span class="muted">({esc(origin)})</span>' if origin else date


def language_of(doc: dict) -> str:
    lang, conf = doc.get("language"), doc.get("language_confidence")
    if not lang:
        return "—"
    return f'{esc(lang)} <span class="muted">{conf:.2f}</span>' if conf is not None else esc(lang)


def seq_index(report: Report) -> dict[str, int]:
    return {d["id"]: d["seq"] for d in report.get("documents", [])}


def seq_link(seqs: dict[str, int], doc_id: str | None) -> str:
    """A link to another document's details, labelled with its number."""
    if not doc_id:
        return ""
    label = f"#{seqs[doc_id]}" if doc_id in seqs else esc(doc_id)
    return f'<a href="#{doc_anchor(doc_id)}">{label}</a>'


# -- provenance helpers ----------------------------------------------------------


def merge_spans(spans: Iterable[tuple[int, int, str]], limit: int) -> list[tuple[int, int, list[str]]]:
    """Spans clipped to ``[0, limit]``, empty ones dropped, overlapping ones merged (labels kept, once each)."""
    merged: list[tuple[int, int, list[str]]] = []
    for start, end, label in sorted((max(0, int(a)), min(limit, int(b)), str(c)) for a, b, c in spans):
        if start >= end:
            continue
        if merged and start < merged[-1][1]:
            s0, e0, labels = merged[-1]
            merged[-1] = (s0, max(e0, end), labels if label in labels else [*labels, label])
        else:
            merged.append((start, end, [label]))
    return merged


def highlight(text: str, spans: Iterable[tuple[int, int, str]], cls: str) -> str:
    """``text`` escaped, with each (merged) span in ``<mark class=cls>`` titled by its labels.

    Offsets index the raw text and every piece is escaped on its own, so a mark
    can never split an entity or let markup through.
    """
    out, pos = [], 0
    for start, end, labels in merge_spans(spans, len(text)):
        title = "; ".join(x for x in labels if x)
        out.append(esc(text[pos:start]))
        out.append(f'<mark class="{cls}" title="{esc(title)}">{esc(text[start:end])}</mark>')
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def excerpt(text: str, start: int, end: int, cap: int) -> str:
    """``text[start:end]`` escaped, cut to ``cap`` characters (raw, so never inside an entity)."""
    piece = text[max(0, start):max(0, end)]
    return esc(piece if len(piece) <= cap else piece[: cap - 1] + "…")


def pct(x: float | None) -> str:
    return "?" if x is None else f"{x:.0%}"


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


def header(report: Report) -> str:
    c = report["corpus"]
    stats = headline_stats(c)
    cards = "".join(f"<li><b>{num(v)}</b> {k}</li>" for k, v in stats if v is not None)
    return (
        '<header class="top"><h1>sitrep report</h1>'
        f'<p class="muted">Generated {esc(report.get("generated_at"))} · schema {esc(report.get("schema"))}</p>'
        f'<ul class="stats">{cards}</ul>'
        '<dl class="tally">'
        f'<dt>Languages</dt><dd>{tally(c.get("languages", {}))}</dd>'
        f'<dt>Flags</dt><dd>{tally(c.get("flags", {}))}</dd>'
        f'<dt>Removed lines</dt><dd>{tally(c.get("removed_lines", {}))}</dd>'
        "</dl></header>"
    )


def documents_table(report: Report) -> str:
    docs = report["documents"]
    if not docs:
        return '<p class="muted">No documents.</p>'
    seqs, sizes = seq_index(report), group_sizes(report)
    rows = []
    for d in docs:
        rows.append(
            f'<tr data-doc="{esc(d["id"])}">'
            f'<td class="n">{d["seq"]}</td>'
            f'<td><a href="#{doc_anchor(d["id"])}"><bdi>{doc_label(d)}</bdi></a>{outbound(d.get("url"))}'
            f'<div class="loc">{esc(d["locator"])}</div></td>'
            f"<td><bdi>{source_of(d)}</bdi></td>"
            f'<td class="nowrap">{published_of(d)}</td>'
            f'<td class="nowrap">{language_of(d)}</td>'
            f'<td class="n">{num(d["word_count"])}</td>'
            f"<td>{badges(d['flags'])}</td>"
            f"<td>{prov_badges(d, sizes)}</td>"
            f"<td>{seq_link(seqs, d.get('duplicate_of'))}</td></tr>"
        )
    return (
        '<div class="tools js-only" hidden>'
        '<input type="search" id="doc-filter" placeholder="Filter documents: words, site, flag, date…" '
        'aria-label="Filter documents"> <span id="doc-count" class="muted"></span></div>'
        '<div class="scroll"><table id="doc-table"><thead><tr>'
        '<th class="n">#</th><th>Title</th><th>Source / site</th><th>Published (from)</th>'
        '<th>Lang</th><th class="n">Words</th><th>Flags</th><th>Provenance</th><th>Duplicate of</th>'
        f'</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
    )


def _meta_rows(seqs: dict[str, int], d: dict) -> str:
    rows = [
        ("id", f"<code>{esc(d['id'])}</code>"),
        ("locator", esc(d["locator"])),
        ("container", esc(d.get("container_locator"))),
        ("kind", esc(d["kind"])),
        ("url", link(d.get("url"))),
        ("canonical url", link(d.get("canonical_url"))),
        ("source", esc(d.get("source"))),
        ("site", esc(d.get("site_name"))),
        ("author", esc(d.get("author"))),
        ("published", published_of(d)),
        ("language", language_of(d)),
        ("words", num(d["word_count"])),
        ("raw sha256", f"<code>{esc(d.get('raw_sha256'))}</code>" if d.get("raw_sha256") else ""),
        ("duplicate of", seq_link(seqs, d.get("duplicate_of"))),
    ]
    return "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows if v)


def _removed_table(removed: list[dict]) -> str:
    if not removed:
        return ""
    shown = removed[:REMOVED_CAP]
    rows = "".join(
        f'<tr><td class="n">{r["line_no"]}</td><td class="nowrap">{esc(r["rule"])}</td>'
        f'<td class="pre">{esc(r["text"])}</td></tr>'
        for r in shown
    )
    note = (f'<p class="note">Showing {len(shown):,} of {len(removed):,} removed lines; '
            "sitrep.json lists all.</p>" if len(removed) > len(shown) else "")
    return (f"<h4>Removed lines ({len(removed):,})</h4><table class=\"removed\"><thead><tr>"
            '<th class="n">Line</th><th>Rule</th><th>Text</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>{note}")


def document_details(report: Report) -> str:
    docs = report["documents"]
    if not docs:
        return '<p class="muted">No documents.</p>'
    parts = ['<p class="tools js-only" hidden><button type="button" data-action="expand">Expand all</button> '
             '<button type="button" data-action="collapse">Collapse all</button></p>']
    ctx = _Context(report)
    for d in docs:
        text = d.get("text") or ""
        shown = text[:TEXT_CAP]
        note = (f'<p class="note">Showing the first {len(shown):,} of {len(text):,} characters; '
                "sitrep.json has the full text.</p>" if len(text) > len(shown) else "")
        flags = "".join(f"<li><b>{esc(f['name'])}</b> {esc(f['detail'])}</li>" for f in d["flags"])
        evidence = [(a, b, f"{sg['name']} ({sg['weight']:.2f})")
                    for sg in (d.get("quality") or {}).get("signals", []) for a, b in sg["spans"]]
        legend = ('<p class="muted">Highlighted: evidence of the quality signals above.</p>' if evidence else "")
        parts.append(
            f'<details class="doc" id="{doc_anchor(d["id"])}"><summary>'
            f'<span class="muted">#{d["seq"]}</span> <bdi>{doc_label(d)}</bdi> {badges(d["flags"])}'
            f'{prov_badges(d, ctx.sizes)}</summary>'
            f'<dl class="meta">{_meta_rows(ctx.seqs, d)}</dl>'
            + (f'<h4>Flags</h4><ul class="flags">{flags}</ul>' if flags else "")
            + _group_block(ctx, d)
            + _edges_block(ctx, d)
            + _quality_block(d)
            + f'<h4>Text</h4>{legend}<div class="text" dir="auto">{highlight(shown, evidence, "ev")}</div>{note}'
            + _spin_block(d)
            + _removed_table(d["removed"])
            + "</details>"
        )
    return "".join(parts)


class _Context:
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


def _members(ctx: _Context, ids: list[str]) -> str:
    shown = ", ".join(f"{seq_link(ctx.seqs, i)} {role_badge(ctx.role(i))}" for i in ids[:MEMBERS_SHOWN])
    more = f' <span class="muted">and {len(ids) - MEMBERS_SHOWN:,} more</span>' if len(ids) > MEMBERS_SHOWN else ""
    return shown + more


def _origin_of(ctx: _Context, g: dict) -> str:
    if g["origin"]:
        return ctx.name(g["origin"])
    return ('<span class="muted">virtual: the wire story itself is not in the pile '
            f"(<code>{esc(g['group_id'])}</code>)</span>")


def _group_block(ctx: _Context, d: dict) -> str:
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


def _edges_block(ctx: _Context, d: dict) -> str:
    edges = [(e, True) for e in ctx.edges_in.get(d["id"], [])] + [(e, False) for e in ctx.edges_out.get(d["id"], [])]
    if not edges:
        return ""
    items = "".join(_edge_item(ctx, e, here_is_copy) for e, here_is_copy in edges[:EDGES_SHOWN])
    note = (f'<p class="note">Showing {EDGES_SHOWN} of {len(edges):,} derivation edges; sitrep.json lists all.</p>'
            if len(edges) > EDGES_SHOWN else "")
    count = f'{len(edges):,} edge{"s" if len(edges) != 1 else ""}'
    return f'<h4>Derivation ({count})</h4><ul class="edges">{items}</ul>{note}'


def _edge_item(ctx: _Context, e: dict, here_is_copy: bool) -> str:
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


def _passages(ctx: _Context, e: dict, here_is_copy: bool) -> str:
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


def _quality_block(d: dict) -> str:
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


def _spin_block(d: dict) -> str:
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
    return (head + '<div class="sbs"><div><h5>As published</h5>'
            f'<div class="text" dir="auto">{published}</div></div><div><h5>Restored</h5>'
            f'<div class="text" dir="auto">{right}</div></div></div>')


def provenance_section(report: Report) -> str:
    """The derivation graph, the origin groups, and the spun and content-farm documents."""
    from sitrep.report.graph import draw  # graph imports this module's esc

    groups, edges = report["origin_groups"], report["derivations"]
    docs = report.get("documents", [])
    if not groups and not edges:
        return '<p class="muted">No provenance analysis in this report.</p>'
    ctx = _Context(report)
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


def errors_table(report: Report) -> str:
    errs = report["errors"]
    if not errs:
        return '<p class="muted">No errors.</p>'
    rows = "".join(
        f'<tr><td class="loc">{esc(e["locator"])}</td><td class="nowrap">{esc(e["reason"])}</td>'
        f'<td>{esc(e["detail"])}</td></tr>'
        for e in errs
    )
    return ('<div class="scroll"><table><thead><tr><th>Item</th><th>Reason</th><th>Detail</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div>")


def runs_table(report: Report) -> str:
    runs = report["runs"]
    if not runs:
        return '<p class="muted">No runs recorded.</p>'
    shown = list(reversed(runs))[:RUNS_SHOWN]
    rows = "".join(
        f'<tr><td class="n">{r["id"]}</td><td>{esc(r["command"])}</td><td>{esc(r["status"])}</td>'
        f'<td class="nowrap">{esc(r["started_at"])}</td><td class="nowrap">{esc(r["finished_at"])}</td>'
        + "".join(f'<td class="n">{num(r[k])}</td>' for k in ("ingested", "skipped", "duplicates", "failed"))
        + "</tr>"
        for r in shown
    )
    note = (f'<p class="note">Latest {len(shown)} of {len(runs):,} runs.</p>' if len(runs) > len(shown) else "")
    return ('<div class="scroll"><table><thead><tr><th class="n">Run</th><th>Command</th><th>Status</th>'
            '<th>Started</th><th>Finished</th><th class="n">Ingested</th><th class="n">Skipped</th>'
            '<th class="n">Duplicates</th><th class="n">Failed</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div>{note}")


# The page, top to bottom.  A later stage adds its part by inserting a Section.
SECTIONS: list[Section] = [
    Section("summary", None, header, ("corpus",)),
    Section("documents", "Documents", documents_table, ("documents",)),
    Section("provenance", "Provenance", provenance_section, ("documents", "origin_groups", "derivations")),
    Section("details", "Document details", document_details, ("documents",)),
    Section("errors", "Errors", errors_table, ("errors",)),
    Section("runs", "Runs", runs_table, ("runs",)),
]


# -- page ----------------------------------------------------------------------

_PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="$csp">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="sitrep">
<title>sitrep report</title>
<style>$css</style>
</head>
<body>
$nav
<main>
$body
</main>
<script>$js</script>
</body>
</html>
""")


def _asset(name: str) -> str:
    text = resources.files("sitrep.report").joinpath("assets", name).read_text("utf-8")
    # Our own files, but a closing tag in them would end the element early.
    if re.search(r"</(style|script)", text, re.IGNORECASE):
        raise ValueError(f"report asset {name} contains a closing style/script tag")
    return text


def csp(script: str) -> str:
    """No network, no plugins, no forms; only the one inline script, named by hash."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    return ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'")


def render_html(report: Report, sections: list[Section] | None = None) -> str:
    """The whole page for ``report`` (a sitrep.json dict)."""
    sections = [s for s in (SECTIONS if sections is None else sections) if all(k in report for k in s.needs)]
    nav = "".join(f'<a href="#sec-{esc(s.id)}">{esc(s.title)}</a>' for s in sections if s.title)
    body = []
    for s in sections:
        content = s.render(report)
        if s.title:
            content = f'<section id="sec-{esc(s.id)}"><h2>{esc(s.title)}</h2>{content}</section>'
        body.append(content)
    js = _asset("report.js")
    return _PAGE.substitute(
        csp=csp(js),  # ours and plain ASCII: left unescaped so the source stays readable
        css=_asset("report.css"),
        js=js,
        nav=f'<nav class="toc">{nav}</nav>' if nav else "",
        body="\n".join(body),
    )
