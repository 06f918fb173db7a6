"""Shared pieces of the HTML report: escaping, links, numbers, highlights.

Articles are hostile input.  Every string that came from an article or an
input goes through :func:`esc`; only http(s) URLs become links
(:func:`safe_url`).  Highlights are placed by character offsets on the raw
text and each piece is escaped on its own (:func:`highlight`), so a
``<mark>`` never cuts an entity or a tag.  The page itself, its sections and
its Content-Security-Policy are in :mod:`sitrep.report.html`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape
from typing import Any
from urllib.parse import urlsplit

from sitrep.report.collect import Report

TEXT_CAP = 20_000  # characters of cleaned text shown per document; sitrep.json has all

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
