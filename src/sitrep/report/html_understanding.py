"""The understanding parts of the HTML report: stories, actors, timeline, quotes.

Four sections read the report's ``stories``, ``actors``, ``timeline`` and
``quotes`` (see :mod:`sitrep.report.collect_understanding`); each
document's details get a compact "who, what, when" block from
:mod:`sitrep.report.html_understanding_doc`.

Spans stay one click away: an element carrying ``data-span="start:end,..."``
(character offsets into the document's text, always integers we format) is
resolved by report.js into DOM ranges over the document's shown text and
painted with the CSS Custom Highlight API, falling back to the selection —
no markup is written, so the page's only-escaped-text guarantee holds.

Long lists are cut (the ``*_SHOWN`` caps) with a note; sitrep.json has all.
Every article-derived string goes through
:func:`~sitrep.report.html_common.esc`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import cached_property

from sitrep.report.collect import Report
from sitrep.report.collect_understanding import quotes_by_speaker, roles_by_qualifier
from sitrep.report.html_common import doc_anchor, esc, excerpt, num, seq_index

ACTORS_SHOWN = 300
VARIANTS_SHOWN = 6
ROLE_DOCS_SHOWN = 12  # documents listed per role statement group
SPEAKERS_SHOWN = 150
QUOTES_PER_SPEAKER = 12
QUOTE_CAP = 400  # characters of a quote's content
EVENTS_SHOWN = 500
SUPPORT_SHOWN = 12  # supporting documents listed per timeline event
PLACEMENTS_SHOWN = 2000
STORIES_SHOWN = 200
STORY_DOCS_SHOWN = 40
STORY_ACTORS_SHOWN = 10
SPANS_PER_LINK = 50  # ranges one click highlights

LABEL_NAMES = {"PERSON": "person", "ORG": "organisation", "GPE": "country, city, state", "LOC": "place",
               "NORP": "group", "FAC": "facility", "EVENT": "named event"}


class UContext:
    """Lookups the understanding renderers share; each built on first use, once per page."""

    def __init__(self, report: Report):
        self.report = report
        self.docs = {d["id"]: d for d in report.get("documents", [])}
        self.seqs = seq_index(report)
        actors = report.get("actors") or []
        self.actors = {a["id"]: a for a in actors}
        self.shown = {a["id"] for a in actors[:ACTORS_SHOWN]}  # those with an anchor on the page

    @cached_property
    def designated(self) -> dict[str, list[str]]:
        """Identity -> the metonyms that stand for it."""
        out: dict[str, list[str]] = defaultdict(list)
        for a in self.actors.values():
            if a["stands_for"]:
                out[a["stands_for"]].append(a["id"])
        return out

    @cached_property
    def roles_in(self) -> dict[str, list[tuple[str, dict]]]:
        """Document -> (identity, role statement)."""
        out: dict[str, list[tuple[str, dict]]] = defaultdict(list)
        for a in self.actors.values():
            for r in a["roles"]:
                out[r["document_id"]].append((a["id"], r))
        return out

    @cached_property
    def quotes_in(self) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = defaultdict(list)
        for q in self.report.get("quotes") or []:
            out[q["document_id"]].append(q)
        return out

    @cached_property
    def annotations(self) -> dict[str, dict]:
        return {a["document_id"]: a for a in self.report.get("annotations") or []}

    @cached_property
    def events(self) -> dict[str, dict]:
        return {e["id"]: e for e in (self.report.get("timeline") or {}).get("events", [])}

    def actor(self, identity_id: str | None, fallback: str = "") -> str:
        """An identity's name, linked to its entry when the page shows one."""
        a = self.actors.get(identity_id or "")
        if a is None:
            return esc(fallback) if fallback else (f"<code>{esc(identity_id)}</code>" if identity_id else "")
        name = f"<bdi>{esc(a['name'])}</bdi>"
        return f'<a href="#actor-{esc(a["id"])}">{name}</a>' if a["id"] in self.shown else name

    def doc(self, doc_id: str, spans: Iterable[Sequence[int]] = ()) -> str:
        """A link to a document's details (titled with its headline) that highlights ``spans`` there."""
        d = self.docs.get(doc_id)
        label = f"#{self.seqs[doc_id]}" if doc_id in self.seqs else esc(doc_id)
        title = f' title="{esc(d["title"])}"' if d and d.get("title") else ""
        return f'<a href="#{doc_anchor(doc_id)}"{title}{span_attr(spans)}>{label}</a>'


def span_attr(spans: Iterable[Sequence[int]]) -> str:
    """``data-span`` for report.js: integers only, whatever the input held."""
    pairs = []
    for s in spans:
        a, b = int(s[0]), int(s[1])
        if 0 <= a < b:
            pairs.append(f"{a}:{b}")
        if len(pairs) == SPANS_PER_LINK:
            break
    return f' data-span="{",".join(pairs)}"' if pairs else ""


def more(n_all: int, n_shown: int, what: str) -> str:
    if n_all <= n_shown:
        return ""
    return f'<p class="note">Showing {n_shown:,} of {n_all:,} {what}; sitrep.json lists all.</p>'


def and_more(n_all: int, n_shown: int) -> str:
    return f' <span class="muted">and {n_all - n_shown:,} more</span>' if n_all > n_shown else ""


_ISO_DURATION = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?")
_UNITS = ("year", "month", "week", "day", "hour", "minute", "second")


def duration(iso: str | None) -> str:
    """An ISO 8601 duration in words ("PT3H" -> "3 hours"), or the value escaped if it is not one."""
    if not iso:
        return ""
    m = _ISO_DURATION.fullmatch(iso)
    if not m or not any(m.groups()):
        return esc(iso)
    words = [f"{int(n)} {u}{'' if int(n) == 1 else 's'}" for n, u in zip(m.groups(), _UNITS) if n]
    return f'<span title="{esc(iso)}">{", ".join(words)}</span>'


def date_range(start: str | None, end: str | None) -> str:
    if not start and not end:
        return '<span class="muted">undated</span>'
    if start == end or not end:
        return esc(start)
    return f"{esc(start or '?')} – {esc(end)}"


_CURRENT = '<span class="muted">current</span>'


def qualifier_badge(q: str) -> str:
    return f'<span class="badge" data-qualifier="{esc(q)}">{esc(q)}</span>' if q else ""


# -- stories -------------------------------------------------------------------


def stories_section(report: Report) -> str:
    stories = report["stories"]
    if not stories:
        return '<p class="muted">No stories yet: the corpus-wide step has not grouped the documents.</p>'
    ctx = UContext(report)
    shown = stories[:STORIES_SHOWN]
    grouped = sum(s["size"] for s in stories)
    from sitrep.report.html_corroboration import viewed  # it builds on this module

    briefed = set(viewed(report)) if report.get("briefings") is not None else set()
    parts = [f"<p><b>{num(len(stories))}</b> stories over <b>{num(grouped)}</b> documents."
             + (" A story's title links to its briefing." if briefed else "") + "</p>"]
    parts += [_story(ctx, s, s["id"] in briefed) for s in shown]
    return "".join(parts) + more(len(stories), len(shown), "stories")


def _story(ctx: UContext, s: dict, briefed: bool = False) -> str:
    cast = ", ".join(ctx.actor(i) for i in s["actors"][:STORY_ACTORS_SHOWN]) or '<span class="muted">—</span>'
    docs = "".join(f"<li>{ctx.doc(i)} <bdi>{esc((ctx.docs.get(i) or {}).get('title') or '(untitled)')}</bdi></li>"
                   for i in s["documents"][:STORY_DOCS_SHOWN])
    title = f"<bdi>{esc(s['label'])}</bdi>"
    if briefed:  # only stories with a view on the page, so the link never dangles
        title = f'<a href="#brief-{esc(s["id"])}">{title}</a>'
    return (f'<div class="story" id="story-{esc(s["id"])}"><h3>{title}</h3>'
            f'<p class="muted">{date_range(s["start"], s["end"])} · {num(s["size"])} documents</p>'
            f"<p>Key actors: {cast}{and_more(len(s['actors']), STORY_ACTORS_SHOWN)}</p>"
            f'<ul class="story-docs">{docs}</ul>'
            + (f'<p class="muted">and {len(s["documents"]) - STORY_DOCS_SHOWN:,} more documents</p>'
               if len(s["documents"]) > STORY_DOCS_SHOWN else "") + "</div>")


# -- actors --------------------------------------------------------------------


def actors_section(report: Report) -> str:
    actors = report["actors"]
    if not actors:
        return '<p class="muted">No actors yet: the corpus-wide step has not settled identities.</p>'
    ctx = UContext(report)
    shown = actors[:ACTORS_SHOWN]
    rows = "".join(_actor_row(ctx, a) for a in shown)
    return (f"<p><b>{num(len(actors))}</b> actors, places and organisations, most widely reported first. "
            "Roles are listed with the documents that state them; where sources disagree "
            "(a former and a current holder, say) both readings stand side by side.</p>"
            '<div class="scroll"><table class="actors"><thead><tr><th>Actor</th><th>Kind</th>'
            '<th class="n">Docs</th><th class="n">Mentions</th><th>Spelled</th><th>Roles</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div>" + more(len(actors), len(shown), "actors"))


def _actor_row(ctx: UContext, a: dict) -> str:
    notes = []
    if a["stands_for"]:
        notes.append(f'<span class="badge" data-kind="metonym">metonym</span> stands for '
                     f'{ctx.actor(a["stands_for"])}')
    if ctx.designated.get(a["id"]):
        notes.append("also designated as " + ", ".join(ctx.actor(i) for i in ctx.designated[a["id"]]))
    vs = a["variants"]
    variants = " · ".join(f"<bdi>{esc(v['text'])}</bdi> <span class=\"muted\">×{num(v['count'])}</span>"
                          for v in vs[:VARIANTS_SHOWN]) + and_more(len(vs), VARIANTS_SHOWN)
    label = esc(a["label"])
    return (f'<tr id="actor-{esc(a["id"])}"><td><b><bdi>{esc(a["name"])}</bdi></b>'
            + "".join(f'<div class="muted">{n}</div>' for n in notes)
            + f'</td><td title="{esc(LABEL_NAMES.get(a["label"], ""))}">{label}</td>'
            f'<td class="n">{num(a["documents"])}</td><td class="n">{num(a["mentions"])}</td>'
            f"<td>{variants}</td><td>{_roles(ctx, a['roles'])}</td></tr>")


def _roles(ctx: UContext, roles: list[dict]) -> str:
    """One line per role; its statements grouped by qualifier, so "former" and current sit side by side."""
    lines = []
    for role, quals in roles_by_qualifier(roles).items():
        clash = ' <span class="badge" data-clash="1" title="sources disagree on this role">sources disagree</span>'
        groups = " ".join(
            f'<span class="stmt">{qualifier_badge(q) or _CURRENT} '
            + ", ".join(ctx.doc(r["document_id"], [(r["start"], r["end"])])
                        + (f' <span class="muted">{esc(r["date"])}</span>' if r["date"] else "")
                        for r in rs[:ROLE_DOCS_SHOWN])
            + and_more(len(rs), ROLE_DOCS_SHOWN) + "</span>"
            for q, rs in quals.items())
        lines.append(f"<li><bdi>{esc(role)}</bdi>{clash if len(quals) > 1 else ''}: {groups}</li>")
    return f'<ul class="roles">{"".join(lines)}</ul>' if lines else ""


# -- quotes --------------------------------------------------------------------


def quotes_section(report: Report) -> str:
    quotes = report["quotes"]
    if not quotes:
        return '<p class="muted">No quotes found.</p>'
    ctx = UContext(report)
    groups = quotes_by_speaker(quotes, report.get("actors") or [])
    shown = groups[:SPEAKERS_SHOWN]
    single = sum(1 for q in quotes if q["single_source"])
    direct = sum(1 for q in quotes if q["kind"] == "direct")
    parts = [f"<p><b>{num(len(quotes))}</b> quotes ({num(direct)} direct) from <b>{num(len(groups))}</b> "
             f"speakers; <b>{num(single)}</b> attributed to a speaker no other independent source mentions "
             "(single source).</p>"]
    parts += [_speaker(ctx, ident, qs) for ident, qs in shown]
    return "".join(parts) + more(len(groups), len(shown), "speakers")


def _speaker(ctx: UContext, ident: str | None, qs: list[dict]) -> str:
    head = ctx.actor(ident) if ident else '<span class="muted">Speaker not resolved to an actor</span>'
    items = "".join(_quote_item(ctx, q, show_speaker=ident is None) for q in qs[:QUOTES_PER_SPEAKER])
    cut = (f'<li class="muted">and {len(qs) - QUOTES_PER_SPEAKER:,} more</li>'
           if len(qs) > QUOTES_PER_SPEAKER else "")
    return (f'<div class="speaker"><h3>{head} <span class="muted">{num(len(qs))} '
            f'quote{"s" if len(qs) != 1 else ""}</span></h3><ul class="quotes">{items}{cut}</ul></div>')


def _quote_item(ctx: UContext, q: dict, show_speaker: bool) -> str:
    content = excerpt(q["text"], 0, len(q["text"]), QUOTE_CAP)
    body = f"<q>{content}</q>" if q["kind"] != "indirect" else f'<span class="indirect">{content}</span>'
    single = ('<span class="badge" data-single="1" title="no other independent source mentions this speaker">'
              "single source</span>") if q["single_source"] else ""
    who = f'<bdi>{esc(q["speaker"])}</bdi> ' if show_speaker and q["speaker"] else ""
    spans = [(q["start"], q["end"])]
    return (f'<li><span class="badge" data-kind="{esc(q["kind"])}">{esc(q["kind"])}</span>{single} {body} '
            f'<span class="muted">— {who}{esc(q["cue"])}</span> {ctx.doc(q["document_id"], spans)}</li>')


# -- timeline ------------------------------------------------------------------


def timeline_section(report: Report) -> str:
    t = report["timeline"]
    events, placements = t["events"], t["placements"]
    if not events and not placements:
        return '<p class="muted">No timeline yet: the corpus-wide step has not merged events.</p>'
    ctx = UContext(report)
    dated = sum(1 for p in placements if p["relation"] == "dated")
    relative = sum(1 for p in placements if p["relation"] in ("before", "after"))
    parts = [f"<p><b>{num(len(events))}</b> events; of the documents, <b>{num(dated)}</b> are dated and "
             f"<b>{num(relative)}</b> placed before or after an event they describe.</p>"]
    if events:
        shown = events[:EVENTS_SHOWN]
        rows = "".join(_event_row(ctx, e) for e in shown)
        parts.append('<h3>Events</h3><div class="scroll"><table class="timeline"><thead><tr><th class="n">#</th>'
                     "<th>When</th><th>Event</th><th>Where</th><th>How long</th><th>Reported by</th></tr></thead>"
                     f"<tbody>{rows}</tbody></table></div>" + more(len(events), len(shown), "events"))
    if placements:
        parts.append(_order_table(ctx, placements))
    return "".join(parts)


def _event_row(ctx: UContext, e: dict) -> str:
    when = esc(e["date"]) if e["date"] else '<span class="muted">relative only</span>'
    if e.get("weekday"):
        when += f'<div class="muted small">a {esc(e["weekday"])}</div>'
    evidence = f'<div class="muted small">{esc(e["date_evidence"])}</div>' if e["date_evidence"] else ""
    sup = e["support"]
    docs = ", ".join(
        ctx.doc(s["document_id"], [(s["start"], s["end"])] if s["start"] is not None else [])
        + (f' <span class="muted">{esc(s["tense"])}</span>' if s["tense"] else "")
        for s in sup[:SUPPORT_SHOWN]) + and_more(len(sup), SUPPORT_SHOWN)
    return (f'<tr id="event-{esc(e["id"])}"><td class="n">{num(e["rank"])}</td><td class="nowrap">{when}{evidence}</td>'
            f'<td><bdi>{esc(e["label"])}</bdi> <span class="muted">({esc(e["trigger"])})</span></td>'
            f"<td>{ctx.actor(e['place'])}</td><td>{duration(e['duration'])}</td><td>{docs}</td></tr>")


def _order_table(ctx: UContext, placements: list[dict]) -> str:
    shown = placements[:PLACEMENTS_SHOWN]
    rows = []
    for p in shown:
        title = (ctx.docs.get(p["document_id"]) or {}).get("title") or "(untitled)"
        rows.append(f'<tr><td class="n">{num(p["rank"])}</td><td>{ctx.doc(p["document_id"])} <bdi>{esc(title)}</bdi>'
                    f"</td><td class=\"nowrap\">{esc(p['date']) or '—'}</td><td>{_placement(ctx, p)}</td>"
                    f"<td>{esc(p['reason'])}</td></tr>")
    return ('<h3>Document order</h3><p class="muted">Dated documents by their date; undated ones placed before '
            "or after an event they describe (a preview before the report of what it announced).</p>"
            '<div class="scroll"><table class="order"><thead><tr><th class="n">#</th><th>Document</th><th>Date</th>'
            f'<th>Placed</th><th>Why</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
            + more(len(placements), len(shown), "documents"))


def _placement(ctx: UContext, p: dict) -> str:
    rel = esc(p["relation"])
    e = ctx.events.get(p["event_id"] or "")
    if e is not None:
        return f'{rel} <a href="#event-{esc(e["id"])}"><bdi>{esc(e["label"])}</bdi></a>'
    return f"{rel} <code>{esc(p['event_id'])}</code>" if p["event_id"] else rel
