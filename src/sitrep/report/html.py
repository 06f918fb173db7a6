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

This module assembles the page; the parts live beside it: shared helpers in
:mod:`~sitrep.report.html_common`, provenance in
:mod:`~sitrep.report.html_provenance`, stories, actors, timeline and quotes
in :mod:`~sitrep.report.html_understanding`, each document's "who, what,
when" in :mod:`~sitrep.report.html_understanding_doc`.
"""

from __future__ import annotations

import base64
import hashlib
import re
from importlib import resources
from string import Template

from sitrep.report.collect import Report, Section, corroboration_stats, headline_stats, understanding_stats
from sitrep.report.html_common import (  # noqa: F401  (esc, safe_url, highlight, pct: the module's API)
    TEXT_CAP, badges, doc_anchor, doc_label, esc, highlight, language_of, link, num, outbound, pct,
    published_of, safe_url, seq_index, seq_link, source_of, tally)
from sitrep.report.html_corroboration import briefings_section
from sitrep.report.html_provenance import (  # noqa: F401  (ROLES, restored_spans: the module's API)
    ROLES, Context, edges_block, group_block, group_sizes, prov_badges, provenance_section, quality_block,
    restored_spans, spin_block)
from sitrep.report.html_understanding import (UContext, actors_section, quotes_section, stories_section,
                                              timeline_section)
from sitrep.report.html_understanding_doc import document_block

REMOVED_CAP = 300  # removed lines listed per document
RUNS_SHOWN = 50


# -- sections ----------------------------------------------------------------


def header(report: Report) -> str:
    c = report["corpus"]
    stats = headline_stats(c) + understanding_stats(report) + corroboration_stats(report)
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
    ctx, uctx = Context(report), UContext(report)
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
            + group_block(ctx, d)
            + edges_block(ctx, d)
            + quality_block(d)
            + document_block(uctx, d)
            # The id lets report.js find the text a data-span refers to.
            + f'<h4>Text</h4>{legend}<div class="text" dir="auto" id="text-{esc(d["id"])}">'
            f'{highlight(shown, evidence, "ev")}</div>{note}'
            + spin_block(d)
            + _removed_table(d["removed"])
            + "</details>"
        )
    return "".join(parts)



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
    Section("stories", "Stories", stories_section, ("stories",)),
    Section("briefings", "Briefings", briefings_section, ("briefings",)),
    Section("actors", "Actors", actors_section, ("actors",)),
    Section("timeline", "Timeline", timeline_section, ("timeline",)),
    Section("quotes", "Quotes", quotes_section, ("quotes",)),
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
