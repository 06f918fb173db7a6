"""The data model shared by every stage.

A pile of inputs becomes a stream of :class:`RawItem` (one candidate article
each, with its verbatim bytes); extraction turns each into a :class:`Document`
or an :class:`ItemError`.  Stages add to documents; they never edit the raw
bytes, which stay in the store, content-addressed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

# Item kinds: what the bytes of a RawItem are.
TEXT = "text"
HTML = "html"


@dataclass(frozen=True)
class RawItem:
    """One input item, as read.

    ``data`` holds the item's own bytes verbatim (a file, a JSON line, a WARC
    payload, a feed entry's content).  ``container`` holds the bytes of the
    file or response the item was cut from when that differs (a JSON Lines
    file, a WARC file, a feed), so the store can keep every raw byte.
    ``hints`` carries metadata the container gave (url, title, published,
    source, author); extraction prefers page metadata only where hints are
    silent.
    """

    locator: str  # where it came from: path, path#line=N, path#record=N, URL
    kind: str  # TEXT or HTML
    data: bytes
    hints: dict[str, Any] = field(default_factory=dict)
    container: bytes | None = None
    container_locator: str | None = None

    @property
    def id(self) -> str:
        return item_id(self.kind, self.data)


def item_id(kind: str, data: bytes) -> str:
    """Stable document id: the same bytes of the same kind get the same id."""
    return hashlib.sha256(kind.encode() + b"\0" + data).hexdigest()[:16]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class RemovedLine:
    """A line taken out of a document's text, and the rule that took it."""

    rule: str
    text: str
    line_no: int  # 0-based line index in the text before cleaning


@dataclass(frozen=True)
class Flag:
    """A judgement on a document, with what backs it."""

    name: str  # e.g. "non_english", "no_date", "exact_duplicate"
    detail: str = ""


@dataclass
class Document:
    """An article: cleaned text plus metadata, traceable to its raw bytes."""

    id: str
    locator: str
    kind: str
    raw_sha256: str
    text: str
    title: str | None = None
    author: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    source: str | None = None  # publisher as given by the input (JSON, feed)
    published: str | None = None  # ISO date
    published_from: str | None = None  # "input", "metadata", "none"
    language: str | None = None  # ISO 639-1
    language_confidence: float | None = None
    removed: list[RemovedLine] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    container_locator: str | None = None
    container_sha256: str | None = None
    duplicate_of: str | None = None

    def has_flag(self, name: str) -> bool:
        return any(f.name == name for f in self.flags)


@dataclass(frozen=True)
class ItemError:
    """An input item that could not become a document, and why."""

    locator: str
    reason: str  # short machine-readable kind: "empty", "binary", "too_large"...
    detail: str = ""  # human explanation
    raw_sha256: str | None = None

    def __str__(self) -> str:
        return f"{self.locator}: {self.reason}" + (f" ({self.detail})" if self.detail else "")
