"""JSON Lines (and plain JSON) articles: one record per article.

A record is an object with ``text`` or ``html`` (a string), and optionally
``url``, ``title``, ``published``, ``source``, ``author``.  A file whose whole
content is one JSON array or object is read as a list of records.  Each bad
record becomes an error naming its line; the rest of the file is still read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from sitrep.ingest.limits import Limits
from sitrep.model import HTML, TEXT, ItemError, RawItem

HINT_FIELDS = ("url", "title", "published", "source", "author")


def read_jsonl(locator: str, data: bytes, limits: Limits) -> Iterator[RawItem | ItemError]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        yield ItemError(locator, "invalid_encoding", f"JSON must be UTF-8 ({e.reason} at byte {e.start})")
        return
    whole = _whole_document(text)
    if whole is not None:
        for n, rec in enumerate(whole, 1):
            yield _item(f"{locator}#record={n}", locator, rec, limits)
        return
    seen_any = False
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        seen_any = True
        where = f"{locator}#line={n}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            yield ItemError(where, "malformed_json", f"{e.msg} at column {e.colno}")
            continue
        yield _item(where, locator, rec, limits)
    if not seen_any:
        yield ItemError(locator, "empty", "no JSON records")


def _whole_document(text: str) -> list | None:
    stripped = text.lstrip()
    if not stripped.startswith("["):
        # A single pretty-printed object spans lines; one-line objects are JSON Lines.
        if not (stripped.startswith("{") and "\n" in stripped.strip()):
            return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, list) else [value]


def _item(where: str, container: str, rec: object, limits: Limits) -> RawItem | ItemError:
    if not isinstance(rec, dict):
        return ItemError(where, "bad_record", f"expected a JSON object, got {type(rec).__name__}")
    for field, kind in (("html", HTML), ("text", TEXT)):
        body = rec.get(field)
        if isinstance(body, str) and body.strip():
            data = body.encode("utf-8")
            if len(data) > limits.max_item_bytes:
                return ItemError(where, "too_large", f"{len(data)} bytes > cap {limits.max_item_bytes}")
            hints = {k: str(rec[k]) for k in HINT_FIELDS if isinstance(rec.get(k), (str, int, float))}
            return RawItem(where, kind, data, hints=hints, container_locator=container)
    return ItemError(where, "missing_text", "record has no non-empty 'text' or 'html' string")
