"""Read RSS and Atom feeds into one item per entry.

An entry is taken as the full article when its ``content`` (RSS
``content:encoded``, Atom ``<content>``) has at least ``FULL_CONTENT_WORDS``
words, or its summary/description has at least ``FULL_SUMMARY_WORDS`` (many
feeds carry the whole story in ``<description>``).  Otherwise the entry is a
teaser: with ``limits.fetch`` and a ``fetcher`` its link is fetched; without
them, a short ``content`` is still yielded as it is, and a bare summary becomes
``ItemError("no_content")``.

``fetcher(url, limits) -> RawItem | ItemError`` (``sitrep.ingest.web.fetch_one``
fits).  A fetched page keeps its own locator (the URL) and gets the entry's
hints, which win over the page's except for ``url`` (the final URL after
redirects); ``feed_entry`` names the entry it came from.

Locators are ``<feed>#entry=N``, N counting entries from 1.

Error reasons: ``empty``, ``not_a_feed``, ``no_content``, ``too_large``, and
whatever the fetcher returns for a fetched link.

Safety bounds: feedparser is given a BytesIO, never a str or bytes, because
it treats those as a URL or file path to open.  It strips ``<!ENTITY>``
declarations other than simple internal ones and turns off external general
entities in expat, so XXE and entity expansion are not possible; tests hold
it to that.
"""

from __future__ import annotations

import dataclasses
import html
import io
import re
import time
from collections.abc import Callable, Iterator

import feedparser

from sitrep.ingest.limits import Limits
from sitrep.model import HTML, TEXT, ItemError, RawItem

FULL_CONTENT_WORDS = 50
FULL_SUMMARY_WORDS = 150

Fetcher = Callable[[str, Limits], "RawItem | ItemError"]

_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")
# Anything that may precede the root element: BOM, whitespace, XML
# declaration, processing instructions, comments, a DOCTYPE with or without
# an internal subset.
_PROLOG = re.compile(
    rb"(?:\xef\xbb\xbf|\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)*",
    re.S | re.I,
)
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>/]", re.I)


def looks_like_feed(data: bytes) -> bool:
    """Cheap sniff: is the root element of the first KB rss, feed or rdf:RDF?"""
    head = data[:1024]
    m = _PROLOG.match(head)
    return bool(_FEED_ROOT.match(head, m.end() if m else 0))


def read_feed(
    locator: str, data: bytes, limits: Limits, fetcher: Fetcher | None = None
) -> Iterator[RawItem | ItemError]:
    if not data.strip():
        yield ItemError(locator, "empty", "the file is empty")
        return
    parsed = feedparser.parse(io.BytesIO(data))
    if not parsed.entries and not parsed.get("version"):
        why = parsed.get("bozo_exception") or "no RSS/Atom root element"
        yield ItemError(locator, "not_a_feed", f"not an RSS/Atom feed: {why}"[:300])
        return

    source = _text(parsed.feed.get("title"), parsed.feed.get("title_detail"))
    can_fetch = limits.fetch and fetcher is not None
    for n, entry in enumerate(parsed.entries, 1):
        loc = f"{locator}#entry={n}"
        hints = _hints(entry, source)
        body, kind, full = _body(entry)
        link = hints.get("url")
        if not full and can_fetch and link:
            yield _fetched(fetcher(link, limits), loc, hints)
            continue
        if body is None or (not full and kind is _SUMMARY):
            has = "only a summary" if body else "no content"
            detail = f"entry has {has}; " + (f"rerun with --fetch to fetch {link}" if link else "and no link")
            yield ItemError(loc, "no_content", detail)
            continue
        data_out = body.encode("utf-8")
        if len(data_out) > limits.max_item_bytes:
            yield ItemError(loc, "too_large", f"entry content exceeds {limits.max_item_bytes} bytes")
            continue
        yield RawItem(
            locator=loc,
            kind=TEXT if kind == "text/plain" else HTML,
            data=data_out,
            hints=hints,
            container=None,
            container_locator=locator,
        )


_SUMMARY = object()  # marks a body taken from the summary, for the no_content rule


def _body(entry) -> tuple[str | None, object, bool]:
    """(text, kind, is_full): the entry's best body; kind is a MIME type or _SUMMARY."""
    contents = [c for c in entry.get("content") or [] if (c.get("value") or "").strip()]
    if contents:
        best = max(contents, key=lambda c: len(c["value"]))
        return best["value"], best.get("type") or "text/html", _words(best["value"]) >= FULL_CONTENT_WORDS
    summary = entry.get("summary") or ""
    if summary.strip() and _words(summary) >= FULL_SUMMARY_WORDS:
        detail = entry.get("summary_detail") or {}
        return summary, detail.get("type") or "text/html", True
    return (summary or None), _SUMMARY, False


def _hints(entry, source: str | None) -> dict:
    published = entry.get("published_parsed") or entry.get("updated_parsed")
    hints = {
        "url": entry.get("link"),
        "title": _text(entry.get("title"), entry.get("title_detail")),
        "published": time.strftime("%Y-%m-%dT%H:%M:%SZ", published) if published else None,
        "author": entry.get("author"),
        "source": source,
    }
    return {k: v for k, v in hints.items() if v}


def _fetched(result: RawItem | ItemError, loc: str, hints: dict) -> RawItem | ItemError:
    if isinstance(result, ItemError):
        return ItemError(loc, result.reason, f"fetching {hints.get('url')}: {result.detail}", result.raw_sha256)
    merged = {**result.hints, **hints, "feed_entry": loc}
    if result.hints.get("url"):
        merged["url"] = result.hints["url"]
    return dataclasses.replace(result, hints=merged)


def _text(value: str | None, detail) -> str | None:
    """Titles may be typed HTML; hints want plain text."""
    if not value:
        return None
    if detail and "html" in (detail.get("type") or ""):
        value = html.unescape(_TAG.sub("", value))
    return " ".join(value.split()) or None


def _words(markup: str) -> int:
    return len(_WORD.findall(_TAG.sub(" ", markup)))
