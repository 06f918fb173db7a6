"""The publication date of a document, and where it was read.

Computes ``(iso_date, source)`` for a :class:`~sitrep.model.Document`, taking
the first of, in decreasing order of trust:

``input`` / ``metadata`` / ``url``
    what extraction already settled (``doc.published`` with
    ``doc.published_from``: the input record, the page's metadata, the URL);
``url``
    a date in the URL path — ``/2025/08/15/``, ``2025-08-15``, ``20250815``;
``dateline``
    a wire dateline at the head of the body that carries a full date
    ("WASHINGTON, Aug. 15, 2025 (Reuters) —");
``text``
    a date line in the header or footer: a short line that is a full date
    ("August 17, 2025"), or a labelled one ("Published: 15 Aug 2025",
    "Posted on 2025-08-15"; "Published" beats "Updated"), or a byline with a
    date ("By Jane Roe | August 17, 2025");
``none``
    nothing: the timeline places the document from what it says.

Only full dates count: "Updated 3 hours ago" or "5 months ago" say nothing
without the moment the page was captured, which a text file does not record.
The rules are those of date-extraction tools for web pages (htmldate:
Barbaresi 2020, "htmldate: A Python package to extract publication dates from
web pages", JOSS 5(51)) restricted to plain text: the header and footer zones,
labelled dates first, URL dates as a fallback.
"""

from __future__ import annotations

import re
from datetime import date

from sitrep.model import Document
from sitrep.understand.timex import MONTHS, P_DMY, P_MDY

SOURCES = ("input", "metadata", "url", "dateline", "text", "none")

_URL_DATES = (
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)[/_-](?P<m>0?[1-9]|1[0-2])[/_-](?P<d>0?[1-9]|[12]\d|3[01])(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"),
)
_NUMERIC = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)[-/.](?P<m>0?[1-9]|1[0-2])[-/.](?P<d>0?[1-9]|[12]\d|3[01])(?!\d)")
# What may precede the date in a dateline: a city in capitals, a region or country, an agency.
_DATELINE_HEAD = re.compile(r"[A-Z][A-Z.'’ -]{2,40}(?:,\s*[A-Z][A-Za-z. ]{1,30}){0,2}\s*(?:\([^)]{1,40}\))?\s*[,—–-]?\s*")
_DATELINE_TAIL = re.compile(r"\s*(?:\([^)]{1,40}\))?\s*[—–-]")
_LABEL = re.compile(r"^\W*(?P<label>(?i:first\s+published|published|posted|date|created|last\s+updated|updated"
                    r"|last\s+modified|modified|by))\b")
_LABEL_RANK = {"published": 0, "first published": 0, "posted": 0, "date": 0, "created": 0, "by": 1,
               "updated": 2, "last updated": 2, "modified": 2, "last modified": 2}
# Words a bare date line may carry besides the date: a weekday, a time and its zone.
_FILLER = re.compile(r"(?i)\b(?:on|at|monday|tuesday|wednesday|thursday|friday|saturday|sunday|[ap]\.?m\.?"
                     r"|gmt|utc|bst|cet|cest|[ecmp][sd]t|et|pt|local|time|\d{1,2}[:.]\d\d)\b|[\W_]+")
HEADER_LINES = 12
FOOTER_LINES = 4
MAX_LINE_WORDS = 14


def document_date(doc: Document, text: str | None = None) -> tuple[str, str]:
    """(ISO date, source) of ``doc``; ``("", "none")`` when nothing dates it.

    ``text`` is the text to read datelines and date lines from (default ``doc.text``).
    """
    if doc.published and doc.published_from not in (None, "none"):
        return doc.published[:10], doc.published_from if doc.published_from in SOURCES else "input"
    for url in (doc.url, doc.canonical_url):
        iso = url_date(url or "")
        if iso:
            return iso, "url"
    body = doc.text if text is None else text
    iso = dateline_date(body)
    if iso:
        return iso, "dateline"
    iso = text_date(body)
    if iso:
        return iso, "text"
    return "", "none"


def _valid(y, m, d) -> str | None:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def url_date(url: str) -> str | None:
    """A full date in a URL's path, or None."""
    path = re.sub(r"^[a-z]+://[^/]+", "", url)
    for p in _URL_DATES:
        for m in p.finditer(path):
            iso = _valid(m["y"], m["m"], m["d"])
            if iso:
                return iso
    return None


def full_date(s: str) -> tuple[str, int, int] | None:
    """The first full date (with a year) in ``s``: (ISO, start, end), or None."""
    found = []
    for p in (P_MDY, P_DMY):
        for m in p.finditer(s):
            if m["year"]:
                iso = _valid(m["year"], MONTHS[m["mon"].lower()], m["day"])
                if iso:
                    found.append((m.start(), m.end(), iso))
    for m in _NUMERIC.finditer(s):
        iso = _valid(m["y"], m["m"], m["d"])
        if iso:
            found.append((m.start(), m.end(), iso))
    if not found:
        return None
    s0, e0, iso = min(found)
    return iso, s0, e0


def dateline_date(text: str) -> str | None:
    """The date of a wire dateline opening the body ("KYIV, Ukraine, March 3, 2024 (AP) —")."""
    for line in _lines(text)[:HEADER_LINES]:
        found = full_date(line[:100])
        if not found:
            continue
        iso, start, end = found
        head = line[:start]
        if (_DATELINE_HEAD.fullmatch(head) and re.match(r"[A-Z]{3}", head)
                and _DATELINE_TAIL.match(line, end)):
            return iso
    return None


def text_date(text: str) -> str | None:
    """The date of a date line in the header or footer of ``text``, labelled ones first."""
    lines = _lines(text)
    zone = lines[:HEADER_LINES] + lines[-FOOTER_LINES:]
    best: tuple[int, int, str] | None = None
    for i, line in enumerate(zone):
        if len(line.split()) > MAX_LINE_WORDS:
            continue
        rank = _line_rank(line)
        if rank is None:
            continue
        found = full_date(line)
        if found and (best is None or (rank, i) < best[:2]):
            best = (rank, i, found[0])
    return best[2] if best else None


def _line_rank(line: str) -> int | None:
    """0 for a 'Published' line or a bare date, 1 for a byline, 2 for 'Updated'; None for prose."""
    lab = _LABEL.match(line)
    if lab:
        return _LABEL_RANK[" ".join(lab["label"].lower().split())]
    found = full_date(line)
    if not found:
        return None
    rest = line[: found[1]] + " " + line[found[2] :]
    return 0 if not _FILLER.sub(" ", rest).strip() else None


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]
