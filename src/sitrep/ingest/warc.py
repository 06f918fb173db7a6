"""Read web archives (WARC, plain or gzipped) into HTML items.

One item per ``response`` record with HTTP status 200 and an HTML payload
(``text/html``, ``application/xhtml+xml``, or no/generic content type and a
body that sniffs as HTML).  The payload is de-chunked and content-decoded by
warcio.  Locators are ``<file>#record=N`` where N is the 1-based ordinal of
the record among *all* records in the file (warcinfo and requests included),
so it stays the same whatever we choose to keep.

Skipped silently: request, metadata, warcinfo, revisit, resource and
conversion records; non-HTTP responses (dns:, ...); non-HTML responses;
1xx/2xx-other-than-200/3xx responses (redirects are not articles, and their
targets are separate records).  HTML responses with a 4xx/5xx status become
``ItemError("http_status")``: they were wanted pages that failed.

Error reasons: ``empty``, ``not_warc``, ``too_large`` (payload over
``limits.max_item_bytes``, or gzip output past the bomb guard), ``truncated``
(the file ends inside a record or gzip member: the records before it are
still yielded), ``corrupt`` (unparseable data after valid records),
``http_status``, ``bad_record`` (one record whose payload could not be read).

Safety bounds: payloads are read at most ``max_item_bytes + 1`` at a time;
gzipped input is decompressed as a stream and stops past
``max_decompressed_ratio * len(data) + 1 MiB`` so a bomb costs bounded time.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.limitreader import LimitReader

from sitrep.ingest.limits import Limits
from sitrep.model import HTML, ItemError, RawItem

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Servers and crawlers often label HTML with these; we look at the bytes instead.
SNIFF_TYPES = frozenset({"", "application/octet-stream", "unknown/unknown", "application/unknown"})
_GZIP_MAGIC = b"\x1f\x8b"


def read_warc(locator: str, data: bytes, limits: Limits) -> Iterator[RawItem | ItemError]:
    if not data.strip():
        yield ItemError(locator, "empty", "the file is empty")
        return
    head = _head(data).lstrip()
    if head and len(head) < 5 and b"WARC/".startswith(head):
        yield ItemError(locator, "truncated", "file ends inside the first record header")
        return
    if not head.startswith(b"WARC/"):
        yield ItemError(locator, "not_warc", f"does not start with a WARC header (starts {head[:20]!r})")
        return

    gz = data.startswith(_GZIP_MAGIC)
    if gz:
        stream = _BoundedGunzip(data, limits.max_decompressed_ratio * len(data) + (1 << 20))
    else:
        stream = io.BytesIO(data)
    it = ArchiveIterator(stream)
    n = 0  # records are counted from 1, like lines
    try:
        for n, record in enumerate(it, 1):
            outcome = _record_outcome(locator, n, record, limits)
            # Drain the record now so a block cut short shows before we yield
            # a partial payload as an article.
            it.read_to_end()
            problem = _block_problem(n, record)
            if problem:
                reason, detail = (gz and stream.failure) or problem
                if not gz and data[it.offset :].strip():
                    reason = "corrupt"  # a bad header mid-file, not a cut
                yield ItemError(f"{locator}#record={n}", reason, detail)
                return
            if outcome is not None:
                yield outcome
    except Exception as exc:  # warcio raises assorted types on bad bytes
        if not (gz and stream.failure):
            reason = "corrupt" if gz else _tail_reason(data[it.offset :])
            detail = f"unreadable data after record {n}: {type(exc).__name__}: {exc}"
            yield ItemError(locator, reason, detail[:300])
            return

    if gz and stream.failure:
        reason, detail = stream.failure
        yield ItemError(locator, reason, f"after record {n}: {detail}")
    elif not gz and data[it.offset :].strip():
        detail = f"unread data after record {n} at offset {it.offset}"
        yield ItemError(locator, _tail_reason(data[it.offset :]), detail)


def _block_problem(n: int, record) -> tuple[str, str] | None:
    """Why record n's block is incomplete, if it is (call after draining it)."""
    length = (record.rec_headers.get_header("Content-Length") or "").strip()
    if not length.isdigit():
        # WARC requires Content-Length; a header cut short loses it, and then
        # warcio would read the rest of the file as this record's block.
        return "truncated", f"record {n} has an incomplete header (Content-Length {length!r})"
    if isinstance(record.raw_stream, LimitReader) and record.raw_stream.limit > 0:
        return "truncated", f"file ends inside record {n}: {record.raw_stream.limit} bytes of its block are missing"
    return None


def _tail_reason(tail: bytes) -> str:
    """Leftover bytes that are the start of a record cut short mean truncation."""
    tail = tail.lstrip()
    if not b"WARC/".startswith(tail[:5]):
        return "corrupt"
    head, sep, block = tail.partition(b"\r\n\r\n")
    if not sep:
        return "truncated"
    m = re.search(rb"(?im)^content-length:[ \t]*(\d+)", head)
    return "truncated" if m and len(block) < int(m.group(1)) else "corrupt"


def _record_outcome(locator: str, n: int, record, limits: Limits) -> RawItem | ItemError | None:
    if record.rec_type != "response" or record.http_headers is None:
        return None
    loc = f"{locator}#record={n}"
    status = record.http_headers.get_statuscode() or ""
    ctype = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if ctype not in HTML_TYPES and ctype not in SNIFF_TYPES:
        return None
    if status != "200":
        if status[:1] in ("4", "5") and ctype in HTML_TYPES:
            return ItemError(loc, "http_status", f"archived response has HTTP status {status}")
        return None
    try:
        payload = record.content_stream().read(limits.max_item_bytes + 1)
    except Exception as exc:  # broken chunking or content encoding
        return ItemError(loc, "bad_record", f"payload unreadable: {type(exc).__name__}: {exc}"[:300])
    if len(payload) > limits.max_item_bytes:
        return ItemError(loc, "too_large", f"payload exceeds {limits.max_item_bytes} bytes")
    if ctype not in HTML_TYPES and not looks_like_html(payload):
        return None
    hints = {
        "url": record.rec_headers.get_header("WARC-Target-URI"),
        "fetched": record.rec_headers.get_header("WARC-Date"),
    }
    return RawItem(
        locator=loc,
        kind=HTML,
        data=payload,
        hints={k: v for k, v in hints.items() if v},
        container=None,
        container_locator=locator,
    )


def looks_like_html(payload: bytes) -> bool:
    head = payload[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or any(t in head for t in (b"<html", b"<head", b"<body"))


def _head(data: bytes) -> bytes:
    """First bytes of the (possibly gzipped) content, without inflating the rest."""
    if not data.startswith(_GZIP_MAGIC):
        return data[:64]
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:4096], 64)
    except zlib.error:
        return b""


class _BoundedGunzip(io.RawIOBase):
    """Multi-member gunzip stream that records, instead of raising, why it stopped.

    warcio swallows ``EOFError`` as a clean end of file, which would hide a
    truncated member, so failures are kept in ``failure`` and reported by us.
    """

    def __init__(self, data: bytes, max_out: int):
        self._gz = gzip.GzipFile(fileobj=io.BytesIO(data), mode="rb")
        self._max_out = max_out
        self._out = 0
        self.failure: tuple[str, str] | None = None

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._out

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(1 << 16), b""))
        if self.failure:
            return b""
        want = min(size, self._max_out - self._out + 1)
        try:
            chunk = self._gz.read1(want)  # read() would drop what it had when a later member fails
        except EOFError:
            self.failure = ("truncated", "file ends inside a gzip member")
            return b""
        except (OSError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
            self.failure = ("corrupt", f"bad gzip data: {exc}")
            return b""
        self._out += len(chunk)
        if self._out > self._max_out:
            self.failure = ("too_large", f"decompresses past {self._max_out} bytes (gzip bomb guard)")
            return b""
        return chunk

    def readinto(self, b) -> int:
        chunk = self.read(len(b))
        b[: len(chunk)] = chunk
        return len(chunk)
