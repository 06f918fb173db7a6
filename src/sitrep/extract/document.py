"""One raw item to one clean document: the per-item extraction stage.

A pure function of the item: decode, repair unicode, pull the main text and
metadata out of HTML, strip residual boilerplate (recording each removed
line and its rule), guess a title for plain text, date it, identify its
language.  Anything that stops an item from being an article becomes an
:class:`~sitrep.model.ItemError` with a reason; nothing raises.
"""

from __future__ import annotations

import re

from dateutil import parser as dateparser

from sitrep.extract.boilerplate import clean_text
from sitrep.extract.decode import DecodeError, decode_bytes, repair_text
from sitrep.extract.html import extract_html
from sitrep.extract.language import detect_language
from sitrep.extract.title import guess_title
from sitrep.model import HTML, Document, Flag, ItemError, RawItem, RemovedLine, sha256

MAX_ITEM_BYTES = 5 * 1024 * 1024
MIN_WORDS = 15  # fewer words than a news brief: an error page or an empty shell

_URL_DATE = re.compile(r"/(20\d\d|19\d\d)[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|\b)")


def extract_item(item: RawItem, max_bytes: int = MAX_ITEM_BYTES) -> Document | ItemError:
    try:
        return _extract(item, max_bytes)
    except DecodeError as e:
        return ItemError(item.locator, e.reason, e.detail, sha256(item.data))
    except Exception as e:  # a bug or a hostile page must not end the run
        return ItemError(item.locator, "extract_failed", f"{type(e).__name__}: {e}", sha256(item.data))


def _extract(item: RawItem, max_bytes: int) -> Document | ItemError:
    if len(item.data) > max_bytes:
        return ItemError(item.locator, "too_large", f"{len(item.data)} bytes > cap {max_bytes}")
    text, encoding = decode_bytes(item.data)
    hints = item.hints
    doc = Document(
        id=item.id,
        locator=item.locator,
        kind=item.kind,
        raw_sha256=sha256(item.data),
        text="",
        url=hints.get("url"),
        title=hints.get("title"),
        author=hints.get("author"),
        source=hints.get("source"),
        container_locator=item.container_locator,
    )
    if encoding not in ("utf-8-sig", "utf-8", "ascii"):
        doc.flags.append(Flag("decoded_from", encoding))
    removed = []
    page_date = None
    if item.kind == HTML:
        page = extract_html(text, url=doc.url)
        if page is None:
            return ItemError(item.locator, "no_article_body", "no main text found in the HTML")
        body = repair_text(page.text)
        # html.* rules ran on trafilatura's text: their line numbers index that text.
        removed += [RemovedLine("html." + r.rule, r.text, r.line_no) for r in page.removed]
        doc.title = doc.title or page.title
        doc.author = doc.author or page.author
        doc.site_name = page.site_name
        doc.canonical_url = page.canonical_url
        page_date = page.published
    else:
        body = repair_text(text)
    body, dropped = clean_text(body)
    removed += dropped
    if item.kind != HTML:
        title, body = guess_title(body)
        doc.title = doc.title or title
    doc.text = body.strip()
    doc.removed = removed
    if len(doc.text.split()) < MIN_WORDS:
        return ItemError(
            item.locator, "no_article_body",
            f"only {len(doc.text.split())} words of text after cleaning", doc.raw_sha256,
        )
    _date(doc, hints.get("published"), page_date)
    lang, conf = detect_language(doc.text)
    doc.language, doc.language_confidence = lang, conf
    if lang and lang != "en":
        doc.flags.append(Flag("non_english", f"language {lang} (confidence {conf})"))
    return doc


def _date(doc: Document, given: str | None, page_date: str | None) -> None:
    """Publication date, preferring what the input said over what the page says."""
    for value, origin in ((given, "input"), (page_date, "metadata")):
        iso = iso_date(value)
        if iso:
            doc.published, doc.published_from = iso, origin
            return
    m = _URL_DATE.search(doc.url or doc.canonical_url or "")
    if m:
        doc.published, doc.published_from = "-".join(m.groups()), "url"
        return
    doc.published_from = "none"
    doc.flags.append(Flag("no_date", "no publication date in input, page metadata or URL"))


def iso_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return dateparser.parse(str(value)).date().isoformat()
    except (ValueError, OverflowError, TypeError):
        return None
