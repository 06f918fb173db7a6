"""The understanding block of each document's details in the HTML report.

A compact "who, what, when" list per annotated document — the date the
understanding pass settled, its actors with mention counts, the roles it
states, its quotes, times and events — built from the report's
``annotations``, ``actors`` and ``quotes``.  Lists, not highlights woven into
the text: a thousand documents with tens of mentions each would otherwise
carry a ``<mark>`` per mention.  Every item is a button whose ``data-span``
report.js paints in the text below (see :mod:`sitrep.report.html_understanding`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sitrep.report.html_common import esc, excerpt
from sitrep.report.html_corroboration import viewed as briefing_views
from sitrep.report.html_understanding import UContext, and_more, duration, qualifier_badge, span_attr

DOC_ACTORS_SHOWN = 40
DOC_ITEMS_SHOWN = 20  # quotes, times, events
QUOTE_CAP = 90  # characters of a quote's content on its button


def document_block(ctx: UContext, d: dict) -> str:
    """The compact "who, what, when" of one document, for its details; "" when it was not annotated."""
    ann = ctx.annotations.get(d["id"])
    if ann is None:
        return ""
    items = [_settled_date(d, ann), _doc_actors(ctx, ann), _doc_roles(ctx, d), _doc_quotes(ctx, d),
             _doc_times(ann), _doc_events(ctx, ann), _doc_cited(ctx, d)]
    body = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in items if v)
    restored = (' <span class="muted">(read on the restored text; spans mapped back to the published one)</span>'
                if ann["on_restored"] else "")
    return (f'<h4>Who, what, when{restored}</h4><p class="muted js-only" hidden>Click an item to highlight it in '
            f'the text below.</p><dl class="meta who">{body}</dl>')


def _settled_date(d: dict, ann: dict) -> tuple[str, str]:
    if not ann["published"]:
        return ("date", f'<span class="muted">undated ({esc(ann["published_from"])})</span>')
    return ("date", f'{esc(ann["published"])} <span class="muted">({esc(ann["published_from"])})</span>')


def _button(label: str, spans: Iterable[Sequence[int]], title: str = "") -> str:
    # Bare <button>: outside a form it submits nothing, and at thousands per page every byte counts.
    t = f' title="{esc(title)}"' if title else ""
    return f"<button{t}{span_attr(spans)}>{label}</button>"


def _doc_actors(ctx: UContext, ann: dict) -> tuple[str, str]:
    acts = ann["actors"]
    parts = []
    for a in acts[:DOC_ACTORS_SHOWN]:
        ident = ctx.actors.get(a["identity_id"] or "")
        name = esc(ident["name"] if ident else a["key"])
        shown = ident is not None and ident["id"] in ctx.shown
        link = f'<a href="#actor-{esc(ident["id"])}">↗</a>' if shown else ""
        parts.append(_button(f"<bdi>{name}</bdi> ×{len(a['spans'])}", a["spans"], a["label"]) + link)
    return ("actors", " ".join(parts) + and_more(len(acts), DOC_ACTORS_SHOWN))


def _doc_roles(ctx: UContext, d: dict) -> tuple[str, str]:
    roles = ctx.roles_in.get(d["id"], [])
    parts = [f"{ctx.actor(i)}: " + _button(f"<bdi>{esc(r['role'])}</bdi>", [(r["start"], r["end"])], r["text"])
             + (" " + qualifier_badge(r["qualifier"]) if r["qualifier"] else "")
             for i, r in roles[:DOC_ITEMS_SHOWN]]
    return ("roles", "; ".join(parts) + and_more(len(roles), DOC_ITEMS_SHOWN))


def _doc_quotes(ctx: UContext, d: dict) -> tuple[str, str]:
    qs = ctx.quotes_in.get(d["id"], [])
    items = []
    for q in qs[:DOC_ITEMS_SHOWN]:
        who = ctx.actor(q["identity_id"], q["speaker"]) or '<span class="muted">?</span>'
        spans = [(q["start"], q["end"])] + ([(q["speaker_start"], q["speaker_end"])] if q["speaker_start"] is not None
                                            else [])
        label = f'{esc(q["kind"])}: “{excerpt(q["text"], 0, len(q["text"]), QUOTE_CAP)}”'
        items.append(f"<li>{who} {_button(label, spans, q['cue'])}</li>")
    cut = f'<li class="muted">and {len(qs) - DOC_ITEMS_SHOWN:,} more</li>' if len(qs) > DOC_ITEMS_SHOWN else ""
    return ("quotes", f'<ul class="doc-quotes">{"".join(items)}{cut}</ul>' if items else "")


def _doc_times(ann: dict) -> tuple[str, str]:
    ts = ann["times"]
    parts = [_button(f"<bdi>{esc(t['text'])}</bdi> → {esc(t['value']) if t['value'] else '?'}",
                     [(t["start"], t["end"])], f"{t['kind']} · {t['anchor']}")
             for t in ts[:DOC_ITEMS_SHOWN]]
    return ("times", " ".join(parts) + and_more(len(ts), DOC_ITEMS_SHOWN))


def _doc_events(ctx: UContext, ann: dict) -> tuple[str, str]:
    es = ann["events"]
    keys = {a["key"]: a for a in ann["actors"]}
    parts = []
    for e in es[:DOC_ITEMS_SHOWN]:
        bits = [esc(x) for x in (e["tense"], e["date"]) if x] + ([duration(e["duration"])] if e["duration"] else [])
        who = ", ".join(_key_name(ctx, keys, k) for k in e["actors"])
        label = f"<bdi>{esc(e['trigger'])}</bdi>" + (f" ({', '.join(bits)})" if bits else "")
        parts.append(_button(label, [(e["start"], e["end"])]) + (f" {who}" if who else ""))
    return ("events", "; ".join(parts) + and_more(len(es), DOC_ITEMS_SHOWN))


def _key_name(ctx: UContext, keys: dict[str, dict], key: str) -> str:
    a = keys.get(key)
    return ctx.actor(a["identity_id"], key) if a and a["identity_id"] else esc(key)


def _briefing_cites(ctx: UContext) -> dict[str, list[tuple[dict, list[tuple[int, int]], bool]]]:
    """Document -> (briefing, the spans of the document it cites, whether it has a view on the page), one entry
    per briefing, in briefing order; built once a page."""
    index = ctx.__dict__.get("_briefing_cites")
    if index is None:
        viewed = set(briefing_views(ctx.report))
        index = {}
        for b in ctx.report.get("briefings") or []:
            spans: dict[str, list[tuple[int, int]]] = {}
            for sent in b["sentences"]:
                for c in sent["citations"]:
                    spans.setdefault(c["document_id"], []).append((c["start"], c["end"]))
            for doc_id, ss in spans.items():
                index.setdefault(doc_id, []).append((b, sorted(set(ss)), b["story_id"] in viewed))
        ctx.__dict__["_briefing_cites"] = index
    return index


def _doc_cited(ctx: UContext, d: dict) -> tuple[str, str]:
    """The briefings that cite this document: one button per briefing that highlights every span of this
    document it cites (its sentences are one click away, in the briefing), not one row per sentence,
    which at hundreds of stories weighed as much as the briefings themselves."""
    cited = _briefing_cites(ctx).get(d["id"], [])
    parts = []
    for b, spans, linked in cited[:DOC_ITEMS_SHOWN]:
        label = f"<bdi>{excerpt(b['title'], 0, len(b['title']), QUOTE_CAP)}</bdi> ×{len(spans)}"
        tip = f"{len(spans)} span{'s' if len(spans) != 1 else ''} of this document cited in this story's briefing"
        parts.append(_button(label, spans, tip)
                     + (f'<a href="#brief-{esc(b["story_id"])}">↗</a>' if linked else ""))
    return ("cited by briefings", " ".join(parts) + and_more(len(cited), DOC_ITEMS_SHOWN))
