"""HTML page -> main article text and page metadata.

``extract_html`` computes the article body of a news page as plain text, one
paragraph (or heading, list item, table row) per line, lines joined by "\\n",
plus the page's metadata (title, author, date, site name, canonical URL,
language).

The main-content detection is trafilatura's (Barbaresi, ACL 2021), run once,
in its precision mode.  Around it sit two cheap passes for boilerplate kinds
it lets through, measured with the word-shingle score of the public
article-extraction-benchmark (``bench/extraction.py``):

1. DOM pre-cleaning (``sitrep.extract.htmlclean``): share-widget links,
   hover cards, link-only paragraphs and lists ("related" teasers).
2. Line post-filtering (below): the headline and standfirst printed again at
   the top, datelines and bylines at the edges, and the tail notes news sites
   append (author contact, "SOURCE:", company boilerplate...).

Every line dropped in pass 2 is returned as a ``RemovedLine`` (rule, text,
0-based line number in trafilatura's text), so nothing is lost; pass 1 works
on the DOM and its removals stay recoverable from the raw bytes.  Generic
line-level boilerplate (share rows, "Advertisement", comment prompts...) is
left to ``sitrep.extract.boilerplate.clean_text``, which the pipeline runs
after this.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml.etree import ParserError
from trafilatura import bare_extraction
from trafilatura.metadata import extract_metadata
from trafilatura.settings import Extractor
from trafilatura.utils import load_html

from sitrep.extract import htmlclean
from sitrep.model import RemovedLine

MAX_INPUT = 5 * 1024 * 1024  # bytes or characters handed to lxml; the ingest cap is the same


@dataclass
class HtmlExtract:
    text: str  # main text, one paragraph per line, lines joined by "\n"
    title: str | None
    author: str | None
    published: str | None  # ISO date YYYY-MM-DD
    site_name: str | None
    canonical_url: str | None
    language: str | None  # from the page's own markup (html lang, meta), may be None
    removed: list[RemovedLine] = field(default_factory=list)


def extract_html(html: str | bytes, url: str | None = None, *, skip: Collection[str] = ()) -> HtmlExtract | None:
    """Extract the article from one HTML page; None when the page has no article body.

    ``skip`` names rules to switch off (DOM rules of ``htmlclean.RULES`` and
    line rules of ``LINE_RULES``); the benchmark uses it to measure each one.
    """
    if not html:
        return None
    html = html[:MAX_INPUT]
    try:
        tree = load_html(html)
    except (ParserError, ValueError, TypeError):
        return None
    if tree is None:
        return None

    options = Extractor(output_format="python", precision=True, comments=False, tables=True, url=url)
    # Metadata first, from the page as served: the DOM pass below may drop
    # hidden schema.org blocks that carry the author or the date.
    meta = extract_metadata(tree, url, options.date_params, options.fast, options.author_blacklist)
    language = _page_language(tree)
    canonical = _canonical_url(tree, url)

    headlines = [meta.title or ""] + [h1.text_content() for h1 in tree.iter("h1")][:3]
    htmlclean.clean(tree, skip)
    doc = bare_extraction(tree, options=options)
    if doc is None or not doc.text or not doc.text.strip():
        return None

    lines, removed = filter_lines(doc.text.split("\n"), headlines, meta.author, meta.sitename, skip)
    text = "\n".join(lines).strip()
    if not text:
        return None
    return HtmlExtract(
        text=text,
        title=meta.title or None,
        author=meta.author or None,
        published=meta.date or None,
        site_name=meta.sitename or None,
        canonical_url=canonical,
        language=language,
        removed=removed,
    )


# -- page metadata trafilatura does not return as such -----------------------

_LANG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")


def _page_language(tree) -> str | None:
    """The language the page declares: <html lang>, else a content-language meta."""
    values = [tree.get("lang"), tree.get("xml:lang")]
    values += tree.xpath("//head/meta[translate(@http-equiv,'CONTENTLAG','contentlag')='content-language']/@content")
    values += tree.xpath("//head/meta[@property='og:locale']/@content")
    for value in values:
        m = _LANG.fullmatch((value or "").strip().split(",")[0].strip())
        if m:
            return m.group(0).split("-")[0].split("_")[0].lower()
    return None


def _canonical_url(tree, url: str | None) -> str | None:
    """<link rel=canonical>, else og:url, made absolute against the page URL."""
    for xpath in ("//head/link[translate(@rel,'CANOLI','canoli')='canonical']/@href",
                  "//head/meta[@property='og:url']/@content"):
        for href in tree.xpath(xpath):
            href = href.strip()
            if href and not href.startswith(("javascript:", "data:")):
                absolute = urljoin(url, href) if url else href
                if absolute.startswith(("http://", "https://")):
                    return absolute
    return None


# -- line post-filters --------------------------------------------------------

_TOKEN = re.compile(r"\w+")


def _key(line: str | None) -> str:
    """Comparison key: the word tokens, case-folded (punctuation and quotes vary)."""
    return " ".join(_TOKEN.findall((line or "").casefold()))


_TITLE_SEP = re.compile(r"\s+[|\-–—:·•»]\s+|\s*::\s*")


def _headline_keys(headlines: list[str], site_name: str | None) -> set[str]:
    """The headline as metadata and <h1> give it, with and without the site name part."""
    keys = set()
    site = _key(site_name)
    for headline in headlines:
        keys.add(_key(headline))
        parts = [p for p in _TITLE_SEP.split(headline) if _key(p)]
        if len(parts) > 1:
            # "Headline | Site", "Site - Headline": the longest part is the headline.
            keys.add(_key(max(parts, key=len)))
            keys.add(_key(" ".join(p for p in parts if _key(p) != site)))
    keys.discard("")
    return keys


LINE_RULES = ("headline_echo",)


def filter_lines(lines: list[str], headlines: list[str], author: str | None, site_name: str | None,
                 skip: Collection[str] = ()) -> tuple[list[str], list[RemovedLine]]:
    """Drop boilerplate lines; return the kept lines and the removed ones with their rule."""
    found: dict[int, str] = {}
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    head = nonblank[:4]

    if "headline_echo" not in skip:
        # The headline is metadata (HtmlExtract.title); printed above the body it is a duplicate.
        keys = _headline_keys(headlines, site_name)
        for i in head:
            if _key(lines[i]) in keys:
                found[i] = "headline_echo"

    kept = [line for i, line in enumerate(lines) if i not in found]
    removed = [RemovedLine(found[i], lines[i], i) for i in sorted(found)]
    return kept, removed
