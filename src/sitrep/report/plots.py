"""Small charts for the report, drawn as inline SVG with no library and no script.

Three charts, each a pure function from plain records to an ``<svg>`` string:

- :func:`timeline`: marks on a date axis, one lane per kind (events,
  documents); undated marks placed against a dated anchor go a short step
  before or after it, and undated marks without one sit in a column left of
  the axis;
- :func:`quality_strip`: documents as dots by quality score (a dot plot,
  Wilkinson 1999, "Dot plots", The American Statistician 53(3), binned and
  stacked), content farms drawn as red squares;
- :func:`support_bars`: one row per claim group, a light bar for the
  documents that carry it over a dark bar for the independent sources (origin
  groups) among them, so a claim repeated by copies shows as a long light bar
  with a short dark one.

Colours are SVG presentation attributes, so the charts need nothing from the
page's stylesheet; shapes carry classes too, for a stylesheet that wants to
restyle them.  Every label, tooltip and link goes through
:func:`~sitrep.report.html_common.esc` (labels come from articles and are
hostile); numbers and coordinates are formatted here.  Links are only
in-page fragments (``#doc-...``); anything else is dropped.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sitrep.report.html_common import esc

FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif" font-size="11"'
INK, MUTED, GRID, ACCENT, FARM, LIGHT = "#1d1f23", "#68707c", "#dde1e6", "#1f5fbf", "#c0262d", "#b9cbe6"
_FRAGMENT = re.compile(r"#[A-Za-z0-9_:.\-]+")
_ISO = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def _svg(width: int, height: int, label: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="plot" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{esc(label)}" {FONT} '
            f'style="max-width:100%;height:auto">{"".join(body)}</svg>')


def _short(text: str, n: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _link(href: str, inner: str, tooltip: str) -> str:
    """``inner`` with a tooltip, inside a link when ``href`` is an in-page fragment."""
    body = f"<title>{esc(tooltip)}</title>{inner}" if tooltip else inner
    if href and _FRAGMENT.fullmatch(href):
        return f'<a href="{esc(href)}">{body}</a>'
    return f"<g>{body}</g>"


def parse_day(value: str | None) -> date | None:
    """The first day an ISO date, month, year or interval ("a/b") names; None if it names none."""
    m = _ISO.match((value or "").split("/")[0])
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None


# -- timeline ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """One thing on the timeline."""

    lane: str  # which row band it goes in ("events", "documents")
    label: str
    date: str | None = None  # ISO; None when undated
    relation: str = ""  # before | after: an undated mark placed against ``anchor``
    anchor: str | None = None  # the ISO date it is placed against
    tooltip: str = ""
    href: str = ""
    flag: bool = False  # drawn in the warning colour (a content farm, say)


TL_WIDTH, TL_LEFT, TL_UNDATED, TL_ROW, TL_STEP = 900, 90, 70, 16, 14
TL_LABEL = 26


def timeline(marks: list[Mark], title: str = "Timeline") -> str:
    """Marks on a date axis; "" when no mark has a date or an anchor to place it by."""
    placed = [(m, _day_of(m)) for m in map(_open_ended, marks)]
    days = [d for _, d in placed if d is not None]
    if not days:
        return ""
    lo, hi = min(days), max(days)
    span = max((hi - lo).days, 1)
    x0, x1 = TL_LEFT + TL_UNDATED, TL_WIDTH - 150  # room on the right for the last labels

    def x_of(m: Mark, d: date | None) -> float:
        if d is None:
            return TL_LEFT + 10
        x = x0 + (d - lo).days / span * (x1 - x0)
        return x - TL_STEP if m.relation == "before" else x + TL_STEP if m.relation == "after" else x

    lanes: dict[str, list[tuple[float, Mark]]] = defaultdict(list)
    for m, d in placed:
        lanes[m.lane].append((x_of(m, d), m))
    body, y = [], 28
    body += _axis(lo, hi, x0, x1, span)
    for lane, items in lanes.items():
        rows = _stack(sorted(items, key=lambda t: (t[0], t[1].label)))
        height = (max(r for _, _, r in rows) + 1) * TL_ROW
        body.append(f'<text x="4" y="{y + 12}" fill="{MUTED}" font-weight="600">{esc(_short(lane, 12))}</text>')
        for x, m, row in rows:
            body.append(_tl_mark(x, y + row * TL_ROW, m))
        y += height + 10
    body.append(f'<line x1="{TL_LEFT + TL_UNDATED - 8}" y1="20" x2="{TL_LEFT + TL_UNDATED - 8}" y2="{y}" '
                f'stroke="{GRID}" stroke-dasharray="3 3"/>')
    body.append(f'<text x="{TL_LEFT}" y="{y + 12}" fill="{MUTED}">undated</text>')
    return _svg(TL_WIDTH, y + 18, title, body)


def _open_ended(m: Mark) -> Mark:
    """An open interval ("/2025-08-15": by then; "2025-08-15/": from then) as a mark placed before or after its end."""
    d = m.date or ""
    if d.startswith("/") and parse_day(d[1:]):
        return replace(m, date=None, relation="before", anchor=d[1:])
    if d.endswith("/") and parse_day(d[:-1]):
        return replace(m, date=None, relation="after", anchor=d[:-1])
    return m


def _day_of(m: Mark) -> date | None:
    return parse_day(m.date) or (parse_day(m.anchor) if m.relation in ("before", "after") else None)


def _stack(items: list[tuple[float, Mark]]) -> list[tuple[float, Mark, int]]:
    """First-fit rows: a mark goes on the first row whose last label ends left of it."""
    ends: list[float] = []
    out = []
    for x, m in items:
        width = 8 + 6.2 * len(_short(m.label, TL_LABEL))
        row = next((i for i, e in enumerate(ends) if e < x), len(ends))
        if row == len(ends):
            ends.append(0)
        ends[row] = x + width
        out.append((x, m, row))
    return out


def _axis(lo: date, hi: date, x0: float, x1: float, span: int) -> list[str]:
    out = [f'<line x1="{x0}" y1="20" x2="{x1}" y2="20" stroke="{MUTED}"/>']
    for d in _ticks(lo, hi):
        x = x0 + (d - lo).days / span * (x1 - x0)
        out.append(f'<line x1="{x:.1f}" y1="16" x2="{x:.1f}" y2="24" stroke="{MUTED}"/>'
                   f'<text x="{x:.1f}" y="12" text-anchor="middle" fill="{MUTED}">{d.isoformat()}</text>')
    return out


def _ticks(lo: date, hi: date, most: int = 6) -> list[date]:
    """Evenly spaced whole days (at most ``most``), both ends included."""
    days = (hi - lo).days
    if days == 0:
        return [lo]
    step = max(1, -(-days // (most - 1)))
    out = [lo + timedelta(days=i) for i in range(0, days, step)]
    if (hi - out[-1]).days * 2 < step:
        out.pop()
    return [*out, hi]


def _tl_mark(x: float, y: int, m: Mark) -> str:
    colour = FARM if m.flag else (MUTED if m.relation else ACCENT)
    shape = (f'<circle cx="{x:.1f}" cy="{y + 8}" r="4" fill="{colour}"/>' if not m.relation else
             f'<path d="M{x:.1f},{y + 3} l{"-" if m.relation == "before" else ""}6,5 '
             f'l{"" if m.relation == "before" else "-"}6,5 z" fill="{colour}"/>')
    text = f'<text x="{x + 7:.1f}" y="{y + 12}" fill="{INK}">{esc(_short(m.label, TL_LABEL))}</text>'
    tip = m.tooltip or m.label
    if m.relation:
        tip = f"{tip} ({m.relation} {m.anchor or '?'})"
    return _link(m.href, shape + text, tip)


# -- sources by quality ------------------------------------------------------------------------


@dataclass(frozen=True)
class Dot:
    """A document on the quality strip."""

    score: float  # 0 (worst) .. 1
    label: str
    farm: bool = False
    href: str = ""


QS_WIDTH, QS_LEFT, QS_BINS, QS_DOT = 640, 30, 20, 9


def quality_strip(dots: list[Dot], title: str = "Sources by quality") -> str:
    """Documents stacked in bins of quality score; "" when there are none."""
    if not dots:
        return ""
    bins: dict[int, list[Dot]] = defaultdict(list)
    for d in sorted(dots, key=lambda d: (d.farm, d.score, d.label)):
        bins[min(QS_BINS - 1, max(0, int(d.score * QS_BINS)))].append(d)
    tallest = max(len(b) for b in bins.values())
    cap = min(tallest, 40)  # a taller stack is cut and counted: a strip, not a tower
    pitch = (QS_WIDTH - 2 * QS_LEFT) / QS_BINS
    base = 20 + cap * QS_DOT
    body = []
    for i, items in sorted(bins.items()):
        x = QS_LEFT + i * pitch + (pitch - QS_DOT) / 2
        for k, d in enumerate(items[:cap]):
            y = base - (k + 1) * QS_DOT
            shape = (f'<rect x="{x:.1f}" y="{y}" width="{QS_DOT - 1}" height="{QS_DOT - 1}" fill="{FARM}"/>'
                     if d.farm else
                     f'<circle cx="{x + QS_DOT / 2:.1f}" cy="{y + QS_DOT / 2}" r="{QS_DOT / 2 - 0.5}" fill="{ACCENT}"/>')
            body.append(_link(d.href, shape, f"{d.label} — quality {d.score:.2f}" + (" · content farm" if d.farm
                                                                                       else "")))
        if len(items) > cap:
            body.append(f'<text x="{x + QS_DOT / 2:.1f}" y="16" text-anchor="middle" fill="{MUTED}">'
                        f"+{len(items) - cap}</text>")
    body.append(f'<line x1="{QS_LEFT}" y1="{base + 1}" x2="{QS_WIDTH - QS_LEFT}" y2="{base + 1}" stroke="{MUTED}"/>')
    for q in range(0, 11, 2):
        x = QS_LEFT + q / 10 * (QS_WIDTH - 2 * QS_LEFT)
        body.append(f'<text x="{x:.1f}" y="{base + 14}" text-anchor="middle" fill="{MUTED}">{q / 10:.1f}</text>')
    farms = sum(1 for d in dots if d.farm)
    body.append(f'<text x="{QS_LEFT}" y="{base + 30}" fill="{MUTED}">quality score → · ● document · '
                f'<tspan fill="{FARM}">■ content farm ({farms})</tspan></text>')
    return _svg(QS_WIDTH, base + 38, title, body)


# -- support per key claim ---------------------------------------------------------------------


@dataclass(frozen=True)
class Support:
    """One claim group's support."""

    label: str
    documents: int
    independent: int  # origin groups among the documents
    single_source: bool = False
    farm_only: bool = False
    href: str = ""


SB_WIDTH, SB_LABEL_W, SB_ROW, SB_LABEL = 760, 330, 20, 52


def support_bars(rows: list[Support], title: str = "Support per key claim") -> str:
    """A bar pair per claim group (documents, independent sources); "" when there are none."""
    if not rows:
        return ""
    most = max(max(r.documents, r.independent) for r in rows) or 1
    scale = (SB_WIDTH - SB_LABEL_W - 150) / most
    body = [f'<text x="{SB_LABEL_W}" y="12" fill="{MUTED}">'
            f'<tspan fill="{ACCENT}">■</tspan> independent sources '
            f'<tspan fill="{LIGHT}">■</tspan> documents</text>']
    for i, r in enumerate(rows):
        y = 20 + i * SB_ROW
        docs_w, ind_w = r.documents * scale, r.independent * scale
        marks = [m for m, on in (("single source", r.single_source), ("content farms only", r.farm_only)) if on]
        colour = FARM if r.farm_only else ACCENT
        inner = (f'<text x="{SB_LABEL_W - 6}" y="{y + 13}" text-anchor="end" fill="{INK}">'
                 f"{esc(_short(r.label, SB_LABEL))}</text>"
                 f'<rect class="docs" x="{SB_LABEL_W}" y="{y + 2}" width="{docs_w:.1f}" height="14" fill="{LIGHT}"/>'
                 f'<rect class="independent" x="{SB_LABEL_W}" y="{y + 5}" width="{ind_w:.1f}" height="8" '
                 f'fill="{colour}"/>'
                 f'<text x="{SB_LABEL_W + max(docs_w, ind_w) + 6:.1f}" y="{y + 13}" fill="{MUTED}">'
                 f"{r.independent} of {r.documents}{' · ' + ', '.join(marks) if marks else ''}</text>")
        body.append(_link(r.href, inner, f"{r.label} — {r.independent} independent sources, {r.documents} documents"
                                         + (f" ({', '.join(marks)})" if marks else "")))
    return _svg(SB_WIDTH, 24 + len(rows) * SB_ROW, title, body)
