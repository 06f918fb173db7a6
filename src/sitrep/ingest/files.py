"""Turn the inputs named on the command line into a stream of items.

Inputs are files, directories (walked recursively, hidden entries skipped,
symlinks not followed) and http(s) URLs.  Each file is read once, within size
caps, gunzipped transparently (with a guard against gzip bombs), and handed to
the reader its extension — or, failing that, its first bytes — calls for.

The stream carries three kinds of things, in input order: a :class:`Source`
(a file's verbatim bytes, stored before its items), then its
:class:`~sitrep.model.RawItem` s, or :class:`~sitrep.model.ItemError` s.
"""

from __future__ import annotations

import os
import stat
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sitrep.ingest.jsonl import read_jsonl
from sitrep.ingest.limits import Limits
from sitrep.model import HTML, TEXT, ItemError, RawItem


@dataclass(frozen=True)
class Source:
    """An input file's (or fetched response's) bytes exactly as read."""

    locator: str
    data: bytes | None


Event = Source | RawItem | ItemError

_TEXT_EXT = {".txt", ".text", ".md"}
_HTML_EXT = {".html", ".htm", ".xhtml", ".shtml"}
_JSON_EXT = {".json", ".jsonl", ".ndjson"}
_WARC_EXT = {".warc"}
_FEED_EXT = {".rss", ".atom", ".xml", ".feed"}


def is_url(s: str) -> bool:
    return s.lower().startswith(("http://", "https://"))


def read_inputs(inputs: Iterable[str], limits: Limits) -> Iterator[Event]:
    urls: list[str] = []
    for inp in inputs:
        if is_url(inp):
            urls.append(inp)
        elif "://" in inp:
            yield ItemError(inp, "bad_url", "only http:// and https:// URLs are fetched")
        else:
            yield from _read_path(Path(inp), limits)
    if urls:
        from sitrep.ingest.web import fetch_urls

        yield from fetch_urls(urls, limits)


def _read_path(path: Path, limits: Limits) -> Iterator[Event]:
    if path.is_dir():
        for root, dirs, files in os.walk(path, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if not name.startswith("."):
                    yield from read_file(Path(root) / name, limits)
    elif path.exists():
        yield from read_file(path, limits)
    else:
        yield ItemError(str(path), "not_found", "no such file or directory")


def read_file(path: Path, limits: Limits) -> Iterator[Event]:
    locator = str(path)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
            yield ItemError(locator, "not_a_file", "not a regular file")
            return
        size = st.st_size
        if size > limits.max_file_bytes:
            yield ItemError(locator, "too_large", f"{size} bytes > cap {limits.max_file_bytes}")
            return
        raw = path.read_bytes()
    except OSError as e:
        yield ItemError(locator, "unreadable", e.strerror or str(e))
        return
    yield Source(locator, raw)
    yield from read_bytes(locator, raw, limits)


def read_bytes(locator: str, raw: bytes, limits: Limits) -> Iterator[RawItem | ItemError]:
    """Dispatch one file's bytes to its reader."""
    name = locator.lower()
    gzipped = raw[:2] == b"\x1f\x8b"
    stem = name[:-3] if name.endswith(".gz") else name
    ext = os.path.splitext(stem)[1]
    if ext in _WARC_EXT or raw[:5] == b"WARC/":
        from sitrep.ingest.warc import read_warc

        yield from read_warc(locator, raw, limits)  # warcio reads gzip members itself
        return
    data = raw
    if gzipped:
        try:
            data = gunzip(raw, limits)
        except ValueError as e:
            yield ItemError(locator, "bad_gzip", str(e))
            return
    kind = _kind(ext, data)
    if kind == "warc":
        from sitrep.ingest.warc import read_warc

        yield from read_warc(locator, data, limits)
    elif kind == "feed":
        from sitrep.ingest.feed import read_feed

        if limits.fetch:
            from sitrep.ingest.web import WebSession

            with WebSession(limits) as session:  # one robots.txt cache for all the feed's links
                yield from read_feed(locator, data, limits, fetcher=session.fetch)
        else:
            yield from read_feed(locator, data, limits)
    elif kind == "jsonl":
        yield from read_jsonl(locator, data, limits)
    else:
        yield RawItem(locator, kind, data, container_locator=locator if gzipped else None)


def _kind(ext: str, data: bytes) -> str:
    if ext in _TEXT_EXT:
        return TEXT
    if ext in _HTML_EXT:
        return HTML
    if ext in _JSON_EXT:
        return "jsonl"
    if ext in _FEED_EXT:
        return "feed"
    # Unknown extension: look at the first bytes.
    head = data[:1024].lstrip().lower()
    if head.startswith(b"warc/"):
        return "warc"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return "feed"
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return HTML
    if head.startswith((b"{", b"[")):
        return "jsonl"
    return TEXT


def gunzip(raw: bytes, limits: Limits) -> bytes:
    """Decompress every gzip member, refusing output beyond the caps."""
    cap = min(limits.max_file_bytes, limits.max_decompressed_ratio * len(raw) + (1 << 20))
    out = bytearray()
    d = zlib.decompressobj(zlib.MAX_WBITS | 16)
    buf = raw
    while buf:
        try:
            out += d.decompress(buf, cap + 1 - len(out))
        except zlib.error as e:
            raise ValueError(f"corrupt gzip data ({e})") from None
        if len(out) > cap:
            raise ValueError(f"decompresses past the cap of {cap} bytes (gzip bomb?)")
        if d.unconsumed_tail:
            buf = d.unconsumed_tail
            continue
        if not d.eof:
            raise ValueError("truncated gzip file (ends before the end of the stream)")
        buf = d.unused_data.lstrip(b"\0")  # next member, if any
        d = zlib.decompressobj(zlib.MAX_WBITS | 16)
    return bytes(out)


__all__ = ["Source", "read_inputs", "read_file", "read_bytes", "gunzip", "is_url"]
