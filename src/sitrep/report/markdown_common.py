"""Shared pieces of the Markdown report: inert text, links, numbers, tables.

Article-derived strings are hostile: :func:`md` makes each one inert inline
text — no HTML, no links, images, emphasis or code, no table breaks — and
only http(s) URLs become links (:func:`md_link`).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Markdown punctuation that can start inline syntax anywhere in a line.
_PUNCT = re.compile(r"([\\`*_\[\]|~])")
_HTTP_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f<>\"'`]+", re.IGNORECASE)


def md(value: Any) -> str:
    """``value`` as one line of literal Markdown text, safe in a table cell."""
    if value is None:
        return ""
    s = " ".join(_INVISIBLE.sub("\ufffd", str(value)).split())  # also folds newlines
    # Entities, not backslashes, for HTML: renderers that skip backslash
    # escapes still decode &lt; as text.
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _PUNCT.sub(r"\\\1", s)
    # A line-initial "#", "-", "+", "1." or "=" would become a block; only
    # relevant outside tables, but cheap to stop everywhere.
    s = re.sub(r"^([#>+=-])", r"\\\1", s)
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", s)


def md_link(url: str | None, text: str | None = None) -> str:
    """A Markdown link for an http(s) URL; anything else as inert text."""
    if not url:
        return md(text)
    if not _HTTP_URL.fullmatch(url):
        return md(text or url)
    # Percent-encode what could end the link destination or the table cell.
    dest = quote(url, safe="/:?#@!$&'*+,;=%-._~")
    return f"[{md(text or url)}]({dest})"


def num(n: int | None) -> str:
    return "" if n is None else f"{n:,}"


def tally(counts: dict[str, int]) -> str:
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return " · ".join(f"{md(k)} {num(v)}" for k, v in items) or "—"


def table(head: list[str], rows: list[list[str]], align: str = "") -> str:
    """A pipe table; cells must already be escaped.  ``align`` has one of l/r per column."""
    align = align or "l" * len(head)
    rule = ["--:" if a == "r" else "---" for a in align]
    lines = [head, rule, *rows]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


