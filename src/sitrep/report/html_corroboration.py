"""The corroboration part of the HTML report: one briefing view per story.

Reads the report's ``briefings``, ``claims``, ``contradictions`` and
``positions`` (see :mod:`sitrep.report.collect_corroboration`) and, for
context, ``stories``, ``timeline``, ``documents`` and the provenance
sections.  Per story, in a closed ``<details>`` (so a page of hundreds of
stories lays out only the one being read):

- the briefing, its sections in order, each sentence followed by its
  citations; a citation is a link to the cited document's details that
  report.js opens and highlights the spans in (``href="#doc-<id>"`` with
  ``data-span="start:end,..."``, the mechanism of
  :mod:`sitrep.report.html_understanding`), one link per cited document
  carrying all its spans; for a word-spun document the link's tooltip gives
  the cited words as restored, and report.js paints the spans in the
  document's restored view too; a sentence its citations do not back
  (abstractive mode) is kept and visibly marked;
- the key claims (the top :data:`CLAIMS_SHOWN` groups; sitrep.json has all)
  with a support chart: documents against independent sources;
- the disputed points, both sides next to each other;
- each actor's positions in time order, shifts marked;
- the story's timeline and its sources by quality (:mod:`sitrep.report.plots`),
  and its part of the derivation graph (:func:`sitrep.report.graph.draw`).

At archive size the page must still open: only the :data:`FULL_VIEWS`
largest stories get all of the above; the others get their briefing alone
(every sentence and citation) and a count of what sitrep.json holds besides.
The styles are in ``assets/report.css`` with the rest of the page's.

Every article-derived string goes through
:func:`~sitrep.report.html_common.esc`; offsets are integers formatted here.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from sitrep.report.collect import Report
from sitrep.report.html_common import doc_anchor, esc, num
from sitrep.report.html_understanding import EVENTS_SHOWN, UContext, and_more, date_range, more, span_attr
from sitrep.report.plots import Dot, Mark, Support, quality_strip, support_bars, timeline

STORIES_SHOWN = 1000  # stories with a briefing view on the page (every one of an archive of ~1,000 documents)
FULL_VIEWS = 50  # the largest stories get the full view; the others their briefing alone (sitrep.json has all)
CLAIMS_SHOWN = 8  # claim groups per story
CLAIM_CITES_SHOWN = 10  # supporting spans listed per claim group
CITES_SHOWN = 8  # citations listed per briefing sentence or contradiction side
DISPUTES_SHOWN = 20
POSITION_ACTORS_SHOWN = 8
POSITIONS_SHOWN = 20  # per actor
TIMELINE_MARKS = 40  # events and documents on a story's timeline
SPUN_TIP = 160  # characters of restored reading in a citation's tooltip

SECTION_TITLES = {"happened": "What happened", "actors": "Who is involved", "claims": "Key claims",
                  "disputed": "Disputed points", "positions": "Positions and shifts", "sources": "Sources"}
STANCES = {"supports": "supports", "opposes": "opposes", "shifts": "shifts", "neutral": "neutral"}


class CContext:
    """Per-page lookups: the corroboration sections indexed by story, documents by id."""

    def __init__(self, report: Report):
        self.report = report
        self.u = UContext(report)
        self.docs = self.u.docs

    @cached_property
    def groups(self) -> dict[str, list[dict]]:
        return _index(self.report.get("claims") or [])

    @cached_property
    def disputes(self) -> dict[str, list[dict]]:
        return _index(self.report.get("contradictions") or [])

    @cached_property
    def positions(self) -> dict[str, list[dict]]:
        return _index(self.report.get("positions") or [])

    @cached_property
    def briefings(self) -> dict[str, dict]:
        return {b["story_id"]: b for b in self.report.get("briefings") or []}

    @cached_property
    def stories(self) -> list[dict]:
        """Stories with anything to show, in the ``stories`` order (else the briefings' order)."""
        known = self.report.get("stories") or [{"id": b["story_id"], "label": b["title"], "start": None,
                                                "end": None, "size": 0, "documents": []}
                                               for b in self.report.get("briefings") or []]
        return [s for s in known if s["id"] in self.briefings or s["id"] in self.groups]

    @cached_property
    def timeline_index(self) -> tuple[dict[str, set[int]], dict[str, list[dict]]]:
        """Document -> indexes of the timeline events it supports; document -> its placements."""
        events: dict[str, set[int]] = defaultdict(set)
        t = self.report.get("timeline") or {}
        for i, e in enumerate(t.get("events", [])):
            for x in e["support"]:
                events[x["document_id"]].add(i)
        placements: dict[str, list[dict]] = defaultdict(list)
        for p in t.get("placements", []):
            placements[p["document_id"]].append(p)
        return events, placements

    def cite(self, c: dict) -> str:
        """One citation: ``#seq start–end``, a link that opens the document and highlights the span."""
        return self.cites([c])

    def cites(self, cs: list[dict], cap: int = CITES_SHOWN) -> str:
        """Citations, one link per cited document (``#3 120–180, 400–460``) that highlights all its spans.

        No tooltip with the document's title: at thousands of citations a page the titles would
        weigh more than the briefings (the link opens the document).  A spun document's link says
        how the cited words read once restored."""
        by_doc: dict[str, list[tuple[int, int]]] = {}
        for c in cs[:cap]:
            by_doc.setdefault(c["document_id"], []).append((int(c["start"]), int(c["end"])))
        return " ".join(self._doc_cite(doc_id, spans) for doc_id, spans in by_doc.items()) + and_more(len(cs), cap)

    def _doc_cite(self, doc_id: str, spans: list[tuple[int, int]]) -> str:
        d = self.docs.get(doc_id)
        label = f"#{d['seq']}" if d else esc(doc_id)
        where = ", ".join(f"{a}–{b}" for a, b in spans)
        restored = [r for r in (spun_reading(d, a, b) for a, b in spans) if r is not None] if d else []
        if not restored:
            return f'<a href="#{doc_anchor(doc_id)}"{span_attr(spans)}>{label} {where}</a>'
        tip = esc("spun document; cited words as restored: " + " / ".join(restored))
        return (f'<a href="#{doc_anchor(doc_id)}" title="{tip}"{span_attr(spans)}>{label} {where}</a>'
                '<span class="badge" data-warn="1">spun</span>')


def _index(items: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for x in items:
        out[x["story_id"]].append(x)
    return out


def spun_reading(d: dict, start: int, end: int) -> str | None:
    """The words ``[start, end)`` of a spun document with its substitutions undone (None if not spun)."""
    sp = d.get("spin")
    if not sp or not sp.get("spun"):
        return None
    text, out, pos = d.get("text") or "", [], start
    for m in sp["marks"]:
        if m["start"] >= start and m["end"] <= end and m["start"] >= pos and m["restored"]:
            out += [text[pos:m["start"]], m["restored"]]
            pos = m["end"]
    out.append(text[pos:end])
    words = "".join(out)
    return words if len(words) <= SPUN_TIP else words[: SPUN_TIP - 1] + "…"


# -- the section -------------------------------------------------------------------------------


def viewed(report: Report) -> list[str]:
    """Ids of the stories that have a briefing view (``#brief-<id>``) on the page, in page order."""
    return [s["id"] for s in CContext(report).stories[:STORIES_SHOWN]]


def briefings_section(report: Report) -> str:
    ctx = CContext(report)
    stories = ctx.stories
    if not stories:
        return '<p class="muted">No briefings yet: the corroboration stages have not run on any story.</p>'
    shown = stories[:STORIES_SHOWN]
    n_groups = len(report.get("claims") or [])
    n_disputes = len(report.get("contradictions") or [])
    compact = (f" The {num(min(FULL_VIEWS, len(shown)))} largest stories show their key claims, disputed points, "
               "positions and plots; the others their briefing, with the rest in sitrep.json and "
               "<code>sitrep claims --story ID</code>." if len(shown) > FULL_VIEWS else "")
    parts = [f"<p><b>{num(len(stories))}</b> stories with a briefing or claims; <b>{num(n_groups)}</b> claim "
             f"groups, <b>{num(n_disputes)}</b> disputed points. A citation <code>#3 120–180</code> is document "
             f"#3, characters 120 to 180: click it to open the document with the span highlighted.{compact}</p>",
             _corpus_quality(ctx), _index_table(ctx, shown)]
    parts += [_story_view(ctx, s, open_=i == 0, full=i < FULL_VIEWS) for i, s in enumerate(shown)]
    return "".join(parts) + more(len(stories), len(shown), "stories")


def _corpus_quality(ctx: CContext) -> str:
    dots = [_dot(d) for d in ctx.docs.values() if d.get("quality")]
    svg = quality_strip(dots, "All documents by quality score")
    return f'<h3>Sources by quality</h3><div class="plots">{svg}</div>' if svg else ""


def _dot(d: dict) -> Dot:
    q = d["quality"]
    return Dot(q["score"], f"#{d['seq']} {d.get('title') or '(untitled)'}", q["content_farm"], f"#doc-{d['id']}")


def _index_table(ctx: CContext, stories: list[dict]) -> str:
    rows = []
    for s in stories:
        b = ctx.briefings.get(s["id"])
        gs = ctx.groups.get(s["id"], [])
        multi = sum(1 for g in gs if not g["single_source"])
        rows.append(f'<tr><td><a href="#brief-{esc(s["id"])}"><bdi>{esc(s["label"])}</bdi></a></td>'
                    f'<td class="nowrap">{date_range(s.get("start"), s.get("end"))}</td>'
                    f'<td class="n">{num(s.get("size"))}</td><td class="n">{num(len(gs))}</td>'
                    f'<td class="n">{num(multi)}</td><td class="n">{num(len(ctx.disputes.get(s["id"], [])))}</td>'
                    f'<td>{esc(b["mode"]) if b else "—"}</td></tr>')
    return ('<div class="scroll"><table class="brief-index"><thead><tr><th>Story</th><th>When</th>'
            '<th class="n">Docs</th><th class="n">Claim groups</th><th class="n">Corroborated</th>'
            f'<th class="n">Disputed</th><th>Briefing</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>')


def _story_view(ctx: CContext, s: dict, open_: bool, full: bool = True) -> str:
    sid = s["id"]
    b = ctx.briefings.get(sid)
    mode = f' · <span class="badge">{esc(b["mode"])}</span>' if b else ""
    body = [_briefing(ctx, b)]
    if full:
        body += [_key_claims(ctx, ctx.groups.get(sid, [])), _disputes(ctx, ctx.disputes.get(sid, [])),
                 _positions(ctx, ctx.positions.get(sid, [])), _story_plots(ctx, s)]
    else:
        body.append(_left_out(ctx, sid))
    return (f'<details class="brief" id="brief-{esc(sid)}"{" open" if open_ else ""}><summary>'
            f'<h3><bdi>{esc(s["label"])}</bdi></h3> <span class="muted">{date_range(s.get("start"), s.get("end"))}'
            f' · {num(s.get("size"))} documents</span>{mode}</summary>{"".join(body)}</details>')


def _left_out(ctx: CContext, sid: str) -> str:
    """What a compact view leaves to sitrep.json, counted, so a reader knows whether to look."""
    counts = [(len(ctx.groups.get(sid, [])), "claim group", "claim groups"),
              (len(ctx.disputes.get(sid, [])), "disputed point", "disputed points"),
              (len(ctx.positions.get(sid, [])), "actor with positions", "actors with positions")]
    said = ", ".join(f"{num(n)} {one if n == 1 else many}" for n, one, many in counts if n)
    return (f'<p class="muted">Compact view: {said} of this story are in sitrep.json.</p>' if said else "")


def _briefing(ctx: CContext, b: dict | None) -> str:
    if b is None:
        return '<p class="muted">No briefing for this story yet.</p>'
    by_section: dict[str, list[dict]] = defaultdict(list)
    for sent in b["sentences"]:
        by_section[sent["section"]].append(sent)
    unsupported = sum(1 for x in b["sentences"] if not x["supported"])
    warn = (f'<p class="note">{unsupported} generated sentence{"s" if unsupported != 1 else ""} not backed by '
            "{} citations: marked below, kept for review.</p>".format("its" if unsupported == 1 else "their")
            if unsupported else "")
    parts = [f"<h4>Briefing</h4>{warn}"]
    order = [k for k in SECTION_TITLES if k in by_section] + [k for k in by_section if k not in SECTION_TITLES]
    for key in order:
        items = "".join(_sentence(ctx, x) for x in by_section[key])
        parts.append(f'<h5>{esc(SECTION_TITLES.get(key, key))}</h5><ol class="sentences">{items}</ol>')
    return "".join(parts)


def _sentence(ctx: CContext, x: dict) -> str:
    flag = ("" if x["supported"] else
            ' <span class="badge" data-warn="1" title="the cited spans do not back this generated sentence">'
            "not backed by its citations</span>")
    cites = ctx.cites(x["citations"]) or '<span class="badge" data-warn="1">no citation</span>'
    # The wrapper only where the stylesheet needs it: at thousands of sentences a page, bytes add up.
    said = esc(x["text"]) if x["supported"] else f'<span class="said">{esc(x["text"])}</span>'
    cls = "" if x["supported"] else ' class="unsupported"'
    return f'<li{cls}>{said}{flag} <span class="cites">[{cites}]</span></li>'


def _key_claims(ctx: CContext, groups: list[dict]) -> str:
    if not groups:
        return ""
    shown = groups[:CLAIMS_SHOWN]
    bars = support_bars([Support(g["label"], len(g["documents"]), g["independent_sources"], g["single_source"],
                                 g["farm_only"], f"#claim-{g['id']}") for g in shown])
    items = "".join(_claim_item(ctx, g) for g in shown)
    return (f'<h4>Key claims</h4><div class="plots">{bars}</div><ol class="claims">{items}</ol>'
            + more(len(groups), len(shown), "claim groups of this story"))


def _claim_item(ctx: CContext, g: dict) -> str:
    marks = "".join(f'<span class="badge" data-warn="1">{m}</span>' for m, on in
                    (("single source", g["single_source"]), ("content farms only", g["farm_only"])) if on)
    spans = [{"document_id": c["document_id"], "start": c["start"], "end": c["end"]} for c in g["claims"]]
    speakers = sorted({c["speaker"] for c in g["claims"] if c["speaker"]})
    said = f' <span class="muted">— as said by {esc(", ".join(speakers))}</span>' if speakers else ""
    negated = any(c["polarity"] < 0 for c in g["claims"])
    hedged = sorted({c["modality"] for c in g["claims"] if c["modality"] != "asserted"})
    notes = ("negated" if negated else "") + (", " if negated and hedged else "") + ", ".join(hedged)
    return (f'<li id="claim-{esc(g["id"])}"><bdi>{esc(g["label"])}</bdi>{said} {marks}'
            f'<div class="muted"><b>{num(g["independent_sources"])}</b> independent source'
            f'{"s" if g["independent_sources"] != 1 else ""} · {num(len(g["documents"]))} documents'
            f'{" · " + esc(notes) if notes else ""} · {ctx.cites(spans, CLAIM_CITES_SHOWN)}</div></li>')


def _disputes(ctx: CContext, items: list[dict]) -> str:
    if not items:
        return ""
    shown = items[:DISPUTES_SHOWN]
    rows = "".join(
        f'<p><b>{esc(c["kind"])}</b>: {ctx.u.actor(c["subject"], c["subject"])} — <bdi>{esc(c["topic"])}</bdi></p>'
        f'<div class="sides">{_side(ctx, c["a"])}<span class="vs">vs</span>{_side(ctx, c["b"])}</div>'
        for c in shown)
    return "<h4>Disputed points</h4>" + rows + more(len(items), len(shown), "disputed points of this story")


def _side(ctx: CContext, side: dict) -> str:
    farm = ' <span class="badge" data-warn="1">content farms only</span>' if side["farm_only"] else ""
    n = side["sources"]
    return (f'<div class="side"><b><bdi>{esc(side["value"])}</bdi></b>{farm}<div class="muted">{num(n)} independent '
            f'source{"s" if n != 1 else ""} · {ctx.cites(side["citations"])}</div></div>')


def _positions(ctx: CContext, actors: list[dict]) -> str:
    if not actors:
        return ""
    parts = ["<h4>Positions over time</h4>"]
    for a in actors[:POSITION_ACTORS_SHOWN]:
        shifted = {x["to"] for x in a["shifts"]}
        ps = a["positions"]
        items = "".join(_position(ctx, p, i in shifted) for i, p in enumerate(ps[:POSITIONS_SHOWN]))
        parts.append(f"<p><b>{ctx.u.actor(a['identity_id'], a['identity_id'])}</b>"
                     + (f' <span class="badge" data-warn="1">{len(a["shifts"])} shift'
                        f'{"s" if len(a["shifts"]) != 1 else ""}</span>' if a["shifts"] else "")
                     + f'</p><ol class="positions">{items}</ol>' + more(len(ps), POSITIONS_SHOWN, "positions"))
    return "".join(parts) + more(len(actors), POSITION_ACTORS_SHOWN, "actors with positions")


def _position(ctx: CContext, p: dict, shift: bool) -> str:
    when = esc(p["date"]) if p["date"] else '<span class="muted">undated</span>'
    how = f' <span class="muted">({esc(p["date_from"])})</span>' if p["date_from"] else ""
    reported = ' <span class="muted">reported by others</span>' if p["reported"] else ""
    cls = ' class="shift"' if shift else ""
    lead = "↪ shift: " if shift else ""
    return (f'<li{cls}>{lead}<span class="nowrap">{when}{how}</span> <b>{esc(STANCES.get(p["stance"], p["stance"]))}'
            f'</b> <bdi>{esc(p["issue"])}</bdi>: “<bdi>{esc(p["text"])}</bdi>”{reported} '
            f'<span class="cites">[{ctx.cite(p["citation"])}]</span></li>')


# -- plots per story ---------------------------------------------------------------------------


def _story_plots(ctx: CContext, s: dict) -> str:
    doc_ids = [i for i in s.get("documents", []) if i in ctx.docs]
    parts = []
    tl = timeline(_story_marks(ctx, doc_ids), "Story timeline: events and documents")
    if tl:
        parts.append(f'<h4>Timeline</h4><div class="plots">{tl}</div>')
    qs = quality_strip([_dot(ctx.docs[i]) for i in doc_ids if ctx.docs[i].get("quality")],
                       "This story's documents by quality score")
    if qs:
        parts.append(f'<h4>Sources by quality</h4><div class="plots">{qs}</div>')
    graph = _story_graph(ctx, set(doc_ids))
    if graph:
        parts.append(f'<h4>Who copied whom</h4><div class="graph">{graph}</div>')
    return "".join(parts)


def _story_marks(ctx: CContext, doc_ids: list[str]) -> list[Mark]:
    events, placements = ctx.timeline_index
    ranks = sorted({r for i in doc_ids for r in events.get(i, ())})
    all_events = (ctx.report.get("timeline") or {}).get("events", [])
    # Only dated events: a relative-only one has no place on a date axis (the timeline section lists it).
    dated = [(r, all_events[r]) for r in ranks if all_events[r]["date"]][:TIMELINE_MARKS]
    marks = [Mark("events", e["label"], e["date"], tooltip=f"{e['label']} ({e['date']})",
                  href=f"#event-{e['id']}" if r < EVENTS_SHOWN else "") for r, e in dated]  # shown ones have anchors
    dates = {e["id"]: e["date"] for e in all_events}
    for p in [p for i in doc_ids for p in placements.get(i, ())][:TIMELINE_MARKS]:
        d = ctx.docs[p["document_id"]]
        rel = p["relation"] if p["relation"] in ("before", "after") else ""
        marks.append(Mark("documents", f"#{d['seq']} {d.get('title') or '(untitled)'}", p["date"], rel,
                          dates.get(p["event_id"] or "") if rel else None, href=f"#doc-{d['id']}",
                          flag=bool((d.get("quality") or {}).get("content_farm"))))
    return marks


def _story_graph(ctx: CContext, doc_ids: set[str]) -> str:
    """The derivation graph restricted to the story's documents ("" when they share no origin)."""
    from sitrep.report.graph import draw

    edges = [e for e in ctx.report.get("derivations") or [] if e["origin_id"] in doc_ids and e["copy_id"] in doc_ids]
    groups = [{**g, "documents": [i for i in g["documents"] if i in doc_ids]}
              for g in ctx.report.get("origin_groups") or []]
    groups = [{**g, "size": len(g["documents"])} for g in groups if g["documents"]]
    if not edges and not any(g["size"] > 1 or g["origin"] is None for g in groups):
        return ""
    sub = {"documents": [ctx.docs[i] for i in sorted(doc_ids, key=lambda i: ctx.docs[i]["seq"])],
           "origin_groups": groups, "derivations": edges}
    return draw(sub).svg
